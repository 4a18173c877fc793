"""A real Celery worker, on Redis, does the work the site enqueues.

The test process is the site: it enqueues to Redis database 14 (not eagerly) when an
answer is posted through HTTP. A worker process of its own, on the same test database
(PostgreSQL: SQLite's test database lives in this process's memory), writes the asker's
inbox entry and sends the email, to files in a directory the test reads."""

import email
import json
import uuid
from contextlib import contextmanager
from email.header import decode_header, make_header

import pytest

from notifications.models import Notification
from tests import factories
from tests.clients import client_for
from tests.workers import broker_in_use, celery_worker, wait_for

# Database 14: the rest of the suite's cache is 15, and the test empties its database.
BROKER = "redis://127.0.0.1:6379/14"


@pytest.fixture
def queue(settings):
    with broker_in_use(settings, BROKER) as client:
        yield client


@contextmanager
def mailing_worker(directory):
    """A worker that sends email to files in `directory / "outbox"`; yields the outbox
    and a function returning what the worker has logged."""
    outbox = directory / "outbox"
    with celery_worker(
        directory, broker=BROKER, unset=["EMAIL_HOST"], EMAIL_FILE_PATH=str(outbox)
    ) as worker_log:
        yield outbox, worker_log


def _emails(outbox):
    """The messages the file backend wrote: each file holds those of one connection, each
    followed by a line of 79 dashes."""
    if not outbox.is_dir():
        return []
    messages = []
    for path in sorted(outbox.iterdir()):
        for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if raw.strip():
                messages.append(email.message_from_bytes(raw))
    return messages


def _header(message, name):
    return str(make_header(decode_header(message[name])))


def _queued_tasks(client):
    return [json.loads(message)["headers"]["task"] for message in client.lrange("celery", 0, -1)]


@pytest.mark.django_db(transaction=True)
def test_a_worker_process_tells_the_asker_of_an_answer_by_inbox_and_email(queue, tmp_path):
    asker = factories.user(
        username="asker", display_name="Asker", email="asker@example.org", language="en"
    )
    answerer = factories.user(display_name="Answer Person", reputation=100)
    thread = factories.question(author=asker, title="How do I form the past tense")

    response = client_for(answerer).post(
        f"/questions/{thread.pk}/answer/",
        {"body": "Add -në to the stem, as in carnë.", "submission_token": str(uuid.uuid4())},
    )

    assert response.status_code == 302
    # Enqueued after the commit, not run here: nobody has been told yet.
    assert _queued_tasks(queue) == ["notifications.tasks.answer_posted"]
    assert not Notification.objects.exists()

    with mailing_worker(tmp_path) as (outbox, worker_log):
        entry = wait_for(
            lambda: Notification.objects.filter(recipient=asker).first(),
            "inbox entry for the asker",
            worker_log,
        )
        message = wait_for(
            lambda: next((m for m in _emails(outbox) if asker.email in m["To"]), None),
            "email to the asker",
            worker_log,
        )

    answer = thread.answers.get()
    assert (entry.kind, entry.actor_id, entry.post_id) == ("answer", answerer.pk, answer.pk)
    assert _header(message, "To") == asker.email
    assert _header(message, "Subject") == "New answer: How do I form the past tense"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = next(part for part in message.walk() if part.get_content_type() == "text/plain")
    link = f"{thread.get_absolute_url()}#answer-{answer.pk}"
    assert link in text.get_payload(decode=True).decode()
    assert _queued_tasks(queue) == []
