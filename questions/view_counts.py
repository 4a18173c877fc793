"""Thread views, counted in the cache instead of the database.

A view increments a counter in the cache; every FORUM_VIEW_COUNT_FLUSH_EVERY views of a
thread, the request that reaches that number adds them to `Post.view_count` in one UPDATE,
and `manage.py flush_view_counts` (run every few minutes) writes whatever the counters hold.
So a thread page never writes to the database on its own account, and `view_count` trails
the real count by up to that many views until the next flush. It is not one of the counters
`recount` checks: nothing else records views.

Counters are grouped in epochs, each with a list of the questions counted in it (the cache
cannot list its keys): the flush starts a new epoch, so new views go elsewhere, and then
drains the one before. A view that raced the start of the epoch lands in the old one, which
the next flush drains again. With the local-memory cache each process keeps its own
counters, which only the threshold flushes; Redis shares them, so the command reaches all.
"""

from collections import defaultdict

from django.conf import settings
from django.core.cache import cache
from django.db.models import F

from questions.models import Post

EPOCH = "views:epoch"
# Counts unflushed this long are given up: the command is meant to run far more often.
KEEP_SECONDS = 7 * 24 * 60 * 60
BATCH = 1000


def _incr(key):
    cache.add(key, 0, KEEP_SECONDS)
    return cache.incr(key)


def _epoch():
    epoch = cache.get(EPOCH)
    if epoch is None:
        cache.add(EPOCH, 0, None)
        epoch = cache.get(EPOCH)
    return epoch


def _add_views(views):
    """Adds views to the questions: {question id: views}, one UPDATE per distinct number."""
    by_number = defaultdict(list)
    for question_id, number in views.items():
        by_number[number].append(question_id)
    for number, question_ids in by_number.items():
        Post.objects.filter(pk__in=question_ids).update(view_count=F("view_count") + number)


def thread_viewed(*, question_id):
    """Counts one view of the question's thread."""
    epoch = _epoch()
    key = f"views:{epoch}:{question_id}"
    if cache.add(key, 1, KEEP_SECONDS):
        slot = _incr(f"views:{epoch}:slots")
        cache.set(f"views:{epoch}:slot:{slot}", question_id, KEEP_SECONDS)
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # drained (or evicted) between the two calls: one view is lost
            return
    every = settings.FORUM_VIEW_COUNT_FLUSH_EVERY
    # Each number is returned by exactly one increment, so one request takes these views.
    if count == every:
        cache.decr(key, every)
        _add_views({question_id: every})


def unflushed_views(*, question_id):
    """The views of the question counted in the cache and not yet in `Post.view_count`
    (those of the current epoch), so that a page can show the count as it stands."""
    return max(cache.get(f"views:{_epoch()}:{question_id}") or 0, 0)


def _drain(epoch):
    slots_key = f"views:{epoch}:slots"
    slots = cache.get(slots_key) or 0
    views = {}
    for start in range(1, slots + 1, BATCH):
        slot_keys = [f"views:{epoch}:slot:{n}" for n in range(start, min(start + BATCH, slots + 1))]
        question_ids = cache.get_many(slot_keys).values()
        counter_keys = {f"views:{epoch}:{question_id}": question_id for question_id in question_ids}
        for key, number in cache.get_many(counter_keys).items():
            if number > 0:
                views[counter_keys[key]] = views.get(counter_keys[key], 0) + number
        cache.delete_many([*slot_keys, *counter_keys])
    cache.delete(slots_key)
    return views


def view_counts_flush():
    """Writes the views counted so far to the questions; returns how many views it wrote."""
    epoch = _epoch()
    _incr(EPOCH)
    views = {}
    for old in (epoch - 1, epoch):
        for question_id, number in _drain(old).items():
            views[question_id] = views.get(question_id, 0) + number
    _add_views(views)
    return sum(views.values())
