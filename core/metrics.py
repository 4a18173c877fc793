"""Prometheus metrics: requests, their database queries, the cache's hits and misses, and
Celery's tasks. `forum.metrics.metrics` serves them at /metrics.

With PROMETHEUS_MULTIPROC_DIR set in the environment before the processes start,
prometheus_client keeps each process's values in files in that folder and the page adds
up all of them: gunicorn's workers and a Celery worker given the same folder (README,
"Operations"). Without it each process counts on its own, and a page shows the numbers of
the worker that happened to answer. There are only counters and histograms, no gauges, so
an ended process's files need no cleaning up: its counts stay in the totals.
"""

import os
import time
from contextlib import ExitStack

from celery import signals
from django.db import connections
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

# Anything else is counted as "other": a client must not be able to mint labels.
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

requests_total = Counter(
    "stapel_requests_total",
    "HTTP requests answered, by view, method and status class.",
    ["view", "method", "status"],
)
request_seconds = Histogram(
    "stapel_request_duration_seconds",
    "Time from the request's arrival to its response, by view and method.",
    ["view", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
request_queries = Histogram(
    "stapel_request_database_queries",
    "Database queries a request ran, by view.",
    ["view"],
    buckets=(0, 1, 2, 5, 10, 20, 50, 100, 200),
)
cache_gets_total = Counter(
    "stapel_cache_gets_total",
    "Keys read from the default cache, by result (hit or miss).",
    ["result"],
)
celery_tasks_total = Counter(
    "stapel_celery_tasks_total",
    "Celery tasks that ended, by task and outcome (success, failure, retry).",
    ["task", "outcome"],
)


def view_label(request):
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else "<unresolved>"


class _QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class MetricsMiddleware:
    """Counts and times every request and its database queries (on every database: with
    replicas a page's reads go elsewhere). First in MIDDLEWARE, so that it measures the rest."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        queries = _QueryCounter()
        started = time.perf_counter()
        with ExitStack() as stack:
            for alias in connections:
                stack.enter_context(connections[alias].execute_wrapper(queries))
            response = self.get_response(request)
        elapsed = time.perf_counter() - started
        view = view_label(request)
        method = request.method if request.method in METHODS else "other"
        requests_total.labels(view, method, f"{response.status_code // 100}xx").inc()
        request_seconds.labels(view, method).observe(elapsed)
        request_queries.labels(view).observe(queries.count)
        return response


def cache_read(hits, misses):
    if hits:
        cache_gets_total.labels("hit").inc(hits)
    if misses:
        cache_gets_total.labels("miss").inc(misses)


def _task_name(sender):
    return getattr(sender, "name", None) or str(sender)


def _task_succeeded(sender=None, **kwargs):
    celery_tasks_total.labels(_task_name(sender), "success").inc()


def _task_failed(sender=None, **kwargs):
    celery_tasks_total.labels(_task_name(sender), "failure").inc()


def _task_retried(sender=None, **kwargs):
    celery_tasks_total.labels(_task_name(sender), "retry").inc()


def celery_signals_connect():
    """Counts the tasks' outcomes; called by the Celery application (forum/celery.py)."""
    signals.task_success.connect(_task_succeeded, weak=False, dispatch_uid="metrics_success")
    signals.task_failure.connect(_task_failed, weak=False, dispatch_uid="metrics_failure")
    signals.task_retry.connect(_task_retried, weak=False, dispatch_uid="metrics_retry")


def exposition():
    """The metrics in Prometheus's text format, and its content type: of all processes
    in multiprocess mode, else of this one."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return generate_latest(registry), CONTENT_TYPE_LATEST
