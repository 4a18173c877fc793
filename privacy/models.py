"""Privacy: a member's request to delete their account (erased when its grace period ends)
and the copies of their data they downloaded."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DeletionRequest(models.Model):
    """A member's account, to be erased at `erase_at` unless they cancel first (the row is
    deleted then). Once erased, the row stays with `erased_at` as the fact that the
    account was erased, and by whom (`requested_by`: a moderator acting on the member's
    request; None: the member)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="deletion_request",
    )
    requested_at = models.DateTimeField(_("requested"))
    erase_at = models.DateTimeField(_("erased from"))
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("account deletion")
        verbose_name_plural = _("account deletions")
        indexes = [
            # The sweep's question: the requests due and not yet carried out.
            models.Index(
                fields=["erase_at"],
                condition=models.Q(erased_at__isnull=True),
                name="deletion_due_idx",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(erase_at__gte=models.F("requested_at")),
                name="deletion_erase_after_request",
            )
        ]

    def __str__(self):
        return f"{self.user_id} @ {self.erase_at:%Y-%m-%d}"


class DataExport(models.Model):
    """A copy of a member's data: a ZIP file in the storage (`file_name`, empty until the
    task has built it), offered until `expires_at` through a signed link, then deleted."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested"))
    ready_at = models.DateTimeField(_("ready"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    file_name = models.CharField(_("file"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return f"{self.user_id} @ {self.requested_at:%Y-%m-%d %H:%M}"
