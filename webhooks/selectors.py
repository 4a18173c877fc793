"""The webhooks' pages: the list with each webhook's latest delivery, and one webhook's
delivery log with its attempts."""

from django.db.models import Count, Prefetch, Q

from webhooks.models import Attempt, Delivery, Webhook

LOG_SIZE = 50


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
