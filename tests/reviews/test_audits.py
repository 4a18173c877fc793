"""Review audits: known-good and known-bad posts shown as tasks now and then, judged at
once, never an outcome; failing several in a row keeps the reviewer out of the queues."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from moderation import services as moderation_services
from moderation.models import Flag, ModeratorAction, ModeratorMessage
from notifications.models import Notification
from questions.models import Post
from reviews import audits, bans
from reviews.models import Review, ReviewBan, ReviewTask
from reviews.services import task_open
from tests import factories
from tests.clients import client_for, page_queries
from tests.reviews.helpers import review

pytestmark = pytest.mark.django_db

Queue = ReviewTask.Queue
Action = Review.Action
LONG_AGO = timezone.now() - timedelta(days=400)
QUEUE = "/review/first-questions/"


def good_question(**kwargs):
    kwargs.setdefault("score", 12)
    kwargs.setdefault("created_at", LONG_AGO)
    return factories.question(**kwargs)


def spam_question(**kwargs):
    """Deleted by a moderator's spam flag: the flag is helpful, the post deleted."""
    question = factories.question(title="Cheap watches, buy now at the best price", **kwargs)
    moderation_services.flag_create(
        reporter=factories.moderator(), reason=Flag.Reason.SPAM, post=question
    )
    return question


def pool(queue=Queue.FIRST_QUESTIONS):
    return {
        task.post_id: task.audit_expected
        for task in ReviewTask.objects.filter(
            queue=queue, is_audit=True, status=ReviewTask.Status.OPEN
        )
    }


# The pool of known posts


def test_old_well_scored_questions_are_known_good_and_deleted_spam_is_known_bad():
    good = good_question()
    spam = spam_question()
    voted_down = factories.question(score=-6, deleted_at=timezone.now())
    young = good_question(created_at=timezone.now() - timedelta(days=3))
    middling = good_question(score=2)
    deleted_by_author = factories.question(deleted_at=timezone.now())
    closed = good_question(closed_at=timezone.now(), close_reason="duplicate")

    added = audits.audit_pool_refill(queue=Queue.FIRST_QUESTIONS)

    assert added == 3
    assert pool() == {
        good.pk: Action.LOOKS_OK,
        spam.pk: Action.RECOMMEND_DELETION,
        voted_down.pk: Action.RECOMMEND_DELETION,
    }
    assert not {young.pk, middling.pk, deleted_by_author.pk, closed.pk} & set(pool())


def test_accepted_and_well_scored_old_answers_are_known_good_answers():
    thread = good_question(score=3)
    accepted = factories.answer(thread, score=1, accepted=True, created_at=LONG_AGO)
    scored = factories.answer(thread, score=8, created_at=LONG_AGO)
    plain = factories.answer(thread, score=1, created_at=LONG_AGO)
    spam = factories.answer(thread, score=0, created_at=LONG_AGO)
    moderation_services.flag_create(
        reporter=factories.moderator(), reason=Flag.Reason.SPAM, post=spam
    )

    audits.audit_pool_refill(queue=Queue.LATE_ANSWERS)

    assert pool(Queue.LATE_ANSWERS) == {
        accepted.pk: Action.LOOKS_OK,
        scored.pk: Action.LOOKS_OK,
        spam.pk: Action.RECOMMEND_DELETION,
    }
    assert plain.pk not in pool(Queue.LATE_ANSWERS)


def test_the_low_quality_queue_audits_questions_and_answers():
    question = good_question()
    answer = factories.answer(question, score=9, created_at=LONG_AGO)

    audits.audit_pool_refill(queue=Queue.LOW_QUALITY)

    assert set(pool(Queue.LOW_QUALITY)) == {question.pk, answer.pk}


@pytest.mark.parametrize("queue", [Queue.SUGGESTED_EDITS, Queue.CLOSE_VOTES, Queue.REOPEN_VOTES])
def test_queues_that_ask_about_something_else_than_the_post_serve_no_audits(queue):
    good_question()
    spam_question()

    assert audits.audit_pool_refill(queue=queue) == 0
    task = ReviewTask(pk=1, queue=queue)
    assert audits.audit_instead_of(task, user=factories.user(reputation=5000)) is None


def test_refilling_adds_no_post_twice_and_keeps_each_kind_to_its_size(settings, monkeypatch):
    monkeypatch.setattr(audits, "POOL_SIZE", 2)
    for _ in range(4):
        good_question()
    spam_question()

    audits.audit_pool_refill(queue=Queue.FIRST_QUESTIONS)
    audits.audit_pool_refill(queue=Queue.FIRST_QUESTIONS)

    expected = list(pool().values())
    assert sorted(expected) == [Action.LOOKS_OK, Action.LOOKS_OK, Action.RECOMMEND_DELETION]
    assert ReviewTask.objects.filter(is_audit=True).count() == 3


def test_a_known_post_that_changed_and_an_audit_that_served_its_time_are_retired():
    good = good_question()
    spam = spam_question()
    audits.audit_pool_refill(queue=Queue.FIRST_QUESTIONS)
    moderation_services.post_delete(post=good, moderator=factories.moderator())
    moderation_services.post_undelete(post=spam, moderator=factories.moderator())

    audits.audit_pool_refill(queue=Queue.FIRST_QUESTIONS)

    assert pool() == {}
    assert set(ReviewTask.objects.filter(is_audit=True).values_list("status", flat=True)) == {
        ReviewTask.Status.INVALIDATED
    }


def test_an_audit_is_replaced_after_its_days(monkeypatch):
    monkeypatch.setattr(audits, "POOL_SIZE", 1)
    first, second = good_question(), good_question()
    audits.audit_pool_refill(queue=Queue.FIRST_QUESTIONS)
    ReviewTask.objects.filter(is_audit=True).update(
        created_at=timezone.now() - timedelta(days=audits.POOL_DAYS + 1)
    )
    assert audits.audit_pool_short(Queue.FIRST_QUESTIONS)

    audits.audit_pool_refill(queue=Queue.FIRST_QUESTIONS)

    assert len(pool()) == 1
    assert set(pool()) <= {first.pk, second.pk}


# Verdicts


@pytest.mark.parametrize(
    ("expected", "action", "passed"),
    [
        (Action.LOOKS_OK, Action.LOOKS_OK, True),
        (Action.LOOKS_OK, Action.EDIT, True),
        (Action.LOOKS_OK, Action.FEEDBACK, True),
        (Action.LOOKS_OK, Action.FLAG, False),
        (Action.LOOKS_OK, Action.RECOMMEND_DELETION, False),
        (Action.RECOMMEND_DELETION, Action.RECOMMEND_DELETION, True),
        (Action.RECOMMEND_DELETION, Action.FLAG, True),
        (Action.RECOMMEND_DELETION, Action.LOOKS_OK, False),
        (Action.RECOMMEND_DELETION, Action.EDIT, False),
        (Action.RECOMMEND_DELETION, Action.FEEDBACK, False),
        (Action.LOOKS_OK, Action.SKIP, None),
        (Action.RECOMMEND_DELETION, Action.SKIP, None),
    ],
)
def test_a_good_post_passes_with_anything_but_removal_and_a_bad_one_only_with_removal(
    expected, action, passed
):
    task = ReviewTask(queue=Queue.FIRST_ANSWERS, is_audit=True, audit_expected=expected)

    assert audits.audit_passed(task=task, action=action) is passed


# Serving


@pytest.fixture
def reviewer(db):
    return factories.user(username="rob", display_name="Rob", reputation=600)


@pytest.fixture
def stocked(db):
    """A pool of one known-good and one known-bad question."""
    good, bad = good_question(), spam_question()
    audits.audit_pool_refill(queue=Queue.FIRST_QUESTIONS)
    return {"good": good, "bad": bad}


def next_task(queue=Queue.FIRST_QUESTIONS):
    """A real task, the one a reviewer would get next."""
    return ReviewTask.objects.create(
        queue=queue, post=factories.question(), created_at=timezone.now()
    )


def reviewed(task, reviewer, action=Action.SKIP):
    """A review written as it is stored, without the site."""
    return Review.objects.create(
        task=task, reviewer=reviewer, action=action, created_at=timezone.now()
    )


def test_about_one_task_in_every_few_is_an_audit(settings, stocked, reviewer):
    settings.FORUM_REVIEW_AUDIT_EVERY = 10
    tasks = [ReviewTask(pk=pk, queue=Queue.FIRST_QUESTIONS) for pk in range(1, 401)]

    served = sum(audits.audit_instead_of(task, user=reviewer) is not None for task in tasks)

    assert 15 <= served <= 70


def test_an_audit_stays_on_reload_never_comes_twice_in_a_row_and_rolls_again_after_a_review(
    settings, stocked, reviewer
):
    settings.FORUM_REVIEW_AUDIT_EVERY = 1
    task = next_task()
    first = audits.audit_instead_of(task, user=reviewer)
    assert first is not None
    assert audits.audit_instead_of(task, user=reviewer) == first

    reviewed(first, reviewer, Action.LOOKS_OK)
    assert audits.audit_instead_of(task, user=reviewer) is None

    reviewed(task, reviewer)
    second = audits.audit_instead_of(next_task(), user=reviewer)
    assert second not in (None, first)


def test_a_known_bad_post_is_served_as_it_read_before_its_deletion(settings, reviewer):
    settings.FORUM_REVIEW_AUDIT_EVERY = 1
    spam = spam_question()
    audits.audit_pool_refill(queue=Queue.FIRST_QUESTIONS)

    audit = audits.audit_instead_of(next_task(), user=reviewer)

    assert audit.post == spam
    assert (audit.post.deleted_at, audit.post.locked_at) == (None, None)
    spam.refresh_from_db()
    assert spam.deleted_at and spam.locked_at


def test_no_audit_shows_a_reviewer_their_own_post(settings, reviewer):
    settings.FORUM_REVIEW_AUDIT_EVERY = 1
    good_question(author=reviewer)
    audits.audit_pool_refill(queue=Queue.FIRST_QUESTIONS)

    assert audits.audit_instead_of(next_task(), user=reviewer) is None


def test_moderators_are_not_audited_and_audits_can_be_switched_off(settings, stocked, reviewer):
    settings.FORUM_REVIEW_AUDIT_EVERY = 1
    assert audits.audit_instead_of(next_task(), user=factories.moderator()) is None

    settings.FORUM_REVIEW_AUDIT_EVERY = 0
    assert audits.audit_instead_of(next_task(), user=reviewer) is None


def test_a_known_post_that_changed_is_not_served_before_the_pool_is_refilled(
    settings, stocked, reviewer
):
    settings.FORUM_REVIEW_AUDIT_EVERY = 1
    moderation_services.post_undelete(post=stocked["bad"], moderator=factories.moderator())
    moderation_services.post_delete(post=stocked["good"], moderator=factories.moderator())

    assert audits.audit_instead_of(next_task(), user=reviewer) is None


def test_choosing_to_audit_costs_no_query_and_serving_one(
    settings, stocked, reviewer, django_assert_num_queries
):
    task = next_task()
    settings.FORUM_REVIEW_AUDIT_EVERY = 1
    with django_assert_num_queries(1):
        assert audits.audit_instead_of(task, user=reviewer)
    settings.FORUM_REVIEW_AUDIT_EVERY = 10**9  # practically never
    with django_assert_num_queries(0):
        audits.audit_instead_of(task, user=reviewer)


# Through the site


@pytest.fixture
def audited(settings):
    """Every task an audit, except right after one."""
    settings.FORUM_REVIEW_AUDIT_EVERY = 1


def first_question():
    """A newcomer's first question, waiting in its queue."""
    question = factories.question(title="My very first question about Klingon verbs")
    task_open(queue=Queue.FIRST_QUESTIONS, post_id=question.pk)
    return question


def bad_audits(count, queue=Queue.FIRST_QUESTIONS):
    for _ in range(count):
        spam_question()
    audits.audit_pool_refill(queue=queue)
    return list(ReviewTask.objects.filter(is_audit=True, queue=queue).order_by("id"))


def good_audits(count, queue=Queue.FIRST_QUESTIONS):
    for _ in range(count):
        good_question()
    audits.audit_pool_refill(queue=queue)
    return list(
        ReviewTask.objects.filter(is_audit=True, queue=queue, audit_expected=Action.LOOKS_OK)
    )


def messages_after(response, client):
    """The flash messages of the page a review redirects to."""
    assert response.status_code == 302
    return client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(("language", "deleted"), [("en", "deleted"), ("de", "gelöscht")])
def test_the_queue_serves_a_known_bad_post_like_any_other_task(
    audited, reviewer, language, deleted
):
    first_question()
    (audit,) = bad_audits(1)
    client = Client(headers={"accept-language": language})
    client.force_login(reviewer)

    response = client.get(QUEUE)

    assert response.context["task"] == audit
    html = response.content.decode()
    assert f'lang="{language}"' in html
    assert "Cheap watches" in html
    assert deleted not in html.lower()
    assert "audit" not in html.lower()


def test_a_wrong_action_fails_the_audit_with_an_explanation_at_once_and_changes_nothing(
    audited, reviewer
):
    first_question()
    (audit,) = bad_audits(1)
    flags = Flag.objects.count()
    client = client_for(reviewer)

    html = messages_after(review(reviewer, audit, "looks_ok", client), client)

    assert "alert-danger" in html
    assert "This was an audit" in html
    assert "known to be bad" in html
    assert Review.objects.get(task=audit).audit_passed is False
    audit.refresh_from_db()
    assert (audit.status, audit.outcome) == (ReviewTask.Status.OPEN, "")
    assert Flag.objects.count() == flags
    assert Post.objects.get(pk=audit.post_id).deleted_at is not None


def test_flagging_a_known_bad_post_passes_the_audit_and_raises_no_flag(audited, reviewer):
    (audit,) = bad_audits(1)
    flags = Flag.objects.count()
    client = client_for(reviewer)

    response = review(reviewer, audit, "flag", client, reason="spam", text="")
    html = messages_after(response, client)

    assert "Congratulations! This was only a test" in html
    assert Review.objects.get(task=audit).audit_passed is True
    assert Flag.objects.count() == flags


def test_recommending_the_deletion_of_a_known_good_answer_fails_the_audit(reviewer):
    thread = good_question()
    factories.answer(thread, score=20, created_at=LONG_AGO, body="Conjugate by prefixes.")
    audits.audit_pool_refill(queue=Queue.LATE_ANSWERS)
    audit = ReviewTask.objects.get(is_audit=True, queue=Queue.LATE_ANSWERS)
    client = client_for(reviewer)

    html = messages_after(review(reviewer, audit, "recommend_deletion", client), client)

    assert "known to be good" in html
    assert not Flag.objects.exists()


def test_a_verdict_speaks_the_reviewers_language(reviewer):
    (audit,) = bad_audits(1)
    client = Client(headers={"accept-language": "de"})
    client.force_login(reviewer)

    html = messages_after(review(reviewer, audit, "looks_ok", client), client)

    assert 'lang="de"' in html
    assert "alert-danger" in html


def test_failing_audits_in_a_row_bans_the_reviewer_who_is_told_why_and_until_when(reviewer):
    tasks = bad_audits(3)
    real = first_question()
    client = client_for(reviewer)

    for audit in tasks:
        review(reviewer, audit, "looks_ok", client)

    ban = ReviewBan.objects.get(user=reviewer)
    assert ban.created_by is None
    assert ban.until - ban.created_at == timedelta(days=2)
    assert "You failed 3 review audits in a row" in ban.reason
    logged = ModeratorAction.objects.get(verb=ModeratorAction.Verb.REVIEW_BANNED)
    assert (logged.actor, logged.target_id) == (None, reviewer.pk)
    assert "You failed 3 review audits" in ModeratorMessage.objects.get(recipient=reviewer).body
    assert Notification.objects.filter(
        recipient=reviewer, kind=Notification.Kind.MODERATOR_MESSAGE
    ).exists()
    index = client.get("/review/").content.decode()
    assert "You may not review until" in index
    assert "You failed 3 review audits in a row" in index
    assert "You may not review until" in client.get(QUEUE).content.decode()
    task = ReviewTask.objects.get(post=real, is_audit=False)
    assert review(reviewer, task, "looks_ok", client).status_code == 403


def test_a_passed_audit_breaks_the_run_of_failures(reviewer):
    tasks = bad_audits(4)
    client = client_for(reviewer)

    review(reviewer, tasks[0], "looks_ok", client)
    review(reviewer, tasks[1], "flag", client, reason="spam", text="")
    review(reviewer, tasks[2], "looks_ok", client)
    review(reviewer, tasks[3], "looks_ok", client)

    assert not ReviewBan.objects.exists()


def test_skipping_an_audit_neither_passes_nor_fails_it(reviewer):
    tasks = bad_audits(4)
    client = client_for(reviewer)

    review(reviewer, tasks[0], "looks_ok", client)
    review(reviewer, tasks[1], "skip", client)
    review(reviewer, tasks[2], "looks_ok", client)
    assert not ReviewBan.objects.exists()
    review(reviewer, tasks[3], "looks_ok", client)

    assert ReviewBan.objects.filter(user=reviewer).exists()


def test_failures_before_a_ban_do_not_count_again_and_the_next_ban_is_longer(
    reviewer, moderator, settings
):
    settings.FORUM_REVIEW_AUDIT_FAILURES_TO_BAN = 2
    tasks = bad_audits(5)
    client = client_for(reviewer)
    for audit in tasks[:2]:
        review(reviewer, audit, "looks_ok", client)
    bans.review_ban_lift(ban=ReviewBan.objects.get(), moderator=moderator)

    review(reviewer, tasks[2], "looks_ok", client)
    assert ReviewBan.objects.count() == 1
    review(reviewer, tasks[3], "looks_ok", client)

    latest = ReviewBan.objects.order_by("-id").first()
    assert latest.until - latest.created_at == timedelta(days=4)


def test_moderators_may_open_an_audit_and_see_what_it_is_and_newcomers_may_not(
    reviewer, moderator, member
):
    (audit,) = bad_audits(1)
    url = f"/review/task/{audit.pk}/"

    assert client_for(member).get(url).status_code == 404
    assert "deleted" not in client_for(reviewer).get(url).content.decode()
    assert "This post has been deleted." in client_for(moderator).get(url).content.decode()


def test_a_review_in_an_audited_queue_fills_its_pool(reviewer):
    for _ in range(2):
        good_question()
    spam_question()
    question = first_question()

    review(reviewer, ReviewTask.objects.get(post=question), "looks_ok")

    assert len(pool()) == 3


def test_an_audit_costs_the_queue_page_one_query(settings, reviewer):
    first_question()
    bad_audits(1)
    client = client_for(reviewer)
    settings.FORUM_REVIEW_AUDIT_EVERY = 0
    plain = page_queries(client, "/review/first-questions/")

    settings.FORUM_REVIEW_AUDIT_EVERY = 1
    with_audit = page_queries(client, "/review/first-questions/")

    assert client.get(QUEUE).context["task"].is_audit
    assert with_audit == plain + 1


def test_the_pools_size_is_checked_at_most_every_few_minutes(reviewer):
    good_question()
    first, second = first_question(), first_question()
    client = client_for(reviewer)
    review(reviewer, ReviewTask.objects.get(post=first), "looks_ok", client)
    ReviewTask.objects.filter(is_audit=True).update(status=ReviewTask.Status.INVALIDATED)

    review(reviewer, ReviewTask.objects.get(post=second), "looks_ok", client)

    assert pool() == {}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
def test_an_audit_is_read_from_the_partial_index_of_open_audits(settings, stocked, reviewer):
    settings.FORUM_REVIEW_AUDIT_EVERY = 1
    with CaptureQueriesContext(connection) as queries:
        assert audits.audit_instead_of(next_task(), user=reviewer)

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {queries.captured_queries[-1]['sql']}")
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "reviewtask_audit_idx" in plan
