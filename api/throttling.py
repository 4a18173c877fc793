"""The API's rate limits: requests per window for each access token (or logged-in
member) and for each anonymous address, counted in the shared counters of
core.throttling, so every process of the site sees the same counts. The windows are
fixed slices of the clock, so a refused client is told exactly when the next begins."""

import time
from dataclasses import dataclass

from django.conf import settings

from core import throttling


@dataclass(frozen=True)
class Quota:
    limit: int
    remaining: int
    # Seconds until the window ends and the count starts again.
    reset: int

    @property
    def exceeded(self):
        return self.remaining < 0


def _client(request):
    if request.auth is not None:
        return f"token:{request.auth.pk}", settings.FORUM_API_RATE_AUTHENTICATED
    if request.user.is_authenticated:
        return f"user:{request.user.pk}", settings.FORUM_API_RATE_AUTHENTICATED
    return f"address:{throttling.client_address(request)}", settings.FORUM_API_RATE_ANONYMOUS


def quota_count(request):
    """Counts the request against its client's quota and says what is left."""
    client, limit = _client(request)
    window = settings.FORUM_API_RATE_WINDOW_SECONDS
    now = time.time()
    slot = int(now // window)
    used = throttling.count("api", f"{client}:{slot}", window=window)
    return Quota(limit=limit, remaining=limit - used, reset=max(1, int((slot + 1) * window - now)))
