import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from questions import services
from tests import factories
from tests.clients import client_for

pytestmark = pytest.mark.django_db

START = datetime(2020, 1, 1, 12, 0, tzinfo=UTC)
OFFSET = re.compile(r"\bOFFSET\s+(\d+)", re.I)


@pytest.fixture(autouse=True)
def deep_from_the_second_page(settings):
    """Every page after the first is a deep one: read with a keyset seek."""
    settings.FORUM_LIST_OFFSET_PAGES = 1


@pytest.fixture
def forty_questions_with_ties(db):
    """Forty questions an hour apart, whose scores tie (0, 1, 2, 0, …); every other is tagged."""
    author = factories.user()
    return [
        factories.question(
            title=f"Numbered question {n:02d}",
            author=author,
            created_at=START + timedelta(hours=n),
            last_activity_at=START + timedelta(hours=n),
            score=n % 3,  # ties, which the id settles
            tags=["numbers"] if n % 2 else [],
        )
        for n in range(40)
    ]


def shown_numbers(response):
    return [int(n) for n in re.findall(r"Numbered question (\d\d)", response.content.decode())]


def page(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, [query["sql"] for query in queries]


def offsets(queries):
    return [int(n) for sql in queries for n in OFFSET.findall(sql)]


def columns_read(sql):
    return re.findall(r'"questions_post"\."(\w+)"', re.match(r"SELECT (.*?) FROM", sql)[1])


def test_paging_on_reads_each_page_without_an_offset(client, forty_questions_with_ties):
    for number, expected in [(1, range(39, 24, -1)), (2, range(24, 9, -1)), (3, range(9, -1, -1))]:
        response, queries = page(client, f"/?tab=newest&page={number}")

        assert shown_numbers(response) == list(expected)
        assert offsets(queries) == []


def test_the_last_page_visited_first_is_found_from_the_end_of_the_list(
    client, forty_questions_with_ties
):
    response, queries = page(client, "/?tab=newest&page=3")

    assert shown_numbers(response) == list(range(9, -1, -1))
    # Its boundary is the tenth row from the end: never more than a page from an end.
    assert offsets(queries) == [10]


def test_a_deep_page_visited_first_finds_its_boundary_reading_two_columns(
    client, forty_questions_with_ties, settings
):
    settings.FORUM_DEFAULT_PAGE_SIZE = 5
    response, queries = page(client, "/?tab=newest&page=4")  # rows 15-19 of 40: nearer the start

    assert shown_numbers(response) == list(range(24, 19, -1))
    [boundary] = [sql for sql in queries if OFFSET.search(sql)]
    assert offsets([boundary]) == [14]
    assert columns_read(boundary) == ["created_at", "id"]

    again, queries = page(client_for(factories.user()), "/?tab=newest&page=4")
    assert shown_numbers(again) == list(range(24, 19, -1))
    assert offsets(queries) == []


@pytest.mark.parametrize("tab", ["active", "newest", "votes", "unanswered"])
@pytest.mark.parametrize("path", ["/", "/questions/tagged/numbers/"])
def test_deep_pages_show_what_offset_pages_show_in_every_tab(
    client, forty_questions_with_ties, settings, tab, path
):
    settings.FORUM_PAGE_CACHE_SECONDS = 0
    settings.FORUM_DEFAULT_PAGE_SIZE = 3
    with_offsets = []
    settings.FORUM_LIST_OFFSET_PAGES = 100
    for number in range(1, 8):
        with_offsets.append(shown_numbers(client.get(f"{path}?tab={tab}&page={number}")))
    settings.FORUM_LIST_OFFSET_PAGES = 1

    with_seeks = [
        shown_numbers(client.get(f"{path}?tab={tab}&page={number}")) for number in range(7, 0, -1)
    ]

    assert with_seeks[::-1] == with_offsets
    shown = sum(with_offsets, [])
    assert len(shown) == len(set(shown)) == (20 if "tagged" in path else 21)


def test_page_2000_of_a_short_list_shows_its_last_page(client, forty_questions_with_ties):
    response, queries = page(client, "/?tab=newest&page=2000")

    assert shown_numbers(response) == list(range(9, -1, -1))
    assert offsets(queries) == [10]


def test_a_new_question_moves_the_deep_pages_on_at_once(client, forty_questions_with_ties):
    client.get("/?tab=newest&page=1")
    assert shown_numbers(client.get("/?tab=newest&page=2"))[0] == 24

    services.question_create(
        author=forty_questions_with_ties[0].author,
        title="Numbered question 40",
        body="A body.",
        tags=["x"],
    )

    assert shown_numbers(client.get("/?tab=newest&page=2"))[0] == 25
    assert (
        "41 Fragen"
        in client.get("/?tab=newest", headers={"accept-language": "de"}).content.decode()
    )
