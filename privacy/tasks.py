"""Privacy's background tasks: the email that confirms a deletion request, building a
member's data export and mailing its link, and the periodic sweep that erases the
accounts whose grace period is over and deletes the exports whose offer ended."""

import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import OperationalError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from privacy import exports, services
from privacy.models import DeletionRequest

RETRIED = {
    "autoretry_for": (OperationalError, smtplib.SMTPException, OSError),
    "retry_backoff": True,
    "max_retries": 5,
}


def _send(*, user, template, context):
    language = user.language if user.language in dict(settings.LANGUAGES) else None
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"privacy/email/{template}_subject.txt", context)
        body = render_to_string(f"privacy/email/{template}.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])


def _absolute(path):
    return settings.FORUM_SITE_URL.rstrip("/") + path


@shared_task(**RETRIED)
def deletion_requested_email(user_id):
    """Tells the member when their account will be erased and where to cancel: also a
    warning, should someone else have asked with their password."""
    deletion = (
        DeletionRequest.objects.select_related("user")
        .filter(user_id=user_id, erased_at__isnull=True)
        .first()
    )
    if deletion is None or not deletion.user.email:
        return
    _send(
        user=deletion.user,
        template="deletion_requested",
        context={
            "name": deletion.user.name,
            "date": deletion.erase_at,
            "link": _absolute(reverse("privacy:settings")),
        },
    )


@shared_task(**RETRIED)
def export_build(export_id):
    """Builds the export and emails its member the link (once: a built export is not
    built or mailed again)."""
    export = exports.export_build(export_id=export_id)
    if export is None or not export.user.email or export.ready_at is None:
        return
    path = reverse("privacy:export_download", args=[exports.download_token(export)])
    _send(
        user=export.user,
        template="export_ready",
        context={
            "name": export.user.name,
            "link": _absolute(path),
            "hours": settings.FORUM_DATA_EXPORT_HOURS,
        },
    )


@shared_task(**RETRIED)
def privacy_sweep():
    """Beat runs it every ten minutes."""
    return {
        "erased": services.accounts_erase_due(),
        "exports_deleted": exports.exports_expire(),
    }
