"""Badges through the API: the badges, one badge, and those a member holds."""

import pytest
from django.utils import translation

from badges import services as badge_services
from tests import factories
from tests.api.conftest import api_client

pytestmark = pytest.mark.django_db


def test_badges_and_a_members_badges(anonymous):
    badges = badge_services.badges_sync()
    badge = next(iter(badges.values()))
    member = factories.user()
    badge_services.award_grant(badge=badge, user_id=member.pk)

    listed = anonymous.get("/api/v1/badges/?pagesize=100").json()
    assert len(listed["items"]) == len(badges)
    shown = anonymous.get(f"/api/v1/badges/{badge.pk}/").json()
    assert shown["award_count"] == 1
    assert shown["badge_class"] in {"gold", "silver", "bronze"}
    (held,) = anonymous.get(f"/api/v1/users/{member.pk}/badges/").json()
    assert (held["id"], held["times"]) == (badge.pk, 1)
    counts = anonymous.get(f"/api/v1/users/{member.pk}/").json()["badge_counts"]
    assert sum(counts.values()) == 1
    assert anonymous.get("/api/v1/badges/999999/").status_code == 404


def test_badge_names_speak_the_requests_language(db):
    def german_name(badge):
        with translation.override("de"):
            return badge.label

    badge = next(
        badge for badge in badge_services.badges_sync().values() if german_name(badge) != badge.name
    )
    english = api_client().get(f"/api/v1/badges/{badge.pk}/").json()["name"]
    german = api_client(language="de").get(f"/api/v1/badges/{badge.pk}/").json()["name"]
    assert english == badge.name
    assert german == german_name(badge)
