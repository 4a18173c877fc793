"""Each method costs a fixed number of queries, whatever the page size: owners come with
their posts, tags in one query for the page. The quota's count is one statement more
(and now and then the purge of expired counters), counted apart."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories

THROTTLE_TABLE = "core_throttlecounter"


@pytest.fixture
def site(db):
    """Twenty-four questions, each with its own author and two tags, a comment, and (every
    other one) two answers with comments by the asker; a bounty on every third."""
    questions = []
    ends = timezone.now() + timedelta(days=7)
    for number in range(24):
        bounty = {"bounty_amount": 50, "bounty_ends_at": ends} if number % 3 == 0 else {}
        question = factories.question(
            tags=[f"tag{number}", "shared"], title=f"Verbs number {number}", **bounty
        )
        if number % 2:
            for _ in range(2):
                answer = factories.answer(question, score=1, author=question.author)
                factories.comment(answer, author=question.author)
        factories.comment(question)
        questions.append(question)
    return questions


def _queries(se, path, **params):
    with CaptureQueriesContext(connection) as captured:
        body = se.get(path, **params)
    queries = [query["sql"] for query in captured]
    throttle = [sql for sql in queries if THROTTLE_TABLE in sql]
    assert 1 <= len(throttle) <= 3  # the quota, perhaps the searches, perhaps the purge
    return len(queries) - len(throttle), len(body["items"])


def _ids(rows):
    return ";".join(str(row.pk) for row in rows)


@pytest.mark.parametrize(
    ("path", "params", "expected"),
    [
        ("sites", {}, 0),
        ("questions", {}, 3),  # the page with owners, its tags, its upvoted and accepted answers
        ("questions", {"tagged": "shared"}, 3),
        ("questions/unanswered", {}, 3),
        ("questions/no-answers", {}, 3),
        ("questions/featured", {}, 3),
        ("questions/{questions}", {}, 3),
        ("questions/{questions}/answers", {}, 1),
        ("questions/{questions}/comments", {}, 1),
        ("answers", {}, 1),
        ("answers/{answers}", {}, 1),
        ("answers/{answers}/comments", {}, 1),
        ("answers/{answers}/questions", {}, 3),
        ("comments", {}, 1),
        ("comments/{comments}", {}, 1),
        ("posts", {}, 1),
        ("posts/{questions}", {}, 1),
        ("posts/{questions}/comments", {}, 1),
        ("users", {}, 1),
        ("users/{users}", {}, 1),
        ("users/{users}/questions", {}, 3),
        ("users/{users}/answers", {}, 1),
        ("users/{users}/comments", {}, 1),
        ("tags", {}, 1),
        ("tags/{tags}/info", {}, 1),
        # The search's count of its questions (or its text's matches), its page and that
        # page's tags; the page again with owners, its tags and answers.
        ("search/advanced", {"tagged": "shared"}, 6),
        ("search/advanced", {"q": "verbs"}, 6),
        ("search", {"intitle": "verbs"}, 6),
        ("similar", {"title": "verbs number"}, 4),
    ],
)
def test_a_methods_queries_do_not_grow_with_the_page_size(se, site, path, params, expected):
    from questions.models import Answer, Comment, Tag

    path = path.format(
        questions=_ids(site),
        answers=_ids(Answer.objects.all()),
        comments=_ids(Comment.objects.all()),
        users=_ids({question.author for question in site}),
        tags=";".join(Tag.objects.values_list("name", flat=True)),
    )
    small, small_items = _queries(se, path, pagesize=2, **params)
    large, large_items = _queries(se, path, pagesize=10, **params)
    assert (small, large) == (expected, expected)
    if path != "sites":
        assert small_items < large_items


def test_info_is_counted_once_and_then_read_from_the_cache(se, site):
    first, _ = _queries(se, "info")
    again, _ = _queries(se, "info")
    assert first == 7
    assert again == 0
