"""Counts the days a member visits (UTC), for Enthusiast and Fanatic: once a day per
session. The day of a log-in is counted by the log-in itself (so a member's pages cost no
query for it); a session that lives into a new day is counted on its first page that
loads the member anyway (a probe reads no session for it)."""

from datetime import UTC

from django.utils import timezone

from badges import services, tasks
from badges.table import BADGES

SESSION_KEY = "badges_visit_day"
# Runs of days at which a visit badge may be due.
_RUNS = sorted(
    {definition.rule.minimum for definition in BADGES.values() if "visitor" in definition.on}
)


def visit_count(request, user):
    """Counts today for `user`, unless this session counted it already."""
    today = timezone.now().astimezone(UTC).date()
    if request.session.get(SESSION_KEY) == today.isoformat():
        return
    request.session[SESSION_KEY] = today.isoformat()
    days = services.visit_record(user_id=user.pk, day=today)
    if days in _RUNS:
        tasks.badges_evaluate_parts.delay({"visitor": [user.pk]})


def logged_in(sender, request, user, **kwargs):
    """The `user_logged_in` receiver: the day of a log-in is a visit."""
    if request is not None and hasattr(request, "session"):
        visit_count(request, user)


class VisitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "_cached_user", None)
        # A log-out empties the session and sets request.user, not the cached user.
        if user is not None and user.is_authenticated and request.user.is_authenticated:
            visit_count(request, user)
        return response
