"""A member's "last seen": written at log-in and then at most every
FORUM_LAST_SEEN_SECONDS by the pages that load them, never by every page."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from accounts.models import User
from tests import factories
from tests.clients import client_for

pytestmark = pytest.mark.django_db


def last_seen(user):
    return User.objects.get(pk=user.pk).last_seen_at


def test_logging_in_through_the_form_sets_last_seen():
    member = factories.user(password=factories.PASSWORD)
    client = Client()

    client.post("/users/login/", {"username": member.username, "password": factories.PASSWORD})

    assert timezone.now() - last_seen(member) < timedelta(minutes=1)


def test_browsing_writes_last_seen_once_per_period_not_on_every_page(
    django_assert_num_queries,
):
    member = factories.user()
    client = client_for(member)
    User.objects.filter(pk=member.pk).update(last_seen_at=None)
    client.get("/users/")  # the process's first page reads a little more

    # Within the period after the log-in nothing is written: a page costs what it did.
    # The session, the member, a moderator message for them, the list's count and page.
    with django_assert_num_queries(5):
        client.get("/users/")
    assert last_seen(member) is None

    cache.clear()  # the period is over
    client.get("/users/")
    assert timezone.now() - last_seen(member) < timedelta(minutes=1)


def test_a_page_that_never_loads_the_member_does_not_write_last_seen():
    member = factories.user()
    client = client_for(member)
    User.objects.filter(pk=member.pk).update(last_seen_at=None)
    cache.clear()

    client.get("/healthz")

    assert last_seen(member) is None


def test_the_profile_shows_last_seen(english_client):
    member = factories.user()
    User.objects.filter(pk=member.pk).update(last_seen_at=timezone.now() - timedelta(days=2))

    html = english_client.get(member.get_absolute_url()).content.decode()

    assert "Last seen" in html
