from django.utils.functional import SimpleLazyObject

from accounts.roles import is_suspended
from moderation.selectors import unread_messages


def moderation(request):
    """The banners on every page: the member's unread moderator messages (one query, when
    a page shows them) and the end of their suspension."""

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
    }
