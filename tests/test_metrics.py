"""/metrics: what Prometheus reads, and only the addresses configured may read it."""

import urllib.request

import pytest
from django.urls import reverse
from prometheus_client.parser import text_string_to_metric_families

from forum.celery import app as celery_app
from tests.servers import gunicorn, site_environment


def sample(client, name, **labels):
    """The value of one sample on the metrics page (0 when it is not there yet)."""
    response = client.get("/metrics")
    assert response.status_code == 200
    return _value(response.content.decode(), name, labels)


def _value(text, name, labels):
    for family in text_string_to_metric_families(text):
        for found in family.samples:
            if found.name == name and all(found.labels.get(k) == v for k, v in labels.items()):
                return found.value
    return 0


def test_a_page_view_is_counted_by_view_method_and_status_class(client, question):
    before = sample(client, "stapel_requests_total", view="questions:detail", status="2xx")

    client.get(question.get_absolute_url())
    client.get(question.get_absolute_url())

    after = sample(client, "stapel_requests_total", view="questions:detail", status="2xx")
    assert after - before == 2


def test_a_missing_page_is_counted_as_4xx_of_no_view(client, db):
    before = sample(client, "stapel_requests_total", view="<unresolved>", status="4xx")

    client.get("/no/such/page/")

    assert sample(client, "stapel_requests_total", view="<unresolved>", status="4xx") == before + 1


def test_the_latency_and_the_queries_of_a_request_are_observed(client, question):
    labels = {"view": "questions:detail"}
    times_before = sample(client, "stapel_request_duration_seconds_count", method="GET", **labels)
    queries_before = sample(client, "stapel_request_database_queries_sum", **labels)
    counted_before = sample(client, "stapel_request_database_queries_count", **labels)

    client.get(question.get_absolute_url())

    assert sample(client, "stapel_request_duration_seconds_count", method="GET", **labels) == (
        times_before + 1
    )
    assert sample(client, "stapel_request_database_queries_count", **labels) == counted_before + 1
    # The thread's page reads the question, its answers and comments: a few queries.
    assert sample(client, "stapel_request_database_queries_sum", **labels) > queries_before + 2


def test_the_cache_counts_its_hits_and_misses(client, question, settings):
    settings.FORUM_PAGE_CACHE_SECONDS = 60
    hits = sample(client, "stapel_cache_gets_total", result="hit")
    misses = sample(client, "stapel_cache_gets_total", result="miss")

    client.get(question.get_absolute_url())
    client.get(question.get_absolute_url())

    assert sample(client, "stapel_cache_gets_total", result="miss") > misses
    assert sample(client, "stapel_cache_gets_total", result="hit") > hits


def test_background_tasks_are_counted_by_outcome(client, question, member):
    task = "notifications.tasks.answer_posted"
    before = sample(client, "stapel_celery_tasks_total", task=task, outcome="success")
    client.force_login(member)

    response = client.post(
        reverse("questions:answer", args=[question.pk]),
        {"body": "Read the grammar first, then a novel you already know in translation."},
    )

    assert response.status_code == 302
    assert sample(client, "stapel_celery_tasks_total", task=task, outcome="success") == before + 1


@celery_app.task(name="tests.test_metrics.failing")
def failing():
    raise RuntimeError("broken on purpose")


def test_a_failing_task_is_counted_as_a_failure(client, db):
    before = sample(client, "stapel_celery_tasks_total", task=failing.name, outcome="failure")

    failing.apply(throw=False)

    assert sample(client, "stapel_celery_tasks_total", task=failing.name, outcome="failure") == (
        before + 1
    )


def test_other_addresses_get_no_metrics(client, db):
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.9")

    assert response.status_code == 404
    assert b"stapel_" not in response.content


def test_the_addresses_that_may_read_the_metrics_are_a_setting(client, db, settings):
    settings.FORUM_METRICS_ADDRESSES = ["203.0.113.9"]

    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 200
    assert client.get("/metrics").status_code == 404


def test_with_a_multiprocess_folder_the_page_adds_up_every_worker(tmp_path):
    folder = tmp_path / "prometheus"
    folder.mkdir()
    env = site_environment(
        DATABASE_URL=f"sqlite:///{tmp_path / 'metrics.sqlite3'}",
        PROMETHEUS_MULTIPROC_DIR=str(folder),
    )
    # Each worker is replaced after five requests: thirty are answered by several
    # processes whatever way the kernel hands out the connections, and the files of the
    # workers that ended still count.
    with gunicorn("--workers=3", "--max-requests=5", env=env) as port:
        for _ in range(30):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/ceiling/", timeout=10).read()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
            text = response.read().decode()

    # Several workers answered the thirty requests between them; each wrote its own file.
    assert len(list(folder.glob("counter_*.db"))) >= 2
    labels = {"view": "bench_ceiling", "method": "GET", "status": "2xx"}
    assert _value(text, "stapel_requests_total", labels) == 30


@pytest.mark.parametrize("path", ["/metrics", "/metrics/"])
def test_the_metrics_reveal_nothing_to_the_public_at_either_address(client, db, path):
    assert client.get(path, REMOTE_ADDR="198.51.100.7").status_code == 404
