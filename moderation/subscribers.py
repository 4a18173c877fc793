"""What moderation does on its own events: the navigation's cached counts of the
moderators' work follow the flags and escalations they count."""

from django.core.cache import cache

from moderation.selectors import PENDING_CACHE_KEY


def pending_work_changed(event):
    cache.delete(PENDING_CACHE_KEY)
