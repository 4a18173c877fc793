"""A Redis cache that a Redis outage cannot turn into errors.

Everything the default cache holds can be rebuilt: cached pages, their generations, view
counts waiting to be written, list totals and related questions. So while Redis cannot
be reached, reads miss, writes are dropped and `incr` reports a missing key, and the
pages are rendered from the database, a little slower. A warning is logged at most once
a minute per process. The throttle's counters are not here: core/throttling.py falls back
to the database for them, since a throttle that forgets is no throttle.
"""

import logging
import time
from functools import wraps

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from core.metrics import cache_read

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
WARN_EVERY_SECONDS = 60
_last_warning = 0.0


def warn_unreachable(error):
    """Logs that Redis cannot be reached, at most once a minute per process: during an
    outage every request would say so."""
    global _last_warning
    now = time.monotonic()
    if now - _last_warning >= WARN_EVERY_SECONDS:
        _last_warning = now
        logger.warning("Redis cannot be reached; working without it: %s", error)


def _outage_answer(answer):
    """Wraps a cache method to give `answer(*args, **kwargs)` while Redis is unreachable."""

    def decorator(method):
        @wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE as error:
                warn_unreachable(error)
                return answer(*args, **kwargs)

        return wrapper

    return decorator


def _missing_key(key, *args, **kwargs):
    raise ValueError(f"Key '{key}' not found (the cache cannot be reached)")


_MISSING = object()


class CountedReadsMixin:
    """Counts the keys read as hits and misses (core/metrics.py): the hit rate says whether
    the page cache and the generations earn their keep."""

    def get(self, key, default=None, version=None):
        value = super().get(key, _MISSING, version)
        if value is _MISSING:
            cache_read(0, 1)
            return default
        cache_read(1, 0)
        return value


class CountedLocMemCache(CountedReadsMixin, LocMemCache):
    """The in-memory cache of a site without Redis, its reads counted (its get_many()
    reads through get())."""


class ResilientRedisCache(CountedReadsMixin, RedisCache):
    @_outage_answer(lambda key, default=None, version=None: default)
    def get(self, key, default=None, version=None):
        return super().get(key, default, version)

    @_outage_answer(lambda *args, **kwargs: False)
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().add(key, value, timeout, version)

    @_outage_answer(lambda *args, **kwargs: None)
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set(key, value, timeout, version)

    @_outage_answer(lambda *args, **kwargs: False)
    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return super().touch(key, timeout, version)

    @_outage_answer(lambda *args, **kwargs: False)
    def delete(self, key, version=None):
        return super().delete(key, version)

    @_outage_answer(lambda *args, **kwargs: {})
    def get_many(self, keys, version=None):
        # Redis reads them in one round trip, past get(): they are counted here.
        keys = list(keys)
        found = super().get_many(keys, version)
        cache_read(len(found), len(keys) - len(found))
        return found

    @_outage_answer(lambda *args, **kwargs: False)
    def has_key(self, key, version=None):
        return super().has_key(key, version)

    @_outage_answer(_missing_key)
    def incr(self, key, delta=1, version=None):
        return super().incr(key, delta, version)

    @_outage_answer(lambda data, *args, **kwargs: list(data))
    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set_many(data, timeout, version)

    @_outage_answer(lambda *args, **kwargs: None)
    def delete_many(self, keys, version=None):
        return super().delete_many(keys, version)

    @_outage_answer(lambda *args, **kwargs: False)
    def clear(self):
        return super().clear()
