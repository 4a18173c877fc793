from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from questions import services
from questions.models import Post, PostRevision, Tag
from tests import factories
from tests.clients import client_for

pytestmark = pytest.mark.django_db

LONG_BODY = "This body is long enough to pass the thirty character minimum."
START = datetime(2020, 1, 1, 12, 0, tzinfo=UTC)


def question_edit(**changes):
    data = {
        "title": "How do I conjugate verbs in Quenya?",
        "body": LONG_BODY,
        "tags": "quenya grammar",
        "summary": "",
    }
    return {**data, **changes}


@pytest.fixture
def quenya_question(author):
    """Says what `question_edit()` sends unless told otherwise."""
    return factories.question(
        title="How do I conjugate verbs in Quenya?",
        body=LONG_BODY,
        tags=["quenya", "grammar"],
        author=author,
        created_at=START,
    )


# Who may edit


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("author", 200),
        ("other user", 403),
        ("privileged editor", 200),
        ("moderator", 200),
    ],
)
def test_edit_page_answers_each_kind_of_user_as_its_permission_says(
    quenya_question, people, who, status
):
    response = client_for(people[who]).get(f"/posts/{quenya_question.pk}/edit/")

    assert response.status_code == status


def test_anonymous_users_are_sent_to_log_in_and_back_to_the_edit_page(quenya_question):
    response = Client().get(f"/posts/{quenya_question.pk}/edit/")

    assert response["Location"] == f"/users/login/?next=/posts/{quenya_question.pk}/edit/"


def test_other_users_are_told_why_they_may_not_edit(quenya_question, people):
    response = client_for(people["other user"]).post(
        f"/posts/{quenya_question.pk}/edit/", question_edit(body=LONG_BODY + "!")
    )

    assert response.status_code == 403
    assert (
        "You need 2000 reputation to edit other people&#x27;s posts." in response.content.decode()
    )
    assert PostRevision.objects.count() == 0


def test_beta_sites_let_users_edit_others_posts_with_less_reputation(quenya_question, settings):
    settings.FORUM_PRIVILEGE_PROFILE = "beta"

    response = client_for(factories.user(reputation=1000)).get(f"/posts/{quenya_question.pk}/edit/")

    assert response.status_code == 200


def test_locked_posts_can_be_edited_only_by_moderators(quenya_question, people):
    Post.objects.filter(pk=quenya_question.pk).update(locked_at=timezone.now())

    refused = client_for(people["author"]).get(f"/posts/{quenya_question.pk}/edit/")
    allowed = client_for(people["moderator"]).get(f"/posts/{quenya_question.pk}/edit/")

    assert refused.status_code == 403
    assert "This post is locked." in refused.content.decode()
    assert allowed.status_code == 200


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 404), ("other user", 404), ("author", 403)]
)
def test_deleted_posts_cannot_be_edited_and_do_not_exist_for_others(
    quenya_question, people, who, status
):
    services.post_delete(post=quenya_question, user=people["author"])

    assert client_for(people[who]).get(f"/posts/{quenya_question.pk}/edit/").status_code == status


def test_unknown_post_answers_404(people):
    assert client_for(people["moderator"]).get("/posts/999999/edit/").status_code == 404


def test_thread_shows_the_edit_link_only_to_those_who_may_edit(quenya_question, people):
    edit_link = f'href="/posts/{quenya_question.pk}/edit/"'

    shown = {
        who: edit_link in client_for(user).get(quenya_question.get_absolute_url()).content.decode()
        for who, user in people.items()
    }

    assert shown == {
        "anonymous": False,
        "author": True,
        "other user": False,
        "privileged editor": True,
        "moderator": True,
    }


# The form


def test_edit_form_is_filled_in_with_the_question_as_it_is(quenya_question, author):
    html = client_for(author).get(f"/posts/{quenya_question.pk}/edit/").content.decode()

    assert 'value="How do I conjugate verbs in Quenya?"' in html
    assert LONG_BODY in html
    assert 'value="grammar quenya"' in html
    assert 'name="summary"' in html
    assert 'data-preview="post"' in html


def test_answer_edit_form_has_only_body_and_summary(quenya_question):
    answer = factories.answer(quenya_question, body=LONG_BODY + " (answer)")

    html = client_for(answer.author).get(f"/posts/{answer.pk}/edit/").content.decode()

    assert LONG_BODY + " (answer)" in html
    assert 'name="title"' not in html
    assert 'name="tags"' not in html
    assert 'name="summary"' in html


def test_preview_shows_the_rendered_body_and_saves_nothing(quenya_question, author):
    response = client_for(author).post(
        f"/posts/{quenya_question.pk}/edit/",
        question_edit(body=LONG_BODY + " Now **bold**.", preview="1"),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Now <strong>bold</strong>." in html
    assert "Now **bold**." in html
    quenya_question.refresh_from_db()
    assert quenya_question.body_markdown == LONG_BODY
    assert PostRevision.objects.count() == 0


def test_invalid_edit_shows_the_error_next_to_the_field_and_keeps_the_text(quenya_question, author):
    response = client_for(author).post(
        f"/posts/{quenya_question.pk}/edit/",
        question_edit(title="Too short", body="My careful new text, kept."),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Title must be at least 15 characters; you entered 9." in html
    assert "Body must be at least 30 characters; you entered 26." in html
    assert "My careful new text, kept." in html
    quenya_question.refresh_from_db()
    assert quenya_question.title == "How do I conjugate verbs in Quenya?"


def test_saving_an_unchanged_post_says_nothing_changed(quenya_question, author):
    response = client_for(author).post(
        f"/posts/{quenya_question.pk}/edit/", question_edit(summary="no-op")
    )

    assert response.status_code == 200
    assert "Nothing was changed" in response.content.decode()
    assert PostRevision.objects.count() == 0


# Saving


def test_edit_saves_the_post_keeps_the_original_and_appends_a_revision(quenya_question, author):
    response = client_for(author).post(
        f"/posts/{quenya_question.pk}/edit/",
        question_edit(
            title="How do I conjugate Quenya verbs correctly?",
            body=LONG_BODY + " More.",
            summary="clarified",
        ),
    )

    quenya_question.refresh_from_db()
    assert response.status_code == 302
    assert (
        response["Location"]
        == f"/questions/{quenya_question.pk}/how-do-i-conjugate-quenya-verbs-correctly/"
    )
    assert quenya_question.title == "How do I conjugate Quenya verbs correctly?"
    assert quenya_question.body_html == f"<p>{LONG_BODY} More.</p>"
    assert quenya_question.last_editor == author
    assert quenya_question.last_editor_name == "Author"
    assert quenya_question.last_edited_at is not None
    revisions = list(
        quenya_question.revisions.order_by("number").values_list(
            "number", "title", "body_markdown", "summary"
        )
    )
    assert revisions == [
        (1, "How do I conjugate verbs in Quenya?", LONG_BODY, ""),
        (2, "How do I conjugate Quenya verbs correctly?", LONG_BODY + " More.", "clarified"),
    ]


def test_saved_edit_is_announced_on_the_thread(quenya_question, author):
    client = client_for(author)

    response = client.post(
        f"/posts/{quenya_question.pk}/edit/", question_edit(body=LONG_BODY + " More."), follow=True
    )

    assert "Your edit was saved." in response.content.decode()


def test_privileged_editors_edit_other_peoples_posts_under_their_own_name(quenya_question, people):
    editor = people["privileged editor"]

    client_for(editor).post(
        f"/posts/{quenya_question.pk}/edit/", question_edit(body=LONG_BODY + " Fixed.")
    )

    quenya_question.refresh_from_db()
    assert quenya_question.last_editor == editor
    assert quenya_question.revisions.get(number=2).author == editor
    assert quenya_question.author.display_name == "Author"


def test_editing_an_answer_returns_to_it_in_its_thread(quenya_question):
    answer = factories.answer(quenya_question, body=LONG_BODY)

    response = client_for(answer.author).post(
        f"/posts/{answer.pk}/edit/", {"body": LONG_BODY + " Edited."}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{quenya_question.get_absolute_url()}#answer-{answer.pk}"
    answer.refresh_from_db()
    assert answer.body_markdown == LONG_BODY + " Edited."


def test_thread_says_when_and_by_whom_a_post_was_edited_and_links_the_history(
    quenya_question, people
):
    client_for(people["moderator"]).post(
        f"/posts/{quenya_question.pk}/edit/", question_edit(body=LONG_BODY + " Fixed.")
    )
    moderator_name = people["moderator"].name

    html = client_for(None).get(quenya_question.get_absolute_url()).content.decode()

    assert f'<a href="/posts/{quenya_question.pk}/revisions/">edited <time' in html
    assert f"by {moderator_name}" in html


def test_editing_a_question_moves_it_to_the_top_of_the_active_tab(quenya_question, author):
    factories.question(
        title="Recently active thread", last_activity_at=timezone.now() - timedelta(minutes=1)
    )

    client_for(author).post(
        f"/posts/{quenya_question.pk}/edit/", question_edit(body=LONG_BODY + " Now.")
    )

    html = client_for(None).get("/?tab=active").content.decode()
    assert html.index("How do I conjugate verbs in Quenya?") < html.index("Recently active thread")


def test_editing_an_answer_moves_its_question_to_the_top_of_the_active_tab(quenya_question):
    answer = factories.answer(quenya_question, created_at=START, body=LONG_BODY)
    factories.question(
        title="Recently active thread", last_activity_at=timezone.now() - timedelta(minutes=1)
    )

    client_for(answer.author).post(f"/posts/{answer.pk}/edit/", {"body": LONG_BODY + " Now."})

    html = client_for(None).get("/?tab=active").content.decode()
    assert html.index("How do I conjugate verbs in Quenya?") < html.index("Recently active thread")


# Tags


def test_tag_changes_keep_the_tag_counts_right(quenya_question, author):
    factories.tag("sindarin")

    client_for(author).post(
        f"/posts/{quenya_question.pk}/edit/", question_edit(tags="quenya sindarin")
    )

    counts = dict(Tag.objects.values_list("name", "question_count"))
    assert counts == {"quenya": 1, "grammar": 0, "sindarin": 1}
    assert quenya_question.revisions.get(number=2).tags == "quenya sindarin"


def test_new_tags_need_the_create_tags_privilege(quenya_question):
    newcomer = factories.user(reputation=10)
    own = factories.question(author=newcomer, body=LONG_BODY, tags=["grammar"])

    response = client_for(newcomer).post(
        f"/posts/{own.pk}/edit/", question_edit(title=own.title, tags="grammar brand-new-tag")
    )

    assert response.status_code == 200
    assert (
        "You need 300 reputation to create new tags. (brand-new-tag)" in response.content.decode()
    )
    assert not Tag.objects.filter(name="brand-new-tag").exists()


def test_users_with_the_privilege_create_new_tags_by_editing(quenya_question, author):
    factories.reputation(author, amount=300)

    client_for(author).post(
        f"/posts/{quenya_question.pk}/edit/", question_edit(tags="quenya neologisms")
    )

    assert Tag.objects.get(name="neologisms").question_count == 1
    assert Tag.objects.get(name="grammar").question_count == 0


def test_editing_a_deleted_question_leaves_the_tag_counts_alone(quenya_question, people):
    client_for(people["moderator"]).post(f"/posts/{quenya_question.pk}/delete/")

    client_for(people["moderator"]).post(
        f"/posts/{quenya_question.pk}/edit/", question_edit(tags="quenya phonology")
    )

    counts = dict(Tag.objects.values_list("name", "question_count"))
    assert counts == {"quenya": 0, "grammar": 0, "phonology": 0}
    client_for(people["moderator"]).post(f"/posts/{quenya_question.pk}/undelete/")
    counts = dict(Tag.objects.values_list("name", "question_count"))
    assert counts == {"quenya": 1, "grammar": 0, "phonology": 1}


def test_the_edit_form_carries_a_csrf_token(quenya_question, author):
    client = Client(enforce_csrf_checks=True, headers={"accept-language": "en"})
    client.force_login(author)

    refused = client.post(
        f"/posts/{quenya_question.pk}/edit/", question_edit(body=LONG_BODY + " x")
    )
    html = client.get(f"/posts/{quenya_question.pk}/edit/").content.decode()

    assert refused.status_code == 403
    assert 'name="csrfmiddlewaretoken"' in html
