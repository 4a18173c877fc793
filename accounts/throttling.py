"""Log-in throttling: counts failed log-ins per account and per address in the cache
(Redis in production, so every app process sees the same counts)."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(kind, value):
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()
    return f"login-failures:{kind}:{digest}"


def _keys(*, username, address):
    keys = []
    if username:
        keys.append((_key("account", username), settings.LOGIN_FAILURES_PER_ACCOUNT))
    if address:
        keys.append((_key("address", address), settings.LOGIN_FAILURES_PER_ADDRESS))
    return keys


def login_blocked(*, username, address):
    """Whether log-ins for this account or from this address are refused for now."""
    return any((cache.get(key) or 0) >= limit for key, limit in _keys(username=username, address=address))


def login_failed(*, username, address):
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    for key, _limit in _keys(username=username, address=address):
        # add() starts the window only once; incr() is atomic in the cache.
        cache.add(key, 0, timeout=window)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=window)


def login_succeeded(*, username):
    cache.delete(_key("account", username))


def client_address(request):
    """The visitor's address. Behind a reverse proxy, REMOTE_ADDR is set by the proxy
    setup (never trusted from a client-supplied header here)."""
    return request.META.get("REMOTE_ADDR", "")
