"""Reviewers completing one task at the same moment, each request on its own database
connection: one outcome (PostgreSQL)."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import User
from questions.models import Post, PostRevision, ReputationEvent
from reviews import services
from reviews.models import Review, ReviewTask, SuggestedEdit
from tests import factories
from tests.concurrency import post_at_once

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises every write and has no SELECT ... FOR UPDATE: there is no "
    "concurrency to test. Run with DATABASE_URL pointing at PostgreSQL.",
)

REVIEWERS = 6
NEW_BODY = "What is the **best** way to learn a constructed language such as Esperanto?"


def jobs(reviewers, task, data, repeat=1):
    url = reverse("reviews:task_review", args=[task.pk])
    made = []
    for reviewer in reviewers:
        client = Client()
        client.force_login(reviewer)
        made.append((client, url, [data] * repeat))
    return made


@pytest.mark.django_db(transaction=True)
def test_reviewers_approving_one_suggestion_at_once_apply_it_once(settings):
    settings.FORUM_REVIEWS_TO_COMPLETE = {
        **settings.FORUM_REVIEWS_TO_COMPLETE,
        "suggested_edits": 1,
    }
    question = factories.question(tags=["languages"])
    suggester = factories.user()
    services.suggestion_create(post=question, suggester=suggester, base_revision=0, body=NEW_BODY)
    task = ReviewTask.objects.get(queue=ReviewTask.Queue.SUGGESTED_EDITS)
    reviewers = [factories.user(reputation=2000) for _ in range(REVIEWERS)]

    statuses = post_at_once(jobs(reviewers, task, {"action": "approve"}))

    assert set(statuses) <= {302, 403}
    assert Review.objects.filter(task=task).count() == 1
    task.refresh_from_db()
    assert (task.status, task.outcome) == ("completed", "approved")
    assert SuggestedEdit.objects.get().status == "approved"
    assert PostRevision.objects.filter(post=question, author=suggester).count() == 1
    assert ReputationEvent.objects.filter(user=suggester, kind="suggested_edit").count() == 1
    assert User.objects.get(pk=suggester.pk).reputation == 3
    assert Post.objects.get(pk=question.pk).body_markdown == NEW_BODY


@pytest.mark.django_db(transaction=True)
def test_reviewers_completing_a_first_post_at_once_leave_one_review_and_one_outcome():
    question = factories.question()
    services.task_open(queue=ReviewTask.Queue.FIRST_QUESTIONS, post_id=question.pk)
    task = ReviewTask.objects.get()
    reviewers = [factories.user(reputation=500) for _ in range(REVIEWERS)]

    # Each reviewer sends their review three times, as an impatient double click would.
    statuses = post_at_once(jobs(reviewers, task, {"action": "looks_ok"}, repeat=3))

    assert set(statuses) <= {302, 403}
    assert Review.objects.filter(task=task).count() == 1
    task.refresh_from_db()
    assert (task.status, task.outcome) == ("completed", "looks_ok")


@pytest.mark.django_db(transaction=True)
def test_leave_open_reviews_sent_at_once_complete_the_task_at_the_third(settings):
    question = factories.question()
    services.task_open(queue=ReviewTask.Queue.CLOSE_VOTES, post_id=question.pk)
    task = ReviewTask.objects.get()
    reviewers = [factories.user(reputation=3000) for _ in range(REVIEWERS)]

    post_at_once(jobs(reviewers, task, {"action": "leave_open"}))

    assert Review.objects.filter(task=task).count() == 3
    task.refresh_from_db()
    assert (task.status, task.outcome) == ("completed", "left_open")
