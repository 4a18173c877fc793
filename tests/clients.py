import re

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from moderation.selectors import PENDING_CACHE_KEY
from notifications.services import unread_cache_key
from questions.caching import generation_key
from questions.selectors.hot import HOT_SCOPE


def client_for(user, **kwargs):
    """A test client that reads the site in English, logged in as `user` (None: a visitor)."""
    client = Client(headers={"accept-language": "en"}, **kwargs)
    if user is not None:
        client.force_login(user)
    return client


def page_queries(client, url):
    """How many queries a GET of `url` costs `client`, read as a member's first page: the
    navigation's inbox count is not yet cached (it costs one query, then none), nor, for a
    moderator, its count of pending flags; nor a thread's box of hot questions in its tags
    (kept for every thread of those tags), so that threads sharing tags cost the same."""
    cache.delete(generation_key(HOT_SCOPE))
    if user_id := client.session.get("_auth_user_id"):
        cache.delete_many([unread_cache_key(int(user_id)), PENDING_CACHE_KEY])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def thread_queries(client, question):
    return page_queries(client, question.get_absolute_url())


def sidebar_titles(response, classes):
    """The question titles in the thread sidebar's box whose class attribute is `classes`
    ("related-questions", "related-questions hot-questions"), in order."""
    html = response.content.decode()
    aside = re.search(rf'<aside class="{classes}".*?</aside>', html, re.S)
    if aside is None:
        return []
    return re.findall(r'<a href="/questions/\d+/[^"]+">([^<]+)</a>', aside[0])
