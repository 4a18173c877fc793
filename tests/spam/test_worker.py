"""A bulk cleanup runs in a real Celery worker on Redis: the moderator's request only
enqueues it, the worker destroys the accounts and the batch's page follows its progress."""

import json

import pytest
from django.urls import reverse

from questions.models import Post
from spam.models import SpamBatch
from tests.clients import client_for
from tests.spam.conftest import recount
from tests.spam.test_pages import spam_account
from tests.workers import broker_in_use, celery_worker, wait_for

# Database 11: the suite's cache is 15, the other worker tests use 12 to 14.
BROKER = "redis://127.0.0.1:6379/11"


@pytest.fixture
def queue(settings):
    with broker_in_use(settings, BROKER) as client:
        yield client


@pytest.mark.django_db(transaction=True)
def test_a_worker_destroys_the_batch_the_moderator_started(queue, tmp_path, moderator):
    bots = [spam_account(number)[0] for number in range(3)]

    response = client_for(moderator).post(
        reverse("moderation_admin:spam_spambatch_add"), {"email_domain": "spam-shop.example"}
    )

    batch = SpamBatch.objects.get()
    assert response.status_code == 302
    queued = [json.loads(message)["headers"]["task"] for message in queue.lrange("celery", 0, -1)]
    assert queued.count("spam.tasks.batch_destroy") == 1
    assert (batch.status, batch.processed) == (SpamBatch.Status.RUNNING, 0)
    page = client_for(moderator).get(response.url).content.decode()
    assert "0 of 3 accounts" in page and "Resume (if it stopped)" in page

    with celery_worker(tmp_path, broker=BROKER) as worker_log:
        wait_for(
            lambda: SpamBatch.objects.filter(status=SpamBatch.Status.DONE).exists(),
            "finished batch",
            worker_log,
        )

    batch.refresh_from_db()
    assert batch.processed == 3
    assert not Post.objects.filter(author__in=bots, deleted_at__isnull=True).exists()
    assert "No drift." in recount()
