"""A real Celery worker, on Redis, delivers to the receiver and retries what failed.

The test process is the site: it enqueues to Redis database 13 (the notifications' worker
test uses 14, the cache 15). A worker process of its own, on the same PostgreSQL test
database, makes the first attempt, which the receiver fails; when the stored next attempt
is due, the sweep enqueues the retry and the worker delivers it."""

from datetime import timedelta

import pytest
from django.db.models import F

from questions import services as posting
from tests import factories
from tests.workers import broker_in_use, celery_worker, wait_for
from webhooks.models import Delivery
from webhooks.tasks import deliveries_due

BROKER = "redis://127.0.0.1:6379/13"


@pytest.fixture
def queue(settings):
    with broker_in_use(settings, BROKER) as client:
        yield client


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

    with celery_worker(tmp_path, broker=BROKER, FORUM_WEBHOOK_ALLOW_PRIVATE="1") as worker_log:
        delivery = wait_for(
            lambda: Delivery.objects.filter(attempts=1).first(), "first attempt", worker_log
        )
        assert delivery.status == "pending"
        Delivery.objects.update(next_attempt_at=F("next_attempt_at") - timedelta(seconds=60))
        assert deliveries_due() == 1  # enqueued for the worker
        wait_for(lambda: Delivery.objects.filter(status="delivered").first(), "retry", worker_log)

    assert [request.signature_valid for request in receiver.received] == [True, True]
    assert [request.payload["event"] for request in receiver.received] == ["question.asked"] * 2
    delivery.refresh_from_db()
    assert list(delivery.log.values_list("status_code", flat=True)) == [500, 200]
