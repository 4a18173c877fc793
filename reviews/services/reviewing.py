"""A reviewer's action on a task: checked under the task's row lock, recorded once (one
review per task and reviewer), carried out through the services of the apps below (a
comment, a flag, a close vote, an edit, a suggested edit's decision) and, when the
queue's outcome is reached, the task completed. Two reviewers completing one task at
once queue up on its lock: the second finds it completed and is refused."""

from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.events import publish
from moderation import services as moderation_services
from moderation.models import CloseVote, Flag
from moderation.permissions import close_vote_denial, flag_denial
from questions import services as question_services
from questions.permissions import comment_denial, edit_denial
from reviews import audits, events
from reviews.models import Review, ReviewTask, SuggestedEdit
from reviews.permissions import (
    QUEUE_ACTIONS,
    is_binding,
    queue_denial,
    task_review_denial,
)
from reviews.services.suggestions import (
    SuggestionRefused,
    is_superseded,
    suggestion_approve,
    suggestion_create,
    suggestion_reject,
    suggestion_supersede,
)

Action = Review.Action
Outcome = ReviewTask.Outcome
Queue = ReviewTask.Queue

# What a task of the first posts or late answers comes to when its reviews chose this.
ACTION_OUTCOMES = {
    Action.LOOKS_OK: Outcome.LOOKS_OK,
    Action.EDIT: Outcome.EDITED,
    Action.FEEDBACK: Outcome.COMMENTED,
    Action.FLAG: Outcome.FLAGGED,
    Action.RECOMMEND_DELETION: Outcome.RECOMMEND_DELETION,
}
FIRST_POSTS = (Queue.FIRST_QUESTIONS, Queue.FIRST_ANSWERS, Queue.LATE_ANSWERS)
# The outcomes that let a held first post out (FORUM_HOLD_FIRST_POSTS); a flag or a
# recommended deletion keeps it held for the moderators, who delete or release it.
RELEASING_OUTCOMES = (Outcome.LOOKS_OK, Outcome.EDITED, Outcome.COMMENTED)
# The reasons a reviewer may give; SUPERSEDED is the system's.
REJECT_REASONS = [
    reason
    for reason in SuggestedEdit.RejectReason.values
    if reason != SuggestedEdit.RejectReason.SUPERSEDED
]


class ReviewRefused(Exception):
    """A review the rules do not take (any more); `reason` says why."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class PostEdit:
    """The edit of an Edit or Improve review, as the edit form cleaned it. `base_revision`
    is the revision the form was shown at (a reviewer below the edit privilege suggests
    the edit instead, against it)."""

    body: str
    title: str | None = None
    tags: list | None = None
    summary: str = ""
    base_revision: int | None = None


@dataclass(frozen=True)
class ReviewDone:
    review: Review
    outcome: str | None  # the task's outcome if this review completed it


def _locked_task(task_id):
    """The task, locked, and read after the lock was granted (a statement that waited for
    a lock still sees the rows as they were before it waited)."""
    ReviewTask.objects.select_for_update().filter(pk=task_id).values_list("pk").get()
    return ReviewTask.objects.select_related(
        "post__parent", "post__author", "suggested_edit__suggester", "suggested_edit__post__parent"
    ).get(pk=task_id)


def _audit_denial(user, task, action):
    if reason := queue_denial(user, task.queue):
        return reason
    if action not in QUEUE_ACTIONS[task.queue]:
        return _("This queue does not offer that action.")
    if Review.objects.filter(task=task, reviewer=user).exists():
        return _("You have reviewed this task already.")
    return None


def _counts(task):
    return Counter(task.reviews.exclude(action=Action.SKIP).values_list("action", flat=True))


def _edit(task, reviewer, edit):
    """The reviewer's edit of the post; below the edit privilege, their suggested edit."""
    post = task.post
    if edit_denial(reviewer, post) is None:
        changed = question_services.post_edit(
            post=post,
            editor=reviewer,
            body=edit.body,
            title=edit.title,
            tags=edit.tags,
            summary=edit.summary,
        )
        if not changed:
            raise ReviewRefused(_("Nothing was changed, so there was nothing to save."))
        return
    try:
        suggestion_create(
            post=post,
            suggester=reviewer,
            base_revision=edit.base_revision,
            body=edit.body,
            title=edit.title,
            tags=edit.tags,
            summary=edit.summary,
        )
    except SuggestionRefused as refusal:
        raise ReviewRefused(refusal.reason) from refusal


def _flag(task, reviewer, *, reason, text=""):
    if refusal := flag_denial(reviewer, task.post):
        raise ReviewRefused(refusal)
    moderation_services.flag_create(reporter=reviewer, reason=reason, post=task.post, text=text)


def _recommend_deletion(task, reviewer):
    """A "very low quality" flag from the reviewer, for the moderators (and the low-quality
    queue), unless their flag on the post is pending already."""
    pending = Flag.objects.filter(
        reporter=reviewer, post=task.post, status=Flag.Status.PENDING
    ).exists()
    if not pending:
        _flag(task, reviewer, reason=Flag.Reason.LOW_QUALITY)


def _close_vote(task, reviewer, *, kind, reason="", duplicate_of=None):
    """The reviewer's close or reopen vote; whether it closed or reopened the question."""
    if refusal := close_vote_denial(reviewer, task.post, kind):
        raise ReviewRefused(refusal)
    return moderation_services.close_vote_cast(
        question=task.post, user=reviewer, kind=kind, reason=reason, duplicate_of=duplicate_of
    )


def _suggestion_decision(task, reviewer, action, *, reason, comment, edit, counts):
    """Approves or rejects the task's suggested edit when this review decides it: the
    post's author's and a moderator's decide alone, and so does an improvement; otherwise
    FORUM_REVIEWS_TO_COMPLETE approvals or rejections."""
    suggestion = task.suggested_edit
    needed = settings.FORUM_REVIEWS_TO_COMPLETE[task.queue]
    binding = is_binding(reviewer, task)
    if action == Action.IMPROVE:
        suggestion_approve(suggestion=suggestion, approver=reviewer)
        question_services.post_edit(
            post=task.post,
            editor=reviewer,
            body=edit.body,
            title=edit.title,
            tags=edit.tags,
            summary=edit.summary,
        )
        return Outcome.APPROVED
    if action == Action.APPROVE and (binding or counts[Action.APPROVE] >= needed):
        suggestion_approve(suggestion=suggestion, approver=reviewer)
        return Outcome.APPROVED
    if action == Action.REJECT and (binding or counts[Action.REJECT] >= needed):
        suggestion_reject(suggestion=suggestion, by=reviewer, reason=reason, text=comment)
        return Outcome.REJECTED
    return None


def _carry_out(
    task, reviewer, action, *, reason, comment, flag_reason, flag_text, duplicate_of, edit
):
    """Does what the action does to the post; returns what it decided on its own (a
    closure, a reopening, a suggested edit's fate), else None."""
    if action == Action.FEEDBACK:
        if refusal := comment_denial(reviewer, task.post):
            raise ReviewRefused(refusal)
        question_services.comment_create(author=reviewer, post=task.post, body=comment)
    elif action == Action.FLAG:
        _flag(task, reviewer, reason=flag_reason, text=flag_text)
    elif action == Action.RECOMMEND_DELETION:
        _recommend_deletion(task, reviewer)
    elif action == Action.EDIT:
        _edit(task, reviewer, edit)
    elif action == Action.CLOSE:
        closed = _close_vote(
            task, reviewer, kind=CloseVote.Kind.CLOSE, reason=reason, duplicate_of=duplicate_of
        )
        return Outcome.CLOSED if closed else None
    elif action == Action.REOPEN:
        reopened = _close_vote(task, reviewer, kind=CloseVote.Kind.REOPEN)
        return Outcome.REOPENED if reopened else None
    return None


def _outcome(task, action, decided, counts):
    """The task's outcome once this review is counted, or None while it stays open."""
    needed = settings.FORUM_REVIEWS_TO_COMPLETE[task.queue]
    if decided:
        return decided
    if task.queue in FIRST_POSTS:
        if sum(counts.values()) < needed:
            return None
        # The commonest choice; of equally common ones, this review's.
        top = max(counts.values())
        chosen = action if counts[action] == top else counts.most_common(1)[0][0]
        return ACTION_OUTCOMES[chosen]
    if task.queue == Queue.LOW_QUALITY:
        if action == Action.EDIT:
            return Outcome.EDITED
        if counts[action] >= needed:
            return ACTION_OUTCOMES[action]
    if action == Action.LEAVE_OPEN and counts[action] >= needed:
        return Outcome.LEFT_OPEN
    if action == Action.LEAVE_CLOSED and counts[action] >= needed:
        return Outcome.LEFT_CLOSED
    return None


def _recorded(review, task):
    publish(
        events.ReviewRecorded(
            review_id=review.pk,
            task_id=task.pk,
            queue=task.queue,
            post_id=task.post_id,
            reviewer_id=review.reviewer_id,
            action=review.action,
            is_audit=task.is_audit,
            audit_passed=review.audit_passed,
        )
    )


def review_submit(
    *,
    task,
    reviewer,
    action,
    reason="",
    comment="",
    flag_reason="",
    flag_text="",
    duplicate_of=None,
    edit=None,
):
    """Records `reviewer`'s `action` (Review.Action) on `task` and carries it out:
    `reason` is a rejection's (SuggestedEdit.RejectReason) or a close vote's
    (Post.CloseReason), `comment` the feedback or a rejection's explanation, `flag_reason`
    and `flag_text` a flag's, `duplicate_of` a duplicate's original, `edit` a PostEdit for
    Edit and Improve. Returns a ReviewDone; raises ReviewRefused when the rules do not let
    it through (checked again here, under the task's lock). An audit task records the
    review and whether it passed, and does nothing to the post."""
    with transaction.atomic():
        task = _locked_task(task.pk)
        suggestion = task.suggested_edit
        superseded = (
            not task.is_audit
            and task.status == ReviewTask.Status.OPEN
            and suggestion is not None
            and suggestion.status == suggestion.Status.PENDING
            and is_superseded(suggestion)
        )
        if superseded:
            suggestion_supersede(suggestion=suggestion)
        else:
            return _review(
                task,
                reviewer,
                action,
                reason=reason,
                comment=comment,
                flag_reason=flag_reason,
                flag_text=flag_text,
                duplicate_of=duplicate_of,
                edit=edit,
            )
    raise ReviewRefused(
        _(
            "The post was edited after this suggestion was made, so it can no longer be "
            "applied: it has been rejected for that reason."
        )
    )


def _details_denial(action, details):
    """What an action lacks of what it needs (the forms ask for it first)."""
    if action in (Action.EDIT, Action.IMPROVE) and details["edit"] is None:
        return _("An edit needs the post's new text.")
    if action == Action.REJECT:
        if details["reason"] not in REJECT_REASONS:
            return _("Choose why the suggested edit should be rejected.")
        if details["reason"] == SuggestedEdit.RejectReason.OTHER and not details["comment"]:
            return _("Explain why the suggested edit should be rejected.")
    if action == Action.CLOSE and details["reason"] not in CloseVote.Reason.values:
        return _("Choose why the question should be closed.")
    if action == Action.FLAG and details["flag_reason"] not in Flag.Reason.values:
        return _("Choose why the post should be flagged.")
    if action == Action.FEEDBACK and not details["comment"]:
        return _("Write your feedback.")
    return None


def _review(task, reviewer, action, **details):
    now = timezone.now()
    if task.is_audit:
        if refusal := _audit_denial(reviewer, task, action):
            raise ReviewRefused(refusal)
        passed = audits.audit_passed(task=task, action=action)
        review = Review.objects.create(
            task=task, reviewer=reviewer, action=action, created_at=now, audit_passed=passed
        )
        _recorded(review, task)
        return ReviewDone(review=review, outcome=None)
    if refusal := task_review_denial(reviewer, task, action) or _details_denial(action, details):
        raise ReviewRefused(refusal)
    review = Review.objects.create(
        task=task,
        reviewer=reviewer,
        action=action,
        reason=details["reason"] if action in (Action.REJECT, Action.CLOSE) else "",
        comment=details["comment"] if action in (Action.REJECT, Action.FEEDBACK) else "",
        created_at=now,
    )
    _recorded(review, task)
    if action == Action.SKIP:
        return ReviewDone(review=review, outcome=None)
    counts = _counts(task)
    if task.queue == Queue.SUGGESTED_EDITS:
        decided = _suggestion_decision(
            task,
            reviewer,
            action,
            reason=details["reason"],
            comment=details["comment"],
            edit=details["edit"],
            counts=counts,
        )
    else:
        decided = _carry_out(task, reviewer, action, **details)
    outcome = _outcome(task, action, decided, counts)
    if outcome:
        ReviewTask.objects.filter(pk=task.pk).update(
            status=ReviewTask.Status.COMPLETED, outcome=outcome, completed_at=now
        )
        task.status, task.outcome, task.completed_at = ReviewTask.Status.COMPLETED, outcome, now
        if outcome in RELEASING_OUTCOMES and task.post.held_at:
            question_services.post_release(post=task.post, user=reviewer)
        publish(
            events.ReviewTaskCompleted(
                task_id=task.pk,
                queue=task.queue,
                post_id=task.post_id,
                outcome=outcome,
                reviewer_id=reviewer.pk,
            )
        )
    return ReviewDone(review=review, outcome=outcome)
