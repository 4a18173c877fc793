"""Bounties in the reputation ledger: their events replay and recount without drift, also
when an earlier vote is undone and the replay moves what the floor of 1 lets through."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from bounties import services
from bounties.models import Bounty
from questions.models import ReputationEvent
from questions.reputation import ledger_recount
from questions.services import post_delete
from questions.voting import post_vote
from tests import factories

Kind = ReputationEvent.Kind


def reputation_of(user):
    return User.objects.get(pk=user.pk).reputation


def recount_says():
    out = StringIO()
    call_command("recount", "--dry-run", stdout=out)
    return out.getvalue()


def test_offering_awarding_and_refunding_are_events_that_recount_replays_exactly(moderator):
    offerer = factories.user(reputation=1000)
    answerer = factories.user(reputation=1)
    old = timezone.now() - timedelta(days=5)
    first = factories.question(created_at=old)
    second = factories.question(created_at=old)
    answer = factories.answer(first, author=answerer)

    services.bounty_start(question=first, user=offerer, amount=300, reason="attention")
    services.bounty_award(question=first, answer=answer, user=offerer)
    services.bounty_start(question=second, user=offerer, amount=500, reason="reward")
    post_delete(post=second, user=moderator)

    events = ReputationEvent.objects.filter(kind__startswith="bounty").order_by("pk")
    assert list(events.values_list("user_id", "kind", "delta", "post_id")) == [
        (offerer.pk, Kind.BOUNTY_OFFERED, -300, first.pk),
        (answerer.pk, Kind.BOUNTY_AWARDED, 300, answer.pk),
        (offerer.pk, Kind.BOUNTY_OFFERED, -500, second.pk),
        (offerer.pk, Kind.BOUNTY_REFUNDED, 500, second.pk),
    ]
    assert reputation_of(offerer) == 700
    assert reputation_of(answerer) == 301
    assert ledger_recount(repair=False) == []
    assert "No drift." in recount_says()


def test_a_refund_gives_back_what_the_floor_let_the_offer_take_after_a_replay(moderator):
    # 80 reputation, 50 of it from five upvotes: enough to offer 50.
    offerer = factories.user(reputation=30)
    voters = [factories.user(reputation=200) for _ in range(5)]
    upvoted = factories.answer(factories.question(), author=offerer)
    for voter in voters:
        post_vote(post=upvoted, user=voter, value=1)
    assert reputation_of(offerer) == 80
    question = factories.question(created_at=timezone.now() - timedelta(days=3))
    services.bounty_start(question=question, user=offerer, amount=50, reason="attention")
    assert reputation_of(offerer) == 30

    # The upvotes are withdrawn: replayed, the offer finds 30 before it and may take 29.
    for voter in voters:
        post_vote(post=upvoted, user=voter, value=0)
    assert reputation_of(offerer) == 1
    assert ReputationEvent.objects.get(kind=Kind.BOUNTY_OFFERED).delta == -29
    post_delete(post=question, user=moderator)

    assert Bounty.objects.get(question=question).status == Bounty.Status.REFUNDED
    assert ReputationEvent.objects.get(kind=Kind.BOUNTY_REFUNDED).delta == 29
    assert reputation_of(offerer) == 30
    assert "No drift." in recount_says()


def test_an_imported_style_bounty_without_an_offer_event_refunds_its_amount(moderator):
    offerer = factories.user(reputation=400)
    question = factories.question(created_at=timezone.now() - timedelta(days=3))
    Bounty.objects.create(
        question=question,
        offerer=offerer,
        amount=100,
        reason="attention",
        started_at=timezone.now(),
        ends_at=timezone.now() + timedelta(days=7),
        source_url="https://conlang.stackexchange.com/votes/1",
    )

    services.bounty_refund(question_id=question.pk)

    assert reputation_of(offerer) == 500
    assert "No drift." in recount_says()
