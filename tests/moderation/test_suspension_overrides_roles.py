"""A suspended member may read and log in, nothing more, whatever their role: a suspended
moderator cannot moderate, a suspended community manager cannot manage, and nobody
suspended edits their profile (issue 15, finding 3)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from moderation.models import ModeratorAction
from questions import services
from tests import factories
from tests.clients import client_for

pytestmark = pytest.mark.django_db


def suspended(user):
    user.suspended_until = timezone.now() + timedelta(days=3)
    user.save(update_fields=["suspended_until"])
    return user


@pytest.fixture
def post():
    return factories.question(author=factories.user(reputation=100))


@pytest.mark.parametrize("action", ["lock", "protect", "delete"])
def test_a_suspended_moderator_cannot_act_on_a_post(post, action):
    moderator = suspended(factories.moderator())

    response = client_for(moderator).post(
        reverse("moderation:moderate", args=[post.pk, action]), {"reason": "Heated."}
    )

    assert response.status_code == 403
    assert "suspended" in response.content.decode()
    post.refresh_from_db()
    assert (post.locked_at, post.protected_at, post.deleted_at) == (None, None, None)
    assert not ModeratorAction.objects.exists()


def test_a_suspended_moderator_is_not_let_into_the_moderators_site():
    moderator = suspended(factories.moderator())

    response = client_for(moderator).get("/moderation/")

    assert response.status_code == 302
    assert response["Location"].startswith("/moderation/login/")


def test_a_suspended_moderator_does_not_see_deleted_posts(post):
    other = factories.question(title="A deleted question of someone else")
    services.post_delete(post=other, user=other.author)
    moderator = suspended(factories.moderator())

    assert client_for(moderator).get(other.get_absolute_url()).status_code == 404
    assert client_for(factories.moderator()).get(other.get_absolute_url()).status_code == 200


def test_a_suspended_moderators_vote_to_close_is_not_binding(post):
    moderator = suspended(factories.moderator())

    response = client_for(moderator).post(
        reverse("moderation:close", args=[post.pk]), {"reason": "off-topic"}
    )

    assert response.status_code == 403
    post.refresh_from_db()
    assert post.closed_at is None


def test_a_suspended_community_manager_is_not_let_into_the_staff_admin():
    manager = suspended(factories.user(is_staff=True))

    response = client_for(manager).get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_suspended_member_cannot_edit_their_profile(method):
    member = suspended(factories.user(display_name="Before"))

    response = getattr(client_for(member), method)(
        reverse("accounts:profile_edit"),
        {"display_name": "After", "about_markdown": "", "location": "", "website": ""},
    )

    assert response.status_code == 403
    assert "suspended" in response.content.decode()
    member.refresh_from_db()
    assert member.display_name == "Before"


def test_after_the_suspension_the_moderator_moderates_again(post):
    moderator = factories.moderator()
    moderator.suspended_until = timezone.now() - timedelta(minutes=1)
    moderator.save(update_fields=["suspended_until"])

    response = client_for(moderator).post(
        reverse("moderation:moderate", args=[post.pk, "lock"]), {"reason": "Heated."}
    )

    assert response.status_code == 302
    post.refresh_from_db()
    assert post.locked_at is not None
