"""A real Celery worker, on Redis, does the work the site enqueues.

The test process is the site: it enqueues to Redis database 14 (not eagerly) when an
answer is posted through HTTP. A worker process of its own, on the same test database
(PostgreSQL: SQLite's test database lives in this process's memory), writes the asker's
inbox entry and sends the email, to files in a directory the test reads."""

import email
import json
import os
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from email.header import decode_header, make_header
from pathlib import Path

import pytest
import redis
from django.db import connection
from kombu import pools as kombu_pools

from forum.celery import app
from notifications.models import Notification
from tests import factories
from tests.clients import client_for
from tests.servers import ROOT, database_url_for_processes, site_environment

# Database 14: the rest of the suite's cache is 15, and the test empties its database.
BROKER = "redis://127.0.0.1:6379/14"
WAIT_SECONDS = 30


def _redis_or_skip():
    client = redis.Redis.from_url(BROKER, socket_connect_timeout=1, socket_timeout=5)
    try:
        client.ping()
    except redis.ConnectionError:
        if os.environ.get("CI", "").lower() == "true":
            # CI has Redis; a worker test that silently skips there proves nothing.
            pytest.fail(f"Redis is not reachable at {BROKER}; CI must run the worker test.")
        pytest.skip(f"Redis is not reachable at {BROKER} (apt-get install redis-server)")
    return client


def _connections_forget():
    """Celery keeps its broker connections in pools made on first use (the app's, and
    kombu's registry of producers per connection, which an eager task uses too): a pool
    made for one broker URL must not serve another, and a closed one must not stay
    registered for the tests after this one."""
    kombu_pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def queue(settings):
    """Redis database 14, emptied, as the broker this process enqueues to, instead of
    running tasks in-process; yields a client of it."""
    if connection.vendor != "postgresql":
        pytest.skip("a worker process shares the test database only on PostgreSQL")
    client = _redis_or_skip()
    client.flushdb()
    # Read before the settings change: the Celery app reads Django's settings as it goes,
    # and what it held before is what the tests after this one need again.
    saved = {name: app.conf[name] for name in ("broker_url", "task_always_eager")}
    settings.CELERY_BROKER_URL = BROKER
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.update(broker_url=BROKER, task_always_eager=False)
    _connections_forget()
    try:
        yield client
    finally:
        app.conf.update(saved)
        _connections_forget()
        client.flushdb()
        client.close()


@contextmanager
def celery_worker(directory):
    """`celery -A forum worker` in a process of its own, on the test database and the
    broker, sending email to files in `directory / "outbox"`; yields the outbox and a
    function returning what the worker has logged."""
    outbox = directory / "outbox"
    log_path = directory / "worker.log"
    env = site_environment(
        REDIS_URL=BROKER,
        CELERY_BROKER_URL=BROKER,
        DATABASE_URL=database_url_for_processes(),
        EMAIL_FILE_PATH=str(outbox),
    )
    env.pop("EMAIL_HOST", None)
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "celery"),
                "-A",
                "forum",
                "worker",
                "--pool=solo",
                "-Q",
                "celery",
                "--without-heartbeat",
                "--without-mingle",
                "--without-gossip",
                "--loglevel=info",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        yield outbox, lambda: log_path.read_text(errors="replace")
    finally:
        # A warm shutdown: the worker finishes its task and closes its database connection
        # before the test's database is emptied.
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _wait_for(check, what, worker_log):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(0.2)
    pytest.fail(f"no {what} after {WAIT_SECONDS} s; the worker logged:\n{worker_log()[-4000:]}")


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

    with celery_worker(tmp_path) as (outbox, worker_log):
        entry = _wait_for(
            lambda: Notification.objects.filter(recipient=asker).first(),
            "inbox entry for the asker",
            worker_log,
        )
        message = _wait_for(
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
