"""The review queues: what enters each, what a reviewer sees and may do, how a task
completes, the daily limit, and the privileges checked again when a review arrives."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from moderation import services as moderation_services
from moderation.models import Flag
from questions import services as question_services
from questions.models import Comment, Post, PostRevision, ReputationEvent
from reviews.models import Review, ReviewBan, ReviewTask, SuggestedEdit
from tests import factories
from tests.clients import client_for
from tests.reviews.helpers import review, task_of

pytestmark = pytest.mark.django_db

Queue = ReviewTask.Queue
QUESTION_BODY = "How do I keep a small community friendly while it grows quickly?"
ANSWER_BODY = "Write the rules down early, and enforce them the same way for everyone."


def ask(author, title="How to keep a community friendly?", tags=("community",)):
    return question_services.question_create(
        author=author, title=title, body=QUESTION_BODY, tags=list(tags)
    )


def answer(author, question, body=ANSWER_BODY):
    return question_services.answer_create(author=author, question=question, body=body)


def queue_url(queue):
    return reverse("reviews:queue", args=[queue.replace("_", "-")])


def old_question(**kwargs):
    return factories.question(created_at=timezone.now() - timedelta(days=31), **kwargs)


@pytest.fixture
def close_voters(db):
    return [factories.user(reputation=3000) for _ in range(3)]


# What enters the queues


def test_a_members_first_question_enters_the_first_questions_and_their_second_does_not(member):
    first = ask(member)
    second = ask(member, title="How to welcome new members well?")

    assert task_of(first, Queue.FIRST_QUESTIONS).status == ReviewTask.Status.OPEN
    assert task_of(second, Queue.FIRST_QUESTIONS) is None


def test_first_answers_late_answers_and_very_short_answers_enter_their_queues(member):
    question = old_question()

    first = answer(member, question)
    late = answer(member, question, body=ANSWER_BODY + " Then review them yearly.")
    short = answer(factories.user(), factories.question(), body="Just ask them politely, really.")
    established = answer(factories.user(reputation=10), question)

    assert task_of(first, Queue.FIRST_ANSWERS) and not task_of(first, Queue.LATE_ANSWERS)
    assert task_of(late, Queue.LATE_ANSWERS) and not task_of(late, Queue.FIRST_ANSWERS)
    assert task_of(short, Queue.LOW_QUALITY).note == "short"
    assert not task_of(first, Queue.LOW_QUALITY)
    assert not task_of(established, Queue.LATE_ANSWERS)


def test_a_second_answer_to_a_recent_question_is_not_late(member):
    question = factories.question()
    answer(member, question)

    later = answer(member, question, body=ANSWER_BODY + " Then review them yearly.")

    assert not ReviewTask.objects.filter(post=later).exists()


def test_close_and_reopen_votes_put_the_question_in_their_queues(question, close_voters):
    client_for(close_voters[0]).post(f"/questions/{question.pk}/close/", {"reason": "off-topic"})
    assert task_of(question, Queue.CLOSE_VOTES).status == ReviewTask.Status.OPEN

    moderation_services.question_close(question=question, actor=None, reason="off-topic")
    client_for(close_voters[1]).post(f"/questions/{question.pk}/reopen/", {"reason": ""})

    assert task_of(question, Queue.CLOSE_VOTES).outcome == ReviewTask.Outcome.CLOSED
    assert task_of(question, Queue.REOPEN_VOTES).status == ReviewTask.Status.OPEN


def test_low_quality_and_not_an_answer_flags_put_the_post_in_low_quality(answer, flagger):
    client_for(flagger).post(f"/posts/{answer.pk}/flag/", {"reason": "not_an_answer"})
    other = factories.answer(answer.parent)
    client_for(flagger).post(f"/posts/{other.pk}/flag/", {"reason": "rude"})

    assert task_of(answer, Queue.LOW_QUALITY).note == "flag"
    assert not task_of(other, Queue.LOW_QUALITY)


def test_a_deleted_post_and_a_deleted_questions_answers_leave_the_queues(member):
    question = ask(member)
    reply = answer(factories.user(), question)

    question_services.post_delete(post=question, user=member)

    assert task_of(question, Queue.FIRST_QUESTIONS).status == ReviewTask.Status.INVALIDATED
    assert task_of(reply, Queue.FIRST_ANSWERS).status == ReviewTask.Status.INVALIDATED


# The queue's page


def test_the_queue_shows_the_oldest_task_with_the_post_and_its_queues_actions(
    member, first_posts_reviewer
):
    ask(member, title="How to keep a community friendly?")
    ask(factories.user(), title="Which forum software suits a club?")

    html = client_for(first_posts_reviewer).get(queue_url(Queue.FIRST_QUESTIONS)).content.decode()

    assert "How to keep a community friendly?" in html
    assert "Which forum software suits a club?" not in html
    assert "How do I keep a small community friendly" in html
    for action in ("looks_ok", "feedback", "flag", "skip"):
        assert f'value="{action}"' in html
    assert 'value="recommend_deletion"' not in html
    assert "Edit</a>" in html


def test_an_answer_is_shown_with_its_question(question, first_posts_reviewer):
    answer(factories.user(), question)

    html = client_for(first_posts_reviewer).get(queue_url(Queue.FIRST_ANSWERS)).content.decode()

    assert question.title in html and ANSWER_BODY in html
    assert 'value="recommend_deletion"' in html


def test_looks_ok_completes_a_first_post_and_the_next_task_follows(member, first_posts_reviewer):
    first = ask(member)
    second = ask(factories.user(), title="Which forum software suits a club?")
    client = client_for(first_posts_reviewer)

    response = review(
        first_posts_reviewer, task_of(first, Queue.FIRST_QUESTIONS), "looks_ok", client
    )
    page = client.get(response.url).content.decode()

    assert response.url == queue_url(Queue.FIRST_QUESTIONS)
    assert task_of(first, Queue.FIRST_QUESTIONS).outcome == ReviewTask.Outcome.LOOKS_OK
    assert "This task is complete: looks OK." in page
    assert second.title in page


def test_a_reviewer_never_gets_their_own_post_nor_one_they_skipped(first_posts_reviewer, member):
    ask(first_posts_reviewer)
    other = ask(member, title="Which forum software suits a club?")
    client = client_for(first_posts_reviewer)
    assert other.title in client.get(queue_url(Queue.FIRST_QUESTIONS)).content.decode()

    review(first_posts_reviewer, task_of(other, Queue.FIRST_QUESTIONS), "skip", client)

    html = client.get(queue_url(Queue.FIRST_QUESTIONS)).content.decode()
    assert "nothing left for you to review" in html
    assert task_of(other, Queue.FIRST_QUESTIONS).status == ReviewTask.Status.OPEN


def test_feedback_is_a_comment_by_the_reviewer(member, first_posts_reviewer):
    question = ask(member)

    review(
        first_posts_reviewer,
        task_of(question, Queue.FIRST_QUESTIONS),
        "feedback",
        body="Welcome! Could you say how large the community is now?",
    )

    comment = Comment.objects.get(post=question)
    assert comment.author == first_posts_reviewer
    assert task_of(question, Queue.FIRST_QUESTIONS).outcome == ReviewTask.Outcome.COMMENTED


def test_a_flag_from_the_queue_is_a_flag_for_the_moderators(member, first_posts_reviewer):
    question = ask(member)

    review(
        first_posts_reviewer,
        task_of(question, Queue.FIRST_QUESTIONS),
        "flag",
        reason="moderator",
        text="This looks copied from another site.",
    )

    flag = Flag.objects.get(post=question)
    assert (flag.reporter, flag.reason) == (first_posts_reviewer, "moderator")
    assert task_of(question, Queue.FIRST_QUESTIONS).outcome == ReviewTask.Outcome.FLAGGED


def test_recommending_deletion_of_a_first_answer_flags_it_as_very_low_quality(
    question, first_posts_reviewer
):
    reply = answer(factories.user(), question)

    review(first_posts_reviewer, task_of(reply, Queue.FIRST_ANSWERS), "recommend_deletion")

    assert Flag.objects.get(post=reply).reason == Flag.Reason.LOW_QUALITY
    assert task_of(reply, Queue.LOW_QUALITY).status == ReviewTask.Status.OPEN


def test_an_edit_below_the_edit_privilege_is_a_suggestion_and_above_it_a_revision(
    member, first_posts_reviewer, reviewer
):
    question = ask(member)
    task = task_of(question, Queue.FIRST_QUESTIONS)
    data = {
        "title": question.title,
        "tags": "community",
        "body": QUESTION_BODY + " It has 200 members.",
        "summary": "",
        "base_revision": 1,
    }

    client_for(first_posts_reviewer).post(reverse("reviews:task_edit", args=[task.pk]), data)

    assert SuggestedEdit.objects.get(post=question).suggester == first_posts_reviewer
    assert task_of(question, Queue.FIRST_QUESTIONS).outcome == ReviewTask.Outcome.EDITED

    short = answer(factories.user(), question, body="Ask them to be nice to everyone.")
    low = task_of(short, Queue.LOW_QUALITY)
    client_for(reviewer).post(
        reverse("reviews:task_edit", args=[low.pk]),
        {"body": "Ask them to be nice to everyone, and say so in the rules.", "base_revision": 1},
    )
    assert PostRevision.objects.get(post=short, number=2).author == reviewer
    assert task_of(short, Queue.LOW_QUALITY).outcome == ReviewTask.Outcome.EDITED


def test_two_looks_ok_or_two_recommendations_settle_a_low_quality_post(
    question, reviewer, second_reviewer
):
    keep = answer(factories.user(), question, body="Ask them to be nice to everyone.")
    drop = answer(factories.user(), question, body="Me too, same problem here!!!!!!!")

    for who in (reviewer, second_reviewer):
        review(who, task_of(keep, Queue.LOW_QUALITY), "looks_ok")
        review(who, task_of(drop, Queue.LOW_QUALITY), "recommend_deletion")

    assert task_of(keep, Queue.LOW_QUALITY).outcome == ReviewTask.Outcome.LOOKS_OK
    assert task_of(drop, Queue.LOW_QUALITY).outcome == ReviewTask.Outcome.RECOMMEND_DELETION
    assert Flag.objects.filter(post=drop, reason=Flag.Reason.LOW_QUALITY).count() == 2


def test_close_votes_from_the_queue_close_the_question_and_complete_the_task(
    question, close_voters
):
    first, *reviewers = close_voters
    client_for(first).post(f"/questions/{question.pk}/close/", {"reason": "opinion-based"})
    task = task_of(question, Queue.CLOSE_VOTES)

    for who in reviewers:
        review(who, task, "close", reason="opinion-based")

    question.refresh_from_db()
    assert question.closed_at and question.close_reason == "opinion-based"
    task.refresh_from_db()
    assert (task.status, task.outcome) == ("completed", "closed")
    assert Review.objects.get(task=task, reviewer=reviewers[0]).reason == "opinion-based"


def test_three_leave_open_reviews_keep_the_question_open(question, close_voters):
    client_for(close_voters[0]).post(f"/questions/{question.pk}/close/", {"reason": "off-topic"})
    task = task_of(question, Queue.CLOSE_VOTES)

    for _ in range(3):
        review(factories.user(reputation=3000), task, "leave_open")

    task.refresh_from_db()
    assert task.outcome == ReviewTask.Outcome.LEFT_OPEN
    assert not Post.objects.get(pk=question.pk).closed_at


def test_a_reviewer_who_voted_to_close_already_is_not_served_the_question(question, close_voters):
    client_for(close_voters[0]).post(f"/questions/{question.pk}/close/", {"reason": "off-topic"})

    html = client_for(close_voters[0]).get(queue_url(Queue.CLOSE_VOTES)).content.decode()

    assert "nothing left for you to review" in html
    assert (
        question.title
        in client_for(close_voters[1]).get(queue_url(Queue.CLOSE_VOTES)).content.decode()
    )


def test_reopen_votes_from_the_queue_reopen_the_question(question, close_voters, settings):
    settings.FORUM_CLOSE_VOTES_NEEDED = 2
    moderation_services.question_close(question=question, actor=None, reason="off-topic")
    client_for(close_voters[0]).post(f"/questions/{question.pk}/reopen/", {"reason": ""})

    review(close_voters[1], task_of(question, Queue.REOPEN_VOTES), "reopen")

    assert not Post.objects.get(pk=question.pk).closed_at
    assert task_of(question, Queue.REOPEN_VOTES).outcome == ReviewTask.Outcome.REOPENED


# Limits and privileges, checked again when the review arrives


def test_the_daily_limit_stops_a_reviewer_per_queue_and_skips_do_not_count(
    settings, first_posts_reviewer
):
    settings.FORUM_REVIEWS_PER_DAY = 1
    questions = [
        ask(factories.user(), title=f"Question number {n} about moderation") for n in range(3)
    ]
    client = client_for(first_posts_reviewer)
    review(first_posts_reviewer, task_of(questions[0], Queue.FIRST_QUESTIONS), "skip", client)
    review(first_posts_reviewer, task_of(questions[1], Queue.FIRST_QUESTIONS), "looks_ok", client)

    page = client.get(queue_url(Queue.FIRST_QUESTIONS))
    refused = review(
        first_posts_reviewer, task_of(questions[2], Queue.FIRST_QUESTIONS), "looks_ok", client
    )

    assert "You have done 1 review in this queue today" in page.content.decode()
    assert refused.status_code == 403
    assert task_of(questions[2], Queue.FIRST_QUESTIONS).status == ReviewTask.Status.OPEN
    late = answer(factories.user(), factories.question())
    assert (
        review(
            first_posts_reviewer, task_of(late, Queue.FIRST_ANSWERS), "looks_ok", client
        ).status_code
        == 302
    )


def test_below_the_privilege_the_queue_is_refused_with_the_reason(member):
    ask(member)

    response = client_for(factories.user(reputation=499)).get(queue_url(Queue.FIRST_QUESTIONS))
    index = client_for(factories.user(reputation=499)).get(reverse("reviews:index"))

    assert response.status_code == 403
    assert "You need 500 reputation to review First questions." in response.content.decode()
    assert index.status_code == 403


def test_a_reviewer_who_lost_the_privilege_is_refused_when_the_review_arrives(
    member, first_posts_reviewer
):
    task = task_of(ask(member), Queue.FIRST_QUESTIONS)
    client = client_for(first_posts_reviewer)
    assert client.get(queue_url(Queue.FIRST_QUESTIONS)).status_code == 200
    factories.reputation_event(first_posts_reviewer, kind=ReputationEvent.Kind.PENALTY, delta=-100)

    response = review(first_posts_reviewer, task, "looks_ok", client)

    assert response.status_code == 403
    assert not Review.objects.exists()


def test_a_suspended_reviewer_is_refused(member, moderator):
    task = task_of(ask(member), Queue.FIRST_QUESTIONS)
    reviewer = factories.user(reputation=5000)
    moderation_services.user_suspend(user=reviewer, moderator=moderator, days=2, reason="Spam.")
    suspended = User.objects.get(pk=reviewer.pk)

    assert client_for(suspended).get(queue_url(Queue.FIRST_QUESTIONS)).status_code == 403
    assert review(suspended, task, "looks_ok").status_code == 403
    assert not Review.objects.exists()


def test_a_review_ban_keeps_the_reviewer_out_of_every_queue(
    member, first_posts_reviewer, moderator
):
    task = task_of(ask(member), Queue.FIRST_QUESTIONS)
    now = timezone.now()
    ReviewBan.objects.create(
        user=first_posts_reviewer,
        reason="Approved spam.",
        created_at=now,
        until=now + timedelta(days=3),
        created_by=moderator,
    )
    client = client_for(first_posts_reviewer)

    page = client.get(queue_url(Queue.FIRST_QUESTIONS)).content.decode()
    index = client.get(reverse("reviews:index")).content.decode()
    refused = review(first_posts_reviewer, task, "looks_ok", client)

    assert "You may not review until" in page and "Approved spam." in page
    assert member.name not in page
    assert "Approved spam." in index
    assert refused.status_code == 403


def test_the_same_reviewer_cannot_review_a_task_twice(question, reviewer, second_reviewer):
    task = task_of(
        answer(factories.user(), question, body="Be nice, that is all you need."), Queue.LOW_QUALITY
    )
    client = client_for(reviewer)

    review(reviewer, task, "looks_ok", client)
    again = review(reviewer, task, "recommend_deletion", client)

    assert again.status_code == 403
    assert Review.objects.filter(task=task).count() == 1


def test_an_action_the_queue_does_not_offer_is_refused(member, first_posts_reviewer):
    task = task_of(ask(member), Queue.FIRST_QUESTIONS)

    assert review(first_posts_reviewer, task, "approve").status_code == 403
    assert review(first_posts_reviewer, task, "recommend_deletion").status_code == 403


def test_reviews_are_posts_only_with_csrf(member, first_posts_reviewer):
    task = task_of(ask(member), Queue.FIRST_QUESTIONS)
    client = Client(enforce_csrf_checks=True)
    client.force_login(first_posts_reviewer)

    assert (
        client.post(
            reverse("reviews:task_review", args=[task.pk]), {"action": "looks_ok"}
        ).status_code
        == 403
    )
    assert (
        client_for(first_posts_reviewer)
        .get(reverse("reviews:task_review", args=[task.pk]))
        .status_code
        == 405
    )
    assert not Review.objects.exists()


# History


def test_my_history_and_the_tasks_history_list_the_reviews(member, first_posts_reviewer):
    question = ask(member)
    task = task_of(question, Queue.FIRST_QUESTIONS)
    review(first_posts_reviewer, task, "looks_ok")

    mine = client_for(first_posts_reviewer).get(reverse("reviews:history")).content.decode()
    page = (
        client_for(factories.user()).get(reverse("reviews:task", args=[task.pk])).content.decode()
    )

    assert question.title in mine and "Looks OK" in mine
    assert "Newish Reviewer" in page and "This task is complete: looks OK." in page


def test_the_index_counts_the_open_tasks_of_each_queue(member, first_posts_reviewer):
    ask(member)
    ask(factories.user(), title="Which forum software suits a club?")

    html = client_for(first_posts_reviewer).get(reverse("reviews:index")).content.decode()

    assert f'href="{queue_url(Queue.FIRST_QUESTIONS)}"' in html
    assert "You need 2000 reputation to review Suggested edits." in html
    assert '<span class="review-queue-count" title="Open tasks">2<' in html
