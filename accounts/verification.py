"""Email verification: a new member shows the address is theirs by following a link
before they may post (accounts.permissions.account_denial refuses until then).

The links are signed (django.core.signing, a salt of their own per purpose, so that no
other signed value passes for one), expire after FORUM_VERIFICATION_LINK_SECONDS and name
the address they were sent to: a link to an address the member has since changed, or
for an account verified already, does nothing. A visitor who signs up without JavaScript
(no proof of work) gets a link of the second kind, which creates the account; it holds
the name and address only, and the password is chosen on the page it opens."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing

VERIFY_SALT = "accounts.verify-email"
SIGNUP_SALT = "accounts.signup-by-email"

User = get_user_model()


def required():
    return settings.FORUM_SIGNUP_DEFENCES and settings.FORUM_EMAIL_VERIFICATION


def is_verified(user):
    """Whether `user` may post as far as their address is concerned."""
    return user.email_verified or not required()


def verify_token(user):
    return signing.dumps({"user": user.pk, "email": user.email}, salt=VERIFY_SALT)


def user_for_verify_token(token):
    """The member the link was made for, if it is genuine, unexpired and their address
    is still the one it went to; else None."""
    try:
        data = signing.loads(
            token, salt=VERIFY_SALT, max_age=settings.FORUM_VERIFICATION_LINK_SECONDS
        )
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=data.get("user")).first()
    if user is None or user.email != data.get("email"):
        return None
    return user


def signup_token(*, username, email, language):
    return signing.dumps(
        {"username": username, "email": email, "language": language}, salt=SIGNUP_SALT
    )


def signup_for_token(token):
    """The name, address and language a sign-up link holds, if it is genuine and
    unexpired; else None."""
    try:
        return signing.loads(
            token, salt=SIGNUP_SALT, max_age=settings.FORUM_VERIFICATION_LINK_SECONDS
        )
    except signing.BadSignature:
        return None
