"""The inbox: who hears of what, the entries' links, reading and unreading, the count in
the navigation, following, and entries of posts that disappear."""

import uuid

import pytest

from notifications.models import Follow, Notification
from tests import factories
from tests.clients import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def asker(db):
    return factories.user(display_name="Asker", username="asker")


@pytest.fixture
def answerer(db):
    return factories.user(display_name="Answer Person", username="answerperson", reputation=100)


@pytest.fixture
def thread(asker):
    return factories.question(author=asker, title="How do I form the past tense", tags=["grammar"])


def post_answer(client, question, body="Add -në to the stem, as in carnë."):
    return client.post(
        f"/questions/{question.pk}/answer/",
        {"body": body, "submission_token": str(uuid.uuid4())},
    )


def post_comment(client, post, body):
    return client.post(
        f"/posts/{post.pk}/comments/", {"body": body, "submission_token": str(uuid.uuid4())}
    )


def entries(user):
    return list(Notification.objects.filter(recipient=user).order_by("id"))


def test_an_answer_reaches_the_asker_with_a_link_to_it(thread, asker, answerer):
    assert post_answer(client_for(answerer), thread).status_code == 302
    (entry,) = entries(asker)
    assert entry.kind == "answer"
    assert entry.actor == answerer

    page = client_for(asker).get("/inbox/").content.decode()
    answer = thread.answers.get()
    assert f'href="{thread.get_absolute_url()}#answer-{answer.pk}"' in page
    assert "Answer Person answered" in page
    assert "How do I form the past tense" in page


def test_the_answerer_follows_the_question_and_hears_of_later_answers(thread, answerer):
    post_answer(client_for(answerer), thread)
    assert Follow.objects.filter(user=answerer, post=thread).exists()
    other = factories.user(reputation=100)
    post_answer(client_for(other), thread, body="Or use the auxiliary, which reads better.")
    assert [entry.kind for entry in entries(answerer)] == ["answer"]


def test_nobody_is_told_of_their_own_doing(thread, asker):
    post_answer(client_for(asker), thread, body="I found it myself: the suffix -në.")
    assert entries(asker) == []


def test_a_comment_reaches_the_post_author_and_a_mention_the_person_mentioned(
    thread, asker, answerer
):
    post_answer(client_for(answerer), thread)
    answer = thread.answers.get()
    post_comment(client_for(asker), answer, "Thanks! Does it work for irregular verbs?")
    assert [entry.kind for entry in entries(answerer)] == ["comment"]
    # A comment that mentions the answerer on the question, where they took part by answering?
    # No: on the answer, where they are the author, the mention wins over the comment.
    post_comment(client_for(asker), answer, "@answerperson and for the future tense?")
    kinds = [entry.kind for entry in entries(answerer)]
    assert kinds == ["comment", "mention"]
    mention = entries(answerer)[-1]
    page = client_for(answerer).get("/inbox/").content.decode()
    assert f"#comment-{mention.comment_id}" in page
    assert "Asker mentioned you in a comment" in page


def test_a_mention_of_someone_who_did_not_take_part_notifies_nobody(thread, asker):
    stranger = factories.user(display_name="Stranger", username="stranger")
    commenter = factories.user(reputation=100)
    post_comment(client_for(commenter), thread, "@stranger you might know this one")
    assert entries(stranger) == []
    assert [entry.kind for entry in entries(asker)] == ["comment"]


def test_an_edit_by_someone_else_reaches_the_author(thread, asker):
    editor = factories.user(reputation=5000)
    response = client_for(editor).post(
        f"/posts/{thread.pk}/edit/",
        {
            "title": thread.title,
            "body": thread.body_markdown + "\n\nEdited for clarity.",
            "tags": "grammar",
            "summary": "clarity",
        },
    )
    assert response.status_code == 302
    assert [entry.kind for entry in entries(asker)] == ["edit"]


def test_opening_the_inbox_marks_its_entries_read_and_one_can_be_unread(
    thread, asker, answerer, django_assert_max_num_queries
):
    post_answer(client_for(answerer), thread)
    client = client_for(asker)
    first = client.get("/inbox/").content.decode()
    assert "inbox-entry-unread" in first
    (entry,) = entries(asker)
    assert entry.read_at is not None
    assert "inbox-entry-unread" not in client.get("/inbox/").content.decode()

    assert client.post(f"/inbox/{entry.pk}/unread/").status_code == 302
    entry.refresh_from_db()
    assert entry.read_at is None
    # The inbox it leads back to shows it unread and leaves it so, and the bell counts it;
    # opening the inbox once more reads it.
    back = client.get("/inbox/").content.decode()
    assert "inbox-entry-unread" in back
    entry.refresh_from_db()
    assert entry.read_at is None
    assert client.get("/inbox/unread/").json() == {"unread": 1}
    client.get("/inbox/")
    entry.refresh_from_db()
    assert entry.read_at is not None
    client.post(f"/inbox/{entry.pk}/unread/")
    # Someone else's entry cannot be touched.
    assert client_for(answerer).post(f"/inbox/{entry.pk}/unread/").status_code == 404
    # GET changes nothing.
    assert client.get(f"/inbox/{entry.pk}/unread/").status_code == 405


def test_the_navigation_shows_the_unread_count_and_costs_no_query_from_the_cache(
    thread, asker, answerer, django_assert_num_queries
):
    post_answer(client_for(answerer), thread)
    client = client_for(asker)
    page = client.get("/tags/").content.decode()
    assert '<span class="inbox-count" data-unread-count>1' in page
    assert client.get("/inbox/unread/").json() == {"unread": 1}
    # The count is cached now: the JSON endpoint asks the database only for the session.
    with django_assert_num_queries(2):  # session, user
        assert client.get("/inbox/unread/").json() == {"unread": 1}
    client.get("/inbox/")
    assert client.get("/inbox/unread/").json() == {"unread": 0}


def test_the_unread_count_is_one_query_when_not_cached(thread, asker, answerer):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    post_answer(client_for(answerer), thread)
    client = client_for(asker)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/inbox/unread/").json() == {"unread": 1}
    assert sum("notifications_notification" in q["sql"] for q in queries.captured_queries) == 1


def test_the_inbox_is_paged_by_keyset_and_flat_in_queries(
    asker, settings, django_assert_max_num_queries
):
    settings.FORUM_INBOX_PAGE_SIZE = 5
    actor = factories.user()
    for number in range(12):
        question = factories.question(author=asker, title=f"Question {number}")
        Notification.objects.create(
            recipient=asker,
            kind="answer",
            key=f"answer:{number}",
            actor=actor,
            question=question,
            post=question,
            created_at=question.created_at,
        )
    client = client_for(asker)
    with django_assert_max_num_queries(8):
        first = client.get("/inbox/")
    assert first.context["older"] is not None
    titles = [entry.question.title for entry in first.context["entries"]]
    assert titles == [f"Question {n}" for n in range(11, 6, -1)]
    with django_assert_max_num_queries(8):
        second = client.get(f"/inbox/?before={first.context['older']}")
    assert [e.question.title for e in second.context["entries"]][0] == "Question 6"
    assert client.get("/inbox/?before=nonsense").status_code == 200


def test_entries_of_a_deleted_post_leave_the_inbox(thread, asker, answerer, moderator):
    post_answer(client_for(answerer), thread)
    answer = thread.answers.get()
    client = client_for(asker)
    assert client.get("/inbox/unread/").json() == {"unread": 1}
    client_for(moderator).post(f"/posts/{answer.pk}/delete/", {"reason": "Not an answer."})
    answer.refresh_from_db()
    assert answer.deleted_at is not None
    assert client.get("/inbox/unread/").json() == {"unread": 0}
    assert "answered" not in client.get("/inbox/").content.decode()


def test_follow_and_unfollow_a_post(thread, asker):
    follower = factories.user()
    client = client_for(follower)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert 'aria-pressed="false"' in page
    assert client.get(f"/posts/{thread.pk}/follow/").status_code == 405
    assert client.post(f"/posts/{thread.pk}/follow/", {"follow": "1"}).status_code == 302
    assert 'aria-pressed="true"' in client.get(thread.get_absolute_url()).content.decode()

    answerer = factories.user(reputation=100)
    post_answer(client_for(answerer), thread)
    assert [entry.kind for entry in entries(follower)] == ["answer"]

    client.post(f"/posts/{thread.pk}/follow/", {"follow": "0"})
    assert not Follow.objects.filter(user=follower, post=thread).exists()
    # Visitors are sent to log in; nothing changes.
    anonymous = client_for(None).post(f"/posts/{thread.pk}/follow/", {"follow": "1"})
    assert anonymous.status_code == 302 and "/users/login/" in anonymous["Location"]


def test_the_inbox_speaks_german(thread, asker, answerer):
    post_answer(client_for(answerer), thread)
    from django.test import Client

    client = Client(headers={"accept-language": "de"})
    client.force_login(asker)
    page = client.get("/inbox/").content.decode()
    assert "Posteingang" in page


def test_visitors_are_sent_to_log_in():
    response = client_for(None).get("/inbox/")
    assert response.status_code == 302 and "/users/login/" in response["Location"]


def test_a_new_question_reaches_the_watchers_of_its_tags_who_want_it_in_their_inbox(asker):
    from notifications.models import EmailSettings
    from questions.models import TagPreference

    grammar = factories.tag("grammar")
    keen, quiet = factories.user(), factories.user()
    for watcher in (keen, quiet):
        TagPreference.objects.create(
            user=watcher, tag=grammar, kind="watched", created_at=grammar.created_at
        )
    EmailSettings.objects.create(user=keen, inbox_watched_tags=True)
    response = client_for(asker).post(
        "/questions/ask/",
        {
            "title": "Which cases does the genitive take here",
            "body": "The grammar says two different things about the genitive case.",
            "tags": "grammar",
            "submission_token": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    (entry,) = entries(keen)
    assert entry.kind == "watched_tag"
    assert entries(quiet) == []
    assert "asked in a tag you watch" in client_for(keen).get("/inbox/").content.decode()
    # The asker follows their question.
    assert Follow.objects.filter(user=asker, post=entry.question).exists()
