"""`make bench-spam`: what a bulk cleanup of BENCH_SPAMMERS (1,000) spam accounts costs,
each with a question and, for every other one, an answer on a member's question upvoted
by a member; and what undoing it costs.

The data is written through the services (so that `recount` starts with no drift; the
events' subscribers are off while it is made, to make it quickly) into a
PostgreSQL database of its own (BENCH_SPAM_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/stapel_bench_spam), made afresh on each run. The batch
runs its task in this process (no broker), as a worker would run it, with the events'
subscribers' tasks run eagerly in the same process too, so the figures are an upper bound
of what a worker spends. Then `recount --dry-run` must find no drift after the destroy and
after the undo.

Prints a table and writes it, with the machine, into docs/PERFORMANCE.md (between the
`bench-spam` markers).
"""

import os
import platform
import time
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from inprocess import django_setup
from sections import section_write

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "PERFORMANCE.md"
DATABASE_URL = os.environ.get(
    "BENCH_SPAM_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/stapel_bench_spam"
)
SPAMMERS = int(os.environ.get("BENCH_SPAMMERS", "1000"))
QUESTIONS = 50  # members' questions the spammers answer


def say(message):
    print(f"== {message}", flush=True)


def fresh_database():
    import psycopg2

    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    connection = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def recount_clean():
    from django.core.management import call_command

    out = StringIO()
    call_command("recount", "--dry-run", stdout=out)
    return "No drift." in out.getvalue()


def make_data():
    from django.utils.timezone import now

    from accounts.models import User
    from questions import services, voting
    from questions.models import ReputationEvent

    member = User.objects.create_user("member", "member@example.org", display_name="Member")
    # Members may vote on so many answers a day (FORUM_VOTES_PER_DAY): a voter for each 25.
    voters = [
        User.objects.create_user(f"voter{n}", f"voter{n}@example.org", reputation=1000)
        for n in range(SPAMMERS // 50 + 1)
    ]
    ReputationEvent.objects.bulk_create(
        ReputationEvent(
            user=voter, kind=ReputationEvent.Kind.OPENING_BALANCE, delta=999, created_at=now()
        )
        for voter in voters
    )
    questions = [
        services.question_create(
            author=member, title=f"A real question number {n}", body="Help?", tags=["real"]
        )
        for n in range(QUESTIONS)
    ]
    for n in range(SPAMMERS):
        bot = User.objects.create_user(
            f"bot{n}", f"bot{n}@spam-shop.example", signup_address=f"203.0.{n // 250}.{n % 250}"
        )
        services.question_create(
            author=bot,
            title=f"Cheap watches offer number {n}",
            body=f"https://spam-shop.example/{n}",
            tags=["watches"],
        )
        if n % 2 == 0:
            answer = services.answer_create(
                author=bot, question=questions[n % QUESTIONS], body="https://spam-shop.example"
            )
            voting.post_vote(post=answer, user=voters[n // 50], value=1)
        if n % 100 == 99:
            say(f"{n + 1} spam accounts")


def main():
    fresh_database()
    django_setup(DATABASE_URL)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", "--noinput", verbosity=0)
    say(f"making {SPAMMERS} spam accounts")
    # The data is made without the events' subscribers (inbox entries, review queues,
    # badges: what a worker does later), which would make it many times slower; the
    # counters they do not keep, the services keep. The destroy and undo run with them.
    from core import events

    subscribers = dict(events._subscribers)
    events._subscribers.clear()
    make_data()
    events._subscribers.update(subscribers)
    assert recount_clean()

    from accounts.models import User
    from spam import selectors, services
    from spam.models import SpamBatch

    moderator = User.objects.create_user("mod", "mod@example.org", is_moderator=True)
    started = time.perf_counter()
    found = list(
        selectors.accounts_found(email_domain="spam-shop.example").values_list("pk", flat=True)
    )
    search = time.perf_counter() - started
    say(f"found {len(found)} accounts in {search:.2f} s; destroying")
    started = time.perf_counter()
    batch = services.batch_start(moderator=moderator, user_ids=found, criteria={}, reason="bench")
    destroy = time.perf_counter() - started
    batch.refresh_from_db()
    assert batch.status == SpamBatch.Status.DONE and batch.processed == len(found)
    destroyed_clean = recount_clean()
    say(f"destroyed in {destroy:.1f} s; undoing")
    started = time.perf_counter()
    services.batch_undo(batch=batch, moderator=moderator)
    undo = time.perf_counter() - started
    batch.refresh_from_db()
    assert batch.status == SpamBatch.Status.UNDONE
    undone_clean = recount_clean()
    posts = 2 * len(found) // 2 + len(found) // 2
    rows = [
        ("search (email domain)", f"{search:.2f} s", ""),
        (
            "destroy, one batch",
            f"{destroy:.1f} s",
            f"{1000 * destroy / len(found):.0f} ms an account",
        ),
        ("undo the batch", f"{undo:.1f} s", f"{1000 * undo / len(found):.0f} ms an account"),
        ("recount after each", "no drift" if destroyed_clean and undone_clean else "DRIFT", ""),
    ]
    table = "\n".join(
        [
            f"Bulk spam cleanup (`make bench-spam`): {len(found):,} accounts, {posts:,} posts "
            f"(a question each, an upvoted answer every other one), PostgreSQL "
            f"{connection.pg_version // 10000}, {platform.machine()}, {os.cpu_count()} cores "
            "shared; tasks and subscribers in-process.",
            "",
            "| step | time | per account |",
            "|---|---|---|",
            *(f"| {step} | {spent} | {each} |" for step, spent, each in rows),
        ]
    )
    print(table)
    section_write(DOC, "bench-spam", table)


if __name__ == "__main__":
    main()
