"""Webhooks: the community managers' endpoints, the deliveries of events to them, and the
log of each delivery's attempts."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from webhooks import errors
from webhooks.kinds import Kind


class Webhook(models.Model):
    """An endpoint that hears the event kinds in `kinds`, signed with `secret`."""

    url = models.URLField(_("URL"), max_length=500)
    kinds = models.JSONField(_("events"), default=list)
    # Signs every body (HMAC-SHA256); shown to the managers once, when it is made.
    secret = models.CharField(max_length=64, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    # Failed deliveries in a row; FORUM_WEBHOOK_FAILURES_TO_DISABLE of them switch it off.
    failures_in_a_row = models.PositiveIntegerField(_("failures in a row"), default=0)
    disabled_at = models.DateTimeField(_("disabled after failures"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["id"]

    def __str__(self):
        return self.url

    def kind_labels(self):
        labels = dict(Kind.choices)
        return [labels[kind] for kind in self.kinds if kind in labels]


class DeliveryQuerySet(models.QuerySet):
    def due(self, now):
        """Waiting for an attempt whose time has come."""
        return self.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now)


class Delivery(models.Model):
    """One event for one webhook: the exact body it sends on every attempt, and where its
    attempts stand. Unique per webhook and event (`event_key`), so an event heard twice is
    delivered once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")

    webhook = models.ForeignKey(
        Webhook, verbose_name=_("webhook"), on_delete=models.CASCADE, related_name="deliveries"
    )
    # The X-Stapel-Delivery header: the receiver's key against a delivery seen twice.
    uuid = models.UUIDField(_("delivery id"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("event"), max_length=30, choices=Kind.choices)
    event_key = models.CharField(max_length=80)
    body = models.TextField(_("body"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # When the next attempt is due; an attempt under way moves it on by a lease, so a
    # worker that dies mid-attempt leaves the delivery to the sweep.
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"))

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["webhook", "event_key"], name="delivery_once"),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="delivery_due_idx",
            ),
            models.Index(fields=["webhook", "-id"], name="delivery_webhook_idx"),
        ]

    def __str__(self):
        return f"{self.kind} → {self.webhook_id} ({self.uuid})"


class Attempt(models.Model):
    """One try at a delivery: what the receiver answered, or why nothing was sent."""

    delivery = models.ForeignKey(
        Delivery, verbose_name=_("delivery"), on_delete=models.CASCADE, related_name="log"
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    started_at = models.DateTimeField(_("started"))
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("response time (ms)"), null=True, blank=True)
    succeeded = models.BooleanField(_("succeeded"), default=False)
    # Why it failed: a code of webhooks/errors.py and its values, written out when shown.
    error = models.CharField(_("error"), max_length=300, blank=True)
    error_params = models.JSONField(default=dict, blank=True)
    # The start of the response's body, at most FORUM_WEBHOOK_RESPONSE_EXCERPT bytes.
    response_excerpt = models.TextField(_("response"), blank=True)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="attempt_unique_number"),
        ]

    def __str__(self):
        return f"{self.delivery_id} #{self.number}"

    def error_message(self):
        return errors.message(self.error, self.error_params)
