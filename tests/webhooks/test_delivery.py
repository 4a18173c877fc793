"""Deliveries to a real receiver on 127.0.0.1: signed, logged, retried with backoff, and a
webhook that keeps failing switched off with an email to the community managers."""

import socket
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from moderation.services.flags import flag_create
from questions import services as posting
from tests import factories
from tests.clients import client_for
from webhooks.models import Delivery, Webhook

pytestmark = pytest.mark.django_db


def ask(author=None, title="How do I decline a Quenya noun?"):
    return posting.question_create(
        author=author or factories.user(display_name="Asker"),
        title=title,
        body="I found the stem, then what?",
        tags=["quenya"],
    )


def clock_forward(seconds):
    """Time passes for the deliveries: every stored next attempt comes `seconds` sooner."""
    Delivery.objects.filter(next_attempt_at__isnull=False).update(
        next_attempt_at=F("next_attempt_at") - timedelta(seconds=seconds)
    )


def deliver_due():
    call_command("webhooks_deliver_due", stdout=StringIO())


def test_a_new_question_reaches_the_receiver_signed_with_the_webhooks_secret(receiver, hook_for):
    hook = hook_for("question.asked")
    question = ask(factories.user(display_name="Asker", email="asker@example.org"))

    [request] = receiver.received
    assert request.signature_valid
    assert request.path == "/hooks/stapel"
    assert request.headers["X-Stapel-Event"] == "question.asked"
    assert request.headers["Content-Type"] == "application/json"
    delivery = Delivery.objects.get()
    assert request.headers["X-Stapel-Delivery"] == str(delivery.uuid)
    assert abs(int(request.headers["X-Stapel-Timestamp"]) - timezone.now().timestamp()) < 60
    payload = request.payload
    assert payload["event"] == "question.asked"
    post = payload["data"]["post"]
    assert (post["id"], post["type"], post["title"]) == (question.pk, "question", question.title)
    assert post["link"].endswith(question.get_absolute_url())
    assert post["author"]["display_name"] == "Asker"
    assert post["body_markdown"] == "I found the stem, then what?"
    assert post["tags"] == ["quenya"]
    assert "asker@example.org" not in request.body.decode()

    assert (delivery.webhook, delivery.status, delivery.attempts) == (hook, "delivered", 1)
    [attempt] = delivery.log.all()
    assert (attempt.status_code, attempt.succeeded, attempt.response_excerpt) == (200, True, "ok")
    assert attempt.duration_ms is not None


def test_the_signature_covers_timestamp_and_body_so_a_changed_one_does_not_verify(
    receiver, hook_for
):
    hook_for("question.asked")
    ask()
    [request] = receiver.received
    assert receiver.verify(request.headers, request.body)
    assert not receiver.verify(request.headers, request.body.replace(b"Quenya", b"Sindarin"))
    replayed = {**request.headers, "X-Stapel-Timestamp": str(int(timezone.now().timestamp()) + 1)}
    assert not receiver.verify(replayed, request.body)
    receiver.secret = "0" * 64
    assert not receiver.verify(request.headers, request.body)


def test_a_webhook_hears_only_the_kinds_it_subscribed_to(receiver, hook_for, member):
    hook_for("answer.posted")
    question = ask()
    assert receiver.received == []

    answer = posting.answer_create(author=member, question=question, body="Add -r for plurals.")

    [request] = receiver.received
    data = request.payload["data"]["post"]
    assert (request.payload["event"], data["id"], data["type"]) == (
        "answer.posted",
        answer.pk,
        "answer",
    )
    assert data["question"]["title"] == question.title


def test_a_failed_delivery_is_retried_with_backoff_until_it_goes_through(receiver, hook_for):
    receiver.answer(500, (503, b"busy"))
    hook_for("question.asked")
    before = timezone.now()
    ask()

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    # The first retry after FORUM_WEBHOOK_RETRY_SECONDS (60).
    wait = delivery.next_attempt_at - before
    assert timedelta(seconds=60) <= wait < timedelta(seconds=70)

    deliver_due()  # not due yet: nothing is sent
    assert len(receiver.received) == 1

    clock_forward(60)
    deliver_due()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, len(receiver.received)) == ("pending", 2, 2)
    # Twice as long before the next one.
    wait = delivery.next_attempt_at - timezone.now()
    assert timedelta(seconds=110) < wait <= timedelta(seconds=120)

    clock_forward(60)
    deliver_due()
    assert len(receiver.received) == 2
    clock_forward(60)
    deliver_due()

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("delivered", 3, None)
    # The same delivery each time: its id, its body, each signed afresh.
    assert len({r.headers["X-Stapel-Delivery"] for r in receiver.received}) == 1
    assert len({r.body for r in receiver.received}) == 1
    assert all(r.signature_valid for r in receiver.received)
    log = list(delivery.log.values_list("number", "status_code", "succeeded", "response_excerpt"))
    assert log == [(1, 500, False, ""), (2, 503, False, "busy"), (3, 200, True, "ok")]
    assert Webhook.objects.get().failures_in_a_row == 0


def test_a_delivery_fails_for_good_after_its_last_attempt(settings, receiver, hook_for):
    settings.FORUM_WEBHOOK_ATTEMPTS = 2
    receiver.default = (500, b"", {})
    hook_for("question.asked")
    ask()
    clock_forward(60)
    deliver_due()
    clock_forward(600)
    deliver_due()

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 2, None)
    assert len(receiver.received) == 2


def test_a_webhook_failing_again_and_again_is_switched_off_and_the_managers_are_emailed(
    settings, receiver, hook_for, manager, moderator
):
    settings.FORUM_WEBHOOK_FAILURES_TO_DISABLE = 3
    receiver.default = (500, b"down", {})
    german_manager = factories.user(is_staff=True, email="leitung@example.org", language="de")
    factories.user(is_staff=True, email="", language="en")  # no address: not written to
    hook = hook_for("question.asked")

    ask(title="First question about Quenya")
    ask(title="Second question about Quenya")
    assert Webhook.objects.get().is_active
    assert mail.outbox == []
    ask(title="Third question about Quenya")

    hook.refresh_from_db()
    assert (hook.is_active, hook.failures_in_a_row) == (False, 3)
    assert hook.disabled_at is not None
    # What it still owed is not sent later.
    assert not Delivery.objects.filter(status="pending").exists()
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"manager@example.org", "leitung@example.org"}
    assert by_address["manager@example.org"].subject == f"Webhook switched off: {hook.url}"
    assert "failed 3 times in a row" in by_address["manager@example.org"].body
    assert f"/webhooks/{hook.pk}/" in by_address["manager@example.org"].body
    assert by_address["leitung@example.org"].subject == f"Webhook abgeschaltet: {hook.url}"
    assert german_manager.email == "leitung@example.org"

    ask(title="Fourth question about Quenya")
    assert len(receiver.received) == 3
    assert Delivery.objects.count() == 3
    clock_forward(3600)
    deliver_due()
    assert len(receiver.received) == 3

    # Switched on again on its page: counted afresh, delivered again.
    receiver.default = (200, b"ok", {})
    response = client_for(manager).post(
        f"/webhooks/{hook.pk}/",
        {"url": hook.url, "kinds": ["question.asked"], "is_active": "on"},
    )
    assert response.status_code == 302
    hook.refresh_from_db()
    assert (hook.is_active, hook.failures_in_a_row, hook.disabled_at) == (True, 0, None)
    ask(title="Fifth question about Quenya")
    assert receiver.received[-1].payload["data"]["post"]["title"] == "Fifth question about Quenya"
    assert len(mail.outbox) == 2


def test_a_redirect_is_not_followed(receiver, hook_for):
    receiver.answer((302, b"", {"Location": "http://169.254.169.254/latest/meta-data/"}))
    hook_for("question.asked")
    ask()
    delivery = Delivery.objects.get()
    [attempt] = delivery.log.all()
    assert (attempt.status_code, attempt.succeeded) == (302, False)
    assert attempt.error_message() == "A redirect, which webhooks do not follow."
    assert delivery.status == "pending"
    assert len(receiver.received) == 1


def test_only_the_start_of_a_long_answer_is_kept(receiver, hook_for):
    receiver.answer((200, b"x" * 100_000))
    hook_for("question.asked")
    ask()
    [attempt] = Delivery.objects.get().log.all()
    assert attempt.succeeded
    assert attempt.response_excerpt == "x" * 1024


def test_a_receiver_that_does_not_answer_in_time_is_a_failure(settings, receiver, hook_for):
    settings.FORUM_WEBHOOK_TIMEOUT = 1
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # accepts the connection, never answers
    try:
        hook = hook_for("question.asked")
        Webhook.objects.filter(pk=hook.pk).update(
            url=f"http://127.0.0.1:{silent.getsockname()[1]}/"
        )
        started = timezone.now()
        ask()
        took = timezone.now() - started
    finally:
        silent.close()
    [attempt] = Delivery.objects.get().log.all()
    assert not attempt.succeeded
    assert attempt.error_message().startswith("No answer: ")
    assert took < timedelta(seconds=5)


def test_an_answer_whose_body_stalls_is_delivered_with_what_came(settings, receiver, hook_for):
    settings.FORUM_WEBHOOK_TIMEOUT = 1
    receiver.answer((202, b"accepted, more to come", {"stall": 3}))
    hook_for("question.asked")
    started = timezone.now()
    ask()
    assert timezone.now() - started < timedelta(seconds=3)
    delivery = Delivery.objects.get()
    [attempt] = delivery.log.all()
    assert (attempt.succeeded, attempt.status_code) == (True, 202)
    assert attempt.response_excerpt == "accepted, more to come"
    assert delivery.status == "delivered"


def test_a_flag_is_delivered_without_who_raised_it(receiver, hook_for, question, flagger):
    hook_for("flag.raised")
    flag_create(reporter=flagger, reason="low_quality", post=question, text="Ask Mr. Smith")

    [request] = receiver.received
    flag = request.payload["data"]["flag"]
    assert (flag["reason"], flag["status"], flag["post"]["id"]) == (
        "low_quality",
        "pending",
        question.pk,
    )
    text = request.body.decode()
    assert "Flagger" not in text
    assert str(flagger.pk) not in [str(value) for value in flag.values()]
    assert "reporter" not in text
    assert "Ask Mr. Smith" not in text
    assert "body_markdown" not in flag["post"]
