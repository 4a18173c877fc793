"""When a member was last seen (`User.last_seen_at`, on their profile): written at log-in
and then by the first page that loads them after FORUM_LAST_SEEN_SECONDS, so a member
browsing costs one UPDATE every few minutes, not one a page. The cache remembers that the
time was written lately (without a shared cache each process writes once per period);
a page that never loads the member (a probe, /metrics) reads no session for it."""

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from accounts.models import User


def _key(user_id):
    return f"last-seen:{user_id}"


def user_seen(*, user_id):
    """Records that the member is here now, unless that was written lately."""
    if cache.add(_key(user_id), 1, settings.FORUM_LAST_SEEN_SECONDS):
        User.objects.filter(pk=user_id).update(last_seen_at=timezone.now())


def logged_in(sender, request, user, **kwargs):
    """The `user_logged_in` receiver: a log-in is a visit (and writes the time at once)."""
    cache.set(_key(user.pk), 1, settings.FORUM_LAST_SEEN_SECONDS)
    User.objects.filter(pk=user.pk).update(last_seen_at=timezone.now())


class LastSeenMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "_cached_user", None)
        # A log-out empties the session and sets request.user, not the cached user.
        if user is not None and user.is_authenticated and request.user.is_authenticated:
            user_seen(user_id=user.pk)
        return response
