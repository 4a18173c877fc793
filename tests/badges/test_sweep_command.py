"""`manage.py badges_sweep`: every rule for every member; reports what it would award or
revoke and the stored counts' drift (--dry-run changes nothing), repairs the counts, and
takes back awards whose rule no longer holds only when asked (--revoke)."""

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from badges.models import Award, Badge
from badges.services import award_grant
from tests import factories
from tests.badges.helpers import held

pytestmark = pytest.mark.django_db


def sweep(*options):
    out = StringIO()
    call_command("badges_sweep", *options, stdout=out)
    return out.getvalue()


def test_a_dry_run_reports_what_it_would_award_and_awards_nothing(question, voter):
    factories.vote(question, user=voter)

    output = sweep("--dry-run")

    # The voter's first up vote, and the asker's first question voted up.
    assert "would award: 2" in output
    assert f"Supporter to user {voter.pk}" in output
    assert f"Student to user {question.author_id}" in output
    assert not Award.objects.exists()


def test_the_sweep_awards_what_is_due(question, voter):
    factories.vote(question, user=voter)
    popular = factories.question(view_count=1500)

    output = sweep()

    assert "awarded: 3" in output
    assert held(voter, "supporter") == 1
    assert held(question.author, "student") == 1
    assert held(popular.author, "popular_question") == 1


def test_an_award_whose_rule_no_longer_holds_is_reported_and_kept(member):
    award_grant(badge=Badge.objects.get(key="critic"), user_id=member.pk)

    output = sweep()

    assert "would revoke: 1" in output
    assert f"Critic of user {member.pk}" in output
    assert held(member, "critic") == 1


def test_revoke_takes_it_back_and_the_counts_follow(member):
    award_grant(badge=Badge.objects.get(key="critic"), user_id=member.pk)

    output = sweep("--revoke")

    assert "revoked: 1" in output
    assert held(member, "critic") == 0
    assert User.objects.get(pk=member.pk).badges_bronze == 0
    assert Badge.objects.get(key="critic").award_count == 0


def test_imported_awards_are_never_revoked(member):
    award_grant(badge=Badge.objects.get(key="critic"), user_id=member.pk, imported=True)

    output = sweep("--revoke")

    assert "revoked: 0" in output
    assert held(member, "critic") == 1


def test_drifted_counts_are_reported_and_repaired(member):
    award_grant(badge=Badge.objects.get(key="fanatic"), user_id=member.pk)
    User.objects.filter(pk=member.pk).update(badges_gold=3, badges_silver=1)
    Badge.objects.filter(key="fanatic").update(award_count=7)

    dry = sweep("--dry-run")
    assert "badge counts: 3 drifted" in dry
    assert f"badges_gold of {member.pk}: stored 3, counted 1" in dry

    sweep()

    member.refresh_from_db()
    assert (member.badges_gold, member.badges_silver) == (1, 0)
    assert Badge.objects.get(key="fanatic").award_count == 1
    assert "badge counts: 0 drifted" in sweep("--dry-run")


def test_an_imported_award_stands_for_one_post_the_rule_finds(member):
    nice = Badge.objects.get(key="nice_answer")
    award_grant(badge=nice, user_id=member.pk, key="se:1", imported=True)
    first = factories.answer(factories.question(), author=member, score=10)
    second = factories.answer(factories.question(), author=member, score=12)

    output = sweep()

    assert f"Nice Answer to user {member.pk} (post:{second.pk})" in output
    assert f"post:{first.pk}" not in output
    assert held(member, "nice_answer") == 2
