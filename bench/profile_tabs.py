"""The profile tabs of the member with the most reputation, one request at a time through
Django's test client on the database in DATABASE_URL: per tab the queries, the CPU time of
the process (`time.process_time()`, which other processes on the machine disturb far less
than the wall clock) and the time its SQL took, each the best of five. The first page of
each tab and the last page of Questions and Answers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stapel_bench \\
        .venv/bin/python bench/profile_tabs.py

The settings are production's (DEBUG off, cached templates), with the anonymous page cache
off; the static files must have been collected (`make bench` does).
"""

import logging
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")
os.environ.setdefault("SECRET_KEY", "profile-tabs-" + "x" * 40)
os.environ.update(FORUM_PAGE_CACHE_SECONDS="0", ALLOWED_HOSTS="testserver", SECURE_SSL_REDIRECT="0")
os.environ.pop("DJANGO_DEBUG", None)
RUNS = 5
PER_PAGE = 30


def main():
    import django

    django.setup()
    logging.disable(logging.CRITICAL)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from questions.models import Post

    top = User.objects.filter(is_active=True).order_by("-reputation", "pk").first()
    last_questions = max(1, -(-top.question_count // PER_PAGE))
    last_answers = max(1, -(-top.answer_count // PER_PAGE))
    print(
        f"{Post.objects.questions().count():,} questions; the top member {top.pk} wrote "
        f"{top.question_count:,} questions and {top.answer_count:,} answers"
    )
    tabs = [
        "",
        "questions/",
        f"questions/?page={last_questions}",
        "answers/",
        f"answers/?page={last_answers}&sort=newest",
        "tags/",
        "votes/",
        "badges/",
        "reputation/",
    ]
    client = Client()
    for tab in tabs:
        path = top.get_absolute_url() + tab
        best_cpu = best_sql = float("inf")
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as queries:
                started = time.process_time()
                response = client.get(path)
                cpu = time.process_time() - started
            sql = sum(float(query["time"]) for query in queries.captured_queries)
            best_cpu, best_sql = min(best_cpu, cpu), min(best_sql, sql)
        print(
            f"{tab or '(activity)':34} {response.status_code} {len(queries):2} queries "
            f"CPU {best_cpu * 1000:6.1f} ms  SQL {best_sql * 1000:6.1f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
