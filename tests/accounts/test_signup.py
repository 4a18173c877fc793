import pytest
from django.contrib.auth import SESSION_KEY

from accounts.models import User
from forum import settings as production_settings
from tests import factories

pytestmark = pytest.mark.django_db

SIGNUP = "/users/signup/"
GOOD = {
    "username": "ada",
    "email": "ada@example.org",
    "password1": "analytical-engine-1843",
    "password2": "analytical-engine-1843",
}


def test_the_signup_page_asks_for_username_email_and_password_twice(english_client):
    html = english_client.get(SIGNUP).content.decode()

    for name in ("username", "email", "password1", "password2"):
        assert f'name="{name}"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "Your password must contain at least 8 characters." in html


def test_signing_up_creates_the_account_logs_in_and_welcomes_the_new_member(english_client):
    response = english_client.post(SIGNUP, GOOD, follow=True)

    assert response.redirect_chain == [("/", 302)]
    user = User.objects.get(username="ada")
    assert user.email == "ada@example.org"
    assert user.check_password(GOOD["password1"])
    assert english_client.session[SESSION_KEY] == str(user.pk)
    assert "Welcome to Stapel, ada!" in response.content.decode()


def test_passwords_are_hashed_with_argon2_in_production(client, settings):
    settings.PASSWORD_HASHERS = production_settings.PASSWORD_HASHERS

    client.post(SIGNUP, GOOD)

    assert User.objects.get(username="ada").password.startswith("argon2$")


def test_signing_up_returns_to_the_page_the_visitor_came_from(client):
    response = client.post(f"{SIGNUP}?next=/tags/", GOOD)

    assert response.status_code == 302
    assert response["Location"] == "/tags/"


def test_signing_up_ignores_a_next_address_on_another_site(client):
    response = client.post(SIGNUP, {**GOOD, "next": "https://evil.example/"})

    assert response["Location"] == "/"


def test_the_signup_form_carries_next_on_to_the_post(client):
    html = client.get(f"{SIGNUP}?next=/tags/").content.decode()

    assert '<input type="hidden" name="next" value="/tags/">' in html


def _refused(client, data):
    response = client.post(SIGNUP, data)
    assert response.status_code == 200
    assert not User.objects.filter(username=data["username"]).exists()
    assert SESSION_KEY not in client.session
    return response.content.decode()


def test_a_short_password_is_refused_next_to_the_field_with_the_input_kept(english_client):
    html = _refused(english_client, {**GOOD, "password1": "Ab3$x", "password2": "Ab3$x"})

    assert 'id="id_password2_error"' in html
    assert "This password is too short. It must contain at least 8 characters." in html
    assert 'value="ada"' in html
    assert 'value="ada@example.org"' in html


def test_a_common_password_is_refused(english_client):
    html = _refused(english_client, {**GOOD, "password1": "qwertyuiop", "password2": "qwertyuiop"})

    assert "This password is too common." in html


def test_two_different_passwords_are_refused(english_client):
    html = _refused(english_client, {**GOOD, "password2": "analytical-engine-1842"})

    assert "The two password fields didn’t match." in html


def test_a_username_taken_in_another_case_is_refused(english_client):
    factories.user(username="Ada")

    html = _refused(english_client, {**GOOD, "username": "ada"})

    assert 'id="id_username_error"' in html
    assert "A user with that username already exists." in html
    assert 'value="ada@example.org"' in html


def test_an_email_address_taken_in_another_case_is_refused(english_client):
    factories.user(email="Ada@Example.org")

    html = _refused(english_client, {**GOOD, "email": "ADA@example.ORG"})

    assert 'id="id_email_error"' in html
    assert "An account with this email address exists already." in html
    assert 'value="ada"' in html


def test_signed_in_members_visiting_signup_are_sent_home(client):
    client.force_login(factories.user())

    response = client.get(SIGNUP)

    assert response.status_code == 302
    assert response["Location"] == "/"
