"""Personal access tokens: making, revoking and recognising them.

A secret is 32 random bytes after a fixed prefix ("stp_"), so a leaked one is easy to
spot in logs and code; the database keeps its SHA-256 only. A high-entropy secret needs
no slow hash: guessing one is hopeless however fast each guess is checked.
"""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from api.models import AccessToken

SECRET_PREFIX = "stp_"
# How often a token's "last used" is written: not on every request.
LAST_USED_PRECISION = timedelta(minutes=1)


def secret_hash(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def token_create(*, user, name, scopes, expires_in_days=None):
    """Makes a token for `user`; returns it and its secret, which is never stored."""
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    ordered = [scope for scope in AccessToken.Scope.values if scope in set(scopes)]
    token = AccessToken.objects.create(
        user=user,
        name=name,
        prefix=secret[: len(SECRET_PREFIX) + 4],
        secret_hash=secret_hash(secret),
        scopes=" ".join(ordered),
        created_at=now,
        expires_at=now + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    return token, secret


@transaction.atomic
def token_revoke(*, token):
    """Revokes `token` at once; returns False when it was revoked already."""
    return bool(
        AccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )


def token_for_secret(secret):
    """The usable token with `secret`, with its user, or None."""
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 100:
        return None
    return (
        AccessToken.objects.usable()
        .select_related("user")
        .filter(secret_hash=secret_hash(secret))
        .first()
    )


def token_used(token):
    """Records that `token` was used now, at most once a minute."""
    now = timezone.now()
    if token.last_used_at and now - token.last_used_at < LAST_USED_PRECISION:
        return
    AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


def user_tokens(*, user):
    """The member's tokens for the settings page, newest first (revoked ones too)."""
    return AccessToken.objects.filter(user=user).order_by("-created_at", "-id")
