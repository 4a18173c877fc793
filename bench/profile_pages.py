"""One request at a time, through Django's test client, on the database in DATABASE_URL:
for each page the wall time of a GET (the mean of ten, the best of three such runs), the
time its SQL queries took in one of them and what is left (Python: view, ORM, templates).
`-v` lists every query with its time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stapel_bench_100k \\
        .venv/bin/python bench/profile_pages.py [-v] [--as USERNAME] [--unstamped] [--wsgi]
            [PATH ...]

Without paths it takes the pages `make bench` measures. The settings are production's
(DEBUG off, cached templates) with the anonymous page cache off. `--as bench-member`
requests the pages as that member (`make bench` creates bench-member and bench-moderator);
`--unstamped` renders the forms a thread repeats under every post in full for each post
(FORUM_STAMP_FRAGMENTS off), to see what core.stamping buys. `--wsgi` loads the site
through forum/wsgi.py, as gunicorn does, with its garbage collector settings; without it
the collector runs at Python's defaults (its work falls on some requests and not on
others, hence the means).
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUN_REQUESTS = 10
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")
os.environ.setdefault("SECRET_KEY", "profile-pages-" + "x" * 40)
os.environ.update(
    FORUM_PAGE_CACHE_SECONDS="0",
    FORUM_SEARCH_RATE_PER_MINUTE="100000000",
    ALLOWED_HOSTS="testserver",
    SECURE_SSL_REDIRECT="0",
)
os.environ.pop("DJANGO_DEBUG", None)


def default_pages():
    from django.db.models import F
    from django.db.models.functions import Abs

    from accounts.models import User
    from questions.models import Post, Tag

    questions = Post.objects.questions().visible()

    def thread_near(answers):
        return questions.order_by(Abs(F("answer_count") - answers), "pk").first().get_absolute_url()

    tag = Tag.objects.order_by("-question_count", "name").first()
    user = User.objects.filter(is_active=True).order_by("-reputation", "pk").first()
    return [
        "/",
        "/?page=2000",
        thread_near(10),
        thread_near(50),
        tag.get_absolute_url(),
        user.get_absolute_url(),
        "/search/?q=python",
    ]


def main(arguments):
    if "--wsgi" in arguments:
        import forum.wsgi  # noqa: F401  (sets Django up, then tunes the collector)
    else:
        import django

        django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    arguments = list(arguments)
    verbose = "-v" in arguments
    username = None
    if "--as" in arguments:
        at = arguments.index("--as")
        username = arguments[at + 1]
        del arguments[at : at + 2]
    if "--unstamped" in arguments:
        settings.FORUM_STAMP_FRAGMENTS = False
    options = {"-v", "--unstamped", "--wsgi"}
    paths = [argument for argument in arguments if argument not in options] or default_pages()
    client = Client()
    if username:
        client.force_login(User.objects.get(username=username))
    for path in paths:
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        captured, status = list(queries.captured_queries), response.status_code
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            for _ in range(RUN_REQUESTS):
                client.get(path)
            runs.append((time.perf_counter() - started) * 1000 / RUN_REQUESTS)
        wall = min(runs)
        sql = sum(float(query["time"]) for query in captured) * 1000
        print(
            f"{path} [{status}] {wall:.1f} ms: SQL {sql:.0f} ms in {len(captured)} queries, "
            f"the rest {wall - sql:.1f} ms"
        )
        if verbose:
            for query in captured:
                print(f"    {float(query['time']) * 1000:6.0f} ms  {query['sql'][:160]}")


if __name__ == "__main__":
    main(sys.argv[1:])
