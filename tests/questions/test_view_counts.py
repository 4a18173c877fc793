from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from questions.models import Post
from tests import factories
from tests.clients import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def question_with_100_views(db):
    return factories.question(title="Counting views", view_count=100)


def view_count(question):
    return Post.objects.get(pk=question.pk).view_count


def flushed():
    out = StringIO()
    call_command("flush_view_counts", stdout=out)
    return out.getvalue()


def test_views_are_written_to_the_question_by_the_flush(question_with_100_views):
    for _ in range(7):
        assert Client().get(question_with_100_views.get_absolute_url()).status_code == 200
    assert view_count(question_with_100_views) == 100

    assert flushed() == "7 views written.\n"
    assert view_count(question_with_100_views) == 107


def test_the_thread_page_writes_nothing_to_the_database(question_with_100_views):
    with CaptureQueriesContext(connection) as queries:
        for _ in range(5):
            Client().get(question_with_100_views.get_absolute_url())

    assert not [query for query in queries if query["sql"].lstrip().upper().startswith("UPDATE")]


def test_views_of_a_cached_page_are_counted_too(question_with_100_views):
    url = question_with_100_views.get_absolute_url()
    Client().get(url)
    with CaptureQueriesContext(connection) as queries:
        Client().get(url)

    assert len(queries) == 0
    flushed()
    assert view_count(question_with_100_views) == 102


def test_every_nth_view_writes_the_views_so_far_in_one_update(question_with_100_views, settings):
    settings.FORUM_VIEW_COUNT_FLUSH_EVERY = 3
    url = question_with_100_views.get_absolute_url()
    for _ in range(2):
        Client().get(url)
    assert view_count(question_with_100_views) == 100

    with CaptureQueriesContext(connection) as queries:
        Client().get(url)
    assert view_count(question_with_100_views) == 103
    assert (
        len([query for query in queries if query["sql"].lstrip().upper().startswith("UPDATE")]) == 1
    )

    Client().get(url)
    assert view_count(question_with_100_views) == 103
    flushed()
    assert view_count(question_with_100_views) == 104


def test_views_after_a_flush_are_written_by_the_next(question_with_100_views):
    other = factories.question(title="Another one")
    Client().get(question_with_100_views.get_absolute_url())
    flushed()
    for _ in range(2):
        Client().get(question_with_100_views.get_absolute_url())
        Client().get(other.get_absolute_url())

    assert flushed() == "4 views written.\n"
    assert (view_count(question_with_100_views), view_count(other)) == (103, 2)
    assert flushed() == "0 views written.\n"


def test_members_views_count_as_well(question_with_100_views):
    client = Client()
    client.force_login(factories.user())
    client.get(question_with_100_views.get_absolute_url())

    flushed()
    assert view_count(question_with_100_views) == 101


def test_redirects_and_missing_questions_are_no_views(question_with_100_views):
    Client().get(f"/questions/{question_with_100_views.pk}/")
    Client().get("/questions/999999/nothing/")

    assert flushed() == "0 views written.\n"


def test_the_thread_shows_the_views_as_they_stand_the_first_one_included():
    question = factories.question(title="Never seen")

    first = client_for(None).get(question.get_absolute_url()).text
    assert "Viewed 1 time<" in first

    # A member's page is made anew: it counts the views still waiting in the cache.
    member = client_for(factories.user())
    member.get(question.get_absolute_url())
    assert "Viewed 3 times<" in member.get(question.get_absolute_url()).text
    assert view_count(question) == 0
