"""The review queues' statistics in the moderators' panel: per queue the open tasks and
the oldest one's age, the reviews of today and of seven days, the audits and the busiest
reviewers; audits and skips are not counted as reviews, and the page's queries are few and
fixed."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reviews import statistics
from reviews.models import Review, ReviewTask
from tests import factories
from tests.clients import client_for

pytestmark = pytest.mark.django_db

STATISTICS = "/moderation/reviews/reviewtask/"
Queue = ReviewTask.Queue
Action = Review.Action


def task(queue=Queue.FIRST_QUESTIONS, *, age=timedelta(0), **kwargs):
    post = kwargs.pop("post", None) or factories.question()
    return ReviewTask.objects.create(
        queue=queue, post=post, created_at=timezone.now() - age, **kwargs
    )


def review(task, reviewer, action=Action.LOOKS_OK, *, age=timedelta(0), **kwargs):
    return Review.objects.create(
        task=task, reviewer=reviewer, action=action, created_at=timezone.now() - age, **kwargs
    )


def row(response, queue):
    (stats,) = [stats for stats in response.context["queues"] if stats.queue == queue]
    return stats


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("member", 302), ("moderator", 200), ("manager", 200)]
)
def test_the_statistics_are_for_moderators_and_community_managers(moderator, who, status):
    cast = {
        "anonymous": None,
        "member": factories.user(reputation=20000),
        "moderator": moderator,
        "manager": factories.user(is_staff=True),
    }

    response = client_for(cast[who]).get(STATISTICS)

    assert response.status_code == status


def test_each_queue_shows_its_open_tasks_and_the_age_of_the_oldest(moderator):
    task(age=timedelta(days=3))
    task(age=timedelta(hours=2))
    task(Queue.LATE_ANSWERS, post=factories.answer(factories.question()))
    task(status=ReviewTask.Status.COMPLETED, age=timedelta(days=9))
    task(is_audit=True, audit_expected=Action.LOOKS_OK, age=timedelta(days=20))

    response = client_for(moderator).get(STATISTICS)

    first = row(response, Queue.FIRST_QUESTIONS)
    assert first.open_tasks == 2
    assert timezone.now() - first.oldest_open_at > timedelta(days=2, hours=23)
    assert row(response, Queue.LATE_ANSWERS).open_tasks == 1
    assert row(response, Queue.CLOSE_VOTES).open_tasks == 0
    html = response.content.decode()
    assert "3\xa0days" in html and "old" in html


def test_reviews_are_counted_today_and_over_seven_days_without_skips_or_audits(moderator):
    reviewer = factories.user(reputation=600)
    review(task(), reviewer)
    review(task(), reviewer, age=timedelta(days=2))
    review(task(), reviewer, age=timedelta(days=8))
    review(task(), reviewer, Action.SKIP)
    audit = task(is_audit=True, audit_expected=Action.LOOKS_OK)
    review(audit, reviewer, Action.FLAG, audit_passed=False)
    review(audit, factories.user(reputation=600), audit_passed=True)

    stats = row(client_for(moderator).get(STATISTICS), Queue.FIRST_QUESTIONS)

    assert (stats.reviews_today, stats.reviews_week) == (1, 2)
    assert (stats.audits_passed_week, stats.audits_failed_week) == (1, 1)


def test_the_busiest_reviewers_of_the_week_are_named_per_queue(moderator):
    names = ["Ada", "Bea", "Cy", "Dee"]
    reviewers = {name: factories.user(display_name=name, reputation=600) for name in names}
    for name, count in zip(names, [1, 4, 2, 3], strict=True):
        for _ in range(count):
            review(task(), reviewers[name])
    review(task(Queue.LOW_QUALITY), reviewers["Ada"], age=timedelta(days=1))

    response = client_for(moderator).get(STATISTICS)

    top = [(user.name, count) for user, count in row(response, Queue.FIRST_QUESTIONS).top_reviewers]
    assert top == [("Bea", 4), ("Dee", 3), ("Cy", 2)]
    assert [(u.name, c) for u, c in row(response, Queue.LOW_QUALITY).top_reviewers] == [("Ada", 1)]
    assert reviewers["Bea"].get_absolute_url() in response.content.decode()


def test_the_statistics_cost_the_same_few_queries_however_many_tasks_and_reviews(
    moderator, django_assert_max_num_queries
):
    client = client_for(moderator)
    client.get(STATISTICS)
    for queue in Queue.values[:3]:
        for index in range(4):
            reviewed = task(queue)
            review(reviewed, factories.user(reputation=600), age=timedelta(days=index))

    # Session and user, the three aggregates, the reviewers' names.
    with django_assert_max_num_queries(6):
        response = client.get(STATISTICS)

    assert response.status_code == 200


@pytest.mark.parametrize(("language", "home"), [("de", ">Start<"), ("en", ">Home<")])
def test_the_statistics_page_speaks_german_and_english(moderator, language, home):
    client = Client(headers={"accept-language": language})
    client.force_login(moderator)

    response = client.get(STATISTICS)

    html = response.content.decode()
    assert f'lang="{language}"' in html
    assert home in html
    assert 'id="review-queue-statistics"' in html


def test_the_panels_menu_lists_the_review_queues_and_bans(moderator):
    html = client_for(moderator).get("/moderation/").content.decode()

    assert STATISTICS in html
    assert "/moderation/reviews/reviewban/" in html


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
def test_the_statistics_read_the_open_tasks_and_the_weeks_reviews_from_their_indexes():
    reviewer = factories.user(reputation=600)
    review(task(), reviewer)
    with CaptureQueriesContext(connection) as queries:
        statistics.queue_statistics()

    plans = []
    with connection.cursor() as cursor:
        # The tables are tiny here: a sequential scan would win, so it is ruled out to see
        # which index each plan reads.
        cursor.execute("SET LOCAL enable_seqscan = off")
        for query in queries.captured_queries[:3]:
            cursor.execute(f"EXPLAIN {query['sql']}")
            plans.append("\n".join(row[0] for row in cursor.fetchall()))

    # Either partial index of the open tasks holds them all, and nothing else.
    assert "reviewtask_next_idx" in plans[0] or "reviewtask_one_open_per" in plans[0]
    # The week's reviews come from an index (the planner picks between the time index and
    # reaching them through their tasks, by the statistics of the moment), never a scan.
    for plan in plans[1:3]:
        assert "Seq Scan on reviews_review " not in plan
        assert "Index" in plan
