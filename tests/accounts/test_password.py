import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client

from tests import factories

pytestmark = pytest.mark.django_db

OLD = factories.PASSWORD
NEW = "tr0mbone-staple-42"
CHANGE = "/users/password/"
RESET = "/users/password-reset/"


def _change(client, old=OLD, new=NEW):
    return client.post(CHANGE, {"old_password": old, "new_password1": new, "new_password2": new})


def test_changing_the_password_keeps_this_session_and_ends_every_other(grace):
    here, elsewhere = Client(), Client()
    here.post("/users/login/", {"username": "grace", "password": OLD})
    elsewhere.post("/users/login/", {"username": "grace", "password": OLD})

    response = _change(here)

    assert response.status_code == 302
    assert response["Location"] == "/users/password/done/"
    assert here.get("/users/edit/").status_code == 200
    assert elsewhere.get("/users/edit/").status_code == 302
    assert SESSION_KEY not in elsewhere.session


def test_the_new_password_works_and_the_old_one_no_longer_does(client, grace):
    client.force_login(grace)
    _change(client)
    client.post("/users/logout/")

    client.post("/users/login/", {"username": "grace", "password": OLD})
    assert SESSION_KEY not in client.session
    client.post("/users/login/", {"username": "grace", "password": NEW})
    assert client.session[SESSION_KEY] == str(grace.pk)


def test_the_change_is_confirmed_on_its_own_page(english_client, grace):
    english_client.force_login(grace)

    response = _change(english_client)
    html = english_client.get(response["Location"]).content.decode()

    assert "Every other session of your account has ended." in html


def test_a_wrong_current_password_changes_nothing(english_client, grace):
    english_client.force_login(grace)

    response = _change(english_client, old="not my password")

    assert response.status_code == 200
    assert "Your old password was entered incorrectly." in response.content.decode()
    grace.refresh_from_db()
    assert grace.check_password(OLD)


def test_a_weak_new_password_is_refused(english_client, grace):
    english_client.force_login(grace)

    response = _change(english_client, new="password")

    assert "This password is too common." in response.content.decode()
    grace.refresh_from_db()
    assert grace.check_password(OLD)


def test_changing_the_password_needs_an_account(client):
    response = client.get(CHANGE)

    assert response.status_code == 302
    assert response["Location"] == "/users/login/?next=/users/password/"


def _reset_link(message):
    return re.search(r"http://testserver(/users/reset/\S+/)", message.body).group(1)


def test_a_forgotten_password_is_reset_through_the_link_in_the_email(english_client, grace):
    response = english_client.post(RESET, {"email": "GRACE@example.org"})
    assert response.status_code == 302
    assert response["Location"] == "/users/password-reset/done/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["grace@example.org"]
    assert "grace" in message.body

    form_page = english_client.get(_reset_link(message), follow=True)
    assert 'name="new_password1"' in form_page.content.decode()
    set_password_url = form_page.redirect_chain[-1][0]
    done = english_client.post(
        set_password_url, {"new_password1": NEW, "new_password2": NEW}, follow=True
    )
    assert done.redirect_chain[-1][0] == "/users/reset/done/"
    assert "Your new password is in place." in done.content.decode()

    english_client.post("/users/login/", {"username": "grace", "password": NEW})
    assert english_client.session[SESSION_KEY] == str(grace.pk)


def test_a_reset_link_works_only_once(english_client, grace):
    english_client.post(RESET, {"email": "grace@example.org"})
    link = _reset_link(mail.outbox[0])
    set_password_url = english_client.get(link, follow=True).redirect_chain[-1][0]
    english_client.post(set_password_url, {"new_password1": NEW, "new_password2": NEW})

    html = english_client.get(link, follow=True).content.decode()

    assert "This link is invalid" in html
    assert 'name="new_password1"' not in html


def test_asking_for_a_reset_answers_the_same_whether_or_not_the_address_is_known(client, grace):
    known = client.post(RESET, {"email": "grace@example.org"})
    unknown = client.post(RESET, {"email": "nobody@example.org"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1


def test_a_fourth_reset_email_within_the_hour_is_refused_with_the_address_kept(
    english_client, grace, settings
):
    for _ in range(settings.PASSWORD_RESETS_PER_EMAIL):
        assert english_client.post(RESET, {"email": "grace@example.org"}).status_code == 302

    refused = english_client.post(RESET, {"email": "grace@example.org"})

    html = refused.content.decode()
    assert refused.status_code == 429
    assert "Too many reset emails were asked for just now. Please try again in an hour." in html
    assert 'value="grace@example.org"' in html
    assert len(mail.outbox) == settings.PASSWORD_RESETS_PER_EMAIL


def test_unknown_addresses_are_throttled_alike_so_the_limit_tells_nothing(
    english_client, grace, settings
):
    for email in ("grace@example.org", "nobody@example.org"):
        for _ in range(settings.PASSWORD_RESETS_PER_EMAIL):
            english_client.post(RESET, {"email": email})

        assert english_client.post(RESET, {"email": email}).status_code == 429


def test_one_visitor_cannot_send_resets_to_many_addresses(grace, settings):
    settings.PASSWORD_RESETS_PER_ADDRESS = 4
    visitor, other = Client(REMOTE_ADDR="203.0.113.5"), Client(REMOTE_ADDR="198.51.100.7")
    for number in range(4):
        assert visitor.post(RESET, {"email": f"someone{number}@example.org"}).status_code == 302

    assert visitor.post(RESET, {"email": "grace@example.org"}).status_code == 429
    assert other.post(RESET, {"email": "grace@example.org"}).status_code == 302
    assert len(mail.outbox) == 1  # only grace has an account


def test_the_reset_pages_are_our_own(english_client):
    assert "Reset your password" in english_client.get(RESET).content.decode()
    done = english_client.get("/users/password-reset/done/").content.decode()
    assert "Check your email" in done
    assert 'class="site-header"' in done
