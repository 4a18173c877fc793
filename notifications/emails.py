"""The emails the site sends a member: one per inbox entry of a kind they chose, and the
digest of their watched tags."""

from django.db.models import Q

from accounts.models import User
from notifications.models import EmailSettings, Notification


def wanting(*, kind, user_ids):
    """The ids among `user_ids` who want an email for entries of `kind`: their settings
    say so, or they have none and the kind is emailed by default."""
    default = EmailSettings._meta.get_field(kind).default
    chosen = Q(email_settings__isnull=True) if default else Q(pk__in=[])
    chosen |= Q(**{f"email_settings__{kind}": True})
    return set(
        User.objects.filter(chosen, pk__in=user_ids, is_active=True)
        .exclude(email="")
        .values_list("pk", flat=True)
    )


def entries_mail(*, kind, key, recipient_ids):
    """Enqueues an email for each new entry `key` of the members who want one."""
    from notifications.tasks import notification_email_send

    if not recipient_ids:
        return
    for start in range(0, len(recipient_ids), 1000):
        chunk = recipient_ids[start : start + 1000]
        wanted = wanting(kind=kind, user_ids=chunk)
        if not wanted:
            continue
        for entry_id in Notification.objects.filter(key=key, recipient_id__in=wanted).values_list(
            "pk", flat=True
        ):
            notification_email_send.delay(entry_id)
