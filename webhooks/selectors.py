"""The webhooks' pages: the list with each webhook's latest delivery, and one webhook's
delivery log with its attempts."""

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q

from webhooks.models import Attempt, Delivery, Webhook

LOG_SIZE = 50

# The kinds the active webhooks hear, cached: every event asks, and most sites have none.
KINDS_KEY = "webhooks:kinds"
KINDS_SECONDS = 600


def kinds_heard():
    kinds = cache.get(KINDS_KEY)
    if kinds is None:
        kinds = sorted(
            {
                kind
                for hook in Webhook.objects.filter(is_active=True).only("kinds")
                for kind in hook.kinds
            }
        )
        cache.set(KINDS_KEY, kinds, KINDS_SECONDS)
    return kinds


def kinds_forget():
    """After a change to the webhooks: the next event reads them afresh."""
    cache.delete(KINDS_KEY)


def webhooks_list():
    return Webhook.objects.select_related("created_by").annotate(
        delivered=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.DELIVERED)),
        failed=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.FAILED)),
        pending=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.PENDING)),
    )


def delivery_log(webhook):
    """The webhook's latest LOG_SIZE deliveries, newest first, each with its attempts."""
    return list(
        Delivery.objects.filter(webhook=webhook)
        .defer("body")
        .prefetch_related(Prefetch("log", queryset=Attempt.objects.order_by("number")))[:LOG_SIZE]
    )
