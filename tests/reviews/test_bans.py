"""Review bans: a moderator bans a member from the review queues with a reason, the member
is told why and until when, moderators see the bans in force in their panel and lift one;
every ban and lifting is in the audit log, and a banned member is refused every review."""

from datetime import timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.utils import timezone

from moderation.models import ModeratorAction, ModeratorMessage
from notifications.models import Notification
from reviews import bans
from reviews.models import ReviewBan
from tests import factories
from tests.clients import client_for
from tests.moderation.changelists import changelist_queries

pytestmark = pytest.mark.django_db

BANS = "/moderation/reviews/reviewban/"
Verb = ModeratorAction.Verb


@pytest.fixture
def reviewer(db):
    return factories.user(username="rob", display_name="Rob", reputation=2500)


def ban(member, moderator=None, days=2, reason="Approved spam twice."):
    return bans.review_ban(user=member, moderator=moderator, days=days, reason=reason)


def verbs(target):
    return list(
        ModeratorAction.objects.filter(target_id=target.pk)
        .order_by("id")
        .values_list("verb", flat=True)
    )


# The services


def test_a_ban_lasts_its_days_is_audited_and_tells_the_member_why(reviewer, moderator):
    made = ban(reviewer, moderator, days=3)

    assert made.until - made.created_at == timedelta(days=3)
    assert made.created_by == moderator
    assert verbs(reviewer) == [Verb.REVIEW_BANNED, Verb.MESSAGE_SENT]
    assert ModeratorAction.objects.get(verb=Verb.REVIEW_BANNED).reason == "Approved spam twice."
    message = ModeratorMessage.objects.get(recipient=reviewer)
    assert message.sender == moderator
    assert "Approved spam twice." in message.body
    assert made.until.strftime("%Y-%m-%d %H:%M") in message.body
    assert Notification.objects.filter(
        recipient=reviewer, kind=Notification.Kind.MODERATOR_MESSAGE
    ).exists()


def test_the_systems_ban_is_audited_without_an_actor(reviewer):
    ban(reviewer, None)

    row = ModeratorAction.objects.get(verb=Verb.REVIEW_BANNED)
    assert row.actor is None
    assert ModeratorMessage.objects.get(recipient=reviewer).sender is None


def test_a_new_ban_ends_the_one_in_force(reviewer, moderator):
    first = ban(reviewer, None)

    second = ban(reviewer, moderator, days=10)

    first.refresh_from_db()
    assert first.lifted_at is not None
    assert list(ReviewBan.objects.filter(lifted_at__isnull=True)) == [second]


def test_lifting_a_ban_ends_it_once_and_is_audited(reviewer, moderator):
    made = ban(reviewer, None)

    assert bans.review_ban_lift(ban=made, moderator=moderator, reason="Talked it over.")
    assert not bans.review_ban_lift(ban=made, moderator=moderator)

    made.refresh_from_db()
    assert made.lifted_by == moderator
    assert verbs(reviewer).count(Verb.REVIEW_BAN_LIFTED) == 1


def test_an_ended_ban_cannot_be_lifted(reviewer, moderator):
    made = ban(reviewer, None)
    ReviewBan.objects.filter(pk=made.pk).update(
        created_at=timezone.now() - timedelta(days=3), until=timezone.now() - timedelta(days=1)
    )

    assert not bans.review_ban_lift(ban=made, moderator=moderator)
    assert Verb.REVIEW_BAN_LIFTED not in verbs(reviewer)


def test_each_ban_by_the_audits_lasts_twice_as_long_as_the_last_up_to_a_limit(reviewer, settings):
    settings.FORUM_REVIEW_BAN_DAYS = 2
    settings.FORUM_REVIEW_BAN_MAX_DAYS = 10
    lengths = []
    for _ in range(4):
        lengths.append(bans.next_ban_days(reviewer))
        ban(reviewer, None, days=lengths[-1])

    assert lengths == [2, 4, 8, 10]


# The moderators' panel


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("member", 302), ("moderator", 200), ("manager", 200)]
)
@pytest.mark.parametrize("url", [BANS, f"{BANS}add/"])
def test_the_bans_are_for_moderators_and_community_managers(moderator, who, status, url):
    cast = {
        "anonymous": None,
        "member": factories.user(reputation=20000),
        "moderator": moderator,
        "manager": factories.user(is_staff=True),
    }

    assert client_for(cast[who]).get(url).status_code == status


def test_the_list_opens_on_the_bans_in_force(reviewer, moderator):
    ban(reviewer, None)
    other = factories.user(display_name="Old Ban")
    old = ban(other, moderator)
    bans.review_ban_lift(ban=old, moderator=moderator)
    client = client_for(moderator)

    response = client.get(BANS)

    assert list(response.context["cl"].result_list) == [ReviewBan.objects.get(user=reviewer)]
    html = response.content.decode()
    assert "Approved spam twice." in html
    assert "the review audits" in html
    assert len(client.get(f"{BANS}?state=all").context["cl"].result_list) == 2


def test_a_moderator_bans_a_reviewer_with_a_reason(reviewer, moderator):
    response = client_for(moderator).post(
        f"{BANS}add/", {"user": "rob", "days": "5", "reason": "Robo-reviewing: Looks OK on spam."}
    )

    assert response.status_code == 302
    made = ReviewBan.objects.get()
    assert (made.user, made.created_by) == (reviewer, moderator)
    assert made.until - made.created_at == timedelta(days=5)
    assert Verb.REVIEW_BANNED in verbs(reviewer)
    assert "Robo-reviewing" in ModeratorMessage.objects.get(recipient=reviewer).body


@pytest.mark.parametrize(
    ("username", "error"),
    [
        ("mod", "cannot ban yourself"),
        ("othermod", "cannot be banned from reviewing"),
        ("rob", "banned from reviewing already"),
        ("nobody", "Select a valid choice"),
    ],
)
def test_the_ban_form_refuses_what_cannot_be_banned(reviewer, username, error):
    moderator = factories.moderator(username="mod")
    factories.moderator(username="othermod")
    ban(reviewer, None)

    response = client_for(moderator).post(
        f"{BANS}add/", {"user": username, "days": "2", "reason": "Because."}
    )

    assert response.status_code == 200
    assert error in response.content.decode()
    assert ReviewBan.objects.count() == 1


def test_a_moderator_lifts_a_ban_from_the_list(reviewer, moderator):
    made = ban(reviewer, None)

    response = client_for(moderator).post(
        BANS, {"action": "lift", ACTION_CHECKBOX_NAME: [made.pk], "index": 0}
    )

    assert response.status_code == 302
    made.refresh_from_db()
    assert made.lifted_by == moderator
    assert Verb.REVIEW_BAN_LIFTED in verbs(reviewer)


def test_a_member_cannot_lift_a_ban(reviewer):
    made = ban(reviewer, None)

    client_for(factories.user(reputation=20000)).post(
        BANS, {"action": "lift", ACTION_CHECKBOX_NAME: [made.pk], "index": 0}
    )

    made.refresh_from_db()
    assert made.lifted_at is None


def test_the_ban_list_costs_the_same_queries_for_one_ban_or_many(moderator):
    client = client_for(moderator)
    ban(factories.user(), moderator)
    one = changelist_queries(client, BANS, 1)
    for _ in range(5):
        ban(factories.user(), None)

    assert changelist_queries(client, BANS, 6) == one


@pytest.mark.parametrize(("language", "add"), [("de", "hinzufügen"), ("en", "Add")])
def test_the_ban_pages_speak_german_and_english(moderator, reviewer, language, add):
    ban(reviewer, None)
    client = Client(headers={"accept-language": language})
    client.force_login(moderator)

    html = client.get(BANS).content.decode()

    assert f'lang="{language}"' in html
    assert add in html
