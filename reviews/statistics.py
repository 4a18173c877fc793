"""The review queues' statistics for the moderators' panel: per queue the open tasks and
the oldest of them, the reviews of today and of the last seven days, the audits failed
and the busiest reviewers. Three aggregate queries, whatever the size of the site: the
open tasks from reviewtask_next_idx, the reviews of the week from review_created_idx."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Min, Q
from django.utils import timezone

from questions.reputation import start_of_day
from reviews.models import Review, ReviewTask

User = get_user_model()
TOP_REVIEWERS = 3
WEEK = timedelta(days=7)


@dataclass
class QueueStatistics:
    queue: str
    label: str
    open_tasks: int = 0
    oldest_open_at: datetime | None = None
    reviews_today: int = 0
    reviews_week: int = 0
    audits_passed_week: int = 0
    audits_failed_week: int = 0
    # (user, reviews in the last seven days), the most first.
    top_reviewers: list = field(default_factory=list)


def queue_statistics(now=None):
    """One QueueStatistics per queue, in the queues' order. Skips are not reviews here,
    and an audit counts only as an audit, never as a review."""
    now = now or timezone.now()
    rows = {
        queue: QueueStatistics(queue=queue, label=label)
        for queue, label in ReviewTask.Queue.choices
    }

    for row in (
        ReviewTask.objects.open()
        .values("queue")
        .annotate(open_tasks=Count("pk"), oldest_open_at=Min("created_at"))
        .order_by()
    ):
        stats = rows[row["queue"]]
        stats.open_tasks, stats.oldest_open_at = row["open_tasks"], row["oldest_open_at"]

    week = Review.objects.filter(created_at__gte=now - WEEK).exclude(action=Review.Action.SKIP)
    real = Q(task__is_audit=False)
    for row in (
        week.values("task__queue")
        .annotate(
            reviews_today=Count("pk", filter=real & Q(created_at__gte=start_of_day(now))),
            reviews_week=Count("pk", filter=real),
            audits_passed_week=Count("pk", filter=Q(audit_passed=True)),
            audits_failed_week=Count("pk", filter=Q(audit_passed=False)),
        )
        .order_by()
    ):
        stats = rows[row.pop("task__queue")]
        for name, value in row.items():
            setattr(stats, name, value)

    # Every reviewer of the week with their count per queue, the most first; the few on
    # top are kept (as many rows as the week had reviewers, never as many as reviews).
    busiest = []
    counted = Counter()
    for row in (
        week.filter(real)
        .values("task__queue", "reviewer")
        .annotate(count=Count("pk"))
        .order_by("-count", "reviewer")
    ):
        if counted[row["task__queue"]] < TOP_REVIEWERS:
            counted[row["task__queue"]] += 1
            busiest.append(row)
    reviewers = User.objects.only("username", "display_name").in_bulk(
        {row["reviewer"] for row in busiest}
    )
    for row in busiest:
        rows[row["task__queue"]].top_reviewers.append((reviewers[row["reviewer"]], row["count"]))
    return list(rows.values())
