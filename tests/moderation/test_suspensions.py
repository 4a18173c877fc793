from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.utils import timezone, translation
from django.utils.formats import date_format

from accounts.models import User
from moderation import services
from moderation.models import ModeratorAction, Suspension
from questions.models import Post
from tests import factories
from tests.clients import client_for
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def troll():
    """Has the reputation for every change a suspension takes away (close votes: 3000)."""
    return factories.user(
        username="troll", display_name="Troll", reputation=3000, password=PASSWORD
    )


def suspend(member, moderator, days=7):
    services.user_suspend(user=member, moderator=moderator, days=days, reason="Repeated abuse.")
    member.refresh_from_db()
    return member


def logged_in_again(member):
    client = client_for(None)
    response = client.post("/users/login/", {"username": member.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_a_suspension_ends_the_members_existing_session(troll, moderator, question):
    client = client_for(troll)
    assert client.get("/").context["user"] == troll

    suspend(troll, moderator)

    response = client.get(question.get_absolute_url())
    assert response.status_code == 200
    assert not response.context["user"].is_authenticated
    assert SESSION_KEY not in client.session


def test_a_suspended_member_can_log_in_again_and_read(troll, moderator, question):
    suspend(troll, moderator)

    client = logged_in_again(troll)

    response = client.get(question.get_absolute_url())
    assert response.status_code == 200
    assert response.context["user"] == troll


def test_a_suspended_member_sees_a_banner_with_the_end_date(troll, moderator):
    troll = suspend(troll, moderator)

    html = logged_in_again(troll).get("/").content.decode()

    assert "suspension-banner" in html
    with translation.override("en"):
        until = date_format(troll.suspended_until, "DATETIME_FORMAT")
    assert f"Your account is suspended until {until} (UTC)" in html


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        (
            "post",
            "/questions/ask/",
            {"title": "A new question from a suspended member", "body": "x" * 40, "tags": "x"},
        ),
        (
            "post",
            "/questions/{question}/answer/",
            {"body": "An answer from a suspended member here."},
        ),
        ("post", "/posts/{question}/comments/", {"body": "A comment from a suspended member."}),
        ("get", "/posts/{question}/edit/", {}),
        ("post", "/posts/{question}/flag/", {"reason": "spam"}),
        ("get", "/questions/{question}/close/", {}),
    ],
)
def test_a_suspended_member_is_refused_every_change_with_the_reason_and_the_end(
    troll, moderator, question, method, url, data
):
    troll = suspend(troll, moderator)
    client = logged_in_again(troll)

    response = getattr(client, method)(url.format(question=question.pk), data)

    assert response.status_code == 403
    assert "Your account is suspended until" in response.content.decode()


def test_a_suspended_member_cannot_vote(troll, moderator, question):
    client = logged_in_again(suspend(troll, moderator))

    response = client.post(
        f"/posts/{question.pk}/vote/", {"value": "up"}, HTTP_ACCEPT="application/json"
    )

    assert response.status_code == 403
    assert "Your account is suspended until" in response.json()["error"]
    question.refresh_from_db()
    assert question.score == 0


def test_the_suspension_is_audited_and_explained_in_a_message(troll, moderator):
    suspend(troll, moderator)

    html = logged_in_again(troll).get("/").content.decode()

    assert ModeratorAction.objects.filter(
        verb=ModeratorAction.Verb.USER_SUSPENDED, target_id=troll.pk
    ).exists()
    assert "Your account is suspended" in html
    assert "Repeated abuse." in html


def test_a_suspension_lifts_itself_at_its_end(troll, moderator, question):
    suspend(troll, moderator)
    client = logged_in_again(troll)
    past = timezone.now() - timedelta(minutes=1)
    Suspension.objects.filter(user=troll).update(starts_at=past - timedelta(days=7), ends_at=past)
    User.objects.filter(pk=troll.pk).update(suspended_until=past)

    response = client.post(
        f"/questions/{question.pk}/answer/", {"body": "Back again, with a proper answer."}
    )

    assert response.status_code == 302
    assert Post.objects.filter(parent=question).count() == 1
    assert "suspension-banner" not in client.get("/").content.decode()


def test_a_lifted_suspension_lets_the_member_post_again(troll, moderator, question):
    suspend(troll, moderator)
    client = logged_in_again(troll)

    services.suspension_lift(
        suspension=Suspension.objects.get(), moderator=moderator, reason="Apologised."
    )

    response = client.post(
        f"/questions/{question.pk}/answer/", {"body": "Back again, with a proper answer."}
    )
    assert response.status_code == 302
