"""The project's own endpoints: the probes of process managers and load balancers, and the
benchmark's ceiling."""

import logging

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core.routers import replica_lag_seconds

logger = logging.getLogger(__name__)


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _redis():
    if not settings.REDIS_URL:
        return None
    # As briefly as the caches wait for it (forum/settings.py): a hung Redis must not hold
    # the probe past the load balancer's patience.
    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5
    )
    try:
        client.ping()
    finally:
        client.close()
    return "ok"


# What /readyz checks, in order, by the name its answer shows. A check returns what the
# answer says of its part (None: the part is not in this deployment) and raises when the
# part cannot be used; the error goes to the log, never into the answer, which names the
# part and nothing else (no host, no password).
READINESS_CHECKS = [
    ("database", _database),
    ("redis", _redis),
    # How many seconds the read replica's replay is behind the primary (core/routers.py),
    # when there is one; a replica that cannot be reached fails the check.
    ("replica_lag_seconds", replica_lag_seconds),
]


@require_safe
@never_cache
def healthz(request):
    """200 while the process answers at all, for a process manager deciding whether to
    restart it. It touches nothing else: a database outage must not get every app server
    restarted, which would not bring the database back."""
    return JsonResponse({"status": "ok"})


@require_safe
@never_cache
def readyz(request):
    """200 when every part this process needs can be reached, for a load balancer deciding
    whether to send it requests; 503 naming the parts that failed."""
    checks, ready = {}, True
    for name, check in READINESS_CHECKS:
        try:
            result = check()
        except Exception as error:  # any failure of the part means "not ready"
            logger.warning("Readiness check %s failed: %s", name, error)
            checks[name], ready = "failed", False
            continue
        if result is not None:
            checks[name] = result
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
    )


def bench_ceiling(request):
    """The benchmark's ceiling (`make bench`): a few bytes through the whole middleware
    stack, with no database and no template, so each page's rate can be read as a share
    of what the framework itself manages on the same machine."""
    return HttpResponse(b"ok", content_type="text/plain")
