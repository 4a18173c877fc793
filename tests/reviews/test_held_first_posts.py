"""FORUM_HOLD_FIRST_POSTS: a member's first question and first answer wait in the first
posts' queue, seen by their author (with a notice), the reviewers and the moderators, and
by nobody else, nowhere, until a reviewer lets them through."""

import uuid

import pytest
from django.urls import reverse

from notifications.models import EmailSettings, Notification
from questions import services as question_services
from questions.models import Post, PostRevision, Tag
from reviews.models import ReviewTask, SuggestedEdit
from tests import factories
from tests.clients import client_for
from tests.reviews.helpers import review, task_of

pytestmark = pytest.mark.django_db

Queue = ReviewTask.Queue
TITLE = "How do I keep a small community friendly?"
BODY = "It grows quickly and the newcomers ask the same things again and again."
ANSWER = "Write the rules down early, and enforce them the same way for everyone."
WAITING = "Waiting for review"


@pytest.fixture
def hold(settings):
    settings.FORUM_HOLD_FIRST_POSTS = True


@pytest.fixture
def newcomer(db):
    """Below the privilege of creating tags: asks in an existing one."""
    factories.tag("community")
    return factories.user(display_name="Newcomer")


def ask(user, title=TITLE, tags="community"):
    response = client_for(user).post(
        reverse("questions:ask"),
        {"title": title, "body": BODY, "tags": tags, "submission_token": str(uuid.uuid4())},
    )
    assert response.status_code == 302, response.content
    return Post.objects.filter(author=user, post_type=Post.PostType.QUESTION).latest("id")


def answer(user, question, body=ANSWER):
    response = client_for(user).post(
        reverse("questions:answer", args=[question.pk]),
        {"body": body, "submission_token": str(uuid.uuid4())},
    )
    assert response.status_code == 302, response.content
    return Post.objects.filter(author=user, post_type=Post.PostType.ANSWER).latest("id")


def seen_everywhere_by(client, question):
    """Which of the public surfaces show `question` to `client`."""
    title = question.title
    pages = {
        "list": reverse("questions:list"),
        "newest": reverse("questions:list") + "?tab=newest",
        "tag": reverse("questions:tagged", args=["community"]),
        "search": reverse("questions:search") + "?q=friendly",
        "feed": reverse("questions:feed_questions"),
        "sitemap": "/sitemap-questions.xml",
    }
    seen = {name for name, url in pages.items() if title in client.get(url).content.decode()}
    api = client.get("/api/v1/questions/").json()["items"]
    if any(item["id"] == question.pk for item in api):
        seen.add("api")
    se_items = client.get("/api/2.3/questions").json().get("items", [])
    if any(item["question_id"] == question.pk for item in se_items):
        seen.add("seapi")
    return seen


def test_a_held_first_question_is_seen_only_by_its_author_with_a_notice(hold, newcomer):
    factories.question(title="An older question", tags=["community"])
    question = ask(newcomer)

    assert question.held_at and question.deleted_at
    assert task_of(question, Queue.FIRST_QUESTIONS).status == ReviewTask.Status.OPEN
    url = question.get_absolute_url()
    assert client_for(None).get(url).status_code == 404
    assert client_for(factories.user(reputation=20000)).get(url).status_code == 404
    own = client_for(newcomer).get(url).content.decode()
    assert WAITING in own
    assert "This post was deleted" not in own
    assert seen_everywhere_by(client_for(None), question) == set()
    assert client_for(None).get(f"/api/v1/questions/{question.pk}/").status_code == 404
    assert Tag.objects.get(name="community").question_count == 1
    newcomer.refresh_from_db()
    assert newcomer.question_count == 0


def test_looks_ok_in_the_first_questions_releases_it_and_tells_the_tags_watchers(
    hold, newcomer, first_posts_reviewer
):
    watcher = factories.user(display_name="Watcher")
    EmailSettings.objects.update_or_create(user=watcher, defaults={"inbox_watched_tags": True})
    client_for(watcher).post(
        reverse("questions:tag_preference_set", args=["community"]), {"kind": "watched"}
    )
    question = ask(newcomer)
    assert not Notification.objects.filter(recipient=watcher).exists()

    queue = client_for(first_posts_reviewer).get(reverse("reviews:queue", args=["first-questions"]))
    assert TITLE in queue.content.decode()
    assert "waiting for review" in queue.content.decode()
    review(first_posts_reviewer, task_of(question, Queue.FIRST_QUESTIONS), "looks_ok")

    question.refresh_from_db()
    assert question.held_at is None and question.deleted_at is None
    assert client_for(None).get(question.get_absolute_url()).status_code == 200
    assert WAITING not in client_for(newcomer).get(question.get_absolute_url()).content.decode()
    assert seen_everywhere_by(client_for(None), question) >= {"list", "tag", "feed", "api"}
    assert Notification.objects.filter(
        recipient=watcher, kind=Notification.Kind.WATCHED_TAG
    ).exists()
    assert Tag.objects.get(name="community").question_count == 1
    newcomer.refresh_from_db()
    assert newcomer.question_count == 1
    # Released, it does not enter the first questions a second time.
    assert ReviewTask.objects.filter(post=question, queue=Queue.FIRST_QUESTIONS).count() == 1


def test_a_held_first_answer_counts_nowhere_and_tells_the_asker_only_once_released(
    hold, newcomer, first_posts_reviewer
):
    asker = factories.user(display_name="Asker")
    question = factories.question(author=asker, title="How do I welcome newcomers?")
    reply = answer(newcomer, question)

    question.refresh_from_db()
    assert reply.held_at and question.answer_count == 0
    thread = client_for(None).get(question.get_absolute_url()).content.decode()
    assert ANSWER not in thread
    assert ANSWER in client_for(newcomer).get(question.get_absolute_url()).content.decode()
    assert not Notification.objects.filter(recipient=asker).exists()

    review(first_posts_reviewer, task_of(reply, Queue.FIRST_ANSWERS), "looks_ok")

    question.refresh_from_db()
    assert question.answer_count == 1
    assert ANSWER in client_for(None).get(question.get_absolute_url()).content.decode()
    assert Notification.objects.filter(recipient=asker, kind=Notification.Kind.ANSWER).exists()


def test_feedback_releases_and_a_flag_keeps_it_held_for_the_moderators(
    hold, newcomer, first_posts_reviewer
):
    commented = ask(newcomer)
    flagged = ask(factories.user(), title="Buy cheap watches at my shop today")
    # (Past the interval between a newcomer's questions.)
    second = question_services.question_create(
        author=newcomer, title="How do I write good house rules?", body=BODY, tags=["community"]
    )
    assert second.held_at is None  # their second question is not held

    review(
        first_posts_reviewer,
        task_of(commented, Queue.FIRST_QUESTIONS),
        "feedback",
        body="Welcome! Perhaps say how large the community is.",
    )
    review(
        first_posts_reviewer,
        task_of(flagged, Queue.FIRST_QUESTIONS),
        "flag",
        reason="spam",
    )

    commented.refresh_from_db()
    flagged.refresh_from_db()
    assert commented.held_at is None and commented.deleted_at is None
    assert flagged.held_at is not None
    assert client_for(None).get(flagged.get_absolute_url()).status_code == 404


def test_an_edit_or_a_suggested_edit_from_the_queue_releases_it(
    hold, newcomer, first_posts_reviewer, reviewer
):
    suggested = ask(newcomer)
    edited = ask(factories.user(), title="How do I welcome new members well?")

    for who, question in ((first_posts_reviewer, suggested), (reviewer, edited)):
        task = task_of(question, Queue.FIRST_QUESTIONS)
        response = client_for(who).post(
            reverse("reviews:task_edit", args=[task.pk]),
            {
                "title": question.title,
                "tags": "community",
                "body": BODY + " It has 200 members.",
                "summary": "",
                "base_revision": 1,
            },
        )
        assert response.status_code == 302

    assert SuggestedEdit.objects.get(post=suggested).suggester == first_posts_reviewer
    assert PostRevision.objects.get(post=edited, number=2).author == reviewer
    for question in (suggested, edited):
        question.refresh_from_db()
        assert task_of(question, Queue.FIRST_QUESTIONS).outcome == ReviewTask.Outcome.EDITED
        assert question.held_at is None and question.deleted_at is None


def test_a_moderator_approves_or_deletes_a_held_post_from_the_thread(hold, newcomer, moderator):
    approved = ask(newcomer)
    deleted = ask(factories.user(), title="Cheap watches, cheap watches")
    client = client_for(moderator)
    page = client.get(approved.get_absolute_url()).content.decode()
    assert "Approve" in page

    for post, action in ((approved, "undelete"), (deleted, "delete")):
        client.post(
            reverse("moderation:moderate", kwargs={"pk": post.pk, "action": action}),
            {"reason": "first post reviewed"},
        )

    approved.refresh_from_db()
    deleted.refresh_from_db()
    assert approved.held_at is None and approved.deleted_at is None
    assert deleted.held_at is None and deleted.deleted_at is not None
    assert task_of(deleted, Queue.FIRST_QUESTIONS).status == ReviewTask.Status.INVALIDATED
    assert client_for(None).get(approved.get_absolute_url()).status_code == 200


def test_the_author_cannot_undelete_their_held_post(hold, newcomer):
    question = ask(newcomer)

    client_for(newcomer).post(reverse("moderation:undelete", args=[question.pk]))

    question.refresh_from_db()
    assert question.held_at is not None


def test_without_the_setting_a_first_post_is_public_at_once(newcomer):
    question = ask(newcomer)

    assert question.held_at is None and question.deleted_at is None
    assert client_for(None).get(question.get_absolute_url()).status_code == 200
    assert WAITING not in client_for(newcomer).get(question.get_absolute_url()).content.decode()
    assert task_of(question, Queue.FIRST_QUESTIONS).status == ReviewTask.Status.OPEN
