import ipaddress
from functools import partial

from django.contrib.auth import get_user_model
from django.db import transaction

from accounts import tasks
from core.markdown import render_post

User = get_user_model()


def _valid_address(address):
    """The address, or None when it is none (a proxy's header can hold anything)."""
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


@transaction.atomic
def user_create(
    *, username, email, password, language="", email_verified=True, signup_address=None
):
    """A new member, signed up on the site (imported members come from the importer), who
    reads the site's emails in `language` (the one they signed up in), from
    `signup_address` (kept for the moderators' spam cleanup). One whose address is not
    `email_verified` yet is sent the link that verifies it."""
    user = User.objects.create_user(
        username=username,
        email=email,
        password=password,
        language=language,
        email_verified=email_verified,
        signup_address=_valid_address(signup_address),
    )
    if not email_verified:
        verification_email_send(user=user)
    return user


def verification_email_send(*, user):
    """Sends `user` the link that verifies their address, after the commit."""
    transaction.on_commit(partial(tasks.verification_email.delay, user.pk))


def signup_email_send(*, username, email, language):
    """Sends the link that creates the account (a sign-up without the proof of work)."""
    transaction.on_commit(
        partial(tasks.signup_email.delay, username=username, email=email, language=language)
    )


@transaction.atomic
def email_verify(*, user):
    """Marks `user`'s address as theirs; False when it was already."""
    changed = User.objects.filter(pk=user.pk, email_verified=False).update(email_verified=True)
    user.email_verified = True
    return bool(changed)


@transaction.atomic
def profile_update(*, user, display_name, about_markdown, location, website):
    user.display_name = display_name
    user.about_markdown = about_markdown
    user.about_html = render_post(about_markdown)
    user.location = location
    user.website = website
    user.save(update_fields=["display_name", "about_markdown", "about_html", "location", "website"])
    return user
