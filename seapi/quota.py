"""Stack Exchange's quota: so many requests a day from one address (the methods read what
anyone may read, so an address is who asks), counted in core.throttling's shared counters
so that it holds across every process that serves the site."""

from dataclasses import dataclass

from django.conf import settings

from core import throttling

DAY_SECONDS = 24 * 60 * 60
SEARCH_WINDOW_SECONDS = 60


@dataclass(frozen=True)
class Quota:
    maximum: int
    remaining: int

    @property
    def exhausted(self):
        return self.remaining < 0


def quota_take(request):
    """Counts one request from the visitor's address against the day's quota."""
    address = throttling.client_address(request)
    used = throttling.count("seapi", f"address:{address}", window=DAY_SECONDS)
    maximum = settings.SEAPI_QUOTA_PER_DAY
    return Quota(maximum=maximum, remaining=maximum - used)


def search_take(request):
    """Counts a search from the visitor's address with the site's searches (the search
    page's own limit, FORUM_SEARCH_RATE_PER_MINUTE); returns how many more the minute
    allows, negative past the limit."""
    address = throttling.client_address(request)
    searches = throttling.count("search", f"address:{address}", window=SEARCH_WINDOW_SECONDS)
    return settings.FORUM_SEARCH_RATE_PER_MINUTE - searches
