import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client

from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/users/login/"
LOGOUT = "/users/logout/"
THROTTLED = "Too many failed log-in attempts."


def _log_in(client, username="grace", password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def test_logging_in_with_the_right_password_signs_in_and_goes_home(client, grace):
    response = _log_in(client)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session[SESSION_KEY] == str(grace.pk)


def test_logging_in_starts_a_new_session(client, grace):
    planted = client.session  # an anonymous session, as a session-fixation attacker would plant
    planted["visited"] = True
    planted.save()

    _log_in(client)

    assert client.session.session_key != planted.session_key
    assert not planted.exists(planted.session_key)
    assert client.session[SESSION_KEY] == str(grace.pk)


def test_a_wrong_password_is_refused_with_a_message(english_client, grace):
    response = _log_in(english_client, password="wrong password")

    assert response.status_code == 200
    assert SESSION_KEY not in english_client.session
    html = response.content.decode()
    assert "Please enter a correct username and password." in html
    assert 'value="grace"' in html


def test_logging_in_returns_to_a_next_page_on_this_site(client, grace):
    client.get(f"{LOGIN}?next=/tags/")

    response = client.post(f"{LOGIN}?next=/tags/", {"username": "grace", "password": PASSWORD})

    assert response["Location"] == "/tags/"


def test_the_login_form_carries_next_on_to_the_post(client):
    html = client.get(f"{LOGIN}?next=/tags/%3Fpage%3D2").content.decode()

    assert '<input type="hidden" name="next" value="/tags/?page=2">' in html


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]
)
def test_logging_in_ignores_a_next_address_off_this_site(client, grace, target):
    response = client.post(LOGIN, {"username": "grace", "password": PASSWORD, "next": target})

    assert response["Location"] == "/"


def test_pages_that_need_an_account_send_visitors_to_log_in_and_back(client, grace):
    response = client.get("/users/edit/")

    assert response.status_code == 302
    assert response["Location"] == "/users/login/?next=/users/edit/"
    response = client.post(response["Location"], {"username": "grace", "password": PASSWORD})
    assert response["Location"] == "/users/edit/"


def test_signed_in_members_visiting_login_are_sent_home(client, grace):
    client.force_login(grace)

    response = client.get(LOGIN)

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_repeated_failures_lock_the_account_even_for_the_right_password(
    english_client, grace, settings
):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 3
    for _ in range(3):
        _log_in(english_client, password="guess")

    response = _log_in(english_client)

    assert SESSION_KEY not in english_client.session
    assert THROTTLED in response.content.decode()
    assert "Please wait 15 minutes" in response.content.decode()


def test_the_account_lock_holds_against_every_address_and_any_spelling(
    english_client, grace, settings
):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 3
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        _log_in(english_client, password="guess", REMOTE_ADDR=address)

    response = _log_in(english_client, username=" GRACE", REMOTE_ADDR="10.0.0.4")

    assert THROTTLED in response.content.decode()


def test_failures_below_the_limit_do_not_lock_the_account(client, grace, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 3
    for _ in range(2):
        _log_in(client, password="guess")

    _log_in(client)

    assert client.session[SESSION_KEY] == str(grace.pk)


def test_a_successful_log_in_clears_the_account_failures(client, grace, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 3
    for _ in range(2):
        _log_in(client, password="guess")
    _log_in(client)
    client.post(LOGOUT)
    for _ in range(2):
        _log_in(client, password="guess")

    _log_in(client)

    assert client.session[SESSION_KEY] == str(grace.pk)


def test_an_empty_password_does_not_clear_the_account_failures(english_client, grace, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 3
    for _ in range(2):
        _log_in(english_client, password="guess")
    _log_in(english_client, password="")
    _log_in(english_client, password="guess")

    response = _log_in(english_client)

    assert THROTTLED in response.content.decode()


def test_repeated_failures_from_one_address_lock_it_for_every_account(
    english_client, grace, settings
):
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    for number in range(3):
        _log_in(
            english_client, username=f"someone{number}", password="guess", REMOTE_ADDR="203.0.113.9"
        )

    refused = _log_in(english_client, REMOTE_ADDR="203.0.113.9")
    assert THROTTLED in refused.content.decode()
    assert SESSION_KEY not in english_client.session

    _log_in(english_client, REMOTE_ADDR="198.51.100.7")
    assert english_client.session[SESSION_KEY] == str(grace.pk)


def test_logging_out_needs_a_post(client, grace):
    client.force_login(grace)

    response = client.get(LOGOUT)

    assert response.status_code == 405
    assert client.session[SESSION_KEY] == str(grace.pk)


def test_logging_out_by_post_ends_the_session(english_client, grace):
    english_client.force_login(grace)

    response = english_client.post(LOGOUT, follow=True)

    assert response.redirect_chain == [("/", 302)]
    assert SESSION_KEY not in english_client.session
    assert "You have logged out." in response.content.decode()


def test_logging_out_needs_the_csrf_token(grace):
    client = Client(enforce_csrf_checks=True)
    client.force_login(grace)

    response = client.post(LOGOUT)

    assert response.status_code == 403
    assert client.session[SESSION_KEY] == str(grace.pk)


def test_the_navbar_offers_visitors_log_in_back_to_the_page_and_sign_up(english_client):
    html = english_client.get("/tags/?page=2").content.decode()

    assert (
        '<a class="btn btn-sm btn-outline-secondary" '
        'href="/users/login/?next=/tags/%3Fpage%3D2">Log in</a>' in html
    )
    assert 'href="/users/signup/?next=/tags/%3Fpage%3D2">Sign up</a>' in html
    assert "Log out" not in html


def test_the_navbar_on_the_login_page_passes_on_next_rather_than_itself(english_client):
    html = english_client.get(f"{LOGIN}?next=/tags/").content.decode()

    assert 'href="/users/signup/?next=/tags/">Sign up</a>' in html
    assert "next=/users/login/" not in html


def test_the_navbar_shows_members_ask_their_profile_and_log_out(english_client, grace):
    factories.reputation(grace, amount=1234)
    english_client.force_login(grace)

    html = english_client.get("/tags/").content.decode()

    assert 'href="/questions/ask/">Ask Question</a>' in html
    assert f'<a class="site-user" href="{grace.get_absolute_url()}">' in html
    assert "Grace Hopper" in html
    assert "1,234" in html
    assert '<form class="logout-form" action="/users/logout/" method="post">' in html
    assert "/users/login/" not in html
