"""reverse() for the links a page prints by the dozen: every tag, author and question of a
list or a thread. Django's reverse() checks its candidate patterns on each call (about
25 µs here), a list page made some 75 calls and a thread over 100; this keeps the
answers, per URL configuration and script prefix, so that a repeated link costs a lookup.
Models use it in get_absolute_url(); templates through `{% cached_url %}` (the forum tags).
"""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

# Distinct links kept: the tags, users and questions of the busiest pages.
REMEMBERED_URLS = 8192


@lru_cache(maxsize=REMEMBERED_URLS)
def _reverse(viewname, kwargs, urlconf, prefix):
    # `prefix` is part of the key only: reverse() reads the current script prefix itself.
    return reverse(viewname, urlconf=urlconf, kwargs=dict(kwargs))


def cached_reverse(viewname, **kwargs):
    """reverse(viewname, kwargs=kwargs), remembered."""
    return _reverse(
        viewname, tuple(kwargs.items()), get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()
    )
