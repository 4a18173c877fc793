"""Writes: the questions a member saves for later (their profile's Saved tab)."""

from django.db import transaction
from django.utils import timezone

from questions.models import Bookmark


@transaction.atomic
def bookmark_set(*, user, question, saved):
    """Saves `question` for `user` (`saved`) or takes it off their saved questions.
    Returns False when it already was so."""
    if not saved:
        deleted, _ = Bookmark.objects.filter(user=user, question=question).delete()
        return bool(deleted)
    _, created = Bookmark.objects.get_or_create(
        user=user, question=question, defaults={"created_at": timezone.now()}
    )
    return created
