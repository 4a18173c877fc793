import pytest
from django.test import Client
from django.utils import timezone

from moderation.models import ModeratorAction
from questions import services
from questions.models import Post, Tag
from tests import factories
from tests.clients import client_for, thread_queries

pytestmark = pytest.mark.django_db


def deleted(post, by):
    services.post_delete(post=post, user=by)
    post.refresh_from_db()
    return post


# Who may delete and undelete


@pytest.mark.parametrize(
    ("who", "status", "is_deleted"),
    [
        ("anonymous", 302, False),
        ("author", 302, True),
        ("other user", 403, False),
        ("privileged editor", 403, False),
        ("moderator", 302, True),
    ],
)
def test_delete_answers_each_kind_of_user_as_its_permission_says(
    question, people, who, status, is_deleted
):
    response = client_for(people[who]).post(f"/posts/{question.pk}/delete/")

    assert response.status_code == status
    question.refresh_from_db()
    assert (question.deleted_at is not None) == is_deleted


def test_anonymous_delete_is_sent_to_log_in_and_back_to_the_thread(question):
    response = Client().post(f"/posts/{question.pk}/delete/")

    assert response["Location"] == f"/users/login/?next={question.get_absolute_url()}"


def test_others_are_told_why_they_may_not_delete(question, people):
    response = client_for(people["other user"]).post(f"/posts/{question.pk}/delete/")

    assert "Only the author or a moderator can delete this post." in response.content.decode()


@pytest.mark.parametrize("action", ["delete", "undelete"])
def test_deleting_and_undeleting_are_post_only_actions(question, author, action):
    assert client_for(author).get(f"/posts/{question.pk}/{action}/").status_code == 405


def test_delete_form_needs_its_csrf_token(question, author):
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)

    assert client.post(f"/posts/{question.pk}/delete/").status_code == 403
    assert Post.objects.get(pk=question.pk).deleted_at is None


def test_authors_cannot_delete_a_question_with_upvoted_answers(question, author, people):
    factories.answer(question, score=1)

    refused = client_for(author).post(f"/posts/{question.pk}/delete/")
    allowed = client_for(people["moderator"]).post(f"/posts/{question.pk}/delete/")

    assert refused.status_code == 403
    assert "You cannot delete a question that has upvoted answers." in refused.content.decode()
    assert allowed.status_code == 302


def test_answers_without_upvotes_do_not_stop_the_author_deleting_the_question(question, author):
    factories.answer(question, score=0)
    factories.answer(question, score=5, deleted_at=timezone.now())

    assert client_for(author).post(f"/posts/{question.pk}/delete/").status_code == 302


def test_authors_delete_their_own_answers(question):
    answer = factories.answer(question, score=3)

    response = client_for(answer.author).post(f"/posts/{answer.pk}/delete/")

    assert response["Location"] == f"{question.get_absolute_url()}#answer-{answer.pk}"
    answer.refresh_from_db()
    assert answer.deleted_by == answer.author


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 404),
        ("author", 302),
        ("other user", 404),
        ("privileged editor", 404),
        ("moderator", 302),
    ],
)
def test_undelete_of_a_post_its_author_deleted_answers_as_permissions_say(
    question, people, who, status
):
    deleted(question, by=people["author"])

    response = client_for(people[who]).post(f"/posts/{question.pk}/undelete/")

    assert response.status_code == status
    question.refresh_from_db()
    assert (question.deleted_at is None) == (status == 302)


def test_authors_cannot_undelete_what_a_moderator_deleted(question, people):
    deleted(question, by=people["moderator"])

    response = client_for(people["author"]).post(f"/posts/{question.pk}/undelete/")

    assert response.status_code == 403
    assert "Only a moderator can undelete this post." in response.content.decode()


def test_deleting_an_already_deleted_post_is_refused(question, people):
    deleted(question, by=people["author"])

    assert client_for(people["moderator"]).post(f"/posts/{question.pk}/delete/").status_code == 403


# Counters


def test_deleting_and_undeleting_a_question_moves_its_tags_counts(author):
    question = factories.question(tags=["syntax", "grammar"], author=author)
    client = client_for(author)

    client.post(f"/posts/{question.pk}/delete/")
    after_delete = dict(Tag.objects.values_list("name", "question_count"))
    client.post(f"/posts/{question.pk}/undelete/")
    after_undelete = dict(Tag.objects.values_list("name", "question_count"))

    assert after_delete == {"syntax": 0, "grammar": 0}
    assert after_undelete == {"syntax": 1, "grammar": 1}


def test_deleting_and_undeleting_an_answer_moves_its_questions_answer_count(question):
    answer = factories.answer(question)
    factories.answer(question)
    client = client_for(answer.author)

    client.post(f"/posts/{answer.pk}/delete/")
    question.refresh_from_db()
    after_delete = question.answer_count
    client.post(f"/posts/{answer.pk}/undelete/")
    question.refresh_from_db()

    assert after_delete == 1
    assert question.answer_count == 2


# Seeing deleted posts


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 404),
        ("author", 200),
        ("other user", 404),
        ("privileged editor", 404),
        ("moderator", 200),
    ],
)
def test_deleted_question_exists_only_for_its_author_and_the_moderators(
    question, people, who, status
):
    deleted(question, by=people["author"])

    assert client_for(people[who]).get(question.get_absolute_url()).status_code == status


def test_author_sees_the_deleted_question_marked_with_who_deleted_it_and_an_undelete_button(
    question, author
):
    deleted(question, by=author)

    html = client_for(author).get(question.get_absolute_url()).content.decode()

    assert "post-deleted" in html
    assert "This post was deleted" in html
    assert "by Author." in html
    assert f'action="/posts/{question.pk}/undelete/"' in html
    assert f'action="/posts/{question.pk}/delete/"' not in html


def test_author_gets_no_undelete_button_for_what_a_moderator_deleted(question, people):
    deleted(question, by=people["moderator"])

    html = client_for(people["author"]).get(question.get_absolute_url()).content.decode()

    assert f"by {people['moderator'].name}." in html
    assert "/undelete/" not in html


def test_deleted_answers_show_marked_to_their_author_and_moderators_and_not_to_others(
    question, people
):
    answer = factories.answer(question, body="This answer was deleted by its author.")
    deleted(answer, by=answer.author)
    viewers = {**people, "answer author": answer.author}

    pages = {
        who: client_for(user).get(question.get_absolute_url()) for who, user in viewers.items()
    }

    shown = {
        who: "This answer was deleted by its author." in page.content.decode()
        for who, page in pages.items()
    }

    assert shown == {
        "anonymous": False,
        "author": False,
        "other user": False,
        "privileged editor": False,
        "moderator": True,
        "answer author": True,
    }


def test_deleted_answers_are_not_counted_in_the_heading_for_others(question, people):
    factories.answer(question)
    deleted(factories.answer(question), by=people["moderator"])

    assert "1 answer<" in client_for(None).get(question.get_absolute_url()).content.decode()
    assert (
        "2 answers<"
        in client_for(people["moderator"]).get(question.get_absolute_url()).content.decode()
    )


def test_question_list_never_shows_deleted_questions_even_to_their_author(author):
    question = factories.question(
        title="A question about deletion", tags=["syntax", "grammar"], author=author
    )
    deleted(question, by=author)

    assert "A question about deletion" not in client_for(author).get("/").content.decode()
    assert (
        "A question about deletion"
        not in client_for(author).get("/questions/tagged/syntax/").content.decode()
    )


def test_delete_buttons_show_only_to_those_who_may_delete(question, people):
    delete_form = f'action="/posts/{question.pk}/delete/"'

    shown = {
        who: delete_form in client_for(user).get(question.get_absolute_url()).content.decode()
        for who, user in people.items()
    }

    # Moderators delete from their own menu instead, with a reason for the audit log.
    assert shown == {
        "anonymous": False,
        "author": True,
        "other user": False,
        "privileged editor": False,
        "moderator": False,
    }


def test_author_sees_no_delete_button_on_a_question_with_upvoted_answers(question, author):
    factories.answer(question, score=2)

    html = client_for(author).get(question.get_absolute_url()).content.decode()

    assert f'action="/posts/{question.pk}/delete/"' not in html


def test_deleting_a_question_returns_its_author_to_the_marked_thread(question, author):
    response = client_for(author).post(f"/posts/{question.pk}/delete/", follow=True)

    html = response.content.decode()
    assert response.status_code == 200
    assert "The post was deleted. You can still undelete it." in html
    assert "This post was deleted" in html


# Query counts


@pytest.mark.parametrize("viewer", ["moderator", "question author"])
def test_thread_costs_the_same_queries_for_one_answer_as_for_fifty_for_signed_in_users(viewer):
    people = [factories.user() for _ in range(5)]
    asker = factories.user()
    small = factories.question(tags=["a"], author=asker)
    factories.answer(small, author=people[0])
    # Deleted answers in both: their reasons for deletion cost one query, for any number.
    factories.answer(small, author=people[1], deleted_at=timezone.now())
    large = factories.question(tags=["a", "b", "c"], author=asker)
    for n in range(50):
        answer = factories.answer(
            large, author=people[n % 5], deleted_at=timezone.now() if n % 10 == 0 else None
        )
        for m in range(5):
            factories.comment(answer, author=people[m])
    client = client_for(factories.moderator() if viewer == "moderator" else asker)

    assert thread_queries(client, small) == thread_queries(client, large)


@pytest.mark.parametrize(
    "who, status",
    [
        ("anonymous", 404),
        ("other user", 404),
        ("privileged editor", 404),
        ("author", 301),
        ("moderator", 301),
    ],
)
def test_permalinks_of_a_deleted_answer_lead_only_its_author_and_moderators_to_it(
    question, people, who, status
):
    answer = deleted(factories.answer(question, author=people["author"]), by=people["author"])

    response = client_for(people[who]).get(f"/a/{answer.pk}")

    assert response.status_code == status
    if status == 301:
        assert response["Location"].endswith(f"#answer-{answer.pk}")


@pytest.mark.parametrize("who, status", [("other user", 404), ("author", 301), ("moderator", 301)])
def test_permalinks_of_a_deleted_question_lead_only_its_author_and_moderators_to_it(
    question, people, who, status
):
    deleted(question, by=people["author"])

    assert client_for(people[who]).get(f"/q/{question.pk}").status_code == status


def test_a_moderator_deleting_and_undeleting_someone_elses_post_is_in_the_audit_log(
    question, people
):
    moderator = client_for(people["moderator"])
    moderator.post(f"/posts/{question.pk}/delete/")
    moderator.post(f"/posts/{question.pk}/undelete/")

    verbs = list(ModeratorAction.objects.order_by("id").values_list("verb", "actor"))
    assert verbs == [
        ("post_deleted", people["moderator"].pk),
        ("post_undeleted", people["moderator"].pk),
    ]


def test_authors_deleting_their_own_posts_leave_no_audit_row(question, author):
    client_for(author).post(f"/posts/{question.pk}/delete/")

    assert not ModeratorAction.objects.exists()
