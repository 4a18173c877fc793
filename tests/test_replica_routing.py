"""With a read replica (DATABASE_REPLICA_URL), page reads go to it and everything else to
the primary, and whoever wrote reads from the primary for a few seconds.

The "replica" alias of the tests is the test database itself (a test mirror,
forum/settings_test.py); which connection ran each query tells where it was sent. The
streaming replica itself is proven by `make cluster` (deploy/cluster/run.py)."""

import time
import uuid

import pytest
from django.db import connections, router
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.routers import WROTE_COOKIE
from questions.models import Post
from tests import factories
from tests.clients import client_for

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture
def with_replica(settings):
    settings.DATABASE_ROUTERS = ["core.routers.ReplicaRouter"]
    # Where forum/settings.py puts it: before the session is read.
    sessions = settings.MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware")
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[:sessions],
        "core.routers.ReadYourWritesMiddleware",
        *settings.MIDDLEWARE[sessions:],
    ]
    settings.FORUM_PAGE_CACHE_SECONDS = 0


def _reads(queries):
    # A page may still write (a session it changed): that goes to the primary.
    return sum(query["sql"].startswith("SELECT") for query in queries.captured_queries)


def _queries_by_alias(client, method, url, **kwargs):
    """(the response, reads run on the primary, reads run on the replica)."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        response = getattr(client, method)(url, **kwargs)
    return response, _reads(primary), _reads(replica)


@pytest.fixture
def member_client(member):
    return client_for(member)


def _answer(client, question):
    return client.post(
        reverse("questions:answer", args=[question.pk]),
        {
            "body": "Read a grammar first, then a lot of easy texts.",
            "submission_token": uuid.uuid4(),
        },
    )


def test_a_page_is_read_from_the_replica(with_replica, member_client, question):
    response, on_primary, on_replica = _queries_by_alias(
        member_client, "get", question.get_absolute_url()
    )

    assert response.status_code == 200
    assert on_replica > 0
    assert on_primary == 0
    assert WROTE_COOKIE not in response.cookies


def test_a_write_goes_to_the_primary_and_marks_the_writer(with_replica, member_client, question):
    response, on_primary, on_replica = _queries_by_alias(
        member_client,
        "post",
        reverse("questions:answer", args=[question.pk]),
        data={
            "body": "Read a grammar first, then a lot of easy texts.",
            "submission_token": uuid.uuid4(),
        },
    )

    assert response.status_code == 302
    assert on_primary > 0
    assert on_replica == 0
    assert Post.objects.answers().filter(parent=question).count() == 1
    assert response.cookies[WROTE_COOKIE]["httponly"]


def test_the_writer_reads_their_own_answer_from_the_primary(with_replica, member_client, question):
    redirect = _answer(member_client, question)

    response, on_primary, on_replica = _queries_by_alias(member_client, "get", redirect.url)

    assert response.status_code == 200
    assert "Read a grammar first" in response.text
    assert on_primary > 0
    assert on_replica == 0


def test_others_read_the_thread_from_the_replica_meanwhile(
    with_replica, member_client, question, voter
):
    _answer(member_client, question)

    _, on_primary, on_replica = _queries_by_alias(
        client_for(voter), "get", question.get_absolute_url()
    )

    assert on_replica > 0
    assert on_primary == 0


def test_the_writer_reads_from_the_replica_again_when_the_seconds_have_passed(
    with_replica, settings, member_client, question
):
    settings.FORUM_READ_YOUR_WRITES_SECONDS = 1
    _answer(member_client, question)
    time.sleep(1.1)

    _, on_primary, on_replica = _queries_by_alias(member_client, "get", question.get_absolute_url())

    assert on_replica > 0
    assert on_primary == 0


def test_a_forged_mark_does_not_count(with_replica, member_client, question):
    member_client.cookies[WROTE_COOKIE] = "1"

    _, on_primary, on_replica = _queries_by_alias(member_client, "get", question.get_absolute_url())

    assert on_replica > 0
    assert on_primary == 0


def test_logging_in_reads_and_writes_on_the_primary(with_replica, db):
    factories.user(username="ada", password=factories.PASSWORD)

    response, on_primary, on_replica = _queries_by_alias(
        client_for(None),
        "post",
        reverse("accounts:login"),
        data={"username": "ada", "password": factories.PASSWORD},
    )

    assert response.status_code == 302
    assert on_primary > 0
    assert on_replica == 0
    assert WROTE_COOKIE in response.cookies


def test_migrations_never_run_on_the_replica(with_replica):
    assert router.allow_migrate("replica", "questions") is False
    assert router.allow_migrate("default", "questions") is True


def test_without_a_replica_nothing_is_marked_and_all_reads_go_to_the_primary(
    member_client, question
):
    redirect = _answer(member_client, question)
    response, on_primary, on_replica = _queries_by_alias(
        member_client, "get", question.get_absolute_url()
    )

    assert WROTE_COOKIE not in redirect.cookies
    assert on_primary > 0
    assert on_replica == 0


def test_readyz_reports_the_replicas_lag(with_replica, settings, client):
    settings.REDIS_URL = ""

    response = client.get("/readyz")

    assert response.status_code == 200
    # The tests' replica is the test database itself: it is never behind.
    assert response.json()["checks"] == {"database": "ok", "replica_lag_seconds": 0}


def test_readyz_says_nothing_of_a_replica_when_there_is_none(settings, client):
    settings.REDIS_URL = ""

    assert "replica_lag_seconds" not in client.get("/readyz").json()["checks"]
