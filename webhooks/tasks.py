"""The webhooks' background tasks: an event's deliveries, one attempt at a delivery, the
sweep that attempts what is due again, and the managers' email about a webhook that was
switched off.

Retries go through the database, not through Celery's countdowns: a failed attempt
stores when the next one is due (`Delivery.next_attempt_at`), and `deliveries_due` runs
what is due, from beat every minute with a worker, and without one (eager tasks) after
each event's own deliveries and from `manage.py webhooks_deliver_due` (cron). An attempt
claims its delivery first, so two runs never send it twice at once."""

from celery import shared_task
from django.conf import settings
from django.db import OperationalError
from django.utils import timezone

from webhooks import managers, payloads, services
from webhooks.models import Delivery
from webhooks.sending import send

RETRIED = {"autoretry_for": (OperationalError,), "retry_backoff": True, "max_retries": 5}


@shared_task(**RETRIED)
def event_heard(*, kind, event_id, ids):
    """The deliveries of one event to the webhooks that hear its kind, then their first
    attempts, each a task of its own (one slow receiver holds up no other)."""
    body = payloads.payload(kind=kind, event_id=event_id, ids=ids)
    if body is None:
        return 0
    due = services.deliveries_create(kind=kind, event_key=f"{kind}:{event_id}", payload=body)
    for delivery_id in due:
        delivery_attempt.delay(delivery_id)
    if settings.CELERY_TASK_ALWAYS_EAGER:
        deliveries_due()
    return len(due)


@shared_task(**RETRIED)
def delivery_attempt(delivery_id):
    """One attempt, if the delivery is due and no one else is at it. Returns whether it
    was delivered."""
    started_at = timezone.now()
    delivery = services.attempt_claim(delivery_id=delivery_id, now=started_at)
    if delivery is None:
        return False
    result = send(webhook=delivery.webhook, delivery=delivery)
    if services.attempt_record(delivery=delivery, result=result, started_at=started_at):
        webhook_disabled_tell.delay(delivery.webhook_id)
    return result.succeeded


@shared_task(**RETRIED)
def deliveries_due():
    """Attempts the deliveries whose next attempt is due, the longest waiting first."""
    due = list(
        Delivery.objects.due(timezone.now())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[: settings.FORUM_WEBHOOK_SWEEP_BATCH]
    )
    for delivery_id in due:
        delivery_attempt.delay(delivery_id)
    return len(due)


@shared_task(**RETRIED)
def webhook_disabled_tell(webhook_id):
    return managers.webhook_disabled_tell(webhook_id=webhook_id)
