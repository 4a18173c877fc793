from django.utils.functional import SimpleLazyObject

from notifications.selectors import UNREAD_SHOWN_MAX, unread_count


def inbox(request):
    """The navigation's unread count, read when a page shows it: from the cache, else one
    indexed count (notifications.selectors.unread_count)."""

    def count():
        if not request.user.is_authenticated:
            return 0
        return unread_count(request.user)

    return {"inbox_unread": SimpleLazyObject(count), "inbox_unread_max": UNREAD_SHOWN_MAX}
