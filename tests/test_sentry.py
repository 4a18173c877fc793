"""Sentry: with SENTRY_DSN an error in a view is reported, without personal data; without
it nothing is set up."""

import gzip
import http.server
import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest

from tests.servers import ROOT, gunicorn, site_environment


class _Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.received.append((self.path, self.headers.get("Content-Encoding"), body))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_receiver():
    """A stand-in for Sentry's ingestion endpoint on a local port: what it was sent."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def received_items(receiver, seconds=15):
    """The items of the envelopes the receiver got (each its header's type and its
    payload), once an event is among them."""

    def items():
        found = []
        for _path, encoding, body in list(receiver.received):
            if encoding == "gzip":
                body = gzip.decompress(body)
            lines = body.split(b"\n")
            # An envelope: its header, then each item's header and payload.
            for header, payload in zip(lines[1::2], lines[2::2], strict=False):
                found.append({**json.loads(payload or b"{}"), "type": json.loads(header)["type"]})
        return found

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if any(item["type"] == "event" for item in items()):
            break
        time.sleep(0.1)
    time.sleep(0.5)
    return items()


def test_an_error_in_a_view_is_reported_to_sentry(sentry_receiver, tmp_path):
    port = sentry_receiver.server_address[1]
    env = site_environment(
        # A database without tables: the question list fails on its first query.
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        SENTRY_DSN=f"http://public@127.0.0.1:{port}/1",
    )
    with gunicorn(env=env) as site:
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(
                f"http://127.0.0.1:{site}/?email=someone@example.org", timeout=10
            )
        assert error.value.code == 500
        received = received_items(sentry_receiver)

    events = [item for item in received if item["type"] == "event"]
    assert len(events) == 1
    [event] = events
    assert event["exception"]["values"][-1]["type"] == "OperationalError"
    assert "no such table" in event["exception"]["values"][-1]["value"]
    # send_default_pii=False: no client address, cookies or user; the query is not sent.
    assert "someone@example.org" not in json.dumps(event)
    assert "REMOTE_ADDR" not in json.dumps(event["request"])
    assert "user" not in event or "ip_address" not in event["user"]


def sentry_initialised(**variables):
    env = site_environment(**variables)
    if "SENTRY_DSN" not in variables:
        env.pop("SENTRY_DSN", None)
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "import sentry_sdk; print(sentry_sdk.is_initialized())",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def test_without_a_dsn_sentry_is_not_set_up():
    assert sentry_initialised() == "False"


def test_with_a_dsn_sentry_is_set_up():
    assert sentry_initialised(SENTRY_DSN="http://public@127.0.0.1:9/1") == "True"
