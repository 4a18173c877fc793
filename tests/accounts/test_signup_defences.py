"""The sign-up's defences against bots, each refusing a bot and letting a person through:
the honeypot field, the minimum fill time, ALTCHA's proof of work (taken once) and, for a
browser without JavaScript, the emailed link that creates the account; and the limit on
sign-ups from one address."""

import base64
import html
import json
import re
import time

import altcha
import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from tests.clients import page_queries

pytestmark = pytest.mark.django_db

SIGNUP = "/users/signup/"
PASSWORD = "analytical-engine-1843"


@pytest.fixture(autouse=True)
def defences(settings):
    settings.FORUM_SIGNUP_DEFENCES = True
    settings.FORUM_EMAIL_VERIFICATION = True
    settings.FORUM_SIGNUP_MIN_SECONDS = 0
    # An easy challenge: the tests solve it in Python, as the widget does in the browser.
    settings.FORUM_SIGNUP_CHALLENGE_MAX_NUMBER = 2000


def client_in(language):
    return Client(headers={"accept-language": language})


def form_of(client):
    """The sign-up page's hidden values: the signed start and the challenge."""
    page = client.get(SIGNUP).content.decode()
    started = re.search(r'name="started" value="([^"]+)"', page).group(1)
    challenge = json.loads(html.unescape(re.search(r'challengejson="([^"]+)"', page).group(1)))
    return started, challenge


def solved(challenge, *, number=None):
    """The widget's payload for `challenge` (base64 JSON), with the right number unless told."""
    if number is None:
        number = altcha.solve_challenge_v1(
            challenge["challenge"],
            challenge["salt"],
            challenge["algorithm"],
            challenge["maxNumber"],
        ).number
    payload = {**{k: challenge[k] for k in ("algorithm", "challenge", "salt", "signature")}}
    payload["number"] = number
    return base64.b64encode(json.dumps(payload).encode()).decode()


def signup_data(started, payload="", **fields):
    return {
        "username": "ada",
        "email": "ada@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "homepage": "",
        "started": started,
        "altcha": payload,
        **fields,
    }


def test_the_page_hides_the_trap_field_from_sight_from_the_keyboard_and_from_screen_readers():
    page = client_in("en").get(SIGNUP).content.decode()

    trap = re.search(
        r'<div class="signup-trap visually-hidden" aria-hidden="true">(.*?)</div>', page, re.S
    )
    assert trap is not None
    assert "Leave this field empty" in trap.group(1)
    assert 'tabindex="-1"' in trap.group(1)
    assert 'autocomplete="off"' in trap.group(1)
    assert "<altcha-widget" in page
    assert "/static/vendor/altcha/altcha.js" in page
    assert "/static/vendor/altcha/worker.js" in page


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_person_who_solves_the_challenge_gets_an_unverified_account_and_a_link(language):
    client = client_in(language)
    started, challenge = form_of(client)

    response = client.post(SIGNUP, signup_data(started, solved(challenge)))

    assert response.status_code == 302
    user = User.objects.get(username="ada")
    assert not user.email_verified
    assert client.session[SESSION_KEY] == str(user.pk)
    (email,) = mail.outbox
    assert email.to == ["ada@example.org"]
    subject = {
        "en": "Confirm your email address on Stapel",
        "de": "Bestätige deine E-Mail-Adresse bei Stapel",
    }
    assert email.subject == subject[language]
    assert re.search(r"http://\S+/users/verify/\S+/", email.body)


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "We could not accept this sign-up."),
        ("de", "Wir konnten diese Registrierung nicht annehmen."),
    ],
)
def test_a_filled_trap_field_is_refused_keeping_what_was_typed_but_the_password(language, message):
    client = client_in(language)
    started, challenge = form_of(client)

    response = client.post(
        SIGNUP, signup_data(started, solved(challenge), homepage="http://spam.example/")
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert 'value="ada"' in page and 'value="ada@example.org"' in page
    assert PASSWORD not in page
    assert not User.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "That was quicker than we expect anyone to fill in this form."),
        ("de", "Das ging schneller, als jemand dieses Formular ausfüllen kann."),
    ],
)
def test_a_form_sent_too_fast_is_refused_and_accepted_once_a_person_would_have_taken_longer(
    settings, language, message
):
    settings.FORUM_SIGNUP_MIN_SECONDS = 1
    client = client_in(language)
    started, challenge = form_of(client)

    too_fast = client.post(SIGNUP, signup_data(started, solved(challenge)))

    page = too_fast.content.decode()
    assert message in page
    assert 'value="ada@example.org"' in page and PASSWORD not in page
    assert not User.objects.exists()
    # The form sent back keeps its first stamp: once the time has passed, it goes through.
    assert f'name="started" value="{started}"' in page
    time.sleep(1.1)
    _started, fresh = form_of(client)
    assert client.post(SIGNUP, signup_data(started, solved(fresh))).status_code == 302
    assert User.objects.filter(username="ada").exists()


def test_a_missing_or_forged_start_is_refused():
    client = client_in("en")
    started, challenge = form_of(client)

    forged = client.post(SIGNUP, signup_data(started[:-2] + "xx", solved(challenge)))
    missing = client.post(SIGNUP, signup_data("", solved(challenge)))

    for response in (forged, missing):
        assert "We could not accept this sign-up." in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "The check that runs in your browser did not finish."),
        ("de", "Die Prüfung in deinem Browser ist nicht fertig geworden."),
    ],
)
def test_a_wrong_solution_is_refused(language, message):
    client = client_in(language)
    started, challenge = form_of(client)
    right = json.loads(base64.b64decode(solved(challenge)))["number"]

    response = client.post(SIGNUP, signup_data(started, solved(challenge, number=right + 1)))

    assert message in response.content.decode()
    assert not User.objects.exists()


def test_a_solution_is_taken_once():
    client = client_in("en")
    started, challenge = form_of(client)
    payload = solved(challenge)
    assert client.post(SIGNUP, signup_data(started, payload)).status_code == 302

    bot = client_in("en")
    again = bot.post(SIGNUP, signup_data(started, payload, username="bob", email="bob@example.org"))

    assert "The check that runs in your browser did not finish." in again.content.decode()
    assert not User.objects.filter(username="bob").exists()


def test_a_challenge_of_another_key_or_past_its_time_is_refused(settings):
    settings.FORUM_SIGNUP_CHALLENGE_SECONDS = -60
    client = client_in("en")
    started, expired = form_of(client)
    settings.FORUM_SIGNUP_CHALLENGE_SECONDS = 1200
    foreign = altcha.create_challenge_v1(hmac_key="not ours", max_number=2000).to_dict()

    for challenge in (expired, foreign):
        response = client.post(SIGNUP, signup_data(started, solved(challenge)))
        assert "did not finish" in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.parametrize("language", ["en", "de"])
def test_without_javascript_the_account_is_made_from_the_emailed_link_verified(language):
    client = client_in(language)
    started, _challenge = form_of(client)

    sent = client.post(SIGNUP, signup_data(started))

    assert sent.status_code == 200
    assert not User.objects.exists()
    heading = {"en": "Check your email", "de": "Schau in dein Postfach"}[language]
    assert heading in sent.content.decode()
    (email,) = mail.outbox
    path = re.search(r"http://[^/\s]+(/users/signup/finish/\S+/)", email.body).group(1)
    assert client.get(path).status_code == 200
    finished = client.post(path, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert finished.status_code == 302
    user = User.objects.get(username="ada", email="ada@example.org")
    assert user.email_verified and user.check_password(PASSWORD)
    assert client.session[SESSION_KEY] == str(user.pk)
    # Taken once: the account exists now.
    used = client_in(language).get(path)
    assert used.status_code == 400
    assert User.objects.count() == 1


def test_a_forged_signup_link_makes_nothing():
    client = client_in("en")
    started, _challenge = form_of(client)
    client.post(SIGNUP, signup_data(started))
    path = re.search(r"(/users/signup/finish/\S+/)", mail.outbox[0].body).group(1)
    forged = path.replace("ada", "eve") if "ada" in path else path[:-3] + "xx/"

    response = client.post(forged, {"new_password1": PASSWORD, "new_password2": PASSWORD})

    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    assert not User.objects.exists()


def test_a_bot_without_javascript_still_meets_the_trap_and_the_clock(settings):
    settings.FORUM_SIGNUP_MIN_SECONDS = 5
    client = client_in("en")
    started, _challenge = form_of(client)

    client.post(SIGNUP, signup_data(started))
    client.post(SIGNUP, signup_data(started, homepage="x"))

    assert mail.outbox == []


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Too many accounts were made from your network today."),
        ("de", "Aus deinem Netz wurden heute zu viele Konten angelegt."),
    ],
)
def test_sign_ups_from_one_address_are_limited(settings, language, message):
    settings.FORUM_SIGNUPS_PER_ADDRESS = 2
    for number in range(2):
        client = client_in(language)
        started, challenge = form_of(client)
        data = signup_data(
            started, solved(challenge), username=f"ada{number}", email=f"ada{number}@example.org"
        )
        assert client.post(SIGNUP, data).status_code == 302

    client = client_in(language)
    started, challenge = form_of(client)
    refused = client.post(SIGNUP, signup_data(started, solved(challenge)))

    assert refused.status_code == 429
    assert message in refused.content.decode()
    assert 'value="ada@example.org"' in refused.content.decode()
    assert User.objects.count() == 2


def test_with_the_defences_off_the_form_asks_for_nothing_more(settings):
    settings.FORUM_SIGNUP_DEFENCES = False
    client = client_in("en")

    page = client.get(SIGNUP).content.decode()
    response = client.post(
        SIGNUP,
        {
            "username": "ada",
            "email": "ada@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert "altcha" not in page and "homepage" not in page
    assert response.status_code == 302
    assert User.objects.get(username="ada").email_verified
    assert mail.outbox == []


def test_the_signup_page_reads_nothing_and_sending_it_costs_a_few_queries():
    # The one query reads the session page_queries opens: the page itself reads nothing.
    assert page_queries(client_in("en"), SIGNUP) == 1
    client = client_in("en")
    started, _challenge = form_of(client)

    with CaptureQueriesContext(connection) as queries:
        client.post(SIGNUP, signup_data(started))
    # The form's checks of the name, its look-alikes and the address, the address's
    # sign-up count (read, then counted) and the email's count: none per anything else.
    assert len(queries) <= 10
