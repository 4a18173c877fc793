"""Destroying spammers: what one destruction changed, row by row, so that its undo puts
back exactly that; bulk cleanups (batches of destructions, undone as one); and the spam
check's verdicts on new content."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from questions.models import Comment, Post


class SpamBatch(models.Model):
    """A bulk cleanup: the accounts a moderator's search found and previewed, destroyed
    one by one by a task that can be resumed, and undone as one."""

    class Status(models.TextChoices):
        RUNNING = "running", _("destroying")
        DONE = "done", _("done")
        UNDOING = "undoing", _("undoing")
        UNDONE = "undone", _("undone")

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderator"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    # What was searched for (the form's fields) and the accounts it found then, in the
    # order the task destroys them.
    criteria = models.JSONField(_("search"), default=dict)
    user_ids = models.JSONField(default=list, editable=False)
    total = models.PositiveIntegerField(_("accounts"), default=0)
    processed = models.PositiveIntegerField(_("processed"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("undone by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("spam cleanup")
        verbose_name_plural = _("spam cleanups")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return _("Spam cleanup #%(number)s") % {"number": self.pk}


class Destruction(models.Model):
    """A spammer destroyed: suspended, their posts and comments deleted, their votes
    removed, the reputation their posts gave reversed, the flags on them marked helpful,
    their profile emptied. Its `changes` say exactly what it changed, for the undo."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderator"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    batch = models.ForeignKey(
        SpamBatch,
        verbose_name=_("spam cleanup"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="destructions",
    )
    reason = models.TextField(_("reason"), blank=True)
    # How many rows of each kind it changed, for the lists: {"post": 3, ...}.
    summary = models.JSONField(_("summary"), default=dict)
    created_at = models.DateTimeField(_("destroyed"), auto_now_add=True)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("undone by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("destroyed spammer")
        verbose_name_plural = _("destroyed spammers")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One live destruction per member: a second destroy (a concurrent one, or a
            # redo racing an undo) waits on this index and then finds it done or undone.
            models.UniqueConstraint(
                fields=["user"], condition=Q(undone_at__isnull=True), name="spam_one_live_per_user"
            ),
            models.UniqueConstraint(
                fields=["batch", "user"],
                condition=Q(batch__isnull=False),
                name="spam_once_per_batch",
            ),
        ]

    def __str__(self):
        return str(self.user)


class Change(models.Model):
    """One row a destruction changed and what its undo needs: the state before, and what
    the destruction set (to tell whether someone changed the row since)."""

    class Kind(models.TextChoices):
        SUSPENSION = "suspension", _("suspension")
        PROFILE = "profile", _("profile")
        POST = "post", _("post deleted")
        COMMENT = "comment", _("comment deleted")
        VOTE = "vote", _("vote removed")
        COMMENT_VOTE = "comment_vote", _("comment vote removed")
        REPUTATION = "reputation", _("reputation reversed")
        FLAG = "flag", _("flag marked helpful")

    destruction = models.ForeignKey(Destruction, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    object_id = models.BigIntegerField()
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["destruction", "kind"], name="spam_change_kind_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.object_id}"


class Verdict(models.Model):
    """What the spam-check backend said about a post or a comment."""

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )
    is_spam = models.BooleanField(_("spam"))
    checked_at = models.DateTimeField(_("checked"), auto_now_add=True)

    class Meta:
        verbose_name = _("spam check verdict")
        verbose_name_plural = _("spam check verdicts")
        constraints = [
            models.CheckConstraint(
                condition=Q(post__isnull=False, comment__isnull=True)
                | Q(post__isnull=True, comment__isnull=False),
                name="spam_verdict_on_a_post_or_a_comment",
            ),
            models.UniqueConstraint(fields=["post"], name="spam_verdict_once_per_post"),
            models.UniqueConstraint(fields=["comment"], name="spam_verdict_once_per_comment"),
        ]
        indexes = [models.Index(fields=["is_spam", "author"], name="spam_verdict_author_idx")]

    def __str__(self):
        return f"{'spam' if self.is_spam else 'ham'}"
