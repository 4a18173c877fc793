"""A real Celery worker for the tests that need one: the test process enqueues to a Redis
database of the test's own (not eagerly), and a worker process on the same PostgreSQL test
database does the work (SQLite's test database lives in this process's memory)."""

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from django.db import connection
from kombu import pools as kombu_pools

from forum.celery import app
from tests.servers import ROOT, database_url_for_processes, site_environment

WAIT_SECONDS = 30


def _redis_or_skip(broker):
    client = redis.Redis.from_url(broker, socket_connect_timeout=1, socket_timeout=5)
    try:
        client.ping()
    except redis.ConnectionError:
        if os.environ.get("CI", "").lower() == "true":
            # CI has Redis; a worker test that silently skips there proves nothing.
            pytest.fail(f"Redis is not reachable at {broker}; CI must run the worker tests.")
        pytest.skip(f"Redis is not reachable at {broker} (apt-get install redis-server)")
    return client


def _connections_forget():
    """Celery keeps its broker connections in pools made on first use (the app's, and
    kombu's registry of producers per connection, which an eager task uses too): a pool
    made for one broker URL must not serve another, and a closed one must not stay
    registered for the tests after this one."""
    kombu_pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def broker_in_use(settings, broker):
    """The Redis database `broker`, emptied, as the broker this process enqueues to,
    instead of running tasks in-process; yields a client of it. PostgreSQL only."""
    if connection.vendor != "postgresql":
        pytest.skip("a worker process shares the test database only on PostgreSQL")
    client = _redis_or_skip(broker)
    client.flushdb()
    # Read before the settings change: the Celery app reads Django's settings as it goes,
    # and what it held before is what the tests after this one need again.
    saved = {name: app.conf[name] for name in ("broker_url", "task_always_eager")}
    settings.CELERY_BROKER_URL = broker
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.update(broker_url=broker, task_always_eager=False)
    _connections_forget()
    try:
        yield client
    finally:
        app.conf.update(saved)
        _connections_forget()
        client.flushdb()
        client.close()


@contextmanager
def celery_worker(directory, *, broker, unset=(), **variables):
    """`celery -A forum worker` in a process of its own, on the test database and
    `broker`, with the environment's `variables` set and those named in `unset` removed;
    yields a function returning what the worker has logged (kept in `directory`)."""
    log_path = directory / "worker.log"
    env = site_environment(
        REDIS_URL=broker,
        CELERY_BROKER_URL=broker,
        DATABASE_URL=database_url_for_processes(),
        **variables,
    )
    for name in unset:
        env.pop(name, None)
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
        # A warm shutdown: the worker finishes its task and closes its database connection
        # before the test's database is emptied.
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def wait_for(check, what, worker_log):
    """What `check` returns once it returns something, within WAIT_SECONDS; else the test
    fails with the end of the worker's log."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(0.2)
    pytest.fail(f"no {what} after {WAIT_SECONDS} s; the worker logged:\n{worker_log()[-4000:]}")
