"""Writes: a member's watched and ignored tags, and whether the lists leave out the
questions in the ignored ones. (The reads are selectors/tag_preferences.py.)"""

from django.db import transaction
from django.utils import timezone

from questions.models import TagPreference


@transaction.atomic
def tag_watch_set(*, user, tag, kind):
    """Makes `user` watch `tag` (kind WATCHED), ignore it (IGNORED) or neither (None).
    Returns False when that was so already."""
    if kind is None:
        deleted, _ = TagPreference.objects.filter(user=user, tag=tag).delete()
        return bool(deleted)
    now = timezone.now()
    preference, created = TagPreference.objects.get_or_create(
        user=user, tag=tag, defaults={"kind": kind, "created_at": now}
    )
    if created or preference.kind == kind:
        return created
    TagPreference.objects.filter(pk=preference.pk).update(kind=kind, created_at=now)
    return True


@transaction.atomic
def tag_preferences_save(*, user, watched, ignored, hide_ignored):
    """Makes `user` watch exactly the tags `watched` and ignore exactly `ignored` (two
    lists of tags with none in common), and leave out (`hide_ignored`) or fade the
    questions in the ignored ones. Returns False when nothing changed."""
    wanted = {tag.pk: TagPreference.Kind.WATCHED for tag in watched}
    wanted.update((tag.pk, TagPreference.Kind.IGNORED) for tag in ignored)
    held = dict(
        TagPreference.objects.select_for_update().filter(user=user).values_list("tag_id", "kind")
    )
    dropped = held.keys() - wanted.keys()
    if dropped:
        TagPreference.objects.filter(user=user, tag_id__in=dropped).delete()
    now = timezone.now()
    switched = [tag_id for tag_id, kind in wanted.items() if held.get(tag_id) not in (None, kind)]
    for kind in TagPreference.Kind:
        tag_ids = [tag_id for tag_id in switched if wanted[tag_id] == kind]
        if tag_ids:
            TagPreference.objects.filter(user=user, tag_id__in=tag_ids).update(
                kind=kind, created_at=now
            )
    added = [tag_id for tag_id in wanted if tag_id not in held]
    TagPreference.objects.bulk_create(
        [
            TagPreference(user=user, tag_id=tag_id, kind=wanted[tag_id], created_at=now)
            for tag_id in added
        ],
        ignore_conflicts=True,
    )
    display_changed = user.hide_ignored_tags != hide_ignored
    if display_changed:
        user.hide_ignored_tags = hide_ignored
        user.save(update_fields=["hide_ignored_tags"])
    return bool(dropped or switched or added or display_changed)
