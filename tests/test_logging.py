"""Structured logs: one JSON object a line in production, every request logged once with
its id, and nothing in them that would let a reader in (passwords, tokens, emails)."""

import contextlib
import json
import logging
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.urls import reverse

from core.logs import JsonFormatter
from tests import factories
from tests.servers import ROOT, free_port, site_environment, wait_for_port


@pytest.fixture
def request_log(caplog):
    caplog.set_level(logging.INFO, logger="stapel.requests")
    return caplog


def logged_lines(caplog):
    """The request records as the production formatter writes them."""
    formatter = JsonFormatter()
    return [
        json.loads(formatter.format(record))
        for record in caplog.records
        if record.name == "stapel.requests"
    ]


def test_a_request_is_logged_with_its_id_method_path_status_duration_and_member(
    client, question, member, request_log
):
    client.force_login(member)

    response = client.get(question.get_absolute_url(), HTTP_X_REQUEST_ID="abcdef12-3456")

    [line] = logged_lines(request_log)
    assert response["X-Request-ID"] == "abcdef12-3456"
    assert line["request_id"] == "abcdef12-3456"
    assert line["method"] == "GET"
    assert line["path"] == question.get_absolute_url()
    assert line["status"] == 200
    assert line["duration_ms"] >= 0
    assert line["user_id"] == member.pk
    assert line["level"] == "INFO"


def test_logging_a_page_that_never_asks_who_is_there_costs_no_query(
    client, member, request_log, django_assert_num_queries
):
    client.force_login(member)
    with django_assert_num_queries(0):
        assert client.get("/healthz").status_code == 200
    [line] = logged_lines(request_log)
    assert line["path"] == "/healthz"


def test_a_request_without_an_id_gets_a_new_one_and_an_unusable_id_is_replaced(
    client, db, request_log
):
    first = client.get("/bench/ceiling/")
    second = client.get("/bench/ceiling/", HTTP_X_REQUEST_ID='"><script>')

    assert len(first["X-Request-ID"]) == 32
    assert second["X-Request-ID"] != '"><script>'
    assert [line["user_id"] for line in logged_lines(request_log)] == [None, None]


def test_a_login_logs_neither_the_password_nor_the_email(client, db, request_log):
    member = factories.user(email="secret.person@example.org", password=factories.PASSWORD)

    client.post(
        reverse("accounts:login"),
        {"username": member.email, "password": factories.PASSWORD},
    )

    text = "\n".join(JsonFormatter().format(record) for record in request_log.records)
    assert "stapel.requests" in text
    assert factories.PASSWORD not in text
    assert "secret.person" not in text


def test_the_token_of_a_password_reset_address_is_blanked(client, db, request_log):
    client.get("/users/reset/MQ/cbxyz1-0123456789abcdef/")
    client.get("/unsubscribe/a-signed-token-value/")

    paths = [line["path"] for line in logged_lines(request_log)]
    assert paths == ["/users/reset/[redacted]/[redacted]/", "/unsubscribe/[redacted]/"]


def test_production_writes_one_json_object_a_line_with_the_request_id_on_each(tmp_path):
    log = tmp_path / "stderr.log"
    env = site_environment(DATABASE_URL=f"sqlite:///{tmp_path / 'logs.sqlite3'}", LOG_FORMAT="json")
    port = free_port()
    with log.open("w") as stderr:
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                f"--bind=127.0.0.1:{port}",
                "forum.wsgi:application",
            ],
            cwd=ROOT,
            env=env,
            stderr=stderr,
        )
        try:
            wait_for_port(port, server)
            get(port, "/bench/ceiling/?password=hunter22", "from-nginx-0042")
            get(port, "/no/such/page/", "from-nginx-0043")
        finally:
            server.terminate()
            server.wait(timeout=30)

    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    [ceiling] = [line for line in lines if line["request_id"] == "from-nginx-0042"]
    assert ceiling["logger"] == "stapel.requests"
    assert ceiling["path"] == "/bench/ceiling/"
    assert ceiling["status"] == 200
    # Django's own warning about the missing page carries the request's id too.
    assert {line["logger"] for line in lines if line["request_id"] == "from-nginx-0043"} == {
        "django.request",
        "stapel.requests",
    }
    assert "hunter22" not in log.read_text()


def get(port, path, request_id):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"X-Request-ID": request_id}
    )
    # A 404 is an answer too.
    with contextlib.suppress(urllib.error.HTTPError):
        urllib.request.urlopen(request, timeout=10).read()
