"""The one-click unsubscribe links in the emails: a signed token names one member and one
kind of email, and whoever holds it may switch that kind off, without logging in.

The token is (user id, kind) with Django's timestamped signature (signing.dumps) and a
salt of its own: readable, but not to be altered or made without the SECRET_KEY, of no
use anywhere else on the site, and refused FORUM_UNSUBSCRIBE_DAYS after it was made.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from notifications.models import EMAIL_SWITCHES, EmailSettings

SALT = "notifications.unsubscribe"
DIGEST = "digest"
# What a link may switch off: an email per inbox entry of one kind, or the digest.
KINDS = (*EMAIL_SWITCHES, DIGEST)


class TokenInvalid(Exception):
    """The token was not made by the site, was altered, or names nothing it knows."""


class TokenExpired(TokenInvalid):
    """The token was the site's, and is older than FORUM_UNSUBSCRIBE_DAYS."""


def token_make(*, user_id, kind):
    if kind not in KINDS:
        raise ValueError(f"No email of the kind {kind!r}.")
    return signing.dumps([user_id, kind], salt=SALT)


def token_read(token):
    """(user id, kind) of a token the site made within FORUM_UNSUBSCRIBE_DAYS; raises
    TokenExpired for an older one, TokenInvalid for anything else."""
    try:
        user_id, kind = signing.loads(
            token, salt=SALT, max_age=timedelta(days=settings.FORUM_UNSUBSCRIBE_DAYS)
        )
    except signing.SignatureExpired as error:
        raise TokenExpired from error
    except (signing.BadSignature, TypeError, ValueError) as error:
        raise TokenInvalid from error
    if not isinstance(user_id, int) or kind not in KINDS:
        raise TokenInvalid
    return user_id, kind


def path(*, user_id, kind):
    """The path of the unsubscribe page for `user_id` and `kind`."""
    # reverse(), not the cached one: every token is new.
    token = token_make(user_id=user_id, kind=kind)
    return reverse("notifications:unsubscribe", kwargs={"token": token})


def kind_label(kind):
    """What the settings page calls the kind's switch ("New answers to my questions")."""
    return EmailSettings._meta.get_field(kind).verbose_name
