"""Production on one machine: the health and readiness probes, the visitor's address behind
trusted proxies, gunicorn under the production settings serving hashed static files, and
the nginx configuration in deploy/."""

import os
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
import redis
from django.db import connection

from tests.clients import client_for
from tests.servers import ROOT, database_url_for_processes, gunicorn

SECRET_KEY = "a-key-for-the-deployment-tests-only-0123456789-abcdefghijklmnop"
STYLESHEET = re.compile(r'<link rel="stylesheet" href="(/static/css/stapel\.[0-9a-f]{12}\.css)">')


# /healthz and /readyz


def test_healthz_answers_while_the_process_is_up_without_asking_the_database(client):
    # No database for this test: a query would fail it.
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_reports_the_database_reachable_and_no_redis_when_none_is_configured(
    client, db, settings
):
    settings.REDIS_URL = ""

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}


def test_readyz_reports_redis_reachable(client, db, settings):
    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.REDIS_URL = url

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "redis": "ok"}


def test_readyz_answers_503_naming_redis_when_it_cannot_be_reached_and_reveals_nothing_of_it(
    client, db, settings
):
    settings.REDIS_URL = "redis://:hunter2-secret@127.0.0.1:1/0"

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "redis": "failed"},
    }
    assert "hunter2" not in response.text
    assert "127.0.0.1" not in response.text


def test_readyz_refuses_a_post(client, db):
    assert client.post("/readyz").status_code == 405


def test_the_old_health_address_leads_to_readyz(client, db):
    response = client.get("/health/")

    assert response.status_code == 301
    assert response["Location"] == "/readyz"


# The visitor's address behind trusted proxies, as the search's rate limit counts it


def _searches_until_refused(**client_arguments):
    """Searches as one visitor (REMOTE_ADDR and X-Forwarded-For as given) until refused."""
    return client_for(None, **client_arguments).get("/search/", {"q": "ergative"}).status_code


@pytest.fixture
def two_searches_a_minute(db, settings):
    settings.FORUM_SEARCH_RATE_PER_MINUTE = 2
    settings.FORUM_TRUSTED_PROXIES = ["127.0.0.1", "::1", "10.0.0.0/8"]


def test_a_client_sending_x_forwarded_for_directly_is_counted_by_its_own_address(
    two_searches_a_minute,
):
    statuses = [
        _searches_until_refused(
            REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR=f"198.51.100.{number}"
        )
        for number in range(3)
    ]

    assert statuses == [200, 200, 429]


def test_without_trusted_proxies_x_forwarded_for_is_ignored_even_from_loopback(
    two_searches_a_minute, settings
):
    settings.FORUM_TRUSTED_PROXIES = []
    statuses = [
        _searches_until_refused(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
        for n in range(3)
    ]

    assert statuses == [200, 200, 429]


def test_behind_a_trusted_proxy_each_visitor_is_counted_by_the_address_it_forwards(
    two_searches_a_minute,
):
    for _ in range(2):
        _searches_until_refused(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")

    assert (
        _searches_until_refused(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7") == 429
    )
    assert (
        _searches_until_refused(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.8") == 200
    )


def test_addresses_a_visitor_puts_in_front_of_its_own_do_not_change_its_count(
    two_searches_a_minute,
):
    # nginx appends the address it was reached from to what the client sent.
    statuses = [
        _searches_until_refused(
            REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}, 203.0.113.9"
        )
        for number in range(3)
    ]

    assert statuses == [200, 200, 429]


def test_a_chain_of_trusted_proxies_is_walked_to_the_first_untrusted_address(
    two_searches_a_minute,
):
    for _ in range(2):
        _searches_until_refused(
            REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="spoofed, 203.0.113.9, 10.0.0.3"
        )

    assert _searches_until_refused(REMOTE_ADDR="203.0.113.9") == 429
    assert _searches_until_refused(REMOTE_ADDR="10.0.0.2") == 200


def test_a_trusted_proxy_list_that_is_not_addresses_is_refused_at_start():
    environment = {
        key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**environment, "DJANGO_DEBUG": "1", "FORUM_TRUSTED_PROXIES": "127.0.0.1,nginx"},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "FORUM_TRUSTED_PROXIES" in result.stderr


# gunicorn under the production settings, as `make serve` runs it


def _production_environment(**variables):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "GUNICORN_"))
    }
    return {
        **environment,
        "DJANGO_SETTINGS_MODULE": "forum.settings",
        "SECRET_KEY": SECRET_KEY,
        "REDIS_URL": "",
        "GUNICORN_WORKERS": "1",
        **variables,
    }


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    folder = tmp_path_factory.mktemp("static")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=_production_environment(STATIC_ROOT=str(folder)),
        check=True,
        timeout=120,
    )
    return folder


@pytest.fixture
def production_site(static_root, tmp_path, db):
    """gunicorn with deploy/gunicorn.conf.py and the production settings, behind a "proxy"
    on loopback: the test sends X-Forwarded-Proto as nginx does."""
    if connection.vendor == "postgresql":
        database_url = database_url_for_processes()
    else:
        database_url = f"sqlite:///{tmp_path / 'site.sqlite3'}"
    env = _production_environment(
        DATABASE_URL=database_url,
        STATIC_ROOT=str(static_root),
        FORUM_TRUSTED_PROXIES="127.0.0.1",
    )
    with gunicorn("-c", "deploy/gunicorn.conf.py", env=env) as port:
        yield f"http://127.0.0.1:{port}"


def _get(url, **headers):
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https", **headers})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.headers, response.read()


def test_the_production_server_serves_pages_linking_hashed_static_files_cached_for_years(
    production_site,
):
    status, _, page = _get(f"{production_site}/users/login/", **{"Accept-Language": "en"})
    assert status == 200
    stylesheet = STYLESHEET.search(page.decode())
    assert stylesheet, "the page links stapel.css by its hashed name"

    status, headers, body = _get(production_site + stylesheet[1], **{"Accept-Encoding": "gzip"})

    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert headers["Content-Encoding"] == "gzip"
    assert "max-age=315360000" in headers["Cache-Control"]
    assert "immutable" in headers["Cache-Control"]
    assert body[:2] == b"\x1f\x8b"


def test_the_production_server_redirects_plain_http_to_https_but_not_its_probes(
    production_site,
):
    request = urllib.request.Request(f"{production_site}/users/login/")
    opener = urllib.request.build_opener(_NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener.open(request, timeout=10)
    assert redirect.value.code == 301
    assert redirect.value.headers["Location"].startswith("https://")

    for probe in ("/healthz", "/readyz"):
        with urllib.request.urlopen(f"{production_site}{probe}", timeout=10) as response:
            assert response.status == 200


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *arguments, **keywords):
        return None


def test_with_its_database_down_the_server_is_alive_but_not_ready(tmp_path):
    env = _production_environment(
        DATABASE_URL="postgres://stapel:secret-password@127.0.0.1:1/stapel",
        STATIC_ROOT=str(tmp_path),
    )
    with gunicorn("-c", "deploy/gunicorn.conf.py", env=env) as port:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
            assert response.status == 200
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=10)

    assert refused.value.code == 503
    body = refused.value.read().decode()
    assert '"database": "failed"' in body
    assert "secret-password" not in body


# nginx and systemd


@pytest.fixture
def nginx_test_copy(tmp_path):
    """deploy/nginx/stapel.conf with the certificate paths pointing at a self-signed pair
    made here, inside a minimal nginx.conf of its own."""
    if not shutil.which("nginx") or not shutil.which("openssl"):
        pytest.skip("nginx or openssl is not installed (apt-get install -y nginx)")
    certificate, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=stapel.example.org", "-keyout", str(key), "-out", str(certificate)],
        check=True,
        capture_output=True,
    )
    site = (ROOT / "deploy" / "nginx" / "stapel.conf").read_text()
    site = site.replace("/etc/letsencrypt/live/stapel.example.org/fullchain.pem", str(certificate))
    site = site.replace("/etc/letsencrypt/live/stapel.example.org/privkey.pem", str(key))
    site = site.replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "stapel.conf").write_text(site)
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  include /etc/nginx/mime.types;\n  include {tmp_path}/stapel.conf;\n}}\n"
    )
    return main


def test_the_nginx_configuration_is_valid(nginx_test_copy):
    result = subprocess.run(
        ["nginx", "-t", "-c", str(nginx_test_copy), "-p", str(nginx_test_copy.parent)],
        capture_output=True,
        text=True,
        timeout=30,
    )

    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_the_nginx_configuration_passes_the_client_address_and_retries_only_idempotent_requests():
    site = (ROOT / "deploy" / "nginx" / "stapel.conf").read_text()

    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in site
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site
    retries = [
        line.strip()
        for line in site.splitlines()
        if line.strip().startswith("proxy_next_upstream ")
    ]
    assert retries and not any("non_idempotent" in line for line in retries)
    assert "client_max_body_size" in site


@pytest.mark.parametrize("unit", ["stapel-web", "stapel-worker", "stapel-beat"])
def test_the_systemd_units_read_the_environment_file_restart_and_run_as_stapel(unit):
    text = (ROOT / "deploy" / "systemd" / f"{unit}.service").read_text()

    assert "EnvironmentFile=/etc/stapel/stapel.env" in text
    assert "User=stapel" in text
    assert "Restart=" in text
    if shutil.which("systemd-analyze"):
        result = subprocess.run(
            [
                "systemd-analyze",
                "verify",
                "--man=no",
                str(ROOT / "deploy/systemd" / f"{unit}.service"),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        syntax_errors = [
            line
            for line in result.stderr.splitlines()
            if "Unknown key" in line or "Invalid" in line or "Failed to parse" in line
        ]
        assert syntax_errors == []
