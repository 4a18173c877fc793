import pytest
from django.test import Client

from moderation import services
from moderation.models import ModeratorAction, ModeratorMessage
from tests import factories
from tests.clients import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def message(member):
    return services.message_send(
        recipient=member,
        sender=factories.moderator(display_name="Mod"),
        subject="About your answers",
        body="Please stop posting links to your shop.",
    )


def test_an_unread_moderator_message_shows_on_every_page(member, message):
    client = client_for(member)

    for url in ("/", "/tags/", "/users/", "/help/privileges/"):
        html = client.get(url).content.decode()
        assert "About your answers" in html
        assert "Please stop posting links to your shop." in html
        assert f'action="/messages/{message.pk}/read/"' in html


def test_marking_a_message_read_takes_the_banner_away_and_returns_to_the_page(member, message):
    client = client_for(member)

    response = client.post(f"/messages/{message.pk}/read/", {"next": "/tags/"})

    assert response.status_code == 302
    assert response["Location"] == "/tags/"
    assert "About your answers" not in client.get("/").content.decode()
    message.refresh_from_db()
    assert message.read_at is not None


def test_marking_read_returns_only_to_pages_of_this_site(member, message):
    response = client_for(member).post(
        f"/messages/{message.pk}/read/", {"next": "https://evil.example/"}
    )

    assert response["Location"] == "/messages/"


def test_others_cannot_mark_a_message_read_or_learn_that_it_exists(message):
    response = client_for(factories.user()).post(f"/messages/{message.pk}/read/")

    assert response.status_code == 404
    message.refresh_from_db()
    assert message.read_at is None


def test_marking_read_is_a_post(member, message):
    assert client_for(member).get(f"/messages/{message.pk}/read/").status_code == 405


def test_the_messages_page_lists_read_and_unread_messages(member, message):
    client = client_for(member)
    client.post(f"/messages/{message.pk}/read/")
    services.message_send(
        recipient=member, sender=None, subject="A second note", body="Thanks for your edits."
    )

    html = client.get("/messages/").content.decode()

    assert "About your answers" in html
    assert "A second note" in html
    assert html.count("Mark as read") == 2  # the banner's and the page's, both for the second


def test_the_messages_page_shows_only_ones_own_messages(message):
    html = client_for(factories.user()).get("/messages/").content.decode()

    assert "About your answers" not in html
    assert "No messages from the moderators." in html


def test_visitors_are_sent_to_log_in_for_messages():
    response = Client().get("/messages/")

    assert response["Location"] == "/users/login/?next=/messages/"


def test_the_banner_shows_the_newest_three_and_points_to_the_rest(member):
    for number in range(4):
        services.message_send(recipient=member, sender=None, subject=f"Note {number}", body="Body.")

    html = client_for(member).get("/").content.decode()

    assert html.count("message-banner") == 3
    assert "Note 0" not in html
    assert "You have more unread messages" in html


def test_messages_are_kept_in_the_audit_trail(message, member):
    entry = ModeratorAction.objects.get()

    assert (entry.verb, entry.target, entry.reason) == (
        ModeratorAction.Verb.MESSAGE_SENT,
        member,
        "About your answers",
    )


def test_the_banner_costs_signed_in_members_one_query_and_visitors_none(
    member, message, django_assert_num_queries
):
    client = client_for(member)
    # The session, the user, the unread messages and the inbox count; the privileges page
    # asks nothing else.
    with django_assert_num_queries(4):
        client.get("/help/privileges/")
    with django_assert_num_queries(0):
        Client().get("/help/privileges/")
    assert ModeratorMessage.objects.filter(read_at__isnull=True).count() == 1
