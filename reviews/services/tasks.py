"""Posts entering and leaving the review queues. The event subscribers
(reviews/subscribers.py) call these after the commit of what they heard; the reviews'
own outcomes are reviewing.py's."""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from core.events import publish
from reviews import events
from reviews.models import ReviewTask


def task_open(*, queue, post_id, suggested_edit=None, note=""):
    """Puts the post in `queue`, unless it waits there already (one open task per queue
    and post: the partial unique constraint settles two at once). Returns whether a task
    was opened."""
    if ReviewTask.objects.open().filter(queue=queue, post_id=post_id).exists():
        return False
    try:
        with transaction.atomic():
            ReviewTask.objects.create(
                queue=queue,
                post_id=post_id,
                suggested_edit=suggested_edit,
                note=note,
                created_at=timezone.now(),
            )
    except IntegrityError:
        return False
    return True


def tasks_invalidate(*, post_id=None, where=None, queues=None, note=""):
    """Takes the open tasks of the post `post_id` (or of the posts `where`, a Q on the
    tasks, says) out of the queues unfinished, of `queues` or all: what they asked is
    moot. Returns how many."""
    tasks = ReviewTask.objects.open().filter(where if where is not None else Q(post_id=post_id))
    if queues is not None:
        tasks = tasks.filter(queue__in=queues)
    return tasks.update(
        status=ReviewTask.Status.INVALIDATED, completed_at=timezone.now(), note=note[:100]
    )


@transaction.atomic
def tasks_settle(*, post_id, queue, outcome):
    """Completes the post's open task of `queue` with `outcome`, decided elsewhere (a
    question closed by a moderator while its close votes waited for review). Returns how
    many tasks were completed (0 or 1)."""
    task = (
        ReviewTask.objects.open()
        .select_for_update()
        .filter(post_id=post_id, queue=queue)
        .only("pk", "queue", "post_id")
        .first()
    )
    if task is None:
        return 0
    ReviewTask.objects.filter(pk=task.pk).update(
        status=ReviewTask.Status.COMPLETED, outcome=outcome, completed_at=timezone.now()
    )
    publish(
        events.ReviewTaskCompleted(
            task_id=task.pk, queue=queue, post_id=post_id, outcome=outcome, reviewer_id=None
        )
    )
    return 1
