from django.utils.functional import SimpleLazyObject

from accounts.roles import is_suspended
from moderation.selectors import pending_work, unread_messages


def moderation(request):
    """The banners on every page: the member's unread moderator messages (one query, when
    a page shows them) and the end of their suspension; for moderators, the navigation's
    counts of what waits for them (cached, else one query)."""

    def unread():
        if not request.user.is_authenticated:
            return ((), False)
        return unread_messages(user=request.user)

    def suspended_until():
        user = request.user
        return user.suspended_until if is_suspended(user) else None

    return {
        "unread_moderator_messages": SimpleLazyObject(unread),
        "suspended_until": SimpleLazyObject(suspended_until),
        "moderation_pending": SimpleLazyObject(lambda: pending_work(user=request.user)),
    }
