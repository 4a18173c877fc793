"""Bounties under concurrency (PostgreSQL): awards sent at the same moment pay once, starts
at once leave one active bounty per question and three per member."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from accounts.models import User
from bounties import services
from bounties.models import Bounty
from questions.models import Post, ReputationEvent
from tests import factories
from tests.concurrency import post_at_once

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises every write and has no SELECT ... FOR UPDATE: there is no "
        "concurrency to test. Run with DATABASE_URL pointing at PostgreSQL.",
    ),
    pytest.mark.django_db(transaction=True),
]

THREADS = 8


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def old_question():
    return factories.question(created_at=timezone.now() - timedelta(days=3))


def test_awards_sent_at_once_pay_the_bounty_once():
    offerer = factories.user(reputation=1000)
    question = old_question()
    answerers = [factories.user(reputation=1) for _ in range(THREADS)]
    answers = [factories.answer(question, author=answerer) for answerer in answerers]
    services.bounty_start(question=question, user=offerer, amount=300, reason="reward")
    # The offerer clicks Award on every answer at once, twice on each.
    jobs = [
        (logged_in(offerer), f"/answers/{answer.pk}/award-bounty/", [{}, {}]) for answer in answers
    ]

    statuses = post_at_once(jobs)

    assert statuses == [302] * (2 * THREADS)
    bounty = Bounty.objects.get(question=question)
    assert bounty.status == Bounty.Status.AWARDED
    assert ReputationEvent.objects.filter(kind="bounty_awarded").count() == 1
    gains = sorted(User.objects.get(pk=user.pk).reputation - 1 for user in answerers)
    assert gains == [0] * (THREADS - 1) + [300]
    assert User.objects.get(pk=offerer.pk).reputation == 700
    assert Post.objects.get(pk=question.pk).bounty_amount == 0


def test_starts_at_once_leave_one_bounty_on_a_question_and_three_per_member():
    question = old_question()
    offerers = [factories.user(reputation=1000) for _ in range(THREADS)]
    offer = {"amount": 100, "reason": "attention"}
    jobs = [
        (logged_in(offerer), f"/questions/{question.pk}/bounty/", [offer]) for offerer in offerers
    ]
    statuses = post_at_once(jobs)

    # Refused by the page (403) or, having read the question before the first committed,
    # by the service under the question's lock (the form again, with the reason: 400).
    assert statuses.count(302) == 1
    assert set(statuses) <= {302, 400, 403}
    assert Bounty.objects.filter(question=question, status="active").count() == 1
    assert sorted(User.objects.get(pk=user.pk).reputation for user in offerers) == [900] + [
        1000
    ] * (THREADS - 1)

    member = factories.user(reputation=5000)
    questions = [old_question() for _ in range(THREADS)]
    offer = {"amount": 50, "reason": "details"}
    jobs = [(logged_in(member), f"/questions/{each.pk}/bounty/", [offer]) for each in questions]
    statuses = post_at_once(jobs)

    assert sorted(statuses) == [302] * 3 + [400] * (THREADS - 3)
    assert Bounty.objects.filter(offerer=member, status="active").count() == 3
    assert User.objects.get(pk=member.pk).reputation == 5000 - 150
