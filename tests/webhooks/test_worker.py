"""A real Celery worker, on Redis, delivers to the receiver and retries what failed.

The test process is the site: it enqueues to Redis database 13 (the notifications' worker
test uses 14, the cache 15). A worker process of its own, on the same PostgreSQL test
database, makes the first attempt, which the receiver fails; when the stored next attempt
is due, the sweep enqueues the retry and the worker delivers it."""

import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.db import connection
from django.db.models import F
from kombu import pools as kombu_pools

from forum.celery import app
from questions import services as posting
from tests import factories
from tests.servers import ROOT, database_url_for_processes, site_environment
from webhooks.models import Delivery
from webhooks.tasks import deliveries_due

BROKER = "redis://127.0.0.1:6379/13"
WAIT_SECONDS = 30


def _forget_connections():
    kombu_pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def queue(settings):
    if connection.vendor != "postgresql":
        pytest.skip("a worker process shares the test database only on PostgreSQL")
    client = redis.Redis.from_url(BROKER, socket_connect_timeout=1, socket_timeout=5)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"Redis is not reachable at {BROKER}")
    client.flushdb()
    saved = {name: app.conf[name] for name in ("broker_url", "task_always_eager")}
    settings.CELERY_BROKER_URL = BROKER
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.update(broker_url=BROKER, task_always_eager=False)
    _forget_connections()
    try:
        yield client
    finally:
        app.conf.update(saved)
        _forget_connections()
        client.flushdb()
        client.close()


@contextmanager
def worker(directory):
    log_path = directory / "worker.log"
    env = site_environment(
        REDIS_URL=BROKER,
        CELERY_BROKER_URL=BROKER,
        DATABASE_URL=database_url_for_processes(),
        FORUM_WEBHOOK_ALLOW_PRIVATE="1",
    )
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
        yield lambda: log_path.read_text(errors="replace")
    finally:
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


@pytest.mark.django_db(transaction=True)
def test_a_worker_process_delivers_and_retries_a_failed_delivery(
    queue, receiver, hook_for, tmp_path
):
    hook_for("question.asked")
    receiver.answer((500, b"not yet"))
    asker = factories.user(display_name="Asker")
    posting.question_create(author=asker, title="What is a worker?", body="One.", tags=["celery"])
    # Enqueued after the commit, not run here.
    assert receiver.received == []
    assert not Delivery.objects.exists()

    with worker(tmp_path) as worker_log:
        delivery = _wait_for(
            lambda: Delivery.objects.filter(attempts=1).first(), "first attempt", worker_log
        )
        assert delivery.status == "pending"
        Delivery.objects.update(next_attempt_at=F("next_attempt_at") - timedelta(seconds=60))
        assert deliveries_due() == 1  # enqueued for the worker
        _wait_for(lambda: Delivery.objects.filter(status="delivered").first(), "retry", worker_log)

    assert [request.signature_valid for request in receiver.received] == [True, True]
    assert [request.payload["event"] for request in receiver.received] == ["question.asked"] * 2
    delivery.refresh_from_db()
    assert list(delivery.log.values_list("status_code", flat=True)) == [500, 200]
