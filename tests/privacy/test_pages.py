"""The privacy pages: what is stored and why, the member's data settings (ask for a copy,
delete the account with the password, cancel), and the moderators' erasure on request."""

import pytest
from django.core import mail

from moderation.models import ModeratorAction
from privacy.models import DeletionRequest
from tests import factories
from tests.clients import client_for, page_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(db):
    return factories.user(
        username="ada",
        display_name="Ada",
        email="ada@example.org",
        password=factories.PASSWORD,
        language="en",
    )


def test_the_privacy_page_says_what_is_stored_and_is_linked_from_every_pages_footer():
    client = client_for(None)

    page = client.get("/privacy/").content.decode()
    home = client.get("/").content.decode()

    assert "Privacy: what we store and why" in page
    assert "user123" in page
    assert 'href="/privacy/"' in home
    assert page_queries(client_for(None), "/privacy/") == 1


def test_the_privacy_page_speaks_german(german_site):
    client = client_for(None)
    client.cookies["django_language"] = "de"
    response = client.get("/privacy/", headers={"accept-language": "de"})
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "de"


def test_the_data_settings_page_costs_a_fixed_number_of_queries(ada):
    client = client_for(ada)
    client.post("/users/edit/privacy/export/")

    assert page_queries(client, "/users/edit/privacy/") == 8


def test_the_profile_edit_page_links_the_data_settings(ada):
    page = client_for(ada).get("/users/edit/").content.decode()
    assert 'href="/users/edit/privacy/"' in page


def test_a_wrong_password_deletes_nothing_and_says_why(ada):
    response = client_for(ada).post("/users/edit/privacy/delete/", {"password": "guess"})

    assert response.status_code == 400
    assert "That is not your password." in response.content.decode()
    assert not DeletionRequest.objects.exists()


def test_the_password_asks_for_deletion_and_the_page_offers_to_cancel(ada):
    client = client_for(ada)
    response = client.post("/users/edit/privacy/delete/", {"password": factories.PASSWORD})

    assert response.status_code == 302
    page = client.get("/users/edit/privacy/").content.decode()
    assert "Keep my account" in page
    assert (
        client.post("/users/edit/privacy/delete/", {"password": factories.PASSWORD}).status_code
        == 403
    )

    client.post("/users/edit/privacy/delete/cancel/")
    assert not DeletionRequest.objects.exists()


def test_the_member_is_emailed_the_date_and_where_to_cancel(ada, settings):
    settings.FORUM_SITE_URL = "https://stapel.example"
    client_for(ada).post("/users/edit/privacy/delete/", {"password": factories.PASSWORD})

    (message,) = mail.outbox
    assert message.to == ["ada@example.org"]
    assert message.subject == "Your account is to be deleted"
    erase_at = DeletionRequest.objects.get().erase_at
    assert erase_at.strftime("%Y") in message.body
    assert "https://stapel.example/users/edit/privacy/" in message.body


def test_deletion_and_export_are_posts_only(ada):
    client = client_for(ada)
    for path in (
        "/users/edit/privacy/delete/",
        "/users/edit/privacy/delete/cancel/",
        "/users/edit/privacy/export/",
    ):
        assert client.get(path).status_code == 405
    assert not DeletionRequest.objects.exists()


def test_a_moderator_steps_down_before_deleting_their_account(moderator):
    moderator.set_password(factories.PASSWORD)
    moderator.save()
    client = client_for(moderator)

    response = client.post("/users/edit/privacy/delete/", {"password": factories.PASSWORD})

    assert response.status_code == 403
    assert not DeletionRequest.objects.exists()


def test_only_moderators_see_the_erasure_page(ada, moderator):
    assert client_for(ada).get("/privacy/erase/").status_code == 404
    assert client_for(moderator).get("/privacy/erase/").status_code == 200
    panel = client_for(moderator).get("/moderation/").content.decode()
    assert 'href="/privacy/erase/"' in panel
    assert page_queries(client_for(moderator), "/privacy/erase/") == 5


def test_a_moderator_erases_an_account_on_request_and_the_audit_log_keeps_no_name(ada, moderator):
    client = client_for(moderator)
    unconfirmed = client.post("/privacy/erase/", {"username": "ada"})
    assert unconfirmed.status_code == 200
    assert not DeletionRequest.objects.exists()

    response = client.post("/privacy/erase/", {"username": "ada", "confirmed": "on"})

    assert response.status_code == 302
    ada.refresh_from_db()
    assert (ada.display_name, ada.email, ada.is_active) == (f"user{ada.pk}", "", False)
    erased = ModeratorAction.objects.get(verb=ModeratorAction.Verb.ACCOUNT_ERASED)
    assert (erased.actor, erased.target_label, erased.reason) == (
        moderator,
        f"user{ada.pk}",
        "",
    )
    assert DeletionRequest.objects.get(user=ada).requested_by == moderator


def test_a_moderator_cannot_erase_another_moderator_or_an_erased_account(ada, moderator):
    client = client_for(moderator)
    other = factories.moderator(username="othermod")

    refused = client.post("/privacy/erase/", {"username": "othermod", "confirmed": "on"})
    assert refused.status_code == 400
    other.refresh_from_db()
    assert other.is_active

    client.post("/privacy/erase/", {"username": "ada", "confirmed": "on"})
    again = client.post("/privacy/erase/", {"username": f"#user{ada.pk}", "confirmed": "on"})
    assert again.status_code == 400
    assert "erased already" in again.content.decode()
    assert ModeratorAction.objects.filter(verb=ModeratorAction.Verb.ACCOUNT_ERASED).count() == 1
