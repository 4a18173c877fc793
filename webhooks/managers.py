"""The community managers' email about a webhook switched off after failing again and
again: in each manager's language, once per manager and switching off (notifications'
`mailing.send_once`)."""

from django.conf import settings
from django.core import mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from notifications.mailing import Letter, absolute, reader_language, send_once
from webhooks.models import Webhook


def managers():
    """Who holds a community manager's powers now and can be written to
    (accounts.roles.is_community_manager, as a query)."""
    return (
        User.objects.filter(is_staff=True, is_active=True)
        .filter(Q(suspended_until__isnull=True) | Q(suspended_until__lte=timezone.now()))
        .exclude(email="")
        .only("pk", "email", "language")
    )


def _letter(webhook, manager, key):
    with translation.override(reader_language(manager.language)):
        context = {
            "webhook": webhook,
            "failures": settings.FORUM_WEBHOOK_FAILURES_TO_DISABLE,
            "webhook_url": absolute(reverse("webhooks:detail", args=[webhook.pk])),
            "site_url": absolute(""),
        }
        subject = render_to_string("webhooks/email/disabled_subject.txt", context)
        message = mail.EmailMessage(
            subject=" ".join(subject.split()),
            body=render_to_string("webhooks/email/disabled.txt", context),
            to=[manager.email],
            headers={"Auto-Submitted": "auto-generated"},
        )
    return Letter(user_id=manager.pk, key=key, message=message)


def webhook_disabled_tell(*, webhook_id):
    """Emails the managers that the webhook is off; returns how many emails went out."""
    webhook = Webhook.objects.filter(pk=webhook_id, disabled_at__isnull=False).first()
    if webhook is None:
        return 0
    key = f"webhook_disabled:{webhook.pk}:{int(webhook.disabled_at.timestamp())}"
    return send_once([_letter(webhook, manager, key) for manager in managers()])
