from datetime import UTC, datetime
from io import StringIO
from types import SimpleNamespace

import pytest
from django.conf import settings as project_settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client

from moderation.models import ModeratorAction
from tests import factories

# Commits inside each test's transaction, so that domain events are delivered (see the module).
pytest_plugins = ["tests.commits"]
# Helpers that assert for several test modules: their failures are shown in full too.
pytest.register_assert_rewrite("tests.moderation.changelists")

ASKED = datetime(2012, 4, 11, 1, 8, 26, tzinfo=UTC)


@pytest.fixture
def german_site(settings):
    """The site's own language is German, whatever FORUM_LANGUAGE says where the tests run."""
    settings.LANGUAGE_CODE = "de"


# The cast most tests share. A module that needs someone different (more reputation, a
# known name or text) says so: with a fixture of another name, or with the factory's
# keywords in the test itself.


@pytest.fixture
def author(db):
    """Wrote `question`; a newcomer with 1 reputation, who can log in with the form."""
    return factories.user(display_name="Author", password=factories.PASSWORD)


@pytest.fixture
def question(author):
    return factories.question(author=author)


@pytest.fixture
def answer(question):
    """An answer to `question` by a newcomer."""
    return factories.answer(question)


@pytest.fixture
def member(db):
    """A newcomer with 1 reputation, who has written nothing."""
    return factories.user(display_name="Member")


@pytest.fixture
def moderator(db):
    return factories.moderator(display_name="Mod")


@pytest.fixture
def voter(db):
    """May vote up (15 reputation) and down (125)."""
    return factories.user(reputation=200)


@pytest.fixture
def flagger(db):
    """Has just the reputation to flag (15)."""
    return factories.user(display_name="Flagger", reputation=15)


@pytest.fixture
def grace(db):
    """A member whose username, email and password the account tests type into forms."""
    return factories.user(
        username="grace",
        display_name="Grace Hopper",
        email="grace@example.org",
        password=factories.PASSWORD,
    )


@pytest.fixture
def people(author):
    """The permission matrix's cast around a post by `author`."""
    return {
        "anonymous": None,
        "author": author,
        "other user": factories.user(reputation=1999),
        "privileged editor": factories.user(reputation=2000),
        "moderator": factories.moderator(),
    }


@pytest.fixture
def english_client(db):
    return Client(headers={"accept-language": "en"})


@pytest.fixture
def thread_with_answers(db):
    """The seed thread's shape: four answers scored +30, +4, +4 (a later tie) and +2, the
    last one accepted, and a comment under the first."""
    question = factories.question(
        title="Is it unprofessional to maintain personal relationships with users?",
        author=factories.user(display_name="Aarthi", reputation=2500),
        tags=["community", "moderation"],
        created_at=ASKED,
    )
    answers = {
        name: factories.answer(
            question,
            author=factories.user(display_name=name),
            score=score,
            created_at=ASKED.replace(minute=minute, second=second),
            body=f"Answer by {name}.",
            accepted=accepted,
        )
        for name, score, minute, second, accepted in [
            ("ChrisF", 30, 12, 36, False),
            ("Jasconius", 4, 11, 59, False),
            ("Rarity", 4, 19, 45, False),
            ("Karlson", 2, 15, 26, True),
        ]
    }
    factories.comment(
        answers["ChrisF"], body="+1: It could be argued.", created_at=ASKED.replace(minute=30)
    )
    return SimpleNamespace(question=question, answers=answers)


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache: no cached page, throttle or view count of
    another test (the page cache keys pages by URL, and factories write past the services
    that renew them). Emptying Redis empties a whole database: the tests only use number 15."""
    if project_settings.REDIS_URL and not project_settings.REDIS_URL.rstrip("/").endswith("/15"):
        pytest.exit(
            "The tests empty the cache: point REDIS_URL at Redis database 15 (redis://host:6379/15)."
        )
    cache.clear()


@pytest.fixture(autouse=True)
def stored_counters_match_their_rows(request):
    """After every test that writes to the database, `recount` must find no drift: the
    services keep every stored counter exact. Tests that break counters on purpose say
    so with `@pytest.mark.drift`."""
    uses_database = request.node.get_closest_marker("django_db") or "db" in request.fixturenames
    if not uses_database:
        yield
        return
    if "transactional_db" not in request.fixturenames:
        # Set the database up inside this fixture, so that it is rolled back after the check.
        request.getfixturevalue("db")
    # And the settings: the check runs under the test's own (a daily cap it lowered, say).
    request.getfixturevalue("settings")
    yield
    # Read after the test: a fixture may have added the marker.
    if request.node.get_closest_marker("drift"):
        return
    out = StringIO()
    call_command("recount", "--dry-run", stdout=out)
    assert "No drift." in out.getvalue(), out.getvalue()


@pytest.fixture(autouse=True)
def audit_log_erased_before_the_flush(request):
    """The audit log refuses to lose rows (moderation's migrations 0002 and 0003), to the
    flush that empties the database after a transactional test too. So the rows such a test
    wrote are erased before the flush, as only the table's owner can: with its triggers
    switched off inside one transaction, which no other connection sees."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker and marker.kwargs.get("transaction")) or {
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    if not transactional:
        yield
        return
    # Set up before this fixture, the flush runs after its teardown.
    request.getfixturevalue("transactional_db")
    yield
    if not ModeratorAction.objects.exists():
        return
    table = ModeratorAction._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            cursor.execute(f"DELETE FROM {table}")
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [table],
            )
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f"DROP TRIGGER {name}")
            cursor.execute(f"DELETE FROM {table}")
            for _name, sql in triggers:
                cursor.execute(sql)
