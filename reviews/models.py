"""Suggested edits and the review queues: the community's own moderation, run by members
whose reputation earned them the privilege. Models here depend on accounts and questions;
nothing below imports them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from questions.models import Post


class SuggestedEdit(models.Model):
    """An edit by a member who may not edit the post freely, waiting for the post's author
    or the reviewers. Approved, it becomes a revision credited to the suggester."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    class RejectReason(models.TextChoices):
        """Stack Exchange's reasons, and the free text of OTHER. SUPERSEDED is the system's:
        the post was edited after the suggestion was made."""

        SPAM = "spam", _("spam or vandalism")
        NO_IMPROVEMENT = "no_improvement", _("no improvement whatsoever")
        IRRELEVANT_TAGS = "irrelevant_tags", _("irrelevant tags")
        CONFLICTS_WITH_INTENT = "conflicts_with_intent", _("clearly conflicts with author's intent")
        ATTEMPT_TO_REPLY = "attempt_to_reply", _("attempt to reply")
        OTHER = "other", _("other (explained in the text)")
        SUPERSEDED = "superseded", _("the post was edited meanwhile")

    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="suggested_edits"
    )
    suggester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("suggested by"),
        on_delete=models.CASCADE,
        related_name="suggested_edits",
    )
    # The number of the post's latest revision when the suggestion was made: approving it
    # over a later revision would undo that revision unseen.
    base_revision = models.PositiveIntegerField(_("made against revision"))
    title = models.CharField(_("title"), max_length=250, blank=True)
    # Space-separated, as PostRevision keeps them; empty for answers.
    tags = models.CharField(_("tags"), max_length=200, blank=True)
    body_markdown = models.TextField(_("body"))
    summary = models.CharField(_("edit summary"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("suggested"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # Who decided: the author or the reviewer whose vote settled it; None for the system.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reject_reason = models.CharField(
        _("reason for rejection"), max_length=30, choices=RejectReason.choices, blank=True
    )
    reject_text = models.TextField(_("explanation"), blank=True)

    class Meta:
        verbose_name = _("suggested edit")
        verbose_name_plural = _("suggested edits")
        constraints = [
            models.UniqueConstraint(
                fields=["post"],
                condition=Q(status="pending"),
                name="suggestededit_one_pending_per_post",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "rejected"]),
                name="suggestededit_status_known",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="suggestededit_decided_when_not_pending",
            ),
        ]
        indexes = [
            # A member's suggestions, newest first (and their count of approved ones).
            models.Index(fields=["suggester", "-created_at"], name="suggestededit_suggester_idx"),
        ]

    def __str__(self):
        return f"#{self.post_id} ({self.get_status_display()})"

    @property
    def tag_names(self):
        return self.tags.split()


class ReviewTaskQuerySet(models.QuerySet):
    def open(self):
        """The tasks a queue serves: open and not an audit. The partial index
        reviewtask_next_idx holds exactly these, in id order per queue."""
        return self.filter(status=ReviewTask.Status.OPEN, is_audit=False)


class ReviewTask(models.Model):
    """A post waiting in a review queue. Reviews are added to it until its queue's
    outcome is reached (reviews.services); then it is completed, or invalidated when the
    post changed so that the question is moot (deleted, closed by a moderator…)."""

    class Queue(models.TextChoices):
        FIRST_QUESTIONS = "first_questions", _("First questions")
        FIRST_ANSWERS = "first_answers", _("First answers")
        LATE_ANSWERS = "late_answers", _("Late answers")
        SUGGESTED_EDITS = "suggested_edits", _("Suggested edits")
        CLOSE_VOTES = "close_votes", _("Close votes")
        REOPEN_VOTES = "reopen_votes", _("Reopen votes")
        LOW_QUALITY = "low_quality", _("Low quality posts")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        COMPLETED = "completed", _("completed")
        INVALIDATED = "invalidated", _("invalidated")

    class Outcome(models.TextChoices):
        LOOKS_OK = "looks_ok", _("looks OK")
        EDITED = "edited", _("edited")
        COMMENTED = "commented", _("feedback given")
        FLAGGED = "flagged", _("flagged")
        RECOMMEND_DELETION = "recommend_deletion", _("deletion recommended")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        CLOSED = "closed", _("closed")
        LEFT_OPEN = "left_open", _("left open")
        REOPENED = "reopened", _("reopened")
        LEFT_CLOSED = "left_closed", _("left closed")

    queue = models.CharField(_("queue"), max_length=20, choices=Queue.choices)
    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="review_tasks"
    )
    suggested_edit = models.ForeignKey(
        SuggestedEdit,
        verbose_name=_("suggested edit"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="review_tasks",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    # Why the post entered the queue beyond the queue's name ("flag", "short"), or why
    # the task was invalidated.
    note = models.CharField(_("note"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"))
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    # Review audits: a known-good or known-bad post shown as a test. `audit_expected` is
    # the action that passes it. An audit task is never completed by its reviews.
    is_audit = models.BooleanField(_("audit"), default=False)
    audit_expected = models.CharField(_("expected action"), max_length=20, blank=True)

    objects = ReviewTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("review task")
        verbose_name_plural = _("review tasks")
        constraints = [
            models.UniqueConstraint(
                fields=["queue", "post"],
                condition=Q(status="open", is_audit=False),
                name="reviewtask_one_open_per_queue_and_post",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "completed", "invalidated"]),
                name="reviewtask_status_known",
            ),
            models.CheckConstraint(
                condition=Q(queue="suggested_edits", suggested_edit__isnull=False)
                | (~Q(queue="suggested_edits") & Q(suggested_edit__isnull=True)),
                name="reviewtask_suggested_edits_have_one",
            ),
        ]
        indexes = [
            # The next task of a queue, and its count: the open tasks in id order, from an
            # index that holds nothing else, so reading one is flat in the number of posts.
            models.Index(
                fields=["queue", "id"],
                condition=Q(status="open", is_audit=False),
                name="reviewtask_next_idx",
            ),
            # A post's tasks (closed when the post is deleted; a task's history links).
            models.Index(fields=["post", "status"], name="reviewtask_post_idx"),
            # The audits a queue may serve (reviews.audits): a few open ones per queue.
            models.Index(
                fields=["queue", "id"],
                condition=Q(status="open", is_audit=True),
                name="reviewtask_audit_idx",
            ),
        ]

    def __str__(self):
        return f"{self.get_queue_display()} #{self.post_id} ({self.get_status_display()})"


class Review(models.Model):
    """One reviewer's action on a task. A skip is a review too: the task is not shown to
    them again, but it counts towards no outcome and no daily limit."""

    class Action(models.TextChoices):
        LOOKS_OK = "looks_ok", _("Looks OK")
        EDIT = "edit", _("Edit")
        FEEDBACK = "feedback", _("Share feedback")
        FLAG = "flag", _("Flag")
        RECOMMEND_DELETION = "recommend_deletion", _("Recommend deletion")
        SKIP = "skip", _("Skip")
        APPROVE = "approve", _("Approve")
        REJECT = "reject", _("Reject")
        IMPROVE = "improve", _("Improve edit")
        CLOSE = "close", _("Close")
        LEAVE_OPEN = "leave_open", _("Leave open")
        REOPEN = "reopen", _("Reopen")
        LEAVE_CLOSED = "leave_closed", _("Leave closed")

    task = models.ForeignKey(
        ReviewTask, verbose_name=_("task"), on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    # A rejection's reason (SuggestedEdit.RejectReason) or a close vote's (Post.CloseReason).
    reason = models.CharField(_("reason"), max_length=30, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("reviewed"))
    # For audit tasks: whether the action was the expected one (None: not an audit).
    audit_passed = models.BooleanField(_("audit passed"), null=True, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["task", "reviewer"], name="review_one_per_reviewer"),
        ]
        indexes = [
            # A reviewer's reviews of the day (the daily limits) and their history.
            models.Index(fields=["reviewer", "-created_at"], name="review_reviewer_idx"),
            # The moderators' queue statistics: the reviews of the last days.
            models.Index(fields=["created_at"], name="review_created_idx"),
        ]

    def __str__(self):
        return f"{self.get_action_display()} #{self.task_id}"


class ReviewBanQuerySet(models.QuerySet):
    def active(self):
        """The bans that hold now: not lifted, not ended."""
        return self.filter(lifted_at__isnull=True, until__gt=timezone.now())


class ReviewBan(models.Model):
    """A reviewer kept out of the queues until `until`: by failed audits (`created_by`
    None) or by a moderator. A moderator may lift it early."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="review_bans",
    )
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("from"))
    until = models.DateTimeField(_("until"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("banned by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lifted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ReviewBanQuerySet.as_manager()

    class Meta:
        verbose_name = _("review ban")
        verbose_name_plural = _("review bans")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__gt=models.F("created_at")), name="reviewban_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["user", "-until"], name="reviewban_user_idx")]

    def __str__(self):
        return f"{self.user_id} ({self.created_at:%Y-%m-%d} – {self.until:%Y-%m-%d})"
