from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache

from core import metrics as collected


@never_cache
def metrics(request):
    """The Prometheus metrics (core/metrics.py), for the addresses in
    FORUM_METRICS_ADDRESSES; to everyone else there is no such page."""
    if request.META.get("REMOTE_ADDR") not in settings.FORUM_METRICS_ADDRESSES:
        raise Http404
    body, content_type = collected.exposition()
    return HttpResponse(body, content_type=content_type)
