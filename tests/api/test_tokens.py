"""Personal access tokens: made and revoked on the settings page, shown once, stored
hashed; revoked or expired ones get 401, a read token cannot write, a suspended member's
tokens cannot write."""

import hashlib
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from api.models import AccessToken
from moderation import services as moderation_services
from tests import factories
from tests.api.conftest import api_client
from tests.clients import client_for

pytestmark = pytest.mark.django_db


def make_token(client, **fields):
    data = {"name": "bot", "scopes": ["read", "write"], "expires_in_days": "30", **fields}
    response = client.post("/users/tokens/", data)
    assert response.status_code == 200
    return response


def bearer(secret):
    return {"authorization": f"Bearer {secret}"}


def test_a_token_is_shown_once_stored_hashed_and_used(member):
    page = client_for(member)
    response = make_token(page)
    secret = response.context["secret"]
    assert secret.startswith("stp_") and secret in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    token = AccessToken.objects.get(user=member)
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.scope_set == {"read", "write"}
    assert token.expires_at > timezone.now() + timedelta(days=29)
    # Listed afterwards without its secret.
    listing = page.get("/users/tokens/").content.decode()
    assert "bot" in listing and secret not in listing
    assert "Read, Write" in listing
    german = Client(headers={"accept-language": "de"})
    german.force_login(member)
    assert "Lesen, Schreiben" in german.get("/users/tokens/").content.decode()

    api = api_client()
    me = api.get(f"/api/v1/users/{member.pk}/", headers=bearer(secret))
    assert me.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_the_profile_edit_page_links_the_tokens_page(member):
    assert 'href="/users/tokens/"' in client_for(member).get("/users/edit/").content.decode()


def test_a_revoked_or_expired_token_gets_401(member):
    page = client_for(member)
    secret = make_token(page).context["secret"]
    token = AccessToken.objects.get(user=member)
    page.post(f"/users/tokens/{token.pk}/revoke/")
    refused = api_client().get("/api/v1/questions/", headers=bearer(secret))
    assert refused.status_code == 401
    assert refused["WWW-Authenticate"].startswith("Bearer")
    assert refused.json()["detail"] == "This token is unknown, revoked or expired."

    secret = make_token(page).context["secret"]
    AccessToken.objects.filter(revoked_at__isnull=True).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert api_client().get("/api/v1/questions/", headers=bearer(secret)).status_code == 401
    assert api_client().get("/api/v1/questions/", headers=bearer("stp_guess")).status_code == 401


def test_nobody_revokes_anothers_token(member):
    make_token(client_for(member))
    token = AccessToken.objects.get(user=member)
    other = client_for(factories.user())
    assert other.post(f"/users/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_read_token_cannot_write(question):
    reader = api_client(factories.user(reputation=200), scopes=["read"])
    refused = reader.post(
        f"/api/v1/posts/{question.pk}/vote/", {"value": "up"}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert refused.json()["detail"] == "This token lacks the “write” scope."


def test_a_suspended_members_tokens_cannot_write(question, moderator):
    member = factories.user(reputation=200)
    client = api_client(member)
    moderation_services.user_suspend(user=member, moderator=moderator, days=2, reason="Spam.")
    refused = client.post(
        f"/api/v1/posts/{question.pk}/vote/", {"value": "up"}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("Your account is suspended until")
    assert client.get(f"/api/v1/questions/{question.pk}/").status_code == 200


def test_the_session_works_for_the_sites_scripts_with_csrf(question):
    member = factories.user(reputation=200)
    strict = client_for(member, enforce_csrf_checks=True)
    url = f"/api/v1/posts/{question.pk}/vote/"
    refused = strict.post(url, {"value": "up"}, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    strict.get("/users/tokens/")
    token = strict.cookies["csrftoken"].value
    done = strict.post(
        url, {"value": "up"}, content_type="application/json", headers={"x-csrftoken": token}
    )
    assert done.status_code == 200, done.content
    assert done.json() == {"score": 1, "vote": "up"}


def test_the_tokens_page_needs_a_member(english_client):
    assert english_client.get("/users/tokens/").status_code == 302
