"""Throttling: counts what a visitor does in a time window and refuses what goes past a
limit. Log-in failures are counted per account and per address, password-reset emails
per email address and per address, searches per visitor, image uploads per member.

The counts are shared by every process that serves the site, so a limit holds however
many workers there are: in Redis when REDIS_URL is set (the "throttle" cache), otherwise
in the database (core.models.ThrottleCounter, one atomic statement per count). While Redis
cannot be reached, the database keeps the counts, so an outage lifts no limit.
"""

import contextlib
import functools
import hashlib
import ipaddress
import random
import time

from django.conf import settings
from django.core.cache import caches
from django.db import connection

from core.cache import UNREACHABLE, warn_unreachable
from core.models import ThrottleCounter

# One count in so many also deletes the database's expired counters.
PURGE_ONE_IN = 200


def _key(kind, value):
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()
    return f"throttle:{kind}:{digest}"


def _redis():
    return caches["throttle"] if settings.REDIS_URL else None


def _database_count(key, window):
    now = int(time.time())
    table, key_, count_, expires = map(
        connection.ops.quote_name, (ThrottleCounter._meta.db_table, "key", "count", "expires_at")
    )
    with connection.cursor() as cursor:
        # One statement: concurrent counts of the same key queue on its row. A window that
        # has run out starts again at 1.
        cursor.execute(
            f"INSERT INTO {table} ({key_}, {count_}, {expires}) VALUES (%s, 1, %s) "
            f"ON CONFLICT ({key_}) DO UPDATE SET "
            f"{count_} = CASE WHEN {table}.{expires} > %s THEN {table}.{count_} + 1 ELSE 1 END, "
            f"{expires} = CASE WHEN {table}.{expires} > %s "
            f"THEN {table}.{expires} ELSE excluded.{expires} END "
            f"RETURNING {count_}",
            [key, now + window, now, now],
        )
        count = cursor.fetchone()[0]
    if random.randrange(PURGE_ONE_IN) == 0:
        ThrottleCounter.objects.filter(expires_at__lte=now).delete()
    return count


def _database_read(key):
    row = ThrottleCounter.objects.filter(key=key, expires_at__gt=int(time.time())).first()
    return row.count if row else 0


def count(kind, value, *, window):
    """Counts one more event of `kind` for `value` in its window; returns the count so far."""
    key = _key(kind, value)
    if redis := _redis():
        try:
            # add() starts the window only once; incr() is atomic in Redis.
            redis.add(key, 0, timeout=window)
            try:
                return redis.incr(key)
            except ValueError:  # the window ended between add() and incr()
                redis.set(key, 1, timeout=window)
                return 1
        except UNREACHABLE as error:
            warn_unreachable(error)
    return _database_count(key, window)


def _current(key):
    if redis := _redis():
        try:
            return max(redis.get(key) or 0, _database_read(key))
        except UNREACHABLE:
            pass
    return _database_read(key)


def _forget(key):
    if redis := _redis():
        with contextlib.suppress(UNREACHABLE):
            redis.delete(key)
    ThrottleCounter.objects.filter(key=key).delete()


def _reached(kind, value, limit):
    return bool(value) and _current(_key(kind, value)) >= limit


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
    _forget(_key("login-account", username))


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


# Image uploads


def image_upload_counted(*, user_id):
    """Counts an image upload (taken or refused) by the member; False once they are past
    FORUM_IMAGE_UPLOADS_PER_HOUR within the hour."""
    uploads = count("image-upload", str(user_id), window=60 * 60)
    return uploads <= settings.FORUM_IMAGE_UPLOADS_PER_HOUR


# Sign-ups


def signup_blocked(*, address):
    """Whether another sign-up from `address` is refused for now."""
    return _reached("signup-address", address, settings.FORUM_SIGNUPS_PER_ADDRESS)


def signup_counted(*, address):
    if address:
        count("signup-address", address, window=settings.FORUM_SIGNUP_WINDOW_SECONDS)


def verification_email_counted(*, email):
    """Counts a verification or sign-up email to `email`; False once past
    FORUM_VERIFICATION_EMAILS_PER_DAY, so that resending cannot flood an inbox."""
    sent = count("verification-email", email, window=24 * 60 * 60)
    return sent <= settings.FORUM_VERIFICATION_EMAILS_PER_DAY


# Erasure


def person_forget(*, username, email, user_id):
    """Drops the counts kept about one person, whose account is being erased: their
    log-ins, password resets and verification emails, their image uploads. (What is
    counted per network address or per pair of members is not theirs alone, and lapses
    within the hour or the day.)"""
    for kind, value in (
        ("login-account", username),
        ("reset-email", email),
        ("verification-email", email),
        ("image-upload", str(user_id)),
    ):
        if value:
            _forget(_key(kind, value))


@functools.lru_cache(maxsize=4)
def _networks(proxies):
    return [ipaddress.ip_network(proxy) for proxy in proxies]


def _is_trusted_proxy(address, networks):
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request):
    """The visitor's address: REMOTE_ADDR, unless that is one of FORUM_TRUSTED_PROXIES.
    Then X-Forwarded-For is read from the right, where each proxy appended the address it
    was reached from, and the first address that is not a trusted proxy is the visitor's.
    What a client wrote into the header itself stands left of that and is never taken."""
    address = request.META.get("REMOTE_ADDR", "")
    networks = _networks(tuple(settings.FORUM_TRUSTED_PROXIES))
    if not _is_trusted_proxy(address, networks):
        return address
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed([hop.strip() for hop in forwarded if hop.strip()]):
        if not _is_trusted_proxy(hop, networks):
            return hop
        address = hop
    return address
