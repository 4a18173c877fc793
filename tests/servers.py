"""Real servers for the tests that need other processes: gunicorn serving the site, and
the database URL of the test database for them."""

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, process, seconds=30):
    """Waits until something answers on `port`; fails when `process` stops first."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stderr.read().decode()[-2000:] if process.stderr else ""
            raise RuntimeError(f"the server stopped: {output}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answered on port {port}")


def database_url_for_processes():
    """The test database as a URL, for processes of their own (PostgreSQL: SQLite's test
    database lives in the test process's memory)."""
    settings = connection.settings_dict
    return f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"


def site_environment(**variables):
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "forum.settings_test", **variables}


@contextmanager
def gunicorn(*arguments, env):
    """gunicorn serving the site with `arguments`, until the block ends; yields the port."""
    port = free_port()
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            *arguments,
            f"--bind=127.0.0.1:{port}",
            "forum.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for_port(port, process)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)
