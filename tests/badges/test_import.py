"""Badges.xml of a Stack Exchange dump: imported by the importer's step of the badges
app, mapped to the table's badges by name, the others kept as imported badges; once."""

import io
from collections import Counter
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.utils import translation

from accounts.models import User
from badges.models import Award, Badge
from badges.table import BADGES
from notifications.models import Notification
from tests.questions.test_import_stackexchange import (
    CONLANG_DUMP,
    CONLANG_SITE,
    needs_conlang_dump,
    run_import,
)

pytestmark = [needs_conlang_dump, pytest.mark.django_db]


def dump_badges():
    return [row.attrib for row in ElementTree.parse(CONLANG_DUMP / "Badges.xml").getroot()]


def once_only_names():
    with translation.override("en"):
        return {str(d.name) for d in BADGES.values() if d.once}


def expected_awards(rows):
    """The dump's rows less second awards of a badge we award once."""
    once = once_only_names()
    seen = set()
    count = 0
    for row in rows:
        if row["Name"] in once:
            if (row["UserId"], row["Name"]) in seen:
                continue
            seen.add((row["UserId"], row["Name"]))
        count += 1
    return count


def test_the_conlang_badges_become_awards_with_their_dates_and_classes():
    rows = dump_badges()

    output = run_import(CONLANG_DUMP)

    expected = expected_awards(rows)
    assert Award.objects.count() == expected
    assert f"{expected} badges" in output
    assert not Award.objects.filter(imported=False).exists()
    # A badge of the table by its name: Autobiographer, awarded to the dump's user 1 on its date.
    first = rows[0]
    award = Award.objects.get(
        badge__key="autobiographer",
        user__source_url=f"{CONLANG_SITE}/users/{first['UserId']}",
    )
    assert award.awarded_at.isoformat().startswith(first["Date"][:19])
    assert (
        Badge.objects.get(key="autobiographer").award_count
        == Counter(row["Name"] for row in rows)["Autobiographer"]
    )


def test_badges_the_table_lacks_are_kept_with_their_name_and_class():
    run_import(CONLANG_DUMP)

    organizer = Badge.objects.get(name="Organizer", imported=True)
    assert organizer.badge_class == Badge.Class.BRONZE
    assert organizer.award_count == 5
    assert not Badge.objects.filter(imported=True, name="Autobiographer").exists()


def test_the_members_stored_badge_counts_match_their_awards():
    run_import(CONLANG_DUMP)

    out = io.StringIO()
    call_command("badges_sweep", "--dry-run", stdout=out)
    assert "badge counts: 0 drifted" in out.getvalue()
    member = User.objects.filter(badges_bronze__gt=0).order_by("-badges_bronze").first()
    assert (
        member.badges_bronze
        == Award.objects.filter(user=member, badge__badge_class=Badge.Class.BRONZE).count()
    )


def test_importing_the_badges_twice_adds_nothing_the_second_time():
    run_import(CONLANG_DUMP)
    awards = Award.objects.count()
    counts = list(
        User.objects.order_by("pk").values_list("badges_gold", "badges_silver", "badges_bronze")
    )

    second = run_import(CONLANG_DUMP)

    assert Award.objects.count() == awards
    assert "0 badges" in second
    assert (
        list(
            User.objects.order_by("pk").values_list("badges_gold", "badges_silver", "badges_bronze")
        )
        == counts
    )


def test_imported_awards_tell_nobody():
    run_import(CONLANG_DUMP)

    assert not Notification.objects.filter(kind=Notification.Kind.BADGE_EARNED).exists()


def test_after_the_import_the_rules_agree_with_the_dumps_score_badges():
    run_import(CONLANG_DUMP)

    out = io.StringIO()
    call_command("badges_sweep", "--dry-run", stdout=out)

    output = out.getvalue()
    assert "Nice Answer" not in output
    assert "Nice Question" not in output
    assert "would revoke: 0" in output
