"""The page cache for anonymous visitors, and how writes invalidate it.

What is cached: the HTML of the question lists (home page, tag pages, the tags page) and of
the threads, as an anonymous visitor gets them with a GET. Never for members (their pages
show their votes, flags and buttons), never while a flash message waits to be shown, and
only complete 200 responses.

Keys: `page:<generation>:<language>:<theme>:<hash of the absolute URL>`. The theme
(core.themes: automatic, light or dark, from the visitor's cookie) is in the HTML, so that
the first paint is in it. The URL carries scheme, host, path and query string, since pages
link to themselves (canonical link, tabs, the log-in link's `next`). The generation is a
token per scope: one for every list (`gen:lists`, as a question shows on many lists and
tag pages), one per thread (`gen:thread:<question id>`).

Invalidation: every event about a post (questions.events.PostChanged and its subclasses,
whichever app publishes them: an answer, an edit, a vote, a deletion, a lock, a closure
…) and a tag's new description reach `post_changed` / `tag_changed` below once the
write has committed (subscribed in QuestionsConfig.ready()); they give the scopes new
tokens, so pages cached under an old token are never read again and expire. A page
rendered from the old rows while the write was in flight was cached under the old token,
so it is not kept either. What no event announces (relative times, an author's name or
reputation on other pages, view counts, related questions) is at most
FORUM_PAGE_CACHE_SECONDS old.

CSRF: the pages carry forms (the language switcher, votes) with the visitor's CSRF token.
The cache keeps the page cut into the pieces between the token fields that Django's
`{% csrf_token %}` renders (a whole `<input type="hidden" name="csrfmiddlewaretoken" …>`
tag, which sanitised user content cannot contain: its `<` is escaped), and each visitor a
page is served to gets their own token put back into those fields alone (which also sets
their CSRF cookie, as rendering would), so posting from a cached page works. No text is
replaced anywhere else, so nothing a member writes can make a visitor's token appear in
a link or an image address.
"""

import hashlib
import re
import uuid
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from core.themes import theme_of

LISTS = "lists"
# A generation lives longer than any page cached under it; one that expires or is evicted
# comes back as a new token, which is as safe as a bump.
GENERATION_SECONDS = 24 * 60 * 60
_CSRF_FIELD = re.compile(rb'<input type="hidden" name="csrfmiddlewaretoken" value="([^"<>]*)">')


def thread_scope(question_id):
    return f"thread:{question_id}"


def generation_key(scope):
    return f"gen:{scope}"


def generation(scope):
    """The current token of `scope`."""
    key = generation_key(scope)
    token = cache.get(key)
    if token is None:
        cache.add(key, uuid.uuid4().hex, GENERATION_SECONDS)
        token = cache.get(key)
    return token


def scopes_renewed(scopes):
    """New tokens for `scopes` once the current transaction commits (at once outside one):
    what was cached under the old ones is never read again."""

    def renew():
        cache.set_many(
            {generation_key(scope): uuid.uuid4().hex for scope in scopes}, GENERATION_SECONDS
        )

    transaction.on_commit(renew, robust=True)


def pages_changed(*, question_id=None, lists=True):
    """Anonymous visitors get fresh pages of the question's thread (when given) and, with
    `lists`, of every question list, once the current transaction commits (at once
    outside one)."""
    scopes = [thread_scope(question_id)] if question_id else []
    if lists:
        scopes.append(LISTS)
    scopes_renewed(scopes)


def post_changed(event):
    pages_changed(question_id=event.question_id, lists=event.changes_lists)


def tag_changed(event):
    pages_changed()


def _cacheable(request):
    return (
        settings.FORUM_PAGE_CACHE_SECONDS > 0
        and request.method == "GET"
        and not request.user.is_authenticated
        # Counting the messages does not use them up: the page that shows them renders.
        and not get_messages(request)
    )


def _page_key(request, scope):
    url = hashlib.md5(request.build_absolute_uri().encode(), usedforsecurity=False).hexdigest()
    return f"page:{generation(scope)}:{get_language()}:{theme_of(request)}:{url}"


def _without_tokens(content):
    """The page cut at the value of each CSRF token field: joining the pieces with a
    visitor's token gives the page with their token in every field, and nowhere else."""
    pieces, start = [], 0
    for field in _CSRF_FIELD.finditer(content):
        pieces.append(content[start : field.start(1)])
        start = field.end(1)
    pieces.append(content[start:])
    return pieces


def cached_for_anonymous(scope):
    """Serves the view's page to anonymous visitors from the cache. `scope(**kwargs)` names
    the generation the page belongs to, from the view's URL arguments."""

    def decorator(view):
        @wraps(view)
        def cached_view(request, *args, **kwargs):
            if not _cacheable(request):
                return view(request, *args, **kwargs)
            key = _page_key(request, scope(**kwargs))
            page = cache.get(key)
            if page is None:
                response = view(request, *args, **kwargs)
                if response.status_code == 200 and not response.streaming:
                    pieces = _without_tokens(response.content)
                    cache.set(
                        key, (response["Content-Type"], pieces), settings.FORUM_PAGE_CACHE_SECONDS
                    )
                return response
            content_type, pieces = page
            return HttpResponse(get_token(request).encode().join(pieces), content_type=content_type)

        return cached_view

    return decorator
