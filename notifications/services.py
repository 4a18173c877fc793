"""Every write of the notifications app: inbox entries, reading them, following, and the
email settings (the settings page, the unsubscribe links)."""

from itertools import islice

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from notifications.models import EMAIL_SWITCHES, EmailSettings, Follow, Notification
from notifications.unsubscribe import DIGEST


def unread_cache_key(user_id):
    return f"inbox:unread:{user_id}"


def unread_forget(user_ids):
    """Drops the cached unread counts of `user_ids`: their next page counts afresh."""
    cache.delete_many([unread_cache_key(user_id) for user_id in user_ids])


def _batches(iterable, size):
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def entries_add(*, recipient_ids, kind, key, actor_id=None, **links):
    """Writes one inbox entry about `key` for each of `recipient_ids` (an iterable, which
    may be a generator over many thousands), in batches of FORUM_NOTIFICATION_BATCH rows
    per statement. The actor is never told of their own doing. A recipient who has the
    entry already gets no second one. Returns the ids of those who got it now."""
    now = timezone.now()
    added = []
    for batch in _batches(
        (pk for pk in recipient_ids if pk != actor_id), settings.FORUM_NOTIFICATION_BATCH
    ):
        with transaction.atomic():
            have = set(
                Notification.objects.filter(recipient_id__in=batch, key=key).values_list(
                    "recipient_id", flat=True
                )
            )
            new = [pk for pk in dict.fromkeys(batch) if pk not in have]
            Notification.objects.bulk_create(
                [
                    Notification(
                        recipient_id=pk,
                        kind=kind,
                        key=key,
                        actor_id=actor_id,
                        created_at=now,
                        **links,
                    )
                    for pk in new
                ],
                # Two tasks about the same fact at once: the second one's rows are
                # skipped by the unique constraint instead of failing the batch.
                ignore_conflicts=True,
            )
        unread_forget(new)
        added.extend(new)
    return added


def inbox_read(*, user, entry_ids):
    """Marks the entries `entry_ids` of `user` read. Returns how many were unread."""
    changed = Notification.objects.filter(
        recipient=user, pk__in=entry_ids, read_at__isnull=True
    ).update(read_at=timezone.now())
    if changed:
        unread_forget([user.pk])
    return changed


def entry_unread_set(*, user, entry_id):
    """Marks one of `user`'s entries unread again. Returns whether it was read."""
    changed = Notification.objects.filter(
        recipient=user, pk=entry_id, read_at__isnull=False
    ).update(read_at=None)
    if changed:
        unread_forget([user.pk])
    return bool(changed)


def follow_set(*, user, post, following):
    """`user` follows `post` (or no longer does). Returns whether anything changed."""
    if following:
        _, created = Follow.objects.get_or_create(
            user=user, post=post, defaults={"created_at": timezone.now()}
        )
        return created
    deleted, _ = Follow.objects.filter(user=user, post=post).delete()
    return bool(deleted)


def follows_add(*, user_id, post_id):
    """The automatic follow of what a member writes; nothing when they follow already."""
    Follow.objects.bulk_create(
        [Follow(user_id=user_id, post_id=post_id, created_at=timezone.now())],
        ignore_conflicts=True,
    )


# What the settings page sets: a switch per kind of inbox entry, the digest, and whether
# new questions in watched tags reach the inbox.
CHOICES = (*EMAIL_SWITCHES, "digest", "inbox_watched_tags")


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
