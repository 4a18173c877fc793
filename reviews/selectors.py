"""The queries of the review pages. Each page costs a fixed number of queries; the next
task of a queue is read from the partial index of open tasks in id order
(reviewtask_next_idx), whose head holds the tasks to serve, so reading it stays flat
however many posts the site has."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from accounts.roles import is_moderator
from moderation.models import CloseVote
from questions.diffs import tags_diff, text_diff
from questions.models import attach_tags
from questions.permissions import can_see
from questions.reputation import start_of_day
from reviews import audits
from reviews.models import Review, ReviewTask, SuggestedEdit
from reviews.permissions import QUEUE_ACTIONS, queue_privilege_denial

Queue = ReviewTask.Queue
HISTORY_PAGE_SIZE = 30
# The user columns a review page shows of a member.
_SHOWN_USER_FIELDS = ("id", "username", "display_name", "reputation", "is_moderator")
# The kind of close vote each of the voting queues reviews.
_VOTE_KINDS = {Queue.CLOSE_VOTES: CloseVote.Kind.CLOSE, Queue.REOPEN_VOTES: CloseVote.Kind.REOPEN}


def _user_columns(relation):
    return tuple(f"{relation}__{field}" for field in _SHOWN_USER_FIELDS)


@dataclass
class QueueSummary:
    queue: str
    label: str
    open: int  # its open tasks
    done_today: int  # the viewer's reviews in it today
    denial: str | None  # why the viewer may not use it

    @property
    def slug(self):
        return queue_slug(self.queue)


def queue_slug(queue):
    """The queue as its URL writes it: first-questions."""
    return queue.replace("_", "-")


def queue_from_slug(slug):
    """The queue a URL names, or Http404."""
    queue = slug.replace("-", "_")
    if queue not in Queue.values or queue_slug(queue) != slug:
        raise Http404
    return queue


def queue_summaries(*, user):
    """Every queue with its open tasks and the viewer's reviews of today: two queries
    (the open tasks are counted from the partial index)."""
    open_counts = dict(
        ReviewTask.objects.open().order_by().values_list("queue").annotate(count=Count("id"))
    )
    done = reviews_done_today(user=user)
    return [
        QueueSummary(
            queue=queue,
            label=label,
            open=open_counts.get(queue, 0),
            done_today=done[queue],
            denial=queue_privilege_denial(user, queue),
        )
        for queue, label in Queue.choices
    ]


def reviews_done_today(*, user):
    """{queue: the reviews `user` did in it today (UTC), skips left out}: one query."""
    return Counter(
        dict(
            Review.objects.filter(reviewer=user, created_at__gte=start_of_day(timezone.now()))
            .exclude(action=Review.Action.SKIP)
            .order_by()
            .values_list("task__queue")
            .annotate(count=Count("id"))
        )
    )


def next_task(*, user, queue):
    """The task `user` reviews next in `queue`, with what its page shows, or None."""
    task = next_task_query(user=user, queue=queue).first()
    if task is not None:
        task = audits.audit_instead_of(task, user=user) or task
        task_context(task)
    return task


def next_task_query(*, user, queue):
    """The tasks `user` may review next in `queue`, oldest first: open ones they have not
    reviewed (nor skipped), not about their own post or suggestion, nor ones whose question
    they voted on already (close and reopen votes). Read in the order of the partial index
    reviewtask_next_idx, whose head holds them."""
    reviewed = Review.objects.filter(task=OuterRef("pk"), reviewer=user)
    tasks = (
        ReviewTask.objects.open()
        .filter(Q(post__deleted_at__isnull=True) | Q(post__held_at__isnull=False), queue=queue)
        .exclude(Exists(reviewed))
        .exclude(post__author=user)
        .order_by("id")
    )
    if queue == Queue.SUGGESTED_EDITS:
        tasks = tasks.exclude(suggested_edit__suggester=user)
    if kind := _VOTE_KINDS.get(queue):
        voted = CloseVote.objects.live().filter(question=OuterRef("post"), user=user, kind=kind)
        tasks = tasks.exclude(Exists(voted))
    return _with_context(tasks)


def _with_context(tasks):
    return tasks.select_related("post__author", "post__parent__author", "suggested_edit__suggester")


def task_for_viewer(*, pk, viewer):
    """The task `pk` with what its page shows, if `viewer` may see its post (an audit:
    the moderators, and the members it may be served to, as a task like any other), or
    Http404."""
    task = _with_context(ReviewTask.objects.filter(pk=pk)).first()
    if task is None:
        raise Http404
    if task.is_audit:
        if not audits.audit_visible(viewer, task):
            raise Http404
        if not is_moderator(viewer):
            audits.disguised(task)
    elif not (can_see(viewer, task.post) or _reviews_held(viewer, task)):
        raise Http404
    task_context(task)
    return task


def _reviews_held(viewer, task):
    """A held first post is seen by the reviewers of its queue (and its author)."""
    return bool(task.post.held_at) and queue_privilege_denial(viewer, task.queue) is None


def task_context(task):
    """Gives `task` what its page shows beside the post: `question`, `answer` (None for a
    question), the tags, the actions of its queue, a suggested edit's diff, a question's
    live close or reopen votes by reason. One or two queries."""
    post = task.post
    task.question = post.question
    task.answer = None if post.is_question else post
    attach_tags([task.question])
    task.actions = QUEUE_ACTIONS[task.queue]
    if task.suggested_edit_id:
        suggestion_diff(task.suggested_edit, post)
    if kind := _VOTE_KINDS.get(task.queue):
        task.close_votes = list(
            CloseVote.objects.live()
            .filter(question=post, kind=kind)
            .order_by()
            .values_list("reason")
            .annotate(count=Count("id"))
        )
    return task


def suggestion_diff(suggestion, post):
    """Gives `suggestion` `title_diff`, `tags_diff` and `body_diff`: what it changes in the
    post as it reads now, as (change, text) pieces, or None where it changes nothing. The
    question needs its `shown_tags` (attach_tags)."""
    suggestion.title_diff = suggestion.tags_diff = None
    if post.is_question:
        if suggestion.title != post.title:
            suggestion.title_diff = text_diff(post.title, suggestion.title)
        old_tags = [tag.name for tag in post.question.shown_tags]
        if set(old_tags) != set(suggestion.tag_names):
            suggestion.tags_diff = tags_diff(old_tags, suggestion.tag_names)
    suggestion.body_diff = (
        text_diff(post.body_markdown, suggestion.body_markdown)
        if suggestion.body_markdown != post.body_markdown
        else None
    )
    return suggestion


def attach_question_tags(post):
    """Gives the post's question its `shown_tags` (one query)."""
    attach_tags([post.question])


def suggestion_for_viewer(*, pk, viewer):
    """The suggested edit `pk` with its diff and its task, if `viewer` may see the post,
    or Http404."""
    suggestion = (
        SuggestedEdit.objects.filter(pk=pk)
        .select_related("post__parent", "post__author", "suggester", "decided_by")
        .first()
    )
    if suggestion is None or not can_see(viewer, suggestion.post):
        raise Http404
    post = suggestion.post
    attach_tags([post.question])
    if suggestion.status == SuggestedEdit.Status.PENDING:
        suggestion_diff(suggestion, post)
    suggestion.task = (
        ReviewTask.objects.filter(suggested_edit=suggestion, is_audit=False).order_by("-id").first()
    )
    return suggestion


def pending_suggestion(*, post):
    """The post's suggested edit waiting for review, or None."""
    return SuggestedEdit.objects.filter(post=post, status=SuggestedEdit.Status.PENDING).first()


def task_reviews(task):
    """The task's reviews, oldest first, with their reviewers."""
    return list(
        task.reviews.select_related("reviewer")
        .only("action", "reason", "comment", "created_at", "task_id", *_user_columns("reviewer"))
        .order_by("created_at", "id")
    )


def review_history(*, user, before=None):
    """A page of `user`'s reviews, newest first, older than the review `before` (keyset):
    (reviews, the id to pass as `before` for the next page, or None)."""
    reviews = (
        Review.objects.filter(reviewer=user).select_related("task__post__parent").order_by("-id")
    )
    if before is not None:
        reviews = reviews.filter(pk__lt=before)
    reviews = list(reviews[: HISTORY_PAGE_SIZE + 1])
    more = len(reviews) > HISTORY_PAGE_SIZE
    reviews = reviews[:HISTORY_PAGE_SIZE]
    return reviews, (reviews[-1].pk if more else None)
