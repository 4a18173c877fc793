"""Every write of the webhooks app: the managers' webhooks, the deliveries of an event,
and the record of each attempt (with the retry's time, and switching off a webhook that
keeps failing)."""

import json
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from webhooks import selectors
from webhooks.models import Attempt, Delivery, Webhook
from webhooks.sending import Result


def secret_make():
    return secrets.token_hex(32)


@transaction.atomic
def webhook_create(*, url, kinds, manager):
    """A new active webhook; returns it (its secret is shown to the manager once)."""
    webhook = Webhook.objects.create(
        url=url,
        kinds=list(kinds),
        secret=secret_make(),
        created_by=manager,
        created_at=timezone.now(),
    )
    transaction.on_commit(selectors.kinds_forget)
    return webhook


def _pending_abandon(webhook):
    """What a webhook switched off still owed is not sent later, in a burst."""
    return Delivery.objects.filter(webhook=webhook, status=Delivery.Status.PENDING).update(
        status=Delivery.Status.FAILED, next_attempt_at=None
    )


@transaction.atomic
def webhook_update(*, webhook, url, kinds, is_active):
    """Saves what a manager changed. Switching a webhook on again starts its count of
    failures afresh; switching it off abandons its pending deliveries."""
    # As stored, not as the form left the instance it validated.
    stored = Webhook.objects.select_for_update().get(pk=webhook.pk)
    fields = {"url": url, "kinds": list(kinds), "is_active": is_active}
    if is_active and not stored.is_active:
        fields.update(failures_in_a_row=0, disabled_at=None)
    if not is_active and stored.is_active:
        _pending_abandon(stored)
    changed = any(getattr(stored, name) != value for name, value in fields.items())
    Webhook.objects.filter(pk=stored.pk).update(**fields)
    for name, value in fields.items():
        setattr(webhook, name, value)
    transaction.on_commit(selectors.kinds_forget)
    return changed


@transaction.atomic
def webhook_secret_renew(*, webhook):
    webhook.secret = secret_make()
    webhook.save(update_fields=["secret"])
    return webhook.secret


@transaction.atomic
def webhook_delete(*, webhook):
    webhook.delete()
    transaction.on_commit(selectors.kinds_forget)


def deliveries_create(*, kind, event_key, payload):
    """A delivery of `payload` (a dict) for each active webhook that hears `kind`, once
    per webhook and `event_key`; returns the ids of the deliveries still to attempt."""
    webhooks = [hook for hook in Webhook.objects.filter(is_active=True) if kind in hook.kinds]
    if not webhooks:
        return []
    now = timezone.now()
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    Delivery.objects.bulk_create(
        [
            Delivery(
                webhook=hook,
                kind=kind,
                event_key=event_key,
                body=body,
                next_attempt_at=now,
                created_at=now,
            )
            for hook in webhooks
        ],
        ignore_conflicts=True,
    )
    return list(
        Delivery.objects.filter(event_key=event_key, attempts=0)
        .due(now)
        .values_list("pk", flat=True)
    )


def attempt_claim(*, delivery_id, now):
    """Takes the delivery for one attempt if it is due and its webhook is on: moves its
    next attempt on by a lease, so that no other worker takes it meanwhile, and a worker
    that dies mid-attempt leaves it to the sweep after the lease. None: not now."""
    lease = now + timedelta(seconds=settings.FORUM_WEBHOOK_TIMEOUT * 3 + 30)
    claimed = (
        Delivery.objects.due(now)
        .filter(pk=delivery_id, webhook__is_active=True)
        .update(next_attempt_at=lease)
    )
    if not claimed:
        return None
    return Delivery.objects.select_related("webhook").get(pk=delivery_id)


def retry_delay(attempts):
    """How long after its `attempts`-th failed attempt a delivery is tried again: the
    first retry after FORUM_WEBHOOK_RETRY_SECONDS, each later one after twice as long."""
    return timedelta(seconds=settings.FORUM_WEBHOOK_RETRY_SECONDS * 2 ** (attempts - 1))


@transaction.atomic
def attempt_record(*, delivery, result: Result, started_at):
    """Logs the attempt and settles what follows from it: delivered; a retry at the
    backoff's time; failed for good after FORUM_WEBHOOK_ATTEMPTS. A success resets the
    webhook's failures in a row; the FORUM_WEBHOOK_FAILURES_TO_DISABLE-th failure in a
    row switches it off. Returns whether this attempt switched it off."""
    now = timezone.now()
    number = delivery.attempts + 1
    Attempt.objects.create(
        delivery=delivery,
        number=number,
        started_at=started_at,
        status_code=result.status_code,
        duration_ms=result.duration_ms,
        succeeded=result.succeeded,
        error=result.error,
        error_params=result.error_params or {},
        response_excerpt=result.excerpt[: settings.FORUM_WEBHOOK_RESPONSE_EXCERPT],
    )
    delivery.attempts = number
    if result.succeeded:
        delivery.status, delivery.next_attempt_at = Delivery.Status.DELIVERED, None
    elif number >= settings.FORUM_WEBHOOK_ATTEMPTS:
        delivery.status, delivery.next_attempt_at = Delivery.Status.FAILED, None
    else:
        delivery.next_attempt_at = now + retry_delay(number)
    delivery.save(update_fields=["attempts", "status", "next_attempt_at"])

    hooks = Webhook.objects.filter(pk=delivery.webhook_id)
    if result.succeeded:
        hooks.exclude(failures_in_a_row=0).update(failures_in_a_row=0)
        return False
    hooks.update(failures_in_a_row=F("failures_in_a_row") + 1)
    disabled = hooks.filter(
        is_active=True, failures_in_a_row__gte=settings.FORUM_WEBHOOK_FAILURES_TO_DISABLE
    ).update(is_active=False, disabled_at=now)
    if disabled:
        _pending_abandon(delivery.webhook)
        transaction.on_commit(selectors.kinds_forget)
    return bool(disabled)
