"""Reads from a streaming replica, with read-your-writes.

When DATABASE_REPLICA_URL is set (forum/settings.py) the database alias "replica" exists,
`ReplicaRouter` is the router and `ReadYourWritesMiddleware` wraps every request. A GET
or HEAD reads from the replica; everything else goes to the primary ("default"): writes,
reads inside a transaction (a service's reads must see its own rows and take their
locks there), reads after a write in the same request, every read of a request that is
not GET or HEAD, and every read outside a request (tasks, commands).

A replica replays the primary's changes a little later. So that nobody misses their own
post on the page the form redirects to, a request that wrote gives its client a signed
cookie, and the client's reads go to the primary while the cookie is fresh
(FORUM_READ_YOUR_WRITES_SECONDS): no query and no cache look-up decide it.
"""

from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import connections

PRIMARY = "default"
REPLICA = "replica"
WROTE_COOKIE = "stapel_wrote"
_COOKIE_SALT = "core.routers.read-your-writes"
_SAFE_METHODS = {"GET", "HEAD"}


@dataclass
class _Request:
    replica_allowed: bool
    wrote: bool = False


_request = ContextVar("core.routers.request", default=None)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        state = _request.get()
        if (
            state is None
            or not state.replica_allowed
            or state.wrote
            or connections[PRIMARY].in_atomic_block
        ):
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints):
        if (state := _request.get()) is not None:
            state.wrote = True
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same rows.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica follows the primary's schema by replication; it is read-only.
        return db != REPLICA


def _wrote_recently(request):
    return (
        request.get_signed_cookie(
            WROTE_COOKIE,
            default=None,
            salt=_COOKIE_SALT,
            max_age=settings.FORUM_READ_YOUR_WRITES_SECONDS,
        )
        is not None
    )


class ReadYourWritesMiddleware:
    """Tells the router whether this request may read from the replica, and marks a client
    that wrote, so that its next reads go to the primary for a few seconds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        state = _Request(
            replica_allowed=request.method in _SAFE_METHODS and not _wrote_recently(request)
        )
        token = _request.set(state)
        try:
            response = self.get_response(request)
        finally:
            _request.reset(token)
        succeeded_write = request.method not in _SAFE_METHODS and response.status_code < 400
        if state.wrote or succeeded_write:
            response.set_signed_cookie(
                WROTE_COOKIE,
                "1",
                salt=_COOKIE_SALT,
                max_age=settings.FORUM_READ_YOUR_WRITES_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response


def replica_lag_seconds():
    """How far the replica's replay is behind, in seconds (0 when it has replayed all it
    received), or None without a replica. Asked of the replica itself."""
    if f"{__name__}.ReplicaRouter" not in settings.DATABASE_ROUTERS:
        return None
    with connections[REPLICA].cursor() as cursor:
        if connections[REPLICA].vendor != "postgresql":
            return 0.0
        cursor.execute(
            "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
            " ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END"
        )
        (lag,) = cursor.fetchone()
    return round(float(lag or 0), 3)
