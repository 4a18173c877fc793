"""`make bench-notifications`: how long the notifications' large jobs take, in-process.

(a) The fan-out of one answer to a question with BENCH_FOLLOWERS (100,000) followers: the
`answer_posted` task's function called directly, as a worker runs it. Measured twice:
once with followers who want no email for it (the inbox entries alone), once with the
default settings, where every follower wants one and the task also hands each new entry
to an email task (counted, not sent: sending is each email task's own work, measured per
email in (c)). (b) The daily digest for BENCH_DIGEST_USERS (10,000) members, each
watching 3 of 50 tags, with 2,000 new questions in the window: `digests_send("daily")`
with the locmem email backend. (c) One notification email, built and sent. (d) Handing
an email task to Redis (`.delay()`, BENCH_ENQUEUED times into database 12, which must be
empty and is emptied after), what a worker's fan-out pays per email when a broker is set;
skipped when Redis is not reachable.

For each: the time, the SQL statements and their time, the rows or emails written and the
peak of Python's allocations (tracemalloc, in a second run of the same job: tracing slows
it). The data is made once with bulk inserts in a PostgreSQL database of its own
(BENCH_NOTIFY_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/stapel_bench_notify),
which a second run reuses; what the jobs write is removed before each run.

Prints a table and writes it, with the machine, into docs/PERFORMANCE.md (the section
between the `bench-notifications` markers).
"""

import os
import platform
import re
import resource
import sys
import time
import tracemalloc
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

# bench/ is the script's own folder, first on the path.
from inprocess import django_setup
from sections import section_write

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "PERFORMANCE.md"

DATABASE_URL = os.environ.get(
    "BENCH_NOTIFY_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/stapel_bench_notify"
)
FOLLOWERS = int(os.environ.get("BENCH_FOLLOWERS", "100000"))
DIGEST_USERS = int(os.environ.get("BENCH_DIGEST_USERS", "10000"))
TAGS = 50
WATCHED_PER_USER = 3
WINDOW_QUESTIONS = 2000
EMAILS_SENT = 200  # notification emails built and sent for (c)
ENQUEUED = int(os.environ.get("BENCH_ENQUEUED", "10000"))
BROKER = "redis://127.0.0.1:6379/12"
INSERT_BATCH = 5000


def say(message):
    print(f"== {message}", flush=True)


def ensure_database():
    import psycopg2

    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    connection = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            say(f"creating database {name}")
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def migrate():
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)


# The data


def _users(prefix, count, **fields):
    """`count` members named `prefix`-N, made once; returns their ids in order."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from accounts.models import User, name_keys

    names = [f"{prefix}-{number}" for number in range(count)]
    existing = User.objects.filter(username__startswith=f"{prefix}-").count()
    if existing < count:
        say(f"creating {count - existing} users {prefix}-N")
        have = set(
            User.objects.filter(username__startswith=f"{prefix}-").values_list(
                "username", flat=True
            )
        )
        password = make_password(None)
        fresh = []
        for name in names:
            if name in have:
                continue
            user = User(
                username=name,
                display_name=name,
                email=f"{name}@example.org",
                password=password,
                **fields,
            )
            for field, key in name_keys(username=name, display_name=name).items():
                setattr(user, field, key)
            fresh.append(user)
        with transaction.atomic():
            User.objects.bulk_create(fresh, batch_size=INSERT_BATCH)
    ids = dict(User.objects.filter(username__in=names).values_list("username", "pk"))
    return [ids[name] for name in names]


def _post(**fields):
    from questions.models import Post

    now = datetime.now(UTC)
    fields.setdefault("created_at", now)
    fields.setdefault("last_activity_at", fields["created_at"])
    return Post.objects.create(body_markdown="Text.", body_html="<p>Text.</p>", **fields)


def fanout_data():
    """A question by one member, answered by another, followed by FOLLOWERS members, who
    each have email settings (so a run can switch their answer emails off and on)."""
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from notifications.models import EmailSettings, Follow
    from questions.models import Post

    asker_id, answerer_id = _users("bench-notify-people", 2)
    question = Post.objects.filter(title="Bench: a question with many followers").first()
    if question is None:
        asker = User.objects.get(pk=asker_id)
        question = _post(
            post_type=Post.PostType.QUESTION,
            title="Bench: a question with many followers",
            slug="bench-a-question-with-many-followers",
            author=asker,
            author_name=asker.name,
        )
        answerer = User.objects.get(pk=answerer_id)
        _post(
            post_type=Post.PostType.ANSWER,
            parent=question,
            author=answerer,
            author_name=answerer.name,
        )
        Post.objects.filter(pk=question.pk).update(answer_count=1)
    answer = question.answers.get()
    followers = _users("bench-follower", FOLLOWERS)
    if Follow.objects.filter(post=question).count() < FOLLOWERS:
        say(f"{FOLLOWERS} members follow the question")
        now = timezone.now()
        with transaction.atomic():
            Follow.objects.bulk_create(
                [Follow(user_id=pk, post=question, created_at=now) for pk in followers],
                batch_size=INSERT_BATCH,
                ignore_conflicts=True,
            )
            EmailSettings.objects.bulk_create(
                [EmailSettings(user_id=pk) for pk in followers],
                batch_size=INSERT_BATCH,
                ignore_conflicts=True,
            )
    return question, answer, followers


def digest_data(author):
    """DIGEST_USERS members with a daily digest, each watching 3 of TAGS tags, and
    WINDOW_QUESTIONS questions in those tags asked within the last day by `author`."""
    import random

    from django.db import transaction
    from django.utils import timezone

    from notifications.models import EmailSettings
    from questions.models import Post, Tag, TagPreference

    rng = random.Random(16)
    readers = _users("bench-reader", DIGEST_USERS)
    names = [f"bench-tag-{number}" for number in range(TAGS)]
    Tag.objects.bulk_create([Tag(name=name) for name in names], ignore_conflicts=True)
    tags = list(Tag.objects.filter(name__in=names).order_by("pk"))
    now = timezone.now()
    if not TagPreference.objects.filter(user_id=readers[-1]).exists():
        say(f"{DIGEST_USERS} members watch {WATCHED_PER_USER} of {TAGS} tags each")
        with transaction.atomic():
            TagPreference.objects.bulk_create(
                [
                    TagPreference(user_id=pk, tag=tag, kind="watched", created_at=now)
                    for pk in readers
                    for tag in rng.sample(tags, WATCHED_PER_USER)
                ],
                batch_size=INSERT_BATCH,
                ignore_conflicts=True,
            )
            EmailSettings.objects.bulk_create(
                [EmailSettings(user_id=pk, digest="daily") for pk in readers],
                batch_size=INSERT_BATCH,
                ignore_conflicts=True,
            )
    # The window moves with the clock: the questions are asked afresh before each run,
    # spread over the last 23 hours.
    old = Post.objects.filter(title__startswith="Bench digest question ")
    Post.tags.through.objects.filter(post__in=old).delete()
    old.delete()
    with transaction.atomic():
        questions = Post.objects.bulk_create(
            [
                Post(
                    post_type=Post.PostType.QUESTION,
                    title=f"Bench digest question {number}",
                    slug=f"bench-digest-question-{number}",
                    body_markdown="Text.",
                    body_html="<p>Text.</p>",
                    author=author,
                    author_name=author.name,
                    created_at=now - timedelta(seconds=rng.randrange(23 * 3600)),
                    last_activity_at=now,
                )
                for number in range(WINDOW_QUESTIONS)
            ],
            batch_size=INSERT_BATCH,
        )
        Post.tags.through.objects.bulk_create(
            [
                Post.tags.through(post_id=question.pk, tag_id=tag.pk)
                for question in questions
                for tag in rng.sample(tags, rng.choice((1, 2, 3)))
            ],
            batch_size=INSERT_BATCH,
        )
    return readers


# Measuring


class Statements:
    """Counts the SQL statements run, and their time."""

    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1


class Counted(list):
    """An outbox that counts what the locmem backend puts in it and keeps none of it: the
    memory runs measure the job, not ten thousand emails held for a test to read."""

    def __init__(self):
        super().__init__()
        self.count = 0

    def append(self, message):
        self.count += 1


@contextmanager
def measured(result):
    from django.db import connection

    statements = Statements()
    with connection.execute_wrapper(statements):
        started = time.perf_counter()
        yield
        result["seconds"] = time.perf_counter() - started
    result["statements"] = statements.count
    result["sql_seconds"] = statements.seconds


def peak_memory(job, reset):
    """The peak of Python's allocations while `job` runs (after `reset`)."""
    reset()
    tracemalloc.start()
    try:
        job()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def fanout(answer, followers, *, emails):
    """Runs the answer's fan-out with the followers' answer emails on or off; email tasks
    are counted instead of run."""
    from notifications import tasks
    from notifications.models import EmailSettings, Notification

    EmailSettings.objects.filter(user__follows__post_id=answer.parent_id).update(followed=emails)
    key = f"answer:{answer.pk}"
    queued = []

    def reset():
        Notification.objects.filter(key=key).delete()
        queued.clear()

    # The email tasks are counted, not run: sending is theirs to measure, in (c).
    email_task = tasks.notification_emails_send._get_current_object()
    email_task.delay = queued.extend
    try:
        reset()
        result = {}
        with measured(result):
            told = tasks.answer_posted(answer.pk)
        result["rows"] = Notification.objects.filter(key=key).count()
        result["emails"] = len(queued)
        assert told == result["rows"], (told, result["rows"])
        result["peak"] = peak_memory(lambda: tasks.answer_posted(answer.pk), reset)
    finally:
        del email_task.delay
    return result


def digests(readers):
    from django.core import mail

    from notifications import emails
    from notifications.models import EmailDelivery, EmailSettings

    def reset():
        EmailDelivery.objects.filter(key__startswith="digest:").delete()
        EmailSettings.objects.filter(user_id__in=readers).update(digest_sent_until=None)
        mail.outbox = Counted()

    reset()
    result = {}
    with measured(result):
        emails.digests_send("daily")
    result["emails"] = mail.outbox.count
    result["peak"] = peak_memory(lambda: emails.digests_send("daily"), reset)
    return result


def notification_emails(answer, followers):
    """Sends EMAILS_SENT answer notifications, one by one, as the email tasks would."""
    from django.core import mail

    from notifications import emails
    from notifications.models import EmailDelivery, Notification

    entries = list(
        Notification.objects.filter(key=f"answer:{answer.pk}")
        .order_by("pk")
        .values_list("pk", flat=True)[:EMAILS_SENT]
    )

    def reset():
        EmailDelivery.objects.filter(key__in=[f"notification:{pk}" for pk in entries]).delete()
        mail.outbox = Counted()

    reset()
    result = {}
    with measured(result):
        for pk in entries:
            emails.notification_email_send(pk)
    result["emails"] = mail.outbox.count
    result["peak"] = peak_memory(lambda: emails.notification_email_send(entries[0]), reset)
    return result


def enqueued():
    """The emails of ENQUEUED entries handed to Redis in batches, as the fan-out does
    with a broker; None when
    Redis is not reachable or its database 12 is in use."""
    import redis

    from forum.celery import app
    from notifications import tasks
    from notifications.emails import EMAIL_BATCH

    client = redis.Redis.from_url(BROKER, socket_connect_timeout=1)
    try:
        if client.dbsize():
            say(f"{BROKER} is not empty: the enqueueing is not measured")
            return None
    except redis.ConnectionError:
        say(f"Redis is not reachable at {BROKER}: the enqueueing is not measured")
        return None
    saved = {name: app.conf[name] for name in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=BROKER, task_always_eager=False)
    try:
        tasks.notification_emails_send.delay([0])  # the connection, opened once
        batches = [
            list(range(start, min(start + EMAIL_BATCH, ENQUEUED)))
            for start in range(0, ENQUEUED, EMAIL_BATCH)
        ]
        result = {}
        with measured(result):
            for batch in batches:
                tasks.notification_emails_send.delay(batch)
        assert client.llen("celery") - 1 == len(batches)
        result["emails"] = ENQUEUED
        result["peak"] = peak_memory(
            lambda: tasks.notification_emails_send.delay(batches[0]), lambda: None
        )
        return result
    finally:
        app.conf.update(saved)
        client.flushdb()
        client.close()


# The report


def machine():
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0].split()[0]
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    memory_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1])
    return [
        ("CPU", f"{cpu}, {os.cpu_count()} cores (nproc)"),
        ("memory", f"{memory_kb / 1024 / 1024:.1f} GiB"),
        ("PostgreSQL", postgres),
        ("Python / Django", f"{platform.python_version()} / {django.get_version()}"),
    ]


def row(label, result, written):
    per = result["seconds"] / written * 1_000_000 if written else 0
    return (
        f"| {label} | {result['seconds']:.2f} | {result['statements']} "
        f"| {result['sql_seconds']:.2f} | {written:,} | {per:.0f} "
        f"| {result['peak'] / 1024 / 1024:.1f} |"
    )


def report(rows, notes):
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"### {stamp}",
        "",
        *(f"- {name}: {value}" for name, value in machine()),
        "- command: `make bench-notifications` (`bench/notifications.py`), in-process, "
        "one database connection, PostgreSQL on the same machine",
        "",
        "| job | seconds | SQL statements | SQL seconds | rows or emails | µs each "
        "| peak Python memory, MiB |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *rows,
    ]
    if notes:
        lines += ["", *(f"- {note}" for note in notes)]
    return "\n".join(lines)


def main():
    ensure_database()
    django_setup(DATABASE_URL)
    say("migrating")
    migrate()
    from core.database import refresh_planner_statistics
    from notifications.emails import EMAIL_BATCH

    question, answer, followers = fanout_data()
    readers = digest_data(question.author)
    refresh_planner_statistics()

    rows, notes = [], []
    say(f"fan-out of one answer to {FOLLOWERS} followers, no emails wanted")
    inbox = fanout(answer, followers, emails=False)
    rows.append(
        row(
            f"fan-out to the asker and {FOLLOWERS:,} followers: inbox entries", inbox, inbox["rows"]
        )
    )
    say(f"fan-out of one answer to {FOLLOWERS} followers, every follower wants an email")
    mailed = fanout(answer, followers, emails=True)
    rows.append(
        row(
            f"the same, every follower wanting email: {mailed['emails']:,} emails handed on "
            f"in tasks of {EMAIL_BATCH} (not sent)",
            mailed,
            mailed["rows"],
        )
    )
    say(f"{EMAILS_SENT} notification emails, built and sent one by one")
    sent = notification_emails(answer, followers)
    rows.append(row("notification emails, built and sent", sent, sent["emails"]))
    say(f"daily digests for {DIGEST_USERS} members")
    digest = digests(readers)
    rows.append(
        row(
            f"daily digests: {DIGEST_USERS:,} members, 3 of {TAGS} tags watched, "
            f"{WINDOW_QUESTIONS:,} questions in the day",
            digest,
            digest["emails"],
        )
    )
    say(f"the emails of {ENQUEUED} entries handed to Redis")
    handed = enqueued()
    if handed is None:
        notes.append("Enqueueing to Redis not measured: Redis database 12 was not available.")
    else:
        rows.append(
            row(f"emails handed to Redis in tasks of {EMAIL_BATCH}", handed, handed["emails"])
        )
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    notes.append(f"The process's peak resident memory, data set-up included: {maxrss:.0f} MiB.")

    body = report(rows, notes)
    print()
    print(body)
    section_write(DOC, "bench-notifications", body)
    say(f"written to {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
