"""The inbox, following, and what the site may email a member."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One entry in a member's inbox: something happened to them or to a post they follow.

    `key` names the fact the entry is about ("answer:12", "mention:34"); an entry is written
    at most once per recipient and key, so a task that runs twice adds nothing the second
    time."""

    class Kind(models.TextChoices):
        ANSWER = "answer", _("New answers")
        COMMENT = "comment", _("Comments")
        MENTION = "mention", _("Mentions")
        EDIT = "edit", _("Edits")
        ACCEPTED = "accepted", _("Accepted answers")
        WATCHED_TAG = "watched_tag", _("New questions in watched tags")
        MODERATOR_MESSAGE = "moderator_message", _("Moderator messages")
        FLAG_OUTCOME = "flag_outcome", _("Flag outcomes")
        APPEAL_DECISION = "appeal_decision", _("Appeal decisions")
        COMMENT_REMOVED = "comment_removed", _("Removed comments")
        SUGGESTION_APPROVED = "suggestion_approved", _("Suggested edits approved")
        SUGGESTION_REJECTED = "suggestion_rejected", _("Suggested edits rejected")
        # Written by the badges app: a badge earned (`object_id`: the award).
        BADGE_EARNED = "badge_earned", _("Badges earned")
        # Written by the bounties app: a bounty awarded to my answer, my bounty ending soon
        # or ended (`object_id`: the bounty, `detail`: which).
        BOUNTY = "bounty", _("Bounties")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    key = models.CharField(_("key"), max_length=60)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The thread, the post and the comment the entry links to (as far as it has them).
    question = models.ForeignKey(
        "questions.Post",
        verbose_name=_("question"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    post = models.ForeignKey(
        "questions.Post",
        verbose_name=_("post"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    comment = models.ForeignKey(
        "questions.Comment",
        verbose_name=_("comment"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    # A moderator message, a flag or an escalation: the row of moderation's the entry
    # is about, read when the entry is shown.
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    # What the entry says beyond its kind: a flag's outcome, an appeal's decision.
    detail = models.CharField(_("detail"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created"))
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("inbox entry")
        verbose_name_plural = _("inbox entries")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once"),
        ]
        indexes = [
            # The inbox, newest first, paged by id.
            models.Index(fields=["recipient", "-id"], name="notification_inbox_idx"),
            # The unread count in the navigation.
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
            # The entries of a thread, when a post of it is deleted or hidden.
            models.Index(fields=["question"], name="notification_question_idx"),
        ]

    def __str__(self):
        return f"{self.kind} {self.key} → {self.recipient_id}"


class Follow(models.Model):
    """A member follows a post: its new answers (for a question), comments and edits
    reach their inbox. Askers and answerers follow what they write."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="follows",
    )
    post = models.ForeignKey(
        "questions.Post",
        verbose_name=_("post"),
        on_delete=models.CASCADE,
        related_name="followers",
    )
    created_at = models.DateTimeField(_("followed"))

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="follow_once")]
        indexes = [models.Index(fields=["user", "-created_at"], name="follow_user_idx")]

    def __str__(self):
        return f"{self.user_id} → {self.post_id}"


class EmailSettings(models.Model):
    """What the site may email a member, per kind of inbox entry, and their digest. A
    member without a row has the defaults: answers to their questions and mentions."""

    class Digest(models.TextChoices):
        NONE = "none", _("No digest")
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="email_settings",
    )
    answer = models.BooleanField(_("New answers to my questions"), default=True)
    comment = models.BooleanField(_("Comments on my posts"), default=False)
    mention = models.BooleanField(_("Mentions of me in comments"), default=True)
    edit = models.BooleanField(_("Edits of my posts"), default=False)
    accepted = models.BooleanField(_("My answer accepted"), default=False)
    watched_tag = models.BooleanField(_("New questions in my watched tags"), default=False)
    moderator_message = models.BooleanField(_("Messages from moderators"), default=False)
    flag_outcome = models.BooleanField(_("Outcomes of my flags"), default=False)
    appeal_decision = models.BooleanField(_("Decisions on my appeals"), default=False)
    # The answers, comments and edits that reach a member as a follower of someone else's
    # post (the switches above are for their own posts).
    followed = models.BooleanField(
        _("Answers, comments and edits on posts I follow"), default=False
    )
    digest = models.CharField(
        _("digest of my watched tags"), max_length=10, choices=Digest.choices, default="none"
    )
    # Whether a new question in a watched tag also goes to the inbox (it may be many).
    inbox_watched_tags = models.BooleanField(
        _("Put new questions in my watched tags in my inbox"), default=False
    )
    # The end of the period the last digest covered.
    digest_sent_until = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("email settings")
        verbose_name_plural = _("email settings")
        indexes = [models.Index(fields=["digest", "user"], name="email_settings_digest_idx")]

    def __str__(self):
        return str(self.user_id)


# Kinds of inbox entries that are never emailed, and have no switch: a removed comment and
# a suggested edit's fate are told in the inbox alone.
UNEMAILED_KINDS = frozenset(
    {
        Notification.Kind.COMMENT_REMOVED,
        Notification.Kind.SUGGESTION_APPROVED,
        Notification.Kind.SUGGESTION_REJECTED,
        Notification.Kind.BADGE_EARNED,
        Notification.Kind.BOUNTY,
    }
)
# The switches of the emails per inbox entry: one per kind that is emailed, and one for what
# reaches a member as a follower of someone else's post.
EMAIL_SWITCHES = (
    *(kind for kind in Notification.Kind.values if kind not in UNEMAILED_KINDS),
    "followed",
)


class EmailDelivery(models.Model):
    """An email the site sent, or is sending, to a member: `key` names it
    ("notification:12", "digest:daily:2026-11-30"). A task that runs again finds the row
    and sends nothing twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    key = models.CharField(_("key"), max_length=80)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("email delivery")
        verbose_name_plural = _("email deliveries")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="email_delivery_once"),
        ]

    def __str__(self):
        return f"{self.key} → {self.user_id}"
