"""Privacy's background tasks: building a member's data export and mailing its link, and
the periodic sweep that erases the accounts whose grace period is over and deletes the
exports whose offer ended."""

import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import OperationalError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from privacy import exports, services

RETRIED = {
    "autoretry_for": (OperationalError, smtplib.SMTPException, OSError),
    "retry_backoff": True,
    "max_retries": 5,
}


@shared_task(**RETRIED)
def export_build(export_id):
    """Builds the export and emails its member the link (once: a built export is not
    built or mailed again)."""
    export = exports.export_build(export_id=export_id)
    if export is None or not export.user.email or export.ready_at is None:
        return
    user = export.user
    language = user.language if user.language in dict(settings.LANGUAGES) else None
    path = reverse("privacy:export_download", args=[exports.download_token(export)])
    context = {
        "name": user.name,
        "link": settings.FORUM_SITE_URL.rstrip("/") + path,
        "hours": settings.FORUM_DATA_EXPORT_HOURS,
    }
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string("privacy/email/export_ready_subject.txt", context)
        body = render_to_string("privacy/email/export_ready.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])


@shared_task(**RETRIED)
def privacy_sweep():
    """Beat runs it every ten minutes."""
    return {
        "erased": services.accounts_erase_due(),
        "exports_deleted": exports.exports_expire(),
    }
