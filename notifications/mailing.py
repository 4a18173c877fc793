"""Writing the site's emails to members and sending each at most once.

An email is written in its reader's language (`User.language`, else the site's), as plain
text with an HTML alternative, and carries a one-click unsubscribe link for its kind in
the body and in the List-Unsubscribe headers (RFC 8058), which mail clients show as an
"Unsubscribe" button. It goes to the reader's own address only.

Each email has a key per reader (EmailDelivery: "notification:12", "digest:daily:…"). A
task that runs again, after a crash or an SMTP error, finds the deliveries it made and
sends only what was not sent yet.
"""

import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from notifications import unsubscribe
from notifications.models import EmailDelivery

# What a failed send raises: the SMTP server refused, or could not be reached. The task
# is retried with backoff (notifications/tasks.py).
SEND_ERRORS = (smtplib.SMTPException, OSError)


@dataclass(frozen=True)
class Letter:
    """One email to one member, and the key that makes it once."""

    user_id: int
    key: str
    message: mail.EmailMultiAlternatives


def absolute(path):
    """The address of the site's page at `path`, for a link in an email."""
    return settings.FORUM_SITE_URL.rstrip("/") + path


def reader_language(language):
    """The language to write to a member in: theirs if the site speaks it, else the site's."""
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def letter(*, user_id, email, language, key, template, kind, context):
    """The email `template` (notifications/email/<template>_subject.txt, .txt and .html)
    for member `user_id` at `email`, in `language`, unsubscribing from `kind`."""
    with translation.override(reader_language(language)):
        unsubscribe_url = absolute(unsubscribe.path(user_id=user_id, kind=kind))
        context = {
            **context,
            "site_url": absolute(""),
            "settings_url": absolute(reverse("notifications:settings")),
            "unsubscribe_url": unsubscribe_url,
            "unsubscribe_label": unsubscribe.kind_label(kind),
        }
        subject = render_to_string(f"notifications/email/{template}_subject.txt", context)
        message = mail.EmailMultiAlternatives(
            # A subject is one line, however long the title in it.
            subject=" ".join(subject.split()),
            body=render_to_string(f"notifications/email/{template}.txt", context),
            to=[email],
            headers={
                "List-Unsubscribe": f"<{unsubscribe_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                # Written by the site, not a person: no auto-replies (RFC 3834).
                "Auto-Submitted": "auto-generated",
            },
        )
        message.attach_alternative(
            render_to_string(f"notifications/email/{template}.html", context), "text/html"
        )
    return Letter(user_id=user_id, key=key, message=message)


def send_once(letters, *, on_sent=None):
    """Sends each of `letters` unless it was sent before, over one connection; returns how
    many it sent. What went out is marked sent in EmailDelivery, and `on_sent(user ids)`
    records it in the same transaction.

    The delivery rows are made first, then locked while their emails go out: another run
    at the same time skips the rows this one holds (and sends nothing twice). When the
    SMTP server fails midway, what went out is still marked sent before the error is
    raised, so the retried task sends only the rest."""
    if not letters:
        return 0
    EmailDelivery.objects.bulk_create(
        [EmailDelivery(user_id=item.user_id, key=item.key) for item in letters],
        ignore_conflicts=True,
    )
    sent, error = [], None
    with transaction.atomic():
        unsent = set(
            EmailDelivery.objects.select_for_update(skip_locked=True)
            .filter(
                user_id__in={item.user_id for item in letters},
                key__in={item.key for item in letters},
                sent_at__isnull=True,
            )
            .values_list("user_id", "key")
        )
        due = [item for item in letters if (item.user_id, item.key) in unsent]
        if due:
            try:
                with mail.get_connection() as connection:
                    for item in due:
                        connection.send_messages([item.message])
                        sent.append(item)
            except SEND_ERRORS as failure:
                error = failure
        _mark_sent(sent)
        if sent and on_sent is not None:
            on_sent([item.user_id for item in sent])
    if error is not None:
        raise error
    return len(sent)


def _mark_sent(letters):
    now = timezone.now()
    by_key = {}
    for item in letters:
        by_key.setdefault(item.key, []).append(item.user_id)
    for key, user_ids in by_key.items():
        EmailDelivery.objects.filter(key=key, user_id__in=user_ids).update(sent_at=now)
