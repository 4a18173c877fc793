"""`make bench`: generates a forum on PostgreSQL, serves it with gunicorn under production
settings and measures each kind of page with wrk, as a ratio of a bare endpoint served by
the same server and middleware in the same run. Prints one table and writes it, with the
machine, into docs/PERFORMANCE.md (one section per size, replaced when run again).

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/stapel_bench),
BENCH_QUESTIONS (10000), BENCH_DURATION (seconds per page, 10), BENCH_CONNECTIONS (8),
BENCH_THREADS (2), BENCH_WORKERS (gunicorn workers, 2), BENCH_PORT (8099).
"""

import math
import os
import platform
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

# bench/ is the script's own folder, first on the path.
from sections import section_write

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DOC = ROOT / "docs" / "PERFORMANCE.md"

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/stapel_bench"
)
QUESTIONS = int(os.environ.get("BENCH_QUESTIONS", "10000"))
DURATION = int(os.environ.get("BENCH_DURATION", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
PORT = int(os.environ.get("BENCH_PORT", "8099"))
HOST = "127.0.0.1"
BASE = f"http://{HOST}:{PORT}"
# The users who vote in the vote benchmark: enough that each casts only a few votes.
VOTERS = 400
VOTER_REPUTATION = 1000
SEARCH_WORD = "python"
VOTE_LABEL = "vote POST (up, undo, JSON)"
SOLO_SECONDS = 3
DEEP_PAGE = 2000
PAGE_SIZE = 15
API_LABEL = "API question list (/api/v1/questions/)"
# Members' pages: a member with 1,000 reputation who has voted on the threads measured,
# with a few entries in the inbox, and a moderator. Their rows carry these suffixes.
MEMBER = "bench-member"
MODERATOR = "bench-moderator"
AS_MEMBER = ", as a member"
AS_MODERATOR = ", as a moderator"


def say(message):
    print(f"== {message}", flush=True)


def server_environment():
    """Production settings as a deployment would have them, on plain HTTP at loopback."""
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_DEBUG"}
    env.update(
        DJANGO_SETTINGS_MODULE="forum.settings",
        DATABASE_URL=DATABASE_URL,
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        DATABASE_CONN_MAX_AGE="600",
        # The search page allows 30 searches a minute per visitor; wrk is one visitor.
        FORUM_SEARCH_RATE_PER_MINUTE="100000000",
        # Pages are measured uncached; the anonymous page cache gets rows of its own.
        FORUM_PAGE_CACHE_SECONDS="0",
        # The REST API allows 300 requests a day per anonymous address; wrk is one address.
        FORUM_API_RATE_ANONYMOUS="100000000",
    )
    return env


def cached_environment(env):
    """The same, with the anonymous page cache at its configured default."""
    return {key: value for key, value in env.items() if key != "FORUM_PAGE_CACHE_SECONDS"}


def ensure_database():
    import psycopg2

    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    connection = psycopg2.connect(admin_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            say(f"creating database {name}")
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def manage(*args, env):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


class Setup:
    """What the run needs from the database, read in-process with Django: the URLs, the
    bench voters and their sessions, and the SQL queries each page costs."""

    def __init__(self, env):
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()

    def refresh_statistics(self):
        """VACUUM ANALYZE, in case the data came without planner statistics (an older
        generate_forum, a restored dump): the autovacuum daemon may take long to get to it."""
        from core.database import refresh_planner_statistics

        return refresh_planner_statistics()

    def question_count(self):
        from questions.models import Post

        return Post.objects.questions().count()

    def pages(self):
        from django.db.models import F
        from django.db.models.functions import Abs

        from accounts.models import User
        from questions.models import Post, Tag

        questions = Post.objects.questions().visible()
        listed = questions.filter(hidden_at__isnull=True).count()
        last_page = max(1, math.ceil(listed / PAGE_SIZE))
        deep = min(DEEP_PAGE, last_page)

        def thread_near(answers):
            return questions.order_by(Abs(F("answer_count") - answers), "pk").first()

        ten, fifty = thread_near(10), thread_near(50)
        tag = Tag.objects.order_by("-question_count", "name").first()
        user = User.objects.filter(is_active=True).order_by("-reputation", "pk").first()
        deep_label = f"list, page {deep}" + (
            "" if deep == DEEP_PAGE else f" (the last; {DEEP_PAGE} does not exist)"
        )
        return [
            ("ceiling (bare endpoint)", "/bench/ceiling/"),
            ("question list, page 1", "/"),
            (deep_label, f"/?page={deep}"),
            (f"thread, {ten.answer_count} answers", ten.get_absolute_url()),
            (f"thread, {fifty.answer_count} answers", fifty.get_absolute_url()),
            (f"tag page [{tag.name}], {tag.question_count} questions", tag.get_absolute_url()),
            ("user page (top reputation)", user.get_absolute_url()),
            (f"search “{SEARCH_WORD}”", f"/search/?q={SEARCH_WORD}"),
            # The REST API's question list, a page as long as the site's first page.
            (API_LABEL, f"/api/v1/questions/?pagesize={PAGE_SIZE}"),
        ]

    def members(self, pages):
        """The bench member and moderator (created once, with reputation through the
        ledger), the member's votes on the measured threads (the question and some of its
        answers, cast through the voting service, so the page shows them as voted) and
        entries in the member's inbox. Returns their session keys and the members' rows."""
        from django.db import transaction
        from django.test import Client
        from django.utils import timezone

        from accounts.models import User
        from notifications.models import Notification
        from notifications.services import entries_add
        from questions import voting
        from questions.models import Post, ReputationEvent, Vote

        people = {}
        for name, moderator in ((MEMBER, False), (MODERATOR, True)):
            with transaction.atomic():
                user, made = User.objects.get_or_create(
                    username=name,
                    defaults={
                        "display_name": name,
                        "reputation": VOTER_REPUTATION,
                        "is_moderator": moderator,
                    },
                )
                if made:
                    ReputationEvent.objects.create(
                        user=user,
                        kind=ReputationEvent.Kind.OPENING_BALANCE,
                        delta=VOTER_REPUTATION - 1,
                        created_at=timezone.now(),
                    )
            people[name] = user
        member = people[MEMBER]
        threads = [path for label, path in pages if label.startswith("thread, ")]
        for path in threads:
            question_id = int(path.split("/")[2])
            posts = list(Post.objects.filter(pk=question_id).only("id", "author_id")) + list(
                Post.objects.answers()
                .visible()
                .filter(parent_id=question_id)
                .only("id", "author_id")
                .order_by("pk")[:5]
            )
            voted = set(
                Vote.objects.filter(user=member, post__in=posts).values_list("post", flat=True)
            )
            for post in posts:
                if post.pk not in voted and post.author_id != member.pk:
                    voting.post_vote(post=post, user=member, value=1)
        if not Notification.objects.filter(recipient=member).exists():
            for answer in Post.objects.answers().visible().order_by("-pk")[:30]:
                entries_add(
                    recipient_ids=[member.pk],
                    kind=Notification.Kind.ANSWER,
                    key=f"answer:{answer.pk}",
                    question_id=answer.parent_id,
                    post_id=answer.pk,
                )
        sessions = {}
        for name, user in people.items():
            client = Client()
            client.force_login(user)
            sessions[name] = client.cookies["sessionid"].value
        ten, fifty = threads[:2]
        rows = [
            (f"{label}{AS_MEMBER}", path, MEMBER)
            for label, path in pages
            if path in ("/", ten, fifty)
        ]
        rows += [
            (f"thread, 10 answers{AS_MODERATOR}".replace("10", ten_count(pages)), ten, MODERATOR),
            (f"question list, page 1{AS_MODERATOR}", "/", MODERATOR),
            (f"inbox{AS_MEMBER}", "/inbox/", MEMBER),
            (f"own profile{AS_MEMBER}", member.get_absolute_url(), MEMBER),
            (f"review queues{AS_MEMBER}", "/review/", MEMBER),
            (f"{API_LABEL}{AS_MEMBER}", f"/api/v1/questions/?pagesize={PAGE_SIZE}", MEMBER),
        ]
        return sessions, rows

    def voters(self):
        """The bench voters (created once, with reputation through the ledger), with their
        daily vote counts reset so that a second run the same day may vote too."""
        from django.db import transaction
        from django.utils import timezone

        from accounts.models import User
        from questions.models import DailyVoteCount, ReputationEvent

        names = [f"bench-voter-{number}" for number in range(VOTERS)]
        with transaction.atomic():
            existing = set(
                User.objects.filter(username__in=names).values_list("username", flat=True)
            )
            fresh = User.objects.bulk_create(
                User(username=name, display_name=name, reputation=VOTER_REPUTATION)
                for name in names
                if name not in existing
            )
            ReputationEvent.objects.bulk_create(
                ReputationEvent(
                    user=user,
                    kind=ReputationEvent.Kind.OPENING_BALANCE,
                    delta=VOTER_REPUTATION - 1,
                    created_at=timezone.now(),
                )
                for user in fresh
            )
            voters = list(User.objects.filter(username__in=names).order_by("pk"))
            DailyVoteCount.objects.filter(user__in=voters).delete()
        return voters

    def vote_target(self, voters):
        """An answer none of the bench voters has voted on: votes of an earlier run may be
        locked in by now, and could then be neither cast again nor taken back."""
        from questions.models import Post, Vote

        voted = Vote.objects.filter(user__in=voters).values("post")
        return (
            Post.objects.answers()
            .visible()
            .filter(
                locked_at__isnull=True,
                parent__locked_at__isnull=True,
                parent__deleted_at__isnull=True,
            )
            .exclude(author__in=voters)
            .exclude(pk__in=voted)
            .order_by("-pk")
            .first()
        )

    def sessions(self, voters):
        from django.test import Client

        keys = []
        for voter in voters:
            client = Client()
            client.force_login(voter)
            keys.append(client.cookies["sessionid"].value)
        return keys

    def query_counts(self, pages, vote_path, voter, member_rows, sessions):
        """SQL queries of each page, from Django's test client, on a second request (the
        first warms what a running server has warm: connections, caches)."""
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        counts = {}
        visitor = Client(SERVER_NAME=HOST)
        for label, path in pages:
            visitor.get(path)
            with CaptureQueriesContext(connection) as queries:
                response = visitor.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}, not 200")
            counts[label] = len(queries)
        for label, path, name in member_rows:
            signed_in = Client(SERVER_NAME=HOST)
            signed_in.cookies["sessionid"] = sessions[name]
            signed_in.get(path)
            with CaptureQueriesContext(connection) as queries:
                response = signed_in.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{path} ({name}) answered {response.status_code}, not 200")
            counts[label] = len(queries)
        member = Client(SERVER_NAME=HOST, headers={"accept": "application/json"})
        member.force_login(voter)
        per_value = []
        for value in ("up", "undo", "up", "undo"):
            with CaptureQueriesContext(connection) as queries:
                response = member.post(vote_path, {"value": value})
            if response.status_code != 200:
                raise SystemExit(
                    f"vote {value} on {vote_path} answered {response.status_code}: "
                    f"{response.content!r}"
                )
            per_value.append(len(queries))
        counts[VOTE_LABEL] = f"{per_value[2]} up, {per_value[3]} undo"
        connection.close()
        return counts

    def machine(self):
        import django
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            postgres = cursor.fetchone()[0]
        connection.close()
        cpu = next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor() or "unknown",
        )
        memory_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1])
        gunicorn = subprocess.run(
            [str(Path(PYTHON).with_name("gunicorn")), "--version"], capture_output=True, text=True
        ).stdout.strip()
        gunicorn_version = gunicorn.split()[-1].strip("()") if gunicorn else "?"
        return {
            "CPU": f"{cpu}, {os.cpu_count()} cores (nproc)",
            "memory": f"{memory_kb / 1024 / 1024:.1f} GiB",
            "PostgreSQL": postgres.split()[0],
            "Python / Django / gunicorn": (
                f"{platform.python_version()} / {django.get_version()} / {gunicorn_version}"
            ),
            "wrk": subprocess.run(["wrk", "-v"], capture_output=True, text=True)
            .stdout.splitlines()[0]
            .split(" [")[0],
        }


def ten_count(pages):
    """The answer count in the label of the first thread row ("thread, 10 answers")."""
    return next(label for label, _ in pages if label.startswith("thread, ")).split()[1]


def worker_memory(server):
    """Resident memory of each gunicorn worker (the server's child processes), in MiB."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{server.pid}$", text, re.M):
            sizes.append(int(re.search(r"^VmRSS:\s+(\d+) kB", text, re.M)[1]) / 1024)
    return sorted(sizes)


def start_server(env):
    command = [
        str(Path(PYTHON).with_name("gunicorn")),
        "forum.wsgi:application",
        "--workers",
        str(WORKERS),
        "--bind",
        f"{HOST}:{PORT}",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"{BASE}/health/", timeout=1) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn did not answer /health/ within 10 seconds")


def milliseconds(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def wrk(path, *, duration, script_args=None, connections=CONNECTIONS, session=None):
    threads = min(THREADS, connections)
    # wrk's default timeout of 2 s would drop slow pages from the figures instead of timing them.
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "--latency",
    ]
    if session:
        command += ["-H", f"Cookie: sessionid={session}"]
    if script_args:
        command += [
            "-s",
            str(ROOT / "bench" / "vote.lua"),
            BASE + path,
            "--",
            *script_args,
            str(threads),
        ]
    else:
        command.append(BASE + path)
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    timeouts = re.search(r"Socket errors: .*timeout (\d+)", output)
    return {
        "requests": int(re.search(r"(\d+) requests in", output)[1]),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),
        "p50": milliseconds(re.search(r"^\s+50%\s+(\S+)", output, re.M)[1]),
        "p99": milliseconds(re.search(r"^\s+99%\s+(\S+)", output, re.M)[1]),
        "errors": int(errors[1]) if errors else 0,
        "timeouts": int(timeouts[1]) if timeouts else 0,
        "command": " ".join(command),
    }


def table(rows, ceiling_rps, queries):
    lines = [
        "| page | requests/s | p50 ms | p99 ms | ÷ ceiling | SQL queries | p50 ms, 1 connection |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label, path, result in rows:
        note = f" ({result['errors']} non-2xx!)" if result["errors"] else ""
        note += f" ({result['timeouts']} timed out after 10 s)" if result["timeouts"] else ""
        solo = result.get("solo_p50", "")
        solo = (
            f"> {SOLO_SECONDS * 1000 // 3}"
            if solo is None
            else solo
            if solo == ""
            else f"{solo:.1f}"
        )
        lines.append(
            f"| {label} `{path}`{note} "
            f"| {result['rps']:.0f} | {result['p50']:.1f} | {result['p99']:.1f} "
            f"| {result['rps'] / ceiling_rps:.2f} | {queries.get(label, '')} | {solo} |"
        )
    return "\n".join(lines)


def main():
    if not shutil.which("wrk"):
        print("wrk is not installed. Install it with:\n    apt-get install -y wrk", file=sys.stderr)
        return 1
    env = server_environment()
    ensure_database()
    say("migrating")
    manage("migrate", "--noinput", "-v", "0", env=env)
    # Production settings serve static files from the collected, hashed copies; a fresh
    # checkout has none, and every page would fail on its first {% static %}.
    say("collecting static files")
    manage("collectstatic", "--noinput", "-v", "0", env=env)
    setup = Setup(env)
    existing = setup.question_count()
    generation = ""
    if existing < QUESTIONS:
        missing = QUESTIONS - existing
        say(f"generating {missing} questions (the database has {existing})")
        started = time.monotonic()
        manage("generate_forum", "--questions", str(missing), "--seed", str(existing), env=env)
        seconds = time.monotonic() - started
        generation = (
            f"Generating {missing} questions took {seconds:.0f} s "
            f"({missing / seconds:.0f} questions/s) in this run."
        )
    say(f"planner statistics updated ({setup.refresh_statistics()})")
    total = setup.question_count()

    pages = setup.pages()
    voters = setup.voters()
    target = setup.vote_target(voters)
    vote_path = f"/posts/{target.pk}/vote/"
    say("the bench member's votes and inbox, and the moderator")
    sessions, member_rows = setup.members(pages)
    say("counting SQL queries per page (test client, same database)")
    queries = setup.query_counts(pages, vote_path, voters[0], member_rows, sessions)
    machine = setup.machine()
    csrf = secrets.token_hex(16)  # a CSRF secret: 32 characters, sent as cookie and header
    with tempfile.TemporaryDirectory(prefix="stapel-bench-") as scratch:
        session_file = Path(scratch) / "sessions"
        session_file.write_text("\n".join(setup.sessions(voters[1:])) + "\n")

        say(f"serving with gunicorn ({WORKERS} workers) on {BASE}")
        server = start_server(env)
        rows = []
        try:
            for label, path in pages:
                wrk(path, duration=1)  # warm-up: connections, template cache
                say(f"{label}: {path}")
                solo = wrk(path, duration=SOLO_SECONDS, connections=1)
                result = wrk(path, duration=DURATION)
                # Too few requests in the time say only that the page is slower than it.
                solo_p50 = solo["p50"] if solo["requests"] >= 3 else None
                rows.append((label, path, {**result, "solo_p50": solo_p50}))
            for label, path, name in member_rows:
                wrk(path, duration=1, session=sessions[name])
                say(f"{label}: {path}")
                solo = wrk(path, duration=SOLO_SECONDS, connections=1, session=sessions[name])
                result = wrk(path, duration=DURATION, session=sessions[name])
                solo_p50 = solo["p50"] if solo["requests"] >= 3 else None
                rows.append((label, path, {**result, "solo_p50": solo_p50}))
            say(f"{VOTE_LABEL}: {vote_path}")
            vote = wrk(
                vote_path, duration=DURATION, script_args=[vote_path, csrf, str(session_file)]
            )
            rows.append((VOTE_LABEL, vote_path, vote))
            memory = worker_memory(server)
        finally:
            server.terminate()
            server.wait(timeout=30)

        say("the same server with the anonymous page cache on (its default lifetime)")
        server = start_server(cached_environment(env))
        try:
            for label, path in (pages[1], pages[3]):
                wrk(path, duration=1)
                say(f"{label}, cache warm: {path}")
                rows.append((f"{label}, anonymous cache warm", path, wrk(path, duration=DURATION)))
        finally:
            server.terminate()
            server.wait(timeout=30)

    ceiling = rows[0][2]["rps"]
    result_table = table(rows, ceiling, queries)
    by_label = {label: result for label, _, result in rows}
    thread_ten = rows[3][2]
    member_ten = by_label[f"{rows[3][0]}{AS_MEMBER}"]
    ratios = [
        f"- thread (10 answers) ÷ ceiling: {thread_ten['rps'] / ceiling:.2f} (target ≥ 0.12)",
        f"- thread (10 answers), as a member ÷ ceiling: {member_ten['rps'] / ceiling:.2f} "
        "(target ≥ 0.10)",
        f"- question list ÷ ceiling: {rows[1][2]['rps'] / ceiling:.2f} (target ≥ 0.20)",
        f"- page {rows[2][1].split('=')[-1]} p50 ÷ page 1 p50: "
        f"{rows[2][2]['p50'] / rows[1][2]['p50']:.2f} (target ≤ 1.5)",
        f"- question list, anonymous cache warm ÷ ceiling: {rows[-2][2]['rps'] / ceiling:.2f} "
        "(target ≥ 0.8)",
        f"- vote POST ÷ thread (10 answers): "
        f"{by_label[VOTE_LABEL]['rps'] / thread_ten['rps']:.2f} (target ≥ 0.5)",
        f"- API question list ÷ question list: "
        f"{by_label[API_LABEL]['rps'] / rows[1][2]['rps']:.2f} (target ≥ 1)",
        f"- search p50: {rows[7][2]['p50']:.1f} ms under load, "
        f"{rows[7][2]['solo_p50'] or '> 1000'} ms alone (target < 30 ms at the large size)",
        "- resident memory per gunicorn worker after the run: "
        + ", ".join(f"{size:.0f} MiB" for size in memory),
    ]
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    body = "\n".join(
        [
            f"### {total:,} questions — {now}",
            "",
            *(f"- {key}: {value}" for key, value in machine.items()),
            f"- load: `wrk -t{THREADS} -c{CONNECTIONS} -d{DURATION}s --timeout 10s --latency` "
            f"per page after a 1 s warm-up; gunicorn `--workers {WORKERS}` (sync), same machine, "
            f"loopback; the last column: `wrk -t1 -c1 -d{SOLO_SECONDS}s`, one request at a time",
            *([f"- {generation}"] if generation else []),
            "",
            result_table,
            "",
            *ratios,
        ]
    )
    print()
    print(body)
    section_write(DOC, f"bench-results:{total}", body)
    print(f"\nWritten to {DOC.relative_to(ROOT)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
