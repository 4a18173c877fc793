"""`make cluster`: Stapel scaled out on this machine, on loopback addresses only, and a
member's journey through it while parts of it fail.

It starts, in a temporary folder it removes at the end:
- PostgreSQL: a primary cluster and a streaming replica of it (pg_basebackup -R, through
  a replication slot), each on a port of its own; the machine's own clusters are not
  touched;
- Redis on a port of its own, with an append-only file, so that a restart keeps the
  queued tasks (the cache refills by itself);
- two gunicorn app servers with the production settings (deploy/gunicorn.conf.py), the
  primary as DATABASE_URL and the replica as DATABASE_REPLICA_URL;
- one Celery worker with beat embedded;
- nginx in front of the app servers (a generated configuration: one upstream of both,
  idempotent requests retried on the other).

Then two members sign up through nginx, one asks, the other answers, the asker accepts,
the answerer votes and flags, and the asker finds the inbox entry and the email. Midway
one app server is killed, Redis restarted and the PostgreSQL primary restarted under the
running app servers; the journey carries on. At the end
`manage.py recount --dry-run` must report no drift and every write must be on the
primary and the replica. It prints what it measured and stops everything it started.

Run as root on Debian (it installs nginx, PostgreSQL and Redis from Debian's packages
when missing), or as a user who can run them, from the repository's virtualenv:
`.venv/bin/python deploy/cluster/run.py`. Exits 1 when the journey fails.
"""

import contextlib
import glob
import html.parser
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from email import message_from_bytes
from pathlib import Path

import psycopg2
import redis

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
BIN = Path(PYTHON).parent
WAIT_SECONDS = 30


class JourneyFailed(Exception):
    pass


def say(text):
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(what, check, seconds=WAIT_SECONDS):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            result = check()
        except Exception:  # noqa: BLE001 - anything short of success means: not yet
            result = None
        if result:
            return result
        time.sleep(0.2)
    raise JourneyFailed(f"timed out waiting for {what}")


def port_open(port):
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


# What the machine needs -------------------------------------------------------------


def postgres_bin():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]) if found else None


def install_missing():
    missing = []
    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
        missing.append("nginx-light")
    if not shutil.which("redis-server"):
        missing.append("redis-server")
    if postgres_bin() is None:
        missing.append("postgresql")
    if missing:
        say(f"installing {' '.join(missing)} from Debian's packages")
        quiet = {"stdout": subprocess.DEVNULL}
        subprocess.run(["apt-get", "update", "-qq"], check=True, **quiet)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            **quiet,
        )


# The processes ----------------------------------------------------------------------


class Cluster:
    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="stapel-cluster-"))
        self.folder.chmod(0o755)
        self.processes = {}
        self.clusters = []
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.pg = postgres_bin()
        self.ports = {
            name: free_port() for name in ("primary", "replica", "redis", "app1", "app2", "nginx")
        }
        self.outbox = self.folder / "outbox"
        self.outbox.mkdir()
        self.pg_logs = self._pg_folder("postgres-logs")

    # PostgreSQL

    def _pg_folder(self, name):
        folder = self.folder / name
        folder.mkdir()
        folder.chmod(0o700)
        if self.as_postgres:
            shutil.chown(folder, "postgres", "postgres")
        return folder

    def _pg_start(self, name, data):
        port = self.ports[name]
        options = (
            f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.pg_logs}"
        )
        subprocess.run(
            [
                *self.as_postgres,
                self.pg / "pg_ctl",
                "-D",
                data,
                "-o",
                options,
                "-l",
                self.pg_logs / f"{name}.log",
                "-w",
                "start",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        self.clusters.append(data)

    def primary_restart(self):
        data = self.folder / "primary"
        subprocess.run(
            [*self.as_postgres, self.pg / "pg_ctl", "-D", data, "-m", "fast", "-w", "stop"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        self.clusters.remove(data)
        self._pg_start("primary", data)

    def postgres_start(self):
        primary = self._pg_folder("primary")
        # Trust on loopback, replication included (initdb's own pg_hba.conf lines).
        subprocess.run(
            [
                *self.as_postgres,
                self.pg / "initdb",
                "-D",
                primary,
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        self._pg_start("primary", primary)
        self.sql("primary", "CREATE DATABASE stapel", database="postgres")
        replica = self._pg_folder("replica")
        # -R writes the standby's connection to the primary; the slot keeps the WAL the
        # replica has not yet received.
        subprocess.run(
            [
                *self.as_postgres,
                self.pg / "pg_basebackup",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.ports["primary"]),
                "-U",
                "postgres",
                "-D",
                replica,
                "-R",
                "-X",
                "stream",
                "--checkpoint=fast",
                "-C",
                "-S",
                "stapel_replica",
            ],
            check=True,
        )
        self._pg_start("replica", replica)

    def sql(self, name, statement, database="stapel"):
        connection = psycopg2.connect(
            host="127.0.0.1", port=self.ports[name], user="postgres", dbname=database
        )
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(statement)
                return cursor.fetchall() if cursor.description else None
        finally:
            connection.close()

    def replica_lag(self):
        (row,) = self.sql(
            "replica",
            "SELECT pg_is_in_recovery(), CASE WHEN pg_last_wal_receive_lsn()"
            " = pg_last_wal_replay_lsn() THEN 0 ELSE EXTRACT(EPOCH FROM now()"
            " - pg_last_xact_replay_timestamp()) END",
        )
        if not row[0]:
            raise JourneyFailed("the replica is not in recovery")
        return float(row[1] or 0)

    # Redis

    def redis_start(self):
        data = self.folder / "redis"
        data.mkdir(exist_ok=True)
        self.processes["redis"] = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.ports["redis"]),
                "--dir",
                str(data),
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
                "--save",
                "",
                "--logfile",
                str(self.folder / "redis.log"),
            ],
            start_new_session=True,
        )
        wait_for("Redis", lambda: self.redis().ping())

    def redis(self):
        return redis.Redis(port=self.ports["redis"], socket_timeout=2)

    # The site

    def environment(self):
        return {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE"))},
            "DJANGO_SETTINGS_MODULE": "forum.settings",
            "SECRET_KEY": self.secret_key,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{self.ports['primary']}/stapel",
            "DATABASE_REPLICA_URL": f"postgres://postgres@127.0.0.1:{self.ports['replica']}/stapel",
            "DATABASE_CONN_MAX_AGE": "60",
            "REDIS_URL": f"redis://127.0.0.1:{self.ports['redis']}/0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "FORUM_TRUSTED_PROXIES": "127.0.0.1",
            "FORUM_SITE_URL": f"http://127.0.0.1:{self.ports['nginx']}",
            # Plain HTTP on loopback: nginx terminates TLS in a real deployment.
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "SECURE_HSTS_SECONDS": "0",
            "EMAIL_FILE_PATH": str(self.outbox),
            "STATIC_ROOT": str(self.folder / "static"),
            # Every page is read from a database, not the page cache: the transactions
            # each database served show where the reads went.
            "FORUM_PAGE_CACHE_SECONDS": "0",
            "LOG_LEVEL": "WARNING",
            "LOG_REQUESTS": "0",
            # The journey's members sign up by script: no proof of work, no verification
            # email (the sign-up's defences have tests of their own).
            "FORUM_SIGNUP_DEFENCES": "0",
        }

    def manage(self, *arguments):
        return subprocess.run(
            [PYTHON, "manage.py", *arguments],
            cwd=ROOT,
            env=self.environment(),
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    def app_start(self, name):
        port = self.ports[name]
        self.processes[name] = subprocess.Popen(
            [BIN / "gunicorn", "-c", "deploy/gunicorn.conf.py", "forum.wsgi:application"],
            cwd=ROOT,
            env={
                **self.environment(),
                "GUNICORN_BIND": f"127.0.0.1:{port}",
                "GUNICORN_WORKERS": "2",
                "GUNICORN_ACCESS_LOG": str(self.folder / f"{name}.access.log"),
            },
            stderr=open(self.folder / f"{name}.error.log", "wb"),  # noqa: SIM115
            start_new_session=True,
        )

    def worker_start(self):
        self.processes["worker"] = subprocess.Popen(
            [
                BIN / "celery",
                "-A",
                "forum",
                "worker",
                "--beat",
                "--concurrency=2",
                "--loglevel=warning",
                f"--schedule={self.folder / 'celerybeat-schedule'}",
            ],
            cwd=ROOT,
            env=self.environment(),
            stdout=open(self.folder / "worker.log", "wb"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def nginx_start(self):
        folder = self.folder / "nginx"
        folder.mkdir()
        config = folder / "nginx.conf"
        config.write_text(
            NGINX_CONFIG.format(
                folder=folder,
                port=self.ports["nginx"],
                app1=self.ports["app1"],
                app2=self.ports["app2"],
                static=self.folder / "static",
            )
        )
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.processes["nginx"] = subprocess.Popen(
            [nginx, "-p", str(folder), "-c", str(config), "-g", "daemon off;"],
            start_new_session=True,
        )

    def kill(self, name, sig=signal.SIGKILL):
        process = self.processes.pop(name)
        if process.poll() is None:
            os.killpg(process.pid, sig)
            process.wait(timeout=30)

    def start(self):
        self.secret_key = secrets.token_urlsafe(50)
        say("PostgreSQL: a primary and a streaming replica")
        self.postgres_start()
        say("Redis")
        self.redis_start()
        say("migrations and static files")
        self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput")
        # Newcomers may only use tags that exist: the operator's first tags.
        self.manage(
            "shell",
            "-c",
            "from questions.models import Tag\n"
            "for name in ('german', 'grammar'): Tag.objects.get_or_create(name=name)",
        )
        say("two app servers, a Celery worker with beat, nginx")
        self.app_start("app1")
        self.app_start("app2")
        self.worker_start()
        self.nginx_start()
        for name in ("app1", "app2", "nginx"):
            wait_for(f"{name} on port {self.ports[name]}", lambda p=self.ports[name]: port_open(p))

    def stop(self):
        for name in ("nginx", "app1", "app2", "worker", "redis"):
            if name in self.processes:
                with contextlib.suppress(ProcessLookupError, subprocess.TimeoutExpired):
                    self.kill(name, signal.SIGTERM)
        for data in reversed(self.clusters):
            subprocess.run(
                [*self.as_postgres, self.pg / "pg_ctl", "-D", data, "-m", "immediate", "stop"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        shutil.rmtree(self.folder, ignore_errors=True)


NGINX_CONFIG = """
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {folder}/access.log;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    client_max_body_size 1m;
    client_body_timeout 10s;
    client_header_timeout 10s;
    upstream stapel {{
        server 127.0.0.1:{app1} max_fails=1 fail_timeout=30s;
        server 127.0.0.1:{app2} max_fails=1 fail_timeout=30s;
        keepalive 8;
    }}
    server {{
        listen 127.0.0.1:{port};
        server_name 127.0.0.1;
        location /static/ {{
            alias {static}/;
            expires max;
        }}
        location / {{
            proxy_pass http://stapel;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_connect_timeout 2s;
            proxy_read_timeout 30s;
            # Idempotent requests go to the other server when one fails; a POST only when
            # it never reached the first (nginx's default).
            proxy_next_upstream error timeout http_502 http_503;
            proxy_next_upstream_tries 2;
        }}
    }}
}}
"""


# The member's browser ---------------------------------------------------------------


class Forms(html.parser.HTMLParser):
    """The forms of a page: their action and the values a browser would send."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._textarea = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {"action": attrs.get("action", ""), "fields": {}, "radios": {}}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind == "radio":
                self._form["radios"].setdefault(attrs["name"], []).append(attrs.get("value"))
            elif kind not in {"checkbox", "submit", "button"} or "checked" in attrs:
                self._form["fields"][attrs["name"]] = attrs.get("value", "")
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = attrs["name"]
            self._form["fields"][self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self._form["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._form = None


class Browser:
    """A member's browser through nginx: cookies, CSRF tokens from the forms; a request
    that fails is counted and tried again, as a member would."""

    failures = 0
    requests = 0

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.opener.addheaders = [("Accept-Language", "en"), ("User-Agent", "stapel-cluster")]

    def open(self, path, data=None):
        url = urllib.parse.urljoin(self.base, path)
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        for _ in range(5):
            Browser.requests += 1
            try:
                with self.opener.open(url, data=body, timeout=15) as response:
                    return response.geturl(), response.read().decode()
            except urllib.error.HTTPError as error:
                if error.code < 500:
                    raise JourneyFailed(f"{path}: {error.code}") from None
                Browser.failures += 1
            except (urllib.error.URLError, OSError):
                Browser.failures += 1
            time.sleep(0.5)
        raise JourneyFailed(f"{path}: failed five times")

    def submit(self, page, action, values, radio=None):
        """Fills the form of `page` whose action holds `action` and sends it."""
        _, text = self.open(page)
        parser = Forms()
        parser.feed(text)
        form = next((f for f in parser.forms if action in f["action"]), None)
        if form is None:
            raise JourneyFailed(f"no form for {action} on {page}")
        fields = {**form["fields"], **values}
        if radio:
            name, choices = radio
            offered = form["radios"].get(name, [])
            fields[name] = next(choice for choice in choices if choice in offered)
        return self.open(form["action"] or page, fields)


def oversized_body_refused(base):
    """nginx cuts off a body past its limit (`client_max_body_size`) with a 413 before an
    app server reads any of it."""
    request = urllib.request.Request(
        urllib.parse.urljoin(base, "/questions/ask/"), data=b"x" * (2 * 1024 * 1024)
    )
    Browser.requests += 1
    try:
        urllib.request.urlopen(request, timeout=15)
    except urllib.error.HTTPError as error:
        if error.code == 413:
            return
        raise JourneyFailed(f"a 2 MB body got {error.code}, not 413") from None
    raise JourneyFailed("a 2 MB body was accepted")


# The journey ------------------------------------------------------------------------


def requests_served(cluster, name):
    log = cluster.folder / f"{name}.access.log"
    return len(log.read_text().splitlines()) if log.exists() else 0


def keep_reading(browser, stop):
    while not stop.is_set():
        browser.open("/tags/")


def journey(cluster, lag_samples):
    base = f"http://127.0.0.1:{cluster.ports['nginx']}/"
    asker, answerer, visitor = Browser(base), Browser(base), Browser(base)
    token = secrets.token_hex(3)

    def sample_lag():
        # As /readyz shows it, through nginx; the replica must also say it is one.
        cluster.replica_lag()
        _, text = visitor.open("/readyz")
        lag_samples.append(json.loads(text)["checks"]["replica_lag_seconds"])

    def browse(times=10):
        for _ in range(times):
            visitor.open("/")
            visitor.open("/tags/")

    say("a 2 MB body is refused by nginx (413)")
    oversized_body_refused(base)

    say("two members sign up")
    for browser, name in ((asker, f"asker{token}"), (answerer, f"answerer{token}")):
        password = secrets.token_urlsafe(12)
        browser.submit(
            "/users/signup/",
            "signup",
            {
                "username": name,
                "email": f"{name}@example.org",
                "password1": password,
                "password2": password,
            },
        )
    browse()

    say("the asker asks")
    title = f"How do the cases of German articles work ({token})?"
    url, text = asker.submit(
        "/questions/ask/",
        "/questions/ask/",
        {
            "title": title,
            "body": "Der, die, das, and then dem and den: when is which one "
            "used? I have read the tables and still mix them up.",
            "tags": "german grammar",
        },
    )
    if title not in text.replace("&#x27;", "'"):
        raise JourneyFailed("the asker does not see their question after asking")
    question_path = urllib.parse.urlparse(url).path
    question_pk = int(question_path.split("/")[2])
    sample_lag()
    browse()

    say("the answerer answers (and reads their answer at once: read-your-writes)")
    answer_text = "Articles change with the case: nominative der, accusative den"
    url, text = answerer.submit(
        question_path,
        f"/questions/{question_pk}/answer/",
        {"body": f"{answer_text}, dative dem, genitive des. Learn the nouns with them."},
    )
    if answer_text not in text:
        raise JourneyFailed("the answerer does not see their answer after posting it")
    answer_pk = int(re.search(r'id="answer-(\d+)"', text).group(1))
    sample_lag()

    say(f"app server 1 is killed (it served {requests_served(cluster, 'app1')} requests)")
    # While another visitor is loading pages: nginx retries what was in flight on app 2.
    stop = threading.Event()
    reader = threading.Thread(target=keep_reading, args=(Browser(base), stop))
    reader.start()
    time.sleep(0.5)
    cluster.kill("app1")
    time.sleep(0.5)
    stop.set()
    reader.join()
    browse()

    say("the asker accepts the answer")
    asker.submit(question_path, f"/posts/{answer_pk}/accept/", {})
    browse()

    say("Redis is restarted")
    cluster.kill("redis", signal.SIGTERM)
    cluster.redis_start()
    browse()

    say("the PostgreSQL primary is restarted (the app servers keep running)")
    cluster.primary_restart()
    browse()

    say("the answerer, past 15 reputation with the acceptance, votes the question up and flags it")
    answerer.submit(question_path, f"/posts/{question_pk}/vote/", {"value": "up"})
    answerer.submit(
        f"/posts/{question_pk}/flag/",
        f"/posts/{question_pk}/flag/",
        {"text": "This question is only a table lookup."},
        radio=("reason", ["low_quality", "spam"]),
    )
    sample_lag()
    browse()

    say("the asker finds the answer in the inbox and in the email")
    wait_for("the asker's inbox entry", lambda: token in asker.open("/inbox/")[1])
    asker_email = f"asker{token}@example.org"

    def email_arrived():
        for path in cluster.outbox.iterdir():
            for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                if raw.strip() and asker_email in (message_from_bytes(raw.strip())["To"] or ""):
                    return True
        return False

    wait_for("the asker's email", email_arrived)
    sample_lag()
    return question_pk, answer_pk


def check_writes(cluster, question_pk, answer_pk):
    queries = {
        "members": "SELECT count(*) FROM accounts_user",
        "questions": "SELECT count(*) FROM questions_post WHERE post_type = 1",
        "answers": f"SELECT count(*) FROM questions_post WHERE parent_id = {question_pk}",
        "accepted": f"SELECT count(*) FROM questions_post WHERE accepted_answer_id = {answer_pk}",
        "votes": f"SELECT count(*) FROM questions_vote WHERE post_id = {question_pk}",
        "flags": f"SELECT count(*) FROM moderation_flag WHERE post_id = {question_pk}",
        "inbox entries": (
            "SELECT count(*) FROM notifications_notification"
            f" WHERE post_id = {answer_pk} AND kind = 'answer'"
        ),
    }
    expected = {
        "members": 2,
        "questions": 1,
        "answers": 1,
        "accepted": 1,
        "votes": 1,
        "flags": 1,
        "inbox entries": 1,
    }
    primary = {label: cluster.sql("primary", sql)[0][0] for label, sql in queries.items()}
    if primary != expected:
        raise JourneyFailed(f"writes on the primary: {primary}, expected {expected}")
    wait_for(
        "the replica to hold every write",
        lambda: (
            {label: cluster.sql("replica", sql)[0][0] for label, sql in queries.items()} == expected
        ),
    )
    return primary


def main():
    started = time.monotonic()
    install_missing()
    cluster = Cluster()
    lag_samples = []
    outcome = 1
    try:
        cluster.start()
        question_pk, answer_pk = journey(cluster, lag_samples)
        writes = check_writes(cluster, question_pk, answer_pk)
        say("manage.py recount --dry-run")
        recount = cluster.manage("recount", "--dry-run")
        print(recount.rstrip(), flush=True)
        if "No drift." not in recount:
            raise JourneyFailed("recount found drift")
        served = {name: requests_served(cluster, name) for name in ("app1", "app2")}
        proxied = len((cluster.folder / "nginx" / "access.log").read_text().splitlines())
        transactions = {
            name: cluster.sql(
                name, "SELECT xact_commit FROM pg_stat_database WHERE datname = 'stapel'"
            )[0][0]
            for name in ("primary", "replica")
        }
        print(
            "\n== make cluster: the journey passed\n"
            f"requests through nginx:       {proxied}\n"
            f"served by app server 1:       {served['app1']} (killed midway)\n"
            f"served by app server 2:       {served['app2']}\n"
            f"failed requests (retried):    {Browser.failures}\n"
            f"transactions on the primary:  {transactions['primary']}\n"
            f"transactions on the replica:  {transactions['replica']}\n"
            f"writes on primary and replica: {writes}\n"
            "replica lag in /readyz (s):   "
            f"{', '.join(f'{lag:.3f}' for lag in lag_samples)}\n"
            f"drift (recount --dry-run):    none\n"
            f"time:                         {time.monotonic() - started:.0f} s",
            flush=True,
        )
        outcome = 0
    except (JourneyFailed, subprocess.CalledProcessError, psycopg2.Error) as error:
        print(f"\n== make cluster FAILED: {error}", file=sys.stderr)
        if isinstance(error, subprocess.CalledProcessError):
            print(error.stdout, error.stderr, file=sys.stderr)
        for log in sorted(cluster.folder.glob("**/*.log")):
            if log.exists():
                print(f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}", file=sys.stderr)
    finally:
        say("stopping everything it started")
        cluster.stop()
    return outcome


if __name__ == "__main__":
    sys.exit(main())
