"""Review audits, Stack Exchange's answer to robo-reviewers: now and then a queue shows a
post whose fate is known, as if it were a task like the others. A known-good post (old,
scored well or accepted, never deleted) passes with anything but a flag, a deletion or a
close vote; a known-bad one (deleted after spam or rude flags, or voted far down) passes
only with those. FORUM_REVIEW_AUDIT_FAILURES_TO_BAN failures in a row keep the reviewer out
of the queues for a while (reviews.bans).

Audits are review tasks marked `is_audit`, a small pool per queue (reviews served from
`reviewtask_audit_idx`), filled from the posts' own indexes after reviews in the queue. A
review of an audit changes nothing on the post and completes nothing: it only records the
verdict. Whether a reviewer gets an audit instead of their next task is a roll seeded by
who they are and that task, so reloading the page shows the same one, and any review (a
skip too) moves on to the next roll. A known-bad post is shown as it read before its
deletion: the task looks like any other.
"""

import hashlib
import random
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import OperationalError, transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.roles import is_moderator
from core.events import subscribe
from moderation.models import Flag
from questions.models import Post
from reviews.bans import next_ban_days, review_ban
from reviews.events import ReviewRecorded
from reviews.models import Review, ReviewBan, ReviewTask
from reviews.permissions import queue_privilege_denial

User = get_user_model()
Queue = ReviewTask.Queue
Action = Review.Action
PostType = Post.PostType

# The queues that serve audits, and the posts each may show: the queues whose question is
# "is this post all right?". The suggested edits and the close and reopen votes ask about
# something else (an edit, a question's fate), which a known post cannot stand in for.
AUDITED_QUEUES = {
    Queue.FIRST_QUESTIONS: (PostType.QUESTION,),
    Queue.FIRST_ANSWERS: (PostType.ANSWER,),
    Queue.LATE_ANSWERS: (PostType.ANSWER,),
    Queue.LOW_QUALITY: (PostType.QUESTION, PostType.ANSWER),
}
# What a known-good audit expects (`ReviewTask.audit_expected`), and a known-bad one.
GOOD = Action.LOOKS_OK
BAD = Action.RECOMMEND_DELETION
# The actions that say "this post should go": right on a known-bad post, wrong on a good one.
REMOVING = {Action.FLAG, Action.RECOMMEND_DELETION, Action.CLOSE}
# Open audits per queue of each kind, how long one serves before fresher ones replace it,
# how far down the posts' indexes the candidates are drawn from, and how often the pool's
# size is checked.
POOL_SIZE = 10
POOL_DAYS = 7
CANDIDATES = 200
REFILL_SECONDS = 600


# Candidates


def _good_posts(post_type):
    """Old posts the community plainly approves of: scored FORUM_REVIEW_AUDIT_GOOD_SCORE
    or more (answers: or accepted with a positive score), in a thread that stands."""
    old = timezone.now() - timedelta(days=settings.FORUM_REVIEW_AUDIT_MIN_AGE_DAYS)
    standing = Post.objects.questions().filter(
        deleted_at__isnull=True,
        closed_at__isnull=True,
        locked_at__isnull=True,
        hidden_at__isnull=True,
    )
    good = settings.FORUM_REVIEW_AUDIT_GOOD_SCORE
    if post_type == PostType.QUESTION:
        # question_votes_idx, from the top.
        return standing.filter(created_at__lte=old, score__gte=good).order_by("-score", "-id")
    # The answers of the best-scored threads (question_votes_idx, then answer_score_idx).
    threads = standing.filter(answer_count__gt=0).order_by("-score", "-id")[:CANDIDATES]
    return (
        Post.objects.answers()
        .filter(parent__in=threads.values("pk"), deleted_at__isnull=True, created_at__lte=old)
        .filter(Q(score__gte=good) | Q(parent__accepted_answer=F("pk"), score__gt=0))
        .order_by("-score", "-id")
    )


def _bad_posts(post_type):
    """Deleted posts that were spam or abuse by the flags (a moderator's flag among them),
    or that the community voted FORUM_REVIEW_AUDIT_BAD_SCORE or lower; answers under a
    question that stands, so that the task looks like any other."""
    spam_or_rude = Flag.objects.filter(
        post=OuterRef("pk"),
        status=Flag.Status.HELPFUL,
        reason__in=[Flag.Reason.SPAM, Flag.Reason.RUDE],
    )
    posts = Post.objects.filter(deleted_at__isnull=False, post_type=post_type).filter(
        Q(Exists(spam_or_rude)) | Q(score__lte=settings.FORUM_REVIEW_AUDIT_BAD_SCORE)
    )
    if post_type == PostType.ANSWER:
        posts = posts.filter(parent__deleted_at__isnull=True)
    # post_deleted_idx, the newest deletions first.
    return posts.order_by("-id")


def _candidates(queue, expected):
    find = _good_posts if expected == GOOD else _bad_posts
    ids = []
    for post_type in AUDITED_QUEUES[queue]:
        ids += find(post_type).values_list("pk", flat=True)[:CANDIDATES]
    return ids


# The pool


def _pool(queue):
    return ReviewTask.objects.filter(queue=queue, is_audit=True, status=ReviewTask.Status.OPEN)


def _still_known(tasks):
    """The audits whose post is still what it was taken for: a good one not deleted since,
    a bad one not undeleted."""
    return tasks.filter(
        Q(audit_expected=GOOD, post__deleted_at__isnull=True)
        | Q(audit_expected=BAD, post__deleted_at__isnull=False)
    )


def audit_pool_short(queue):
    """Whether `queue`'s pool lacks fresh audits (one query, on reviewtask_audit_idx)."""
    fresh = _pool(queue).filter(created_at__gt=timezone.now() - timedelta(days=POOL_DAYS))
    return fresh.count() < 2 * POOL_SIZE


@transaction.atomic
def audit_pool_refill(*, queue):
    """Retires `queue`'s audits that served their time or whose post changed, and adds
    known posts drawn at random until there are POOL_SIZE good and POOL_SIZE bad ones (as
    far as the site has them). Returns how many it added."""
    if queue not in AUDITED_QUEUES:
        return 0
    now = timezone.now()
    pool = _pool(queue)
    changed = pool.exclude(pk__in=_still_known(pool).values("pk"))
    aged = pool.filter(created_at__lte=now - timedelta(days=POOL_DAYS))
    (changed | aged).update(
        status=ReviewTask.Status.INVALIDATED, completed_at=now, note="audit retired"
    )
    added = []
    for expected in (GOOD, BAD):
        missing = POOL_SIZE - pool.filter(audit_expected=expected).count()
        if missing <= 0:
            continue
        taken = set(pool.values_list("post_id", flat=True))
        ids = [pk for pk in _candidates(queue, expected) if pk not in taken]
        added += [
            ReviewTask(
                queue=queue, post_id=pk, is_audit=True, audit_expected=expected, created_at=now
            )
            for pk in random.sample(ids, min(missing, len(ids)))
        ]
    ReviewTask.objects.bulk_create(added)
    return len(added)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def audit_pool_refill_task(queue):
    return audit_pool_refill(queue=queue)


# Serving


def _roll(user, queue, task):
    """A number fixed by the reviewer, the queue and the task they would get next, which
    no one can guess without the site's secret key."""
    seed = f"{settings.SECRET_KEY}:audit:{user.pk}:{queue}:{task.pk}"
    return int.from_bytes(hashlib.sha256(seed.encode()).digest()[:8], "big")


def audit_instead_of(task, *, user):
    """The audit `user` is shown instead of `task`, the next task of its queue, or None:
    about one time in FORUM_REVIEW_AUDIT_EVERY, never twice in a row, never to moderators
    (who act on what they see alone). The roll is fixed by the task, so a reload shows the
    same page, and any review moves on to the next roll. No query unless the roll says
    "audit", one if it does (on reviewtask_audit_idx)."""
    every = settings.FORUM_REVIEW_AUDIT_EVERY
    queue = task.queue
    if queue not in AUDITED_QUEUES or not every or is_moderator(user):
        return None
    roll = _roll(user, queue, task)
    if roll % every:
        return None
    reviewed = Review.objects.filter(task=OuterRef("pk"), reviewer=user)
    last_was_audit = Coalesce(
        Subquery(Review.objects.filter(reviewer=user).order_by("-id").values("task__is_audit")[:1]),
        False,
    )
    audits = list(
        _still_known(_pool(queue))
        .alias(last_was_audit=last_was_audit)
        .exclude(last_was_audit=True)
        .exclude(post__author=user)
        .exclude(Exists(reviewed))
        .select_related("post__author", "post__parent__author")
        .order_by("id")
    )
    if not audits:
        return None
    return disguised(audits[roll // every % len(audits)])


def disguised(audit):
    """The audit as a task shows its post: a known-bad post as it read before it was
    deleted and locked (in memory only; nothing is saved)."""
    post = audit.post
    post.deleted_at = post.deleted_by_id = post.locked_at = None
    return audit


def audit_visible(viewer, task):
    """Whether `viewer` may open the audit `task` (and review it): moderators, and the
    members who may use its queue, to whom it is served as a task like any other."""
    return is_moderator(viewer) or (
        viewer.is_authenticated and queue_privilege_denial(viewer, task.queue) is None
    )


# Verdicts


def audit_passed(*, task, action):
    """Whether `action` passes the audit `task`: on a known-bad post only an action that
    would remove it, on a known-good one anything else. A skip decides nothing (None)."""
    if action == Action.SKIP:
        return None
    removing = action in REMOVING
    return removing if task.audit_expected == BAD else not removing


def audit_verdict_message(*, task, passed):
    """What the reviewer reads at once after reviewing the audit `task`."""
    if passed:
        return _(
            "Congratulations! This was only a test, a post whose fate we knew, to make sure "
            "you were paying attention. You passed. Keep it up!"
        )
    if task.audit_expected == GOOD:
        why = _(
            "This was an audit, a test of whether you were paying attention, and you did "
            "not pass it. This post is known to be good: the community voted it up or "
            "accepted it long ago. It needs no flag, no deletion and no close vote."
        )
    else:
        why = _(
            "This was an audit, a test of whether you were paying attention, and you did "
            "not pass it. This post is known to be bad: it was removed as spam or abuse, "
            "or voted far down. It should have been flagged or recommended for deletion."
        )
    count = settings.FORUM_REVIEW_AUDIT_FAILURES_TO_BAN
    warning = ngettext(
        "Nothing happened to the post. Fail %(count)d audit in a row and you may not "
        "review for a few days; read each post with care before you act.",
        "Nothing happened to the post. Fail %(count)d audits in a row and you may not "
        "review for a few days; read each post with care before you act.",
        count,
    ) % {"count": count}
    return f"{why} {warning}"


def review_ban_for_audits(*, user):
    """Bans `user` from the queues when their last FORUM_REVIEW_AUDIT_FAILURES_TO_BAN
    audits since their last ban all failed; returns the ban, or None."""
    needed = settings.FORUM_REVIEW_AUDIT_FAILURES_TO_BAN
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        last_ban = ReviewBan.objects.filter(user=user).order_by("-created_at").first()
        if last_ban and last_ban.lifted_at is None and last_ban.until > timezone.now():
            return None
        verdicts = Review.objects.filter(reviewer=user, audit_passed__isnull=False)
        if last_ban:
            verdicts = verdicts.filter(created_at__gt=last_ban.created_at)
        latest = list(
            verdicts.order_by("-created_at", "-id").values_list("audit_passed", flat=True)[:needed]
        )
        if len(latest) < needed or any(latest):
            return None
        reason = ngettext(
            "You failed %(count)d review audit in a row: reviewing needs your full attention "
            "on each post.",
            "You failed %(count)d review audits in a row: reviewing needs your full attention "
            "on each post.",
            needed,
        ) % {"count": needed}
        return review_ban(user=user, moderator=None, days=next_ban_days(user), reason=reason)


# Subscriber


def review_recorded(event):
    """After a review in an audited queue: a failed audit may ban the reviewer, and a pool
    that runs short is refilled in the background. Whether it runs short is asked at most
    every REFILL_SECONDS per queue, not after every review."""
    if event.is_audit and event.audit_passed is False:
        review_ban_for_audits(user=User.objects.get(pk=event.reviewer_id))
    if event.queue not in AUDITED_QUEUES:
        return
    checked = f"reviews:audit-pool-checked:{event.queue}"
    if cache.add(checked, True, REFILL_SECONDS) and audit_pool_short(event.queue):
        audit_pool_refill_task.delay(event.queue)


def register():
    subscribe(ReviewRecorded, review_recorded)
