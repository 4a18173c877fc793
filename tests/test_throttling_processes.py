"""The throttle's limits hold across processes and through a Redis outage.

Without Redis the counters are in the database, so several gunicorn workers share them;
with Redis, a Redis that goes down mid-run leaves the pages served (from the database)
and the limits counted (in the database)."""

import http.cookiejar
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.db import connection
from django.urls import reverse

from core import throttling
from tests import factories
from tests.clients import client_for
from tests.servers import (
    ROOT,
    database_url_for_processes,
    free_port,
    gunicorn,
    site_environment,
    wait_for_port,
)

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
THROTTLED = "Too many failed log-in attempts"


@pytest.fixture
def gunicorn_site():
    """The site under four sync gunicorn workers, on the test database (committed data
    only: the tests using it are transactional)."""
    if connection.vendor != "postgresql":
        pytest.skip("the workers share the test database only on PostgreSQL")
    env = site_environment(DATABASE_URL=database_url_for_processes(), REDIS_URL="")
    with gunicorn("--workers=4", "--log-level=warning", env=env) as port:
        yield f"http://127.0.0.1:{port}"


def _log_in(site, username, password):
    """A log-in as a new browser would make it, on a connection of its own (so any of the
    workers may take it); returns the page's text."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("Accept-Language", "en")]
    login = f"{site}{reverse('accounts:login')}"
    token = CSRF_FIELD.search(opener.open(login).read().decode())[1]
    data = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(login, data=data, headers={"Referer": login})
    try:
        with opener.open(request) as response:
            return response.read().decode()
    except urllib.error.HTTPError as error:
        return error.read().decode()


@pytest.mark.django_db(transaction=True)
def test_the_log_in_lock_holds_across_four_gunicorn_workers(gunicorn_site, settings):
    member = factories.user(username="kaya", password=factories.PASSWORD)
    limit = settings.LOGIN_FAILURES_PER_ACCOUNT

    pages = [_log_in(gunicorn_site, member.username, "wrong password") for _ in range(limit + 3)]

    assert [THROTTLED in page for page in pages] == [False] * limit + [True] * 3
    # Locked for now: the right password is refused as well, by every worker.
    for _ in range(4):
        assert THROTTLED in _log_in(gunicorn_site, member.username, factories.PASSWORD)


@pytest.mark.django_db(transaction=True)
def test_counts_from_several_processes_add_up_exactly():
    """Four processes count the same key at once; every count is returned exactly once."""
    if connection.vendor != "postgresql":
        pytest.skip("processes share the test database only on PostgreSQL")
    script = (
        "import django; django.setup()\n"
        "from core import throttling\n"
        "print(' '.join(str(throttling.count('test', 'shared', window=60)) for _ in range(25)))\n"
    )
    env = site_environment(DATABASE_URL=database_url_for_processes(), REDIS_URL="")
    workers = [
        subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, env=env, stdout=subprocess.PIPE)
        for _ in range(4)
    ]
    counts = [int(n) for worker in workers for n in worker.communicate(timeout=60)[0].split()]

    assert sorted(counts) == list(range(1, 101))
    assert throttling.count("test", "shared", window=60) == 101


# A Redis outage


@pytest.fixture
def private_redis(settings):
    """A Redis of the test's own on a free port, which the test may stop; the site's
    caches point at it as a deployment with REDIS_URL would."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    wait_for_port(port, process)
    url = f"redis://127.0.0.1:{port}/0"
    options = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    settings.REDIS_URL = url
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": url,
            "OPTIONS": options,
        },
        "throttle": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": options,
        },
    }
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=10)


def _stop(process):
    process.terminate()
    process.wait(timeout=10)


@pytest.mark.django_db
def test_pages_are_served_while_redis_is_down(private_redis):
    question = factories.question(tags=["grammar"])
    member = client_for(factories.user(reputation=500))
    visitor = client_for(None)
    pages = ["/", question.get_absolute_url(), "/tags/", "/questions/tagged/grammar/", "/users/"]
    for page in pages:
        assert visitor.get(page).status_code == 200

    _stop(private_redis)

    for page in pages:
        assert visitor.get(page).status_code == 200, page
        assert member.get(page).status_code == 200, page
    assert visitor.get("/search/", {"q": "grammar"}).status_code == 200
    assert (
        member.post(
            reverse("questions:answer", args=[question.pk]),
            {"body": "An answer written while the cache is away."},
        ).status_code
        == 302
    )
    assert (
        "An answer written while the cache is away."
        in visitor.get(question.get_absolute_url()).content.decode()
    )


@pytest.mark.django_db
def test_the_log_in_lock_is_counted_in_the_database_while_redis_is_down(private_redis, settings):
    member = factories.user(username="kaya", password=factories.PASSWORD)
    client = client_for(None)
    login = reverse("accounts:login")
    wrong = {"username": "kaya", "password": "wrong password"}
    for _ in range(2):
        client.post(login, wrong)  # counted in Redis

    _stop(private_redis)
    pages = [
        client.post(login, wrong).content.decode()
        for _ in range(settings.LOGIN_FAILURES_PER_ACCOUNT + 1)
    ]

    assert [THROTTLED in page for page in pages] == [
        False
    ] * settings.LOGIN_FAILURES_PER_ACCOUNT + [True]
    assert (
        THROTTLED
        in client.post(
            login, {"username": member.username, "password": factories.PASSWORD}
        ).content.decode()
    )


@pytest.mark.django_db
def test_without_redis_the_counts_are_in_the_database(settings):
    settings.REDIS_URL = ""

    counts = [throttling.count("search", "address:192.0.2.1", window=60) for _ in range(3)]

    assert counts == [1, 2, 3]
    assert throttling.count("search", "address:192.0.2.2", window=60) == 1
