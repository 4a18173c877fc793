import re
import uuid
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from questions.models import PostRevision, Question, Tag
from tests import factories
from tests.clients import client_for
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ASK = "/questions/ask/"
TITLE = "How do I conjugate verbs in Quenya?"
BODY = "I have read the grammar twice and still cannot find the **past tense**."


def question_data(**changes):
    return {
        "title": TITLE,
        "body": BODY,
        "tags": "quenya grammar",
        "submission_token": str(uuid.uuid4()),
        **changes,
    }


@pytest.fixture
def asker(db):
    return factories.user(display_name="Asker", reputation=1, password=PASSWORD)


@pytest.fixture
def existing_tags(db):
    return [factories.tag("quenya"), factories.tag("grammar")]


def errors_of(response):
    return re.findall(
        r'class="invalid-feedback">\s*<p id="[^"]+"><strong>(.*?)</strong>',
        response.content.decode(),
    )


# The form


def test_anonymous_visitors_are_sent_to_log_in_and_back(client):
    response = client.get(ASK)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=/questions/ask/"


def test_ask_page_shows_title_body_and_tags_with_a_fresh_submission_token(asker):
    client = client_for(asker)

    first = client.get(ASK).content.decode()
    second = client.get(ASK).content.decode()

    assert 'name="title"' in first and 'name="body"' in first and 'name="tags"' in first
    assert "Post your question" in first and 'name="preview"' in first
    token = re.search(r'name="submission_token" value="([0-9a-f-]{36})"', first)[1]
    assert token not in second
    assert f'data-tag-autocomplete="{reverse("questions:tag_autocomplete")}"' in first
    assert f'data-preview-url="{reverse("questions:preview")}"' in first
    assert re.search(r'<script src="/static/js/editor.js" defer></script>', first)


def test_suspended_users_may_not_ask_and_are_told_until_when(english_client):
    suspended = factories.user(suspended_until=timezone.now() + timedelta(days=3))
    english_client.force_login(suspended)

    response = english_client.get(ASK)

    assert response.status_code == 403
    assert "Your account is suspended until" in response.content.decode()
    assert english_client.post(ASK, question_data()).status_code == 403
    assert not Question.objects.exists()


# Asking


def test_asking_creates_the_question_with_its_tags_and_first_revision(asker, existing_tags):
    client = client_for(asker)

    response = client.post(ASK, question_data())

    question = Question.objects.get()
    assert response.status_code == 302
    assert response["Location"] == question.get_absolute_url()
    assert question.title == TITLE
    assert question.author == asker
    assert "<strong>past tense</strong>" in question.body_html
    assert sorted(tag.name for tag in question.tags.all()) == ["grammar", "quenya"]
    assert Tag.objects.get(name="quenya").question_count == 1
    assert PostRevision.objects.get(post=question).number == 1
    page = client.get(response["Location"]).content.decode()
    assert "Your question has been posted." in page
    assert TITLE.replace("?", "") in page


def test_the_thread_page_tells_the_browser_once_which_form_was_posted(asker, existing_tags):
    client = client_for(asker)
    data = question_data()

    location = client.post(ASK, data)["Location"]

    assert (
        f'data-posted-token="{data["submission_token"]}"' in client.get(location).content.decode()
    )
    assert "data-posted-token" not in client.get(location).content.decode()


def test_tags_are_lower_cased_and_repeated_ones_count_once(asker, existing_tags):
    client_for(asker).post(ASK, question_data(tags="Quenya grammar quenya"))

    assert sorted(tag.name for tag in Question.objects.get().tags.all()) == ["grammar", "quenya"]


def test_title_whitespace_is_collapsed(asker, existing_tags):
    client_for(asker).post(ASK, question_data(title="  How   do I conjugate\tverbs in Quenya?  "))

    assert Question.objects.get().title == TITLE


def test_control_characters_and_null_bytes_are_removed_before_saving(asker, existing_tags):
    client_for(asker).post(
        ASK,
        question_data(
            title="How do I\x00 conjugate verbs\x07 in Quenya?",
            body="I have read\x00 the grammar\x1b twice and still\x7f cannot find the past tense.",
            tags="quenya\x00 grammar",
        ),
    )

    question = Question.objects.get()
    assert question.title == TITLE
    assert (
        question.body_markdown
        == "I have read the grammar twice and still cannot find the past tense."
    )
    assert sorted(tag.name for tag in question.tags.all()) == ["grammar", "quenya"]


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("title", "T" * 14, "Title must be at least 15 characters; you entered 14."),
        ("title", "T" * 151, "Title can be at most 150 characters; you entered 151."),
        ("body", "B" * 29, "Body must be at least 30 characters; you entered 29."),
        ("body", "B" * 30001, "Body can be at most 30000 characters; you entered 30001."),
        ("tags", "", "Add at least one tag."),
        ("tags", "quenya grammar one two three four", "Use at most 5 tags; you entered 6."),
        (
            "tags",
            "quenya under_score",
            "Tags may use only letters a–z, digits and + # . - and be 1 to 35",
        ),
        ("tags", "quenya fünf", "Tags may use only letters a–z, digits and + # . - and be 1 to 35"),
        (
            "tags",
            "quenya " + "x" * 36,
            "Tags may use only letters a–z, digits and + # . - and be 1 to 35",
        ),
    ],
)
def test_every_limit_is_an_error_next_to_its_field_and_the_text_is_kept(
    asker, existing_tags, field, value, error
):
    data = question_data(**{field: value})

    response = client_for(asker).post(ASK, data)

    assert response.status_code == 200
    assert not Question.objects.exists()
    html = response.content.decode()
    (shown,) = errors_of(response)
    assert shown.startswith(error)
    assert f'aria-describedby="id_{field}' in html and f'id="id_{field}_error"' in html
    for name in ["title", "body", "tags", "submission_token"]:
        assert escape(data[name]) in html


@pytest.mark.parametrize(("title", "body"), [("T" * 15, "B" * 30), ("T" * 150, "B" * 30000)])
def test_titles_and_bodies_at_the_limits_are_accepted(asker, existing_tags, title, body):
    response = client_for(asker).post(ASK, question_data(title=title, body=body))

    assert response.status_code == 302
    assert Question.objects.get().title == title


def test_five_tags_are_accepted(asker):
    for name in ["one", "two", "three", "four", "five"]:
        factories.tag(name)

    client_for(asker).post(ASK, question_data(tags="one two three four five"))

    assert Question.objects.get().tags.count() == 5


def test_a_new_tag_needs_the_create_tags_privilege_and_the_error_names_it(existing_tags):
    newcomer = factories.user(reputation=299)

    response = client_for(newcomer).post(ASK, question_data(tags="quenya sindarin"))

    assert response.status_code == 200
    assert errors_of(response) == ["You need 300 reputation to create new tags. (sindarin)"]
    assert not Question.objects.exists()
    assert not Tag.objects.filter(name="sindarin").exists()


def test_users_with_the_create_tags_privilege_create_new_tags(existing_tags):
    client_for(factories.user(reputation=300)).post(ASK, question_data(tags="quenya sindarin"))

    assert Tag.objects.get(name="sindarin").question_count == 1


def test_new_users_may_ask_only_once_every_forty_minutes(asker, existing_tags):
    factories.question(author=asker, created_at=timezone.now() - timedelta(minutes=39))

    response = client_for(asker).post(ASK, question_data())

    assert response.status_code == 200
    assert (
        "You can ask one question every 40 minutes until you have 125 reputation."
        in response.content.decode()
    )
    assert TITLE.replace("?", "") in response.content.decode()
    assert Question.objects.count() == 1


def test_after_forty_minutes_new_users_may_ask_again(asker, existing_tags):
    factories.question(author=asker, created_at=timezone.now() - timedelta(minutes=41))

    assert client_for(asker).post(ASK, question_data()).status_code == 302
    assert Question.objects.count() == 2


@pytest.mark.parametrize("asker_kind", ["125 reputation", "moderator"])
def test_established_users_and_moderators_need_not_wait(existing_tags, asker_kind):
    user = factories.moderator() if asker_kind == "moderator" else factories.user(reputation=125)
    factories.question(author=user, created_at=timezone.now() - timedelta(minutes=1))

    assert client_for(user).post(ASK, question_data()).status_code == 302


LINKS = (
    "See [one](https://a.example), [two](https://b.example) and [three](https://c.example) here."
)
IMAGE = "Look at this picture here: ![diagram](https://a.example/d.png) please."


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (LINKS, "You can post at most 2 links until you have 10 reputation."),
        (IMAGE, "You need 10 reputation to post images."),
    ],
)
def test_below_ten_reputation_a_post_holds_at_most_two_links_and_no_images(
    asker, existing_tags, body, error
):
    response = client_for(asker).post(ASK, question_data(body=body))

    assert errors_of(response) == [error]
    assert not Question.objects.exists()


def test_two_links_are_fine_below_ten_reputation(asker, existing_tags):
    body = "See [one](https://a.example) and [two](https://b.example) for details."

    assert client_for(asker).post(ASK, question_data(body=body)).status_code == 302


def test_from_ten_reputation_links_and_images_are_free(existing_tags):
    client = client_for(factories.user(reputation=10))

    assert client.post(ASK, question_data(body=LINKS + " " + IMAGE)).status_code == 302


# Double submit and CSRF


def test_a_double_submit_creates_one_question_and_both_lead_to_it(asker, existing_tags):
    client = client_for(asker)
    data = question_data()

    first = client.post(ASK, data)
    second = client.post(ASK, data)

    assert Question.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == Question.objects.get().get_absolute_url()
    assert Tag.objects.get(name="quenya").question_count == 1


def test_two_forms_with_different_tokens_are_two_questions(existing_tags):
    client = client_for(factories.user(reputation=125))

    client.post(ASK, question_data())
    client.post(ASK, question_data())

    assert Question.objects.count() == 2


def test_asking_needs_the_csrf_token(asker, existing_tags):
    client = client_for(asker, enforce_csrf_checks=True)

    assert client.post(ASK, question_data()).status_code == 403
    assert not Question.objects.exists()

    page = client.get(ASK).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    assert client.post(ASK, question_data(csrfmiddlewaretoken=csrf)).status_code == 302


# The preview button (without JavaScript)


def test_the_preview_button_renders_the_body_below_the_form_and_saves_nothing(asker, existing_tags):
    data = question_data(title="Too short", preview="1")

    response = client_for(asker).post(ASK, data)

    html = response.content.decode()
    assert response.status_code == 200
    assert not Question.objects.exists()
    assert "<strong>past tense</strong>" in html
    assert html.index('id="ask-form"') < html.index("<strong>past tense</strong>")
    assert 'value="Too short"' in html
    assert "**past tense**" in html
    assert 'value="quenya grammar"' in html
    assert f'value="{data["submission_token"]}"' in html
    assert errors_of(response) == []


def test_posting_after_a_preview_uses_the_same_token(asker, existing_tags):
    client = client_for(asker)
    data = question_data()
    client.post(ASK, {**data, "preview": "1"})

    client.post(ASK, data)
    client.post(ASK, data)

    assert Question.objects.get().submission_token == uuid.UUID(data["submission_token"])


# Posting after the session expired


def test_posting_after_the_session_expired_leads_through_log_in_back_to_the_kept_text(
    english_client, asker
):
    data = question_data(body="This text was typed while the session quietly expired.")

    response = english_client.post(ASK, data)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=/questions/ask/"
    assert not Question.objects.exists()

    cache.clear()  # no log-in throttling left over from other tests
    logged_in = english_client.post(
        reverse("accounts:login"), {"username": asker.username, "password": PASSWORD, "next": ASK}
    )
    assert logged_in["Location"] == ASK

    page = english_client.get(ASK)
    html = page.content.decode()
    assert "Your session had expired, so your question was not posted yet." in html
    assert 'value="How do I conjugate verbs in Quenya?"' in html
    assert "This text was typed while the session quietly expired." in html
    assert 'value="quenya grammar"' in html
    assert errors_of(page) == []

    again = english_client.get(ASK).content.decode()
    assert "This text was typed while the session quietly expired." not in again


# Who may ask


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("new user", 200),
        ("privileged user", 200),
        ("moderator", 200),
        ("suspended user", 403),
    ],
)
def test_who_may_open_the_ask_page(who, status):
    user = {
        "anonymous": None,
        "new user": factories.user(reputation=1),
        "privileged user": factories.user(reputation=3000),
        "moderator": factories.moderator(),
        "suspended user": factories.user(
            reputation=3000, suspended_until=timezone.now() + timedelta(days=1)
        ),
    }[who]

    assert client_for(user).get(ASK).status_code == status
