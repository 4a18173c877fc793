"""A badge is held once where once is the rule: by the database's (partial) unique
constraints, also when evaluations race (PostgreSQL, real concurrent connections)."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from accounts.models import User
from badges.models import Award, Badge
from badges.services import award_grant, badges_evaluate
from badges.table import BADGES
from tests import factories
from tests.badges.helpers import held, upvote
from tests.concurrency import post_at_once

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises every write: there is no race to test. Run with DATABASE_URL "
    "pointing at PostgreSQL.",
)


@pytest.mark.django_db
def test_the_database_refuses_a_second_award_of_a_once_only_badge(member):
    supporter = Badge.objects.get(key="supporter")
    Award.objects.create(badge=supporter, user=member, once=True, awarded_at=member.date_joined)

    with pytest.raises(IntegrityError), transaction.atomic():
        Award.objects.create(
            badge=supporter, user=member, once=True, key="other", awarded_at=member.date_joined
        )


@pytest.mark.django_db
def test_a_badge_awarded_many_times_is_held_once_per_key(member):
    nice = Badge.objects.get(key="nice_answer")

    assert award_grant(badge=nice, user_id=member.pk, key="post:1") is not None
    assert award_grant(badge=nice, user_id=member.pk, key="post:2") is not None
    assert award_grant(badge=nice, user_id=member.pk, key="post:1") is None

    member.refresh_from_db()
    assert member.badges_bronze == 2
    assert Badge.objects.get(pk=nice.pk).award_count == 2


@pytest.mark.django_db
def test_evaluating_again_awards_nothing_more(question, voter):
    factories.vote(question, user=voter)
    badges_evaluate(user_ids=[voter.pk])

    again = badges_evaluate(user_ids=[voter.pk])

    assert again.due == []
    assert held(voter, "supporter") == 1


def _at_once(count, work):
    start = threading.Barrier(count)
    errors = []

    def run():
        try:
            start.wait()
            work()
        except Exception as error:  # noqa: BLE001 (reported by the test)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_evaluations_that_race_award_a_badge_once():
    voter = factories.user(reputation=200)
    factories.vote(factories.question(), user=voter)

    errors = _at_once(8, lambda: badges_evaluate(user_ids=[voter.pk], keys={"supporter"}))

    assert errors == []
    assert held(voter, "supporter") == 1
    assert User.objects.get(pk=voter.pk).badges_bronze == 1
    assert Badge.objects.get(key="supporter").award_count == 1


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_votes_at_once_that_lift_an_answer_past_ten_award_one_nice_answer():
    answer = factories.answer(factories.question(), score=8)
    clients = []
    for _ in range(6):
        client = Client(headers={"accept-language": "en"})
        client.force_login(factories.user(reputation=200))
        clients.append(client)
    url = reverse("questions:vote", args=[answer.pk])

    statuses = post_at_once(
        [(client, url, [{"value": "up"}]) for client in clients], HTTP_ACCEPT="application/json"
    )

    assert statuses == [200] * 6
    assert held(answer.author, "nice_answer") == 1
    assert held(answer.author, "teacher") == 1
    assert User.objects.get(pk=answer.author_id).badges_bronze == 2


@pytest.mark.django_db
def test_a_badge_held_once_by_everyone_asked_about_is_not_looked_at_again(
    django_assert_max_num_queries,
):
    """A vote brings the voter's badges up for evaluation. Once the voter holds the
    once-only ones, their rules are not run again: the evaluation costs the awards held
    (one query for all the badges), the rules of the badges still to earn, and the tag
    badges' two queries."""
    question = factories.question()
    voter = upvote(question)
    voter_keys = {key for key, definition in BADGES.items() if "voter" in definition.on}
    first = badges_evaluate(user_ids=[voter.pk], keys=voter_keys, tags=False)
    assert first.due == []  # Supporter came with the vote itself.
    for key in voter_keys:
        badge = Badge.objects.get(key=key)
        if badge.once and not Award.objects.filter(badge=badge, user=voter).exists():
            award_grant(badge=badge, user_id=voter.pk)

    # badges_sync's read of the table's rows, and the awards held: no rule runs.
    with django_assert_max_num_queries(2):
        again = badges_evaluate(user_ids=[voter.pk], keys=voter_keys, tags=False)
    assert again.due == []
