"""Reputation as Stack Exchange computes it: withdrawn votes leave nothing behind, whatever
the floor of 1 cut short meanwhile, and `recount` finds and repairs what the ledger kept
before this rule (issue 15, finding 4)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from questions.models import ReputationEvent, Vote
from tests import factories
from tests.clients import client_for

pytestmark = pytest.mark.django_db

Kind = ReputationEvent.Kind


def vote(user, post, value):
    response = client_for(user).post(
        reverse("questions:vote", args=[post.pk]), {"value": value}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200, response.content


def reputation(user):
    return User.objects.get(pk=user.pk).reputation


def recount(*options):
    out = StringIO()
    call_command("recount", *options, stdout=out)
    return out.getvalue()


@pytest.fixture
def answer():
    return factories.answer(factories.question(), author=factories.user())


def test_votes_withdrawn_after_the_floor_cut_them_leave_no_reputation_behind(answer):
    author = answer.author
    upvoter = factories.user(reputation=200)
    downvoters = [factories.user(reputation=200) for _ in range(5)]

    vote(upvoter, answer, "up")
    assert reputation(author) == 11
    for downvoter in downvoters:
        vote(downvoter, answer, "down")
    assert reputation(author) == 1
    vote(upvoter, answer, "undo")
    assert reputation(author) == 1
    for downvoter in downvoters:
        vote(downvoter, answer, "undo")

    assert not Vote.objects.filter(post=answer).exists()
    assert reputation(author) == 1
    assert "No drift." in recount("--dry-run")


def test_withdrawing_an_early_upvote_lets_the_floor_take_what_later_downvotes_ask(answer):
    author = answer.author
    upvoter, downvoter = factories.user(reputation=200), factories.user(reputation=200)
    vote(upvoter, answer, "up")  # 11
    vote(downvoter, answer, "down")  # 9

    vote(upvoter, answer, "undo")

    # As if the upvote had never been: 1, and the downvote takes nothing below it.
    assert reputation(author) == 1
    downvote = ReputationEvent.objects.get(user=author, kind=Kind.DOWNVOTED)
    assert downvote.delta == 0
    vote(downvoter, answer, "undo")
    assert reputation(author) == 1
    vote(upvoter, answer, "up")
    assert reputation(author) == 11


def test_a_vote_withdrawn_and_cast_again_counts_once(answer):
    voter = factories.user(reputation=200)
    for value in ("up", "undo", "up", "undo", "up"):
        vote(voter, answer, value)

    assert reputation(answer.author) == 11
    assert ReputationEvent.objects.filter(user=answer.author, reverses=True).count() == 2


def test_undoing_keeps_the_ledger_append_only_with_each_undone_vote_netting_to_zero(answer):
    voter = factories.user(reputation=200)
    vote(voter, answer, "down")
    vote(voter, answer, "undo")

    events = ReputationEvent.objects.filter(post=answer).order_by("pk")
    assert [(event.kind, event.delta, event.reverses) for event in events] == [
        (Kind.DOWNVOTED, 0, False),  # the author had 1: the floor took nothing
        (Kind.DOWNVOTING, -1, False),
        (Kind.DOWNVOTED, 0, True),
        (Kind.DOWNVOTING, 1, True),
    ]


def test_moving_an_acceptance_replays_what_the_floor_let_through(answer):
    question = answer.parent
    second = factories.answer(question, author=answer.author)
    asker = client_for(question.author)
    asker.post(reverse("questions:accept", args=[answer.pk]))
    assert reputation(answer.author) == 16

    asker.post(reverse("questions:accept", args=[second.pk]))
    asker.post(reverse("questions:accept", args=[second.pk]))

    assert reputation(answer.author) == 1
    assert "No drift." in recount("--dry-run")


@pytest.mark.drift
def test_recount_finds_and_repairs_what_the_old_ledger_left_behind(answer):
    """The ledger as the old rule wrote the sequence above: reversals that took back
    exactly what the floor let them, and the upvote's undoing cut to nothing (unmarked)."""
    author, upvoter = answer.author, factories.user(reputation=200)
    downvoters = [factories.user(reputation=200) for _ in range(5)]
    start = timezone.now() - timedelta(hours=1)

    def event(user, kind, delta, voter, minute, reverses=False):
        ReputationEvent.objects.create(
            user=user,
            post=answer,
            voter=voter,
            kind=kind,
            delta=delta,
            reverses=reverses,
            created_at=start + timedelta(minutes=minute),
        )

    event(author, Kind.UPVOTED, 10, upvoter, 0)
    for number, downvoter in enumerate(downvoters, start=1):
        event(author, Kind.DOWNVOTED, -2, downvoter, number)
        event(downvoter, Kind.DOWNVOTING, -1, downvoter, number)
    event(author, Kind.UPVOTED, 0, upvoter, 10)  # the undoing the floor cut to nothing
    for number, downvoter in enumerate(downvoters, start=11):
        event(author, Kind.DOWNVOTED, 2, downvoter, number, reverses=True)
        event(downvoter, Kind.DOWNVOTING, 1, downvoter, number, reverses=True)
    User.objects.filter(pk=author.pk).update(reputation=11)

    assert "reputation ledger: 1 drifted" in recount("--dry-run")

    report = recount()

    assert "reputation: 1 drifted" in report  # 11 became 1
    assert reputation(author) == 1
    assert "No drift." in recount("--dry-run")
    assert {reputation(downvoter) for downvoter in downvoters} == {200}
