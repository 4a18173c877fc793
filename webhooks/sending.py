"""One HTTP attempt at a delivery: signed, to an address checked just before, without
following redirects, within timeouts, keeping at most a small excerpt of the answer.

The signature is HMAC-SHA256, keyed with the webhook's secret, of the timestamp, a dot and
the exact body (`X-Stapel-Signature: sha256=<hex>`); the timestamp goes in
`X-Stapel-Timestamp`, so a receiver can refuse an old request replayed, and
`X-Stapel-Delivery` is the delivery's id, the same on every attempt of it."""

import hashlib
import hmac
import time
from dataclasses import dataclass

import urllib3
from django.conf import settings

from webhooks import safety

USER_AGENT = "Stapel-Webhooks/1"


@dataclass(frozen=True)
class Result:
    succeeded: bool
    status_code: int | None = None
    duration_ms: int | None = None
    error: str = ""  # a code of webhooks/errors.py
    error_params: dict | None = None
    excerpt: str = ""


def signature(*, secret, timestamp, body):
    """The hex HMAC-SHA256 of `timestamp`.`body` (bytes) with `secret`."""
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def headers_for(*, webhook, delivery, body, timestamp):
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Stapel-Event": delivery.kind,
        "X-Stapel-Delivery": str(delivery.uuid),
        "X-Stapel-Timestamp": str(timestamp),
        "X-Stapel-Signature": "sha256="
        + signature(secret=webhook.secret, timestamp=timestamp, body=body),
    }


def _pool(target):
    """A connection to the address that was checked, not to the name again (which could
    resolve elsewhere by now), with the name for the Host header and TLS."""
    address = target.addresses[0]
    if target.scheme == "https":
        return urllib3.HTTPSConnectionPool(
            address,
            target.port,
            server_hostname=target.host,
            assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED",
            maxsize=1,
        )
    return urllib3.HTTPConnectionPool(address, target.port, maxsize=1)


def _excerpt(response, deadline):
    """At most FORUM_WEBHOOK_RESPONSE_EXCERPT bytes of the body, read until the deadline."""
    cap = settings.FORUM_WEBHOOK_RESPONSE_EXCERPT
    data = b""
    try:
        while len(data) < cap and time.monotonic() < deadline:
            chunk = response.read1(cap - len(data))
            if not chunk:
                break
            data += chunk
    except (urllib3.exceptions.HTTPError, OSError):
        # The status has come: a body cut short changes nothing about the delivery.
        pass
    return data[:cap].decode("utf-8", errors="replace")


def send(*, webhook, delivery):
    """Posts the delivery's body to the webhook's address once; returns a Result."""
    try:
        target = safety.resolve(webhook.url)
    except safety.UnsafeURL as refusal:
        return Result(succeeded=False, error=refusal.code, error_params=refusal.params)
    body = delivery.body.encode()
    timestamp = int(time.time())
    headers = headers_for(webhook=webhook, delivery=delivery, body=body, timestamp=timestamp)
    host = f"[{target.host}]" if ":" in target.host else target.host
    default_port = 443 if target.scheme == "https" else 80
    headers["Host"] = host if target.port == default_port else f"{host}:{target.port}"
    timeout = settings.FORUM_WEBHOOK_TIMEOUT
    started = time.monotonic()
    pool = _pool(target)
    try:
        response = pool.urlopen(
            "POST",
            target.path,
            body=body,
            headers=headers,
            redirect=False,
            retries=False,
            timeout=urllib3.Timeout(connect=timeout, read=timeout),
            preload_content=False,
            assert_same_host=False,
        )
        try:
            excerpt = _excerpt(response, started + timeout)
        finally:
            response.close()
    except (urllib3.exceptions.HTTPError, OSError) as failure:
        return Result(
            succeeded=False,
            duration_ms=round((time.monotonic() - started) * 1000),
            error="no_answer",
            error_params={"error": type(failure).__name__},
        )
    finally:
        pool.close()
    duration = round((time.monotonic() - started) * 1000)
    status = response.status
    if 200 <= status < 300:
        return Result(succeeded=True, status_code=status, duration_ms=duration, excerpt=excerpt)
    return Result(
        succeeded=False,
        status_code=status,
        duration_ms=duration,
        error="redirect" if 300 <= status < 400 else "status",
        error_params=None if 300 <= status < 400 else {"status": status},
        excerpt=excerpt,
    )
