"""Many people voting on one post at once, each request on its own database connection."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import User
from questions.models import Post, Vote
from tests import factories
from tests.concurrency import post_at_once

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises every write and has no SELECT ... FOR UPDATE: there is no "
    "concurrency to test. Run with DATABASE_URL pointing at PostgreSQL.",
)

UP_VOTERS = 12
DOWN_VOTERS = 8
THREADS_PER_VOTER = 3
CLICKS_PER_THREAD = 3  # 9 clicks per voter, each undoing the one before: an odd number ends voted
ACCEPT_THREADS = (
    3  # the asker toggles acceptance of the same answer 9 times meanwhile: it ends accepted
)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_repeated_votes_and_acceptances_leave_score_and_reputation_exact(settings):
    # Each voter casts five votes on the post; the cap would make the outcome depend on
    # the order in which they arrive.
    settings.FORUM_REPUTATION_DAILY_CAP = 10**6
    author = factories.user(reputation=1000)
    asker = factories.user(reputation=50)
    answer = factories.answer(factories.question(author=asker), author=author)
    voters = [(factories.user(reputation=200), "up") for _ in range(UP_VOTERS)]
    voters += [(factories.user(reputation=200), "down") for _ in range(DOWN_VOTERS)]
    vote_url = reverse("questions:vote", args=[answer.pk])
    accept_url = reverse("questions:accept", args=[answer.pk])

    clicks = [(voter, vote_url, {"value": value}) for voter, value in voters] * THREADS_PER_VOTER
    clicks += [(asker, accept_url, {})] * ACCEPT_THREADS
    jobs = []
    for user, url, data in clicks:
        client = Client()
        client.force_login(user)
        jobs.append((client, url, [data] * CLICKS_PER_THREAD))
    statuses = post_at_once(jobs, HTTP_ACCEPT="application/json")

    assert statuses == [200] * (len(jobs) * CLICKS_PER_THREAD)
    assert Post.objects.get(pk=answer.pk).score == UP_VOTERS - DOWN_VOTERS
    assert Vote.objects.filter(post=answer, value=1).count() == UP_VOTERS
    assert Vote.objects.filter(post=answer, value=-1).count() == DOWN_VOTERS
    assert Post.objects.get(pk=answer.parent_id).accepted_answer_id == answer.pk
    assert User.objects.get(pk=author.pk).reputation == 1000 + 10 * UP_VOTERS - 2 * DOWN_VOTERS + 15
    assert User.objects.get(pk=asker.pk).reputation == 50 + 2
    assert {
        User.objects.get(pk=voter.pk).reputation for voter, value in voters if value == "down"
    } == {199}
    out = StringIO()
    call_command("recount", "--dry-run", stdout=out)
    assert "No drift." in out.getvalue()
