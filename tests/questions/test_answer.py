import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from questions.models import Answer, Post, PostRevision
from tests import factories
from tests.clients import client_for, thread_queries
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

BODY = "Use the past tense suffix **-në** on the verb stem, as in *carnë*."
LONG_AGO = datetime(2020, 1, 1, 12, 0, tzinfo=UTC)


def answer_data(**changes):
    return {"body": BODY, "submission_token": str(uuid.uuid4()), **changes}


def answer_url(question):
    return f"/questions/{question.pk}/answer/"


@pytest.fixture
def answerer(db):
    return factories.user(display_name="Answerer", reputation=1, password=PASSWORD)


# The form on the thread page


def test_the_thread_ends_with_an_answer_form_for_members(question, answerer):
    html = client_for(answerer).get(question.get_absolute_url()).content.decode()

    assert "Your answer" in html
    assert f'action="/questions/{question.pk}/answer/#your-answer"' in html
    assert re.search(r'name="submission_token" value="[0-9a-f-]{36}"', html)
    assert "Post your answer" in html
    assert "data-draft" in html


def test_anonymous_visitors_are_invited_to_log_in_to_answer(english_client, question):
    html = english_client.get(question.get_absolute_url()).content.decode()

    assert f'action="/questions/{question.pk}/answer/' not in html
    next_url = f"{question.get_absolute_url()}%23your-answer"
    assert f'<a href="{reverse("accounts:login")}?next={next_url}">Log in</a>' in html
    assert (
        f'<a href="{reverse("accounts:signup")}?next={next_url}">sign up</a>'
        " to answer this question." in html
    )


def test_a_closed_question_shows_why_it_takes_no_answers_instead_of_the_form(answerer):
    closed = factories.question(closed_at=timezone.now())

    html = client_for(answerer).get(closed.get_absolute_url()).content.decode()

    assert f'action="/questions/{closed.pk}/answer/' not in html
    assert html.count("This question is closed and takes no new answers.") == 2


# Answering


def test_answering_adds_the_answer_and_shows_it_in_the_thread(question, answerer):
    client = client_for(answerer)

    response = client.post(answer_url(question), answer_data())

    answer = Answer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{question.get_absolute_url()}#answer-{answer.pk}"
    assert answer.parent == question
    assert answer.author == answerer
    assert (
        answer.body_html == "<p>Use the past tense suffix <strong>-në</strong> on the verb stem,"
        " as in <em>carnë</em>.</p>"
    )
    assert PostRevision.objects.get(post=answer).number == 1
    question.refresh_from_db()
    assert question.answer_count == 1
    html = client.get(response["Location"]).content.decode()
    assert "Your answer has been posted." in html
    assert f'id="answer-{answer.pk}"' in html
    assert "1 answer<" in html


def test_a_new_answer_moves_the_question_to_the_top_of_the_active_tab(answerer):
    question = factories.question(
        title="How do I form the past tense in Quenya?", created_at=LONG_AGO
    )
    newer = factories.question(title="A newer question", created_at=LONG_AGO + timedelta(days=1))

    client_for(answerer).post(answer_url(question), answer_data())

    question.refresh_from_db()
    assert question.last_activity_at > timezone.now() - timedelta(minutes=1)
    html = client_for(None).get("/?tab=active").content.decode()
    assert html.index(question.title) < html.index(newer.title)


def test_authors_may_answer_their_own_question(question, author):
    assert client_for(author).post(answer_url(question), answer_data()).status_code == 302
    assert Answer.objects.get().author == author


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("B" * 29, "Body must be at least 30 characters; you entered 29."),
        ("B" * 30001, "Body can be at most 30000 characters; you entered 30001."),
        ("   ", "Body must be at least 30 characters; you entered 0."),
        (
            "See [one](https://a.example), [two](https://b.example) and [three](https://c.example).",
            "You can post at most 2 links until you have 10 reputation.",
        ),
        (
            "A picture of it: ![diagram](https://a.example/d.png) for you.",
            "You need 10 reputation to post images.",
        ),
    ],
)
def test_a_bad_answer_shows_the_thread_again_with_the_error_at_the_field_and_the_text(
    question, answerer, body, error
):
    data = answer_data(body=body)

    response = client_for(answerer).post(answer_url(question), data)

    assert response.status_code == 200
    assert not Answer.objects.exists()
    html = response.content.decode()
    assert question.title in html
    assert re.search(
        rf'id="id_body_error" class="invalid-feedback">\s*<p[^>]*><strong>{re.escape(error)}', html
    )
    assert f"{body.strip()}</textarea>" in html
    assert f'value="{data["submission_token"]}"' in html


def test_control_characters_and_null_bytes_are_removed_from_answers(question, answerer):
    client_for(answerer).post(
        answer_url(question), answer_data(body="A null\x00 byte and a bell\x07 go away here.")
    )

    assert Answer.objects.get().body_markdown == "A null byte and a bell go away here."


def test_a_double_submit_creates_one_answer(question, answerer):
    client = client_for(answerer)
    data = answer_data()

    first = client.post(answer_url(question), data)
    second = client.post(answer_url(question), data)

    assert Answer.objects.count() == 1
    assert first["Location"] == second["Location"]
    question.refresh_from_db()
    assert question.answer_count == 1


def test_the_page_after_answering_tells_the_browser_to_forget_the_draft(question, answerer):
    client = client_for(answerer)
    data = answer_data()

    location = client.post(answer_url(question), data)["Location"]

    assert (
        f'data-posted-token="{data["submission_token"]}"' in client.get(location).content.decode()
    )


def test_answering_needs_the_csrf_token(question, answerer):
    client = client_for(answerer, enforce_csrf_checks=True)

    assert client.post(answer_url(question), answer_data()).status_code == 403
    assert not Answer.objects.exists()


def test_the_answer_address_takes_only_posts(question, answerer):
    assert client_for(answerer).get(answer_url(question)).status_code == 405


def test_answering_an_unknown_or_deleted_question_answers_404(answerer):
    deleted = factories.question(deleted_at=timezone.now())
    client = client_for(answerer)

    assert client.post(answer_url(deleted), answer_data()).status_code == 404
    assert client.post("/questions/999999/answer/", answer_data()).status_code == 404


def test_the_author_of_a_deleted_question_is_told_it_takes_no_answers(author):
    deleted = factories.question(author=author, deleted_at=timezone.now())

    response = client_for(author).post(answer_url(deleted), answer_data())

    assert response.status_code == 403
    assert "This question has been deleted." in response.content.decode()


# The preview button (without JavaScript)


def test_the_preview_button_shows_the_answer_as_it_will_look_and_posts_nothing(question, answerer):
    data = answer_data(body="Short **but** bold", preview="1")

    response = client_for(answerer).post(answer_url(question), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert not Answer.objects.exists()
    assert 'name="preview"' in html
    preview = re.search(r'<section class="compose-preview"[^>]*>(.*?)</section>', html, re.S)
    assert "hidden" not in preview.group(0).split(">")[0]
    assert "<p>Short <strong>but</strong> bold</p>" in preview.group(1)
    assert "Short **but** bold</textarea>" in html
    assert f'value="{data["submission_token"]}"' in html
    assert "invalid-feedback" not in html  # too short to post, but a preview is no attempt


def test_posting_after_a_preview_posts_once_with_the_same_token(question, answerer):
    client = client_for(answerer)
    data = answer_data()
    client.post(answer_url(question), {**data, "preview": "1"})

    client.post(answer_url(question), data)
    client.post(answer_url(question), data)

    assert Answer.objects.get().submission_token == uuid.UUID(data["submission_token"])


# Who may answer


@pytest.fixture
def answering_cast(author):
    return {
        "anonymous": None,
        "author": author,
        "other user": factories.user(reputation=1),
        "privileged user": factories.user(reputation=20000),
        "moderator": factories.moderator(),
        "suspended user": factories.user(
            reputation=20000, suspended_until=timezone.now() + timedelta(days=1)
        ),
    }


OPEN, CLOSED, LOCKED = "open", "closed", "locked"


@pytest.mark.parametrize(
    ("who", "state", "outcome"),
    [
        ("anonymous", OPEN, "log in"),
        ("author", OPEN, "answered"),
        ("other user", OPEN, "answered"),
        ("privileged user", OPEN, "answered"),
        ("moderator", OPEN, "answered"),
        ("suspended user", OPEN, "Your account is suspended until"),
        ("anonymous", CLOSED, "log in"),
        ("author", CLOSED, "This question is closed and takes no new answers."),
        ("other user", CLOSED, "This question is closed and takes no new answers."),
        ("privileged user", CLOSED, "This question is closed and takes no new answers."),
        ("moderator", CLOSED, "This question is closed and takes no new answers."),
        ("author", LOCKED, "This question is locked."),
        ("other user", LOCKED, "This question is locked."),
        ("privileged user", LOCKED, "This question is locked."),
        ("moderator", LOCKED, "answered"),
    ],
)
def test_who_may_answer(answering_cast, author, who, state, outcome):
    question = factories.question(
        author=author,
        closed_at=timezone.now() if state == CLOSED else None,
        locked_at=timezone.now() if state == LOCKED else None,
    )

    response = client_for(answering_cast[who]).post(answer_url(question), answer_data())

    if outcome == "log in":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    elif outcome == "answered":
        assert response.status_code == 302
        assert Answer.objects.filter(parent=question, author=answering_cast[who]).exists()
    else:
        assert response.status_code == 403
        assert outcome in response.content.decode()
        assert not Answer.objects.exists()


# Posting after the session expired


def test_an_answer_posted_after_the_session_expired_waits_through_log_in(
    english_client, question, answerer
):
    body = "Typed slowly while the session expired, but not lost."

    response = english_client.post(answer_url(question), answer_data(body=body))

    assert response["Location"] == (
        f"{reverse('accounts:login')}?next={question.get_absolute_url()}%23your-answer"
    )
    assert not Answer.objects.exists()

    cache.clear()
    logged_in = english_client.post(
        reverse("accounts:login"),
        {
            "username": answerer.username,
            "password": PASSWORD,
            "next": f"{question.get_absolute_url()}#your-answer",
        },
    )
    assert logged_in["Location"] == f"{question.get_absolute_url()}#your-answer"

    html = english_client.get(question.get_absolute_url()).content.decode()
    assert "Your session had expired, so your answer was not posted yet." in html
    assert f"{body}</textarea>" in html
    assert 'class="invalid-feedback"' not in html
    assert body not in english_client.get(question.get_absolute_url()).content.decode()


# Query counts


@pytest.mark.parametrize(
    ("reputation", "comment_forms", "denials"),
    [(1, 0, 51), (50, 51, 0)],
    ids=["new member", "commenter"],
)
def test_for_a_member_the_thread_costs_the_same_queries_for_one_answer_as_for_fifty_with_comments(
    reputation, comment_forms, denials
):
    people = [factories.user(reputation=1) for _ in range(5)]
    reader = factories.user(reputation=reputation)
    small = factories.question(tags=["a"])
    factories.answer(small, author=people[0])
    large = factories.question(tags=["a", "b", "c"])
    for number in range(50):
        answer = factories.answer(large, author=people[number % 5])
        for person in people:
            factories.comment(answer, author=person)
    factories.comment(large, author=people[0])
    client = client_for(reader)

    small_count = thread_queries(client, small)
    large_count = thread_queries(client, large)

    assert small_count == large_count
    html = client.get(large.get_absolute_url()).content.decode()
    assert html.count('class="comment-form"') == comment_forms
    assert html.count("You need 50 reputation to comment on other people&#x27;s posts.") == denials


def test_for_a_member_the_thread_page_query_count_is_pinned(
    thread_with_answers, django_assert_num_queries
):
    client = client_for(factories.user(reputation=100))

    # The session, the user, their unread moderator messages, their inbox count, and the
    # six queries every reader's first view of a thread costs (the last, the hot questions
    # of its tags, is then kept).
    with django_assert_num_queries(10):
        response = client.get(thread_with_answers.question.get_absolute_url())

    assert response.content.decode().count('class="comment-form"') == 5
    assert Post.objects.count() == 5
