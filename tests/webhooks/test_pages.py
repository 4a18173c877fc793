"""The community managers' webhooks pages: who may open them, the form's checks of the
address (no private, loopback or reserved ranges), the secret shown once, both languages,
and the staff admin's delivery log."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests import factories
from tests.clients import client_for, page_queries
from tests.webhooks.conftest import hook_create
from webhooks.models import Delivery, Webhook

pytestmark = pytest.mark.django_db


@pytest.fixture
def hook(manager, settings):
    settings.FORUM_WEBHOOK_ALLOW_PRIVATE = True
    made, _secret = hook_create(manager, "http://127.0.0.1:9/hook", ["question.asked"])
    settings.FORUM_WEBHOOK_ALLOW_PRIVATE = False
    return made


def pages(hook):
    return [
        ("get", "/webhooks/"),
        ("get", "/webhooks/new/"),
        ("post", "/webhooks/new/"),
        ("get", f"/webhooks/{hook.pk}/"),
        ("post", f"/webhooks/{hook.pk}/"),
        ("post", f"/webhooks/{hook.pk}/secret/"),
        ("get", f"/webhooks/{hook.pk}/delete/"),
        ("post", f"/webhooks/{hook.pk}/delete/"),
    ]


@pytest.mark.parametrize(
    "who",
    ["moderator who is no manager", "member", "suspended manager"],
)
def test_only_community_managers_may_open_or_change_the_webhooks(who, hook, moderator, member):
    user = {
        "moderator who is no manager": moderator,
        "member": member,
        "suspended manager": factories.user(
            is_staff=True, suspended_until=timezone.now() + timedelta(days=3)
        ),
    }[who]
    client = client_for(user)
    secret = hook.secret
    for method, url in pages(hook):
        response = getattr(client, method)(url, {"url": "https://example.org/", "kinds": []})
        assert response.status_code == 403, (method, url)
    hook.refresh_from_db()
    assert hook.secret == secret
    assert Webhook.objects.count() == 1
    reason = (
        "Your account is suspended" if who == "suspended manager" else "Only community managers"
    )
    assert reason in client.get("/webhooks/").text


def test_visitors_are_sent_to_log_in(hook):
    client = Client()
    for method, url in pages(hook):
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert "login" in response["Location"]
        assert "next=" in response["Location"]
    assert Webhook.objects.count() == 1


def test_a_manager_sees_the_list_and_a_webhooks_log(manager, hook):
    client = client_for(manager)
    listing = client.get("/webhooks/")
    assert listing.status_code == 200
    assert hook.url in listing.text
    assert "Question asked" in listing.text
    detail = client.get(f"/webhooks/{hook.pk}/")
    assert detail.status_code == 200
    assert "Delivery log" in detail.text
    # The secret was shown once, when it was made.
    assert hook.secret not in detail.text


def test_the_secret_is_shown_once_and_a_new_one_replaces_it(manager, hook):
    client = client_for(manager)
    old = hook.secret
    response = client.post(f"/webhooks/{hook.pk}/secret/", follow=True)
    hook.refresh_from_db()
    assert hook.secret != old
    assert hook.secret in response.text
    assert hook.secret not in client.get(f"/webhooks/{hook.pk}/").text


def test_a_manager_deletes_a_webhook_with_its_log(manager, hook):
    Delivery.objects.create(
        webhook=hook, kind="question.asked", event_key="k", body="{}", created_at=hook.created_at
    )
    response = client_for(manager).post(f"/webhooks/{hook.pk}/delete/")
    assert response.status_code == 302
    assert not Webhook.objects.exists()
    assert not Delivery.objects.exists()


def test_a_get_changes_nothing_deleting_asks_first(manager, hook):
    client = client_for(manager)
    asked = client.get(f"/webhooks/{hook.pk}/delete/")
    assert asked.status_code == 200
    assert "and its delivery log?" in asked.text
    assert client.get(f"/webhooks/{hook.pk}/secret/").status_code == 405
    assert Webhook.objects.filter(pk=hook.pk, secret=hook.secret).exists()


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("ftp://example.org/hook", "Only http and https addresses"),
        ("javascript:alert(1)", "Enter a valid URL."),
        ("http://127.0.0.1:8000/hook", "127.0.0.1"),
        ("http://localhost/hook", "private network"),
        ("http://10.0.0.5/hook", "10.0.0.5"),
        ("http://192.168.1.20/hook", "private network"),
        ("http://172.16.0.1/hook", "private network"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("http://[::1]:8000/hook", "::1"),
        ("http://[::ffff:10.0.0.1]/hook", "private network"),
        ("http://[fe80::1]/hook", "private network"),
        ("http://224.0.0.1/hook", "private network"),
        ("http://0.0.0.0/hook", "private network"),
        ("http://240.0.0.1/hook", "private network"),
        ("http://100.64.0.1/hook", "private network"),
        ("https://user:secret@example.org/hook", "no user name or password"),
    ],
)
def test_the_form_refuses_addresses_that_are_not_public_http(manager, url, says):
    response = client_for(manager).post(
        "/webhooks/new/", {"url": url, "kinds": ["question.asked", "flag.raised"]}
    )
    assert response.status_code == 200
    assert says in response.content.decode()
    assert not Webhook.objects.exists()
    # What was typed is kept.
    assert re.search(r'<input type="url" name="url" value="[^"]+"', response.text)
    assert re.search(r'value="flag.raised"\s+id="id_kinds_\d+" checked>', response.text)
    assert not re.search(r'value="answer.posted"\s+id="id_kinds_\d+" checked>', response.text)


def test_the_form_asks_for_an_event(manager, settings):
    settings.FORUM_WEBHOOK_ALLOW_PRIVATE = True
    response = client_for(manager).post("/webhooks/new/", {"url": "http://127.0.0.1/"})
    assert "Choose at least one event." in response.text
    assert not Webhook.objects.exists()


def test_the_pages_speak_german(manager, hook):
    client = Client(headers={"accept-language": "de"})
    client.force_login(manager)
    listing = client.get("/webhooks/")
    assert "Neuer Webhook" in listing.text
    assert "Frage gestellt" in listing.text
    delivery = Delivery.objects.create(
        webhook=hook, kind="question.asked", event_key="k", body="{}", created_at=hook.created_at
    )
    delivery.log.create(
        number=1, started_at=hook.created_at, error="status", error_params={"status": 503}
    )
    detail = client.get(f"/webhooks/{hook.pk}/")
    assert "Zustellprotokoll" in detail.text
    # Stored as a code, written in the reader's language.
    assert "Der Empfänger antwortete mit HTTP-Status 503." in detail.text
    english = client_for(manager).get(f"/webhooks/{hook.pk}/")
    assert "The receiver answered with HTTP status 503." in english.text
    refused = client.post("/webhooks/new/", {"url": "http://10.0.0.5/", "kinds": []})
    assert "Wähle mindestens ein Ereignis." in refused.text
    assert "privaten Netz" in refused.text
    member = Client(headers={"accept-language": "de"})
    member.force_login(factories.user())
    assert "Nur Community-Manager" in member.get("/webhooks/").text


def _deliveries(hook, count):
    for number in range(count):
        delivery = Delivery.objects.create(
            webhook=hook,
            kind="question.asked",
            event_key=f"{hook.pk}:{count}:{number}",
            body="{}",
            created_at=hook.created_at,
        )
        for attempt in (1, 2):
            delivery.log.create(number=attempt, started_at=hook.created_at, status_code=500)


def test_the_pages_cost_the_same_queries_however_many_webhooks_and_deliveries(manager, hook):
    client = client_for(manager)
    client.get("/webhooks/")  # the first page of a session writes the visit
    _deliveries(hook, 1)
    few = page_queries(client, "/webhooks/"), page_queries(client, f"/webhooks/{hook.pk}/")
    for number in range(5):
        _deliveries(
            Webhook.objects.create(url=f"https://example.org/{number}", created_at=hook.created_at),
            2,
        )
    _deliveries(hook, 40)
    many = page_queries(client, "/webhooks/"), page_queries(client, f"/webhooks/{hook.pk}/")
    # Session, user, the moderator-message banner, the inbox count, the header's pending
    # flags and escalations (a community manager's, cached after a first page), then the
    # list; the detail: the webhook, its deliveries and their attempts.
    assert few == many == (6, 8)


def test_the_staff_admin_shows_the_delivery_log_to_managers_only(manager, hook, moderator):
    delivery = Delivery.objects.create(
        webhook=hook, kind="question.asked", event_key="k", body="{}", created_at=hook.created_at
    )
    delivery.log.create(
        number=1,
        started_at=hook.created_at,
        status_code=500,
        duration_ms=12,
        error="status",
        error_params={"status": 500},
        response_excerpt="boom",
    )
    client = client_for(manager)
    changelist = client.get("/admin/webhooks/delivery/")
    assert changelist.status_code == 200
    assert "The receiver answered with HTTP status 500." in changelist.text
    change = client.get(f"/admin/webhooks/delivery/{delivery.pk}/change/")
    assert change.status_code == 200
    assert "boom" in change.text
    assert hook.secret not in client.get(f"/admin/webhooks/webhook/{hook.pk}/change/").text
    assert f'href="/webhooks/{hook.pk}/"' in client.get("/admin/webhooks/webhook/").text
    assert client_for(moderator).get("/admin/webhooks/delivery/").status_code == 302
