"""The accounts app's background tasks: the emails that prove an address (sent through
the task queue after the sign-up's commit, so that a slow mail server never holds the
page up, and retried when it refuses for a while)."""

import smtplib

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts import verification

User = get_user_model()

RETRIED = {
    "autoretry_for": (smtplib.SMTPException, OSError),
    "retry_backoff": True,
    "max_retries": 5,
}


def _absolute(path):
    return settings.FORUM_SITE_URL.rstrip("/") + path


def _language(language):
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _send(*, template, email, language, context):
    with translation.override(_language(language)):
        subject = render_to_string(f"accounts/email/{template}_subject.txt", context)
        body = render_to_string(f"accounts/email/{template}.txt", context)
    send_mail(" ".join(subject.split()), body, None, [email])


@shared_task(**RETRIED)
def verification_email(user_id):
    """The link that verifies member `user_id`'s address (none once it is verified)."""
    user = User.objects.filter(pk=user_id, email_verified=False).first()
    if user is None:
        return
    path = reverse("accounts:verify_email", args=[verification.verify_token(user)])
    _send(
        template="verify",
        email=user.email,
        language=user.language,
        context={"name": user.name, "link": _absolute(path)},
    )


@shared_task(**RETRIED)
def signup_email(*, username, email, language):
    """The link that creates the account `username` at `email`: the sign-up of a visitor
    whose browser did not solve the challenge (no JavaScript)."""
    token = verification.signup_token(username=username, email=email, language=language)
    path = reverse("accounts:signup_finish", args=[token])
    _send(
        template="signup",
        email=email,
        language=language,
        context={"name": username, "link": _absolute(path)},
    )
