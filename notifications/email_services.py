"""The writes of the email settings: the settings page and the unsubscribe links."""

from django.db import transaction

from notifications.models import EmailSettings, Notification
from notifications.unsubscribe import DIGEST

# What the settings page sets: a switch per kind of inbox entry, the digest, and whether
# new questions in watched tags reach the inbox.
CHOICES = (*Notification.Kind.values, "digest", "inbox_watched_tags")


@transaction.atomic
def email_settings_save(*, user, language, **choices):
    """Saves what `user` chose on the settings page (CHOICES) and the language the site
    writes to them in."""
    unknown = set(choices) - set(CHOICES)
    if unknown:
        raise TypeError(f"Not an email setting: {', '.join(sorted(unknown))}")
    EmailSettings.objects.update_or_create(user=user, defaults=choices)
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


@transaction.atomic
def email_kind_off(*, user, kind):
    """Switches off `user`'s emails of `kind` (an entry kind's switch, or "digest"), as an
    unsubscribe link does. Returns whether they were on."""
    field, off = ("digest", EmailSettings.Digest.NONE) if kind == DIGEST else (kind, False)
    chosen, _ = EmailSettings.objects.select_for_update().get_or_create(user=user)
    if getattr(chosen, field) == off:
        return False
    setattr(chosen, field, off)
    chosen.save(update_fields=[field])
    return True
