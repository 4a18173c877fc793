"""Moderation: flags, the audit log, suspensions, close votes, moderator messages and
escalations to the community managers. Models here depend on accounts and questions,
never the other way round."""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from questions.models import Comment, Post


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValueError("The audit log is append-only.")

    def delete(self):
        raise ValueError("The audit log is append-only.")


class ModeratorAction(models.Model):
    """The audit log: one append-only row for every action of a moderator, a community
    manager or the system. Rows are never changed or deleted: the model and its QuerySet
    refuse, and database triggers refuse raw SQL too: UPDATE and DELETE on both databases
    (migrations 0002 and 0003), TRUNCATE on PostgreSQL (0003). An account that
    acted keeps its rows, so it cannot be deleted (deactivate it instead)."""

    class Verb(models.TextChoices):
        FLAG_HELPFUL = "flag_helpful", _("marked a flag helpful")
        FLAG_DECLINED = "flag_declined", _("declined a flag")
        POST_HIDDEN = "post_hidden", _("hid a question from the lists")
        POST_DELETED = "post_deleted", _("deleted a post")
        POST_UNDELETED = "post_undeleted", _("undeleted a post")
        COMMENT_DELETED = "comment_deleted", _("deleted a comment")
        COMMENT_UNDELETED = "comment_undeleted", _("undeleted a comment")
        POST_LOCKED = "post_locked", _("locked a post")
        POST_UNLOCKED = "post_unlocked", _("unlocked a post")
        POST_CLOSED = "post_closed", _("closed a question")
        POST_REOPENED = "post_reopened", _("reopened a question")
        POST_PROTECTED = "post_protected", _("protected a question")
        POST_UNPROTECTED = "post_unprotected", _("unprotected a question")
        REPUTATION_PENALTY = "reputation_penalty", _("took reputation for spam or abuse")
        USER_SUSPENDED = "user_suspended", _("suspended a user")
        SUSPENSION_LIFTED = "suspension_lifted", _("lifted a suspension")
        MESSAGE_SENT = "message_sent", _("sent a moderator message")
        ROLE_CHANGED = "role_changed", _("changed a role")
        ESCALATED = "escalated", _("escalated to the community managers")
        APPEALED = "appealed", _("appealed a removal")
        ESCALATION_ASSIGNED = "escalation_assigned", _("took an escalation")
        ESCALATION_RESOLVED = "escalation_resolved", _("resolved an escalation")
        REVIEW_BANNED = "review_banned", _("banned a member from the review queues")
        REVIEW_BAN_LIFTED = "review_ban_lifted", _("lifted a review ban")
        ACCOUNT_ERASED = "account_erased", _("erased an account")
        SPAMMER_DESTROYED = "spammer_destroyed", _("destroyed a spammer")
        SPAMMER_RESTORED = "spammer_restored", _("undid a spammer's destruction")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for the system's own actions."),
    )
    actor_name = models.CharField(_("actor name"), max_length=100, blank=True)
    verb = models.CharField(_("action"), max_length=30, choices=Verb.choices)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    target_label = models.CharField(_("target"), max_length=200, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log entries")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="audit_newest_idx"),
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
        ]

    def __str__(self):
        return f"{self.actor_name or _('System')} {self.get_verb_display()} {self.target_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The audit log is append-only.")


class Flag(models.Model):
    """A user's report of a post or a comment to the moderators."""

    class Reason(models.TextChoices):
        # On posts
        SPAM = "spam", _("spam")
        RUDE = "rude", _("rude or abusive")
        NOT_AN_ANSWER = "not_an_answer", _("not an answer")
        LOW_QUALITY = "low_quality", _("very low quality")
        MODERATOR = "moderator", _("needs moderator attention")
        # On comments
        HARASSMENT = "harassment", _("harassment, bigotry or abuse")
        UNFRIENDLY = "unfriendly", _("unfriendly or unkind")
        NO_LONGER_NEEDED = "no_longer_needed", _("no longer needed")
        OTHER = "other", _("something else")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        HELPFUL = "helpful", _("helpful")
        DECLINED = "declined", _("declined")
        ESCALATED = "escalated", _("escalated")

    post = models.ForeignKey(
        Post,
        verbose_name=_("post"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="flags",
    )
    comment = models.ForeignKey(
        Comment,
        verbose_name=_("comment"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="flags",
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reporter"),
        on_delete=models.CASCADE,
        related_name="flags",
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    text = models.TextField(_("details"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    note = models.TextField(_("moderator's note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(post__isnull=False, comment__isnull=True)
                | Q(post__isnull=True, comment__isnull=False),
                name="flag_on_a_post_or_a_comment",
            ),
            models.UniqueConstraint(
                fields=["reporter", "post"],
                condition=Q(status="pending", post__isnull=False),
                name="flag_one_pending_per_post",
            ),
            models.UniqueConstraint(
                fields=["reporter", "comment"],
                condition=Q(status="pending", comment__isnull=False),
                name="flag_one_pending_per_comment",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="flag_queue_idx"),
            models.Index(fields=["reporter", "-created_at"], name="flag_reporter_idx"),
        ]

    def __str__(self):
        return f"{self.get_reason_display()} ({self.get_status_display()})"


class Escalation(models.Model):
    """A case handed to the community managers: by a moderator (a flag, a post or a user,
    with a note) or by a user appealing the removal of their post."""

    class Kind(models.TextChoices):
        FLAG = "flag", _("flag")
        POST = "post", _("post")
        USER = "user", _("user")
        APPEAL = "appeal", _("appeal")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ASSIGNED = "assigned", _("assigned")
        RESOLVED = "resolved", _("resolved")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="escalations_raised",
    )
    flag = models.ForeignKey(
        Flag, verbose_name=_("flag"), on_delete=models.SET_NULL, null=True, blank=True
    )
    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.SET_NULL, null=True, blank=True
    )
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user concerned"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="escalations_about",
    )
    note = models.TextField(_("note"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("community manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="escalations_assigned",
    )
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"], name="escalation_queue_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display()})"


class Suspension(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="suspensions",
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderator"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"))
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lifted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="suspension_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.starts_at:%Y-%m-%d} – {self.ends_at:%Y-%m-%d})"


class CloseVoteQuerySet(models.QuerySet):
    def live(self):
        """The votes that count now: not spent by a closure or reopening, and younger than
        FORUM_CLOSE_VOTE_DAYS (older ones lapse)."""
        return self.filter(spent_at__isnull=True, created_at__gte=close_votes_lapse_before())

    def lapsed(self):
        """Unspent votes that are too old to count."""
        return self.filter(spent_at__isnull=True, created_at__lt=close_votes_lapse_before())


def close_votes_lapse_before():
    return timezone.now() - timedelta(days=settings.FORUM_CLOSE_VOTE_DAYS)


class CloseVote(models.Model):
    """A vote to close or to reopen a question. Votes lapse after a while, and are spent
    when the question closes or reopens."""

    class Kind(models.TextChoices):
        CLOSE = "close", _("close")
        REOPEN = "reopen", _("reopen")

    Reason = Post.CloseReason

    question = models.ForeignKey(
        Post, verbose_name=_("question"), on_delete=models.CASCADE, related_name="close_votes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, blank=True)
    duplicate_of = models.ForeignKey(
        Post,
        verbose_name=_("duplicate of"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("cast"), auto_now_add=True)
    spent_at = models.DateTimeField(_("spent"), null=True, blank=True)

    objects = CloseVoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("close vote")
        verbose_name_plural = _("close votes")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "user", "kind"],
                condition=Q(spent_at__isnull=True),
                name="closevote_one_active_per_user",
            ),
        ]

    def __str__(self):
        if self.reason:
            return f"{self.get_kind_display()} #{self.question_id} ({self.get_reason_display()})"
        return f"{self.get_kind_display()} #{self.question_id}"


class ModeratorMessage(models.Model):
    """A private message from a moderator to a user, shown on every page until read."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("to"),
        on_delete=models.CASCADE,
        related_name="moderator_messages",
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("from"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    subject = models.CharField(_("subject"), max_length=150)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("moderator message")
        verbose_name_plural = _("moderator messages")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="modmessage_unread_idx")]

    def __str__(self):
        return self.subject
