"""Who may suggest edits and review: one function per rule, returning the reason an
action is refused (None when allowed), used by the views to enforce, by the templates to
show, and by the services again under the task's lock.

The queues' privileges are reputation thresholds (accounts/privileges.py), so whether a
member may review at all costs no query (`may_review`, for the header's link); a review
ban and the daily limits are rows, read when a queue is opened or a review is sent."""

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.permissions import account_denial
from accounts.privileges import has_privilege, threshold
from accounts.roles import is_moderator
from questions.permissions import edit_denial
from questions.reputation import start_of_day
from reviews.models import Review, ReviewBan, ReviewTask, SuggestedEdit

Queue = ReviewTask.Queue
Action = Review.Action

# The privilege (accounts.privileges key) each queue needs, as on Stack Exchange: the first
# posts and late answers at 500 reputation, the suggested edits and low-quality posts with
# the edit privilege, the close and reopen votes with the vote to close.
QUEUE_PRIVILEGES = {
    Queue.FIRST_QUESTIONS: "review",
    Queue.FIRST_ANSWERS: "review",
    Queue.LATE_ANSWERS: "review",
    Queue.SUGGESTED_EDITS: "edit_others",
    Queue.CLOSE_VOTES: "close_reopen",
    Queue.REOPEN_VOTES: "close_reopen",
    Queue.LOW_QUALITY: "edit_others",
}

# The actions each queue offers, in the order its page shows them.
_FIRST_POSTS = [Action.LOOKS_OK, Action.EDIT, Action.FEEDBACK, Action.FLAG]
QUEUE_ACTIONS = {
    Queue.FIRST_QUESTIONS: [*_FIRST_POSTS, Action.SKIP],
    Queue.FIRST_ANSWERS: [*_FIRST_POSTS, Action.RECOMMEND_DELETION, Action.SKIP],
    Queue.LATE_ANSWERS: [*_FIRST_POSTS, Action.RECOMMEND_DELETION, Action.SKIP],
    Queue.SUGGESTED_EDITS: [Action.APPROVE, Action.REJECT, Action.IMPROVE, Action.SKIP],
    Queue.CLOSE_VOTES: [Action.CLOSE, Action.LEAVE_OPEN, Action.SKIP],
    Queue.REOPEN_VOTES: [Action.REOPEN, Action.LEAVE_CLOSED, Action.SKIP],
    Queue.LOW_QUALITY: [Action.LOOKS_OK, Action.EDIT, Action.RECOMMEND_DELETION, Action.SKIP],
}


def may_review(user):
    """Whether `user` holds the privilege of any queue: the header's Review link. A
    reputation check only, without the query a review ban would cost."""
    return any(has_privilege(user, key) for key in set(QUEUE_PRIVILEGES.values()))


def review_denial(user):
    """Why `user` may use no review queue at all (no query)."""
    if reason := account_denial(user):
        return reason
    if may_review(user):
        return None
    return _("You need %(reputation)s reputation to use the review queues.") % {
        "reputation": min(threshold(key) for key in QUEUE_PRIVILEGES.values())
    }


def queue_privilege_denial(user, queue):
    """Why `user` may not use `queue`, by their account and reputation alone (no query)."""
    if reason := account_denial(user):
        return reason
    key = QUEUE_PRIVILEGES[queue]
    if has_privilege(user, key):
        return None
    return _("You need %(reputation)s reputation to review %(queue)s.") % {
        "reputation": threshold(key),
        "queue": Queue(queue).label,
    }


def active_review_ban(user):
    """The review ban `user` is under now, or None."""
    if not user.is_authenticated:
        return None
    return ReviewBan.objects.active().filter(user=user).order_by("-until").first()


def review_ban_denial(user):
    """Why `user` may not review for now: a review ban."""
    ban = active_review_ban(user)
    if ban is None:
        return None
    return _("You may not review until %(date)s UTC. Reason: %(reason)s") % {
        "date": date_format(ban.until, "DATETIME_FORMAT"),
        "reason": ban.reason,
    }


def queue_denial(user, queue):
    """Why `user` may not review in `queue`: their account, reputation or a review ban."""
    return queue_privilege_denial(user, queue) or review_ban_denial(user)


def reviews_today(user, queue):
    """How many of `queue`'s tasks `user` reviewed today (UTC), skips left out."""
    return (
        Review.objects.filter(
            reviewer=user, created_at__gte=start_of_day(timezone.now()), task__queue=queue
        )
        .exclude(action=Action.SKIP)
        .count()
    )


def review_limit_denial(user, queue):
    """Why `user` may not review another task of `queue` today: FORUM_REVIEWS_PER_DAY."""
    limit = settings.FORUM_REVIEWS_PER_DAY
    if reviews_today(user, queue) < limit:
        return None
    return ngettext(
        "You have done %(count)s review in this queue today, the most a day allows. "
        "Thank you! Come back tomorrow.",
        "You have done %(count)s reviews in this queue today, the most a day allows. "
        "Thank you! Come back tomorrow.",
        limit,
    ) % {"count": limit}


def suggest_denial(user, post):
    """Why `user` may not suggest an edit of `post`: they must be a member in good
    standing who may not edit it directly (who may, edits)."""
    if reason := account_denial(user):
        return reason
    # A held first post takes its reviewers' suggestions (the Edit of the first posts).
    if post.deleted_at and not post.held_at:
        return _("This post has been deleted.")
    if post.locked_at:
        return _("This post is locked.")
    if edit_denial(user, post) is None:
        return _("You can edit this post yourself.")
    return None


def suggestion_decide_denial(user, suggestion):
    """Why `user` may not approve or reject `suggestion`: the post's author may, and the
    members with the edit privilege, unless a review ban keeps them out of the queues."""
    if reason := account_denial(user):
        return reason
    if suggestion.status != SuggestedEdit.Status.PENDING:
        return _("This suggested edit has been decided already.")
    if suggestion.suggester_id == user.pk:
        return _("You cannot review your own suggested edit.")
    post = suggestion.post
    if post.deleted_at and not is_moderator(user):
        return _("This post has been deleted.")
    if post.locked_at and not is_moderator(user):
        return _("This post is locked.")
    if post.author_id == user.pk:
        return None
    if reason := queue_privilege_denial(user, Queue.SUGGESTED_EDITS):
        return reason
    return review_ban_denial(user)


def is_binding(user, task):
    """Whether `user`'s approval or rejection of a suggested edit decides it alone: the
    post's author's and a moderator's do."""
    return task.post.author_id == user.pk or is_moderator(user)


def task_review_denial(user, task, action=None):
    """Why `user` may not review `task` (with `action`, when given): the queue's privilege
    and ban, the task still open, not their own post, not reviewed by them already, and
    the daily limit (except for a post's author deciding a suggested edit of it)."""
    if reason := account_denial(user):
        return reason
    if task.status != ReviewTask.Status.OPEN:
        return _("This review task has been completed.")
    if action is not None and action not in QUEUE_ACTIONS[task.queue]:
        return _("This queue does not offer that action.")
    if task.queue == Queue.SUGGESTED_EDITS:
        if reason := suggestion_decide_denial(user, task.suggested_edit):
            return reason
    else:
        if reason := queue_denial(user, task.queue):
            return reason
        if task.post.author_id == user.pk:
            return _("You cannot review your own post.")
    if Review.objects.filter(task=task, reviewer=user).exists():
        return _("You have reviewed this task already.")
    counted = action not in (None, Action.SKIP) and task.post.author_id != user.pk
    if counted and (reason := review_limit_denial(user, task.queue)):
        return reason
    return None
