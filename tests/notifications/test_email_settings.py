"""The email settings page (a tab of the inbox) and the language the site writes in."""

import uuid

import pytest
from django.core import mail
from django.test import Client

from accounts.models import User
from notifications.models import EmailSettings
from tests import factories
from tests.clients import client_for

pytestmark = pytest.mark.django_db

URL = "/inbox/settings/"
KINDS = [
    "answer",
    "comment",
    "mention",
    "edit",
    "accepted",
    "watched_tag",
    "moderator_message",
    "flag_outcome",
    "appeal_decision",
]


def choices(**changes):
    """The form as a member sends it: the defaults, with `changes`."""
    data = {"answer": "on", "mention": "on", "digest": "none", "language": "en"}
    for name, value in changes.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = "on" if value is True else value
    return data


def test_the_page_lists_every_kind_with_the_defaults_in_english(
    member, german_site, django_assert_max_num_queries
):
    client = client_for(member)
    # The session, the user, their settings, and the base page's unread count and messages.
    with django_assert_max_num_queries(5):
        page = client.get(URL)
    html = page.content.decode()

    assert page.status_code == 200
    assert '<h1 id="settings-title">Email settings</h1>' in html
    assert f'href="{URL}" aria-current="page">Email settings</a>' in html
    for kind in KINDS:
        assert f'name="{kind}"' in html
    for label in (
        "New answers to my questions",
        "Comments on my posts",
        "Mentions of me in comments",
        "Decisions on my appeals",
        "Put new questions in my watched tags in my inbox",
    ):
        assert label in html
    assert 'name="answer" class="checkboxinput form-check-input" id="id_answer" checked' in html
    assert 'name="comment" class="checkboxinput form-check-input" id="id_comment">' in html
    assert 'name="digest" value="none"  id="id_digest_0" required checked' in html
    assert 'name="digest" value="weekly"  id="id_digest_2" required>' in html
    # A member who never chose is written to in the site's language.
    assert '<option value="de" selected>German</option>' in html


def test_the_page_speaks_german(member, django_assert_max_num_queries):
    client = Client(headers={"accept-language": "de"})
    client.force_login(member)
    with django_assert_max_num_queries(5):
        html = client.get(URL).content.decode()

    assert "E-Mail-Einstellungen" in html
    assert "Neue Antworten auf meine Fragen" in html
    assert "Wöchentlich" in html
    assert "E-Mail-Einstellungen speichern" in html


def test_saving_stores_the_choices_and_the_language_and_shows_them_again(member):
    client = client_for(member)

    response = client.post(
        URL,
        choices(
            answer=False, comment=True, digest="weekly", inbox_watched_tags=True, language="de"
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == URL
    chosen = EmailSettings.objects.get(user=member)
    assert (chosen.answer, chosen.comment, chosen.mention) == (False, True, True)
    assert chosen.digest == "weekly"
    assert chosen.inbox_watched_tags is True
    member.refresh_from_db()
    assert member.language == "de"
    html = client.get(URL).content.decode()
    assert "Your email settings have been saved." in html
    assert 'id="id_comment" checked' in html
    assert 'value="weekly"  id="id_digest_2" required checked' in html
    assert '<option value="de" selected>German</option>' in html


def test_saving_again_changes_only_what_changed(member, django_assert_max_num_queries):
    client = client_for(member)
    client.post(URL, choices(digest="daily"))
    EmailSettings.objects.filter(user=member).update(digest_sent_until="2026-01-01T06:00Z")

    with django_assert_max_num_queries(9):
        assert client.post(URL, choices(digest="daily", edit=True)).status_code == 302

    chosen = EmailSettings.objects.get(user=member)
    assert chosen.edit is True
    # The settings page does not reset what the digests keep.
    assert chosen.digest_sent_until.year == 2026


def test_bad_input_is_refused_with_a_message_and_the_input_kept(member):
    client = client_for(member)

    response = client.post(URL, choices(digest="hourly", language="fr", comment=True))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Select a valid choice. hourly is not one of the available choices." in html
    assert "Select a valid choice. fr is not one of the available choices." in html
    assert 'id="id_comment" checked' in html
    assert not EmailSettings.objects.filter(user=member).exists()
    member.refresh_from_db()
    assert member.language == ""


def test_the_page_is_for_members_only_and_get_changes_nothing(member):
    response = client_for(None).get(URL)
    assert response.status_code == 302 and "/users/login/" in response["Location"]
    assert client_for(None).post(URL, choices()).status_code == 302
    assert not EmailSettings.objects.exists()

    client = client_for(member)
    client.get(URL)
    assert not EmailSettings.objects.exists()


def test_the_form_needs_its_csrf_token(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    assert client.post(URL, choices(comment=True)).status_code == 403
    assert not EmailSettings.objects.exists()


def test_the_inbox_tabs_lead_to_the_settings(member):
    html = client_for(member).get("/inbox/").content.decode()
    assert f'<a href="{URL}">Email settings</a>' in html


def test_the_language_chosen_is_the_language_of_the_next_email(member):
    member.email = "member@example.org"
    member.save(update_fields=["email"])
    question = factories.question(author=member, title="Wie bilde ich das Perfekt")
    client_for(member).post(URL, choices(language="de"))
    answerer = factories.user(reputation=100)

    client_for(answerer).post(
        f"/questions/{question.pk}/answer/",
        {
            "body": "Mit haben oder sein, je nach Verb: ich habe gelesen, ich bin gegangen.",
            "submission_token": str(uuid.uuid4()),
        },
    )

    (message,) = mail.outbox
    assert message.subject == "Neue Antwort: Wie bilde ich das Perfekt"


@pytest.mark.parametrize("language", ["en", "de"])
def test_sign_up_keeps_the_language_of_the_page_for_the_emails(language):
    client = Client(headers={"accept-language": language})
    response = client.post(
        "/users/signup/",
        {
            "username": "newcomer",
            "email": "newcomer@example.org",
            "password1": factories.PASSWORD,
            "password2": factories.PASSWORD,
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="newcomer").language == language
