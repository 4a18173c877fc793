"""Throttling: counts what a visitor does in a time window in the cache (Redis in
production, so every app process sees the same counts) and refuses what goes past a limit.
Log-in failures are counted per account and per address, password-reset emails per email
address and per address, searches per visitor."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(kind, value):
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()
    return f"throttle:{kind}:{digest}"


def count(kind, value, *, window):
    """Counts one more event of `kind` for `value` in its window; returns the count so far."""
    key = _key(kind, value)
    # add() starts the window only once; incr() is atomic in the cache.
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between add() and incr()
        cache.set(key, 1, timeout=window)
        return 1


def _reached(kind, value, limit):
    return bool(value) and (cache.get(_key(kind, value)) or 0) >= limit


# Log-ins


def login_blocked(*, username, address):
    """Whether log-ins for this account or from this address are refused for now."""
    return _reached("login-account", username, settings.LOGIN_FAILURES_PER_ACCOUNT) or _reached(
        "login-address", address, settings.LOGIN_FAILURES_PER_ADDRESS
    )


def login_failed(*, username, address):
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    if username:
        count("login-account", username, window=window)
    if address:
        count("login-address", address, window=window)


def login_succeeded(*, username):
    cache.delete(_key("login-account", username))


# Password resets


def reset_blocked(*, email, address):
    """Whether another reset email to `email`, or asked from `address`, is refused for now.
    Counted whether or not an account has the email, so the answer tells nothing about it."""
    return _reached("reset-email", email, settings.PASSWORD_RESETS_PER_EMAIL) or _reached(
        "reset-address", address, settings.PASSWORD_RESETS_PER_ADDRESS
    )


def reset_requested(*, email, address):
    window = settings.PASSWORD_RESET_WINDOW_SECONDS
    count("reset-email", email, window=window)
    if address:
        count("reset-address", address, window=window)


def client_address(request):
    """The visitor's address. Behind a reverse proxy, REMOTE_ADDR is set by the proxy
    setup (never trusted from a client-supplied header here)."""
    return request.META.get("REMOTE_ADDR", "")
