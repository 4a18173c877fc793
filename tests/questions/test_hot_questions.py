"""The thread sidebar's hot questions of its tags."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from questions.models import Post, Tag
from tests import factories
from tests.clients import client_for, sidebar_titles, thread_queries

pytestmark = pytest.mark.django_db


def hot_titles(response):
    """The titles in the thread's "Hot questions in its tags" box, in order."""
    return sidebar_titles(response, "related-questions hot-questions")


@pytest.fixture
def thread(db):
    return factories.question(title="Stress patterns in Quenya", tags=["quenya", "phonology"])


def test_the_box_lists_hot_questions_of_the_threads_tags_hottest_first(english_client, thread):
    factories.question(title="Quiet but recent", tags=["quenya"], score=1)
    busy = factories.question(title="Busy and voted", tags=["phonology"], score=4)
    factories.answer(busy)
    factories.question(title="Voted most", tags=["quenya"], score=5)
    factories.question(title="Another tag", tags=["klingon"], score=50)
    long_ago = timezone.now() - timedelta(days=30)
    factories.question(title="Voted long ago", tags=["quenya"], score=40, created_at=long_ago)

    response = english_client.get(thread.get_absolute_url())

    assert "Hot questions in its tags" in response.content.decode()
    assert hot_titles(response) == ["Busy and voted", "Voted most", "Quiet but recent"]


def test_the_box_leaves_out_the_thread_itself_and_deleted_hidden_and_held_questions(
    english_client, thread
):
    now = timezone.now()
    factories.question(title="Shown", tags=["quenya"])
    factories.question(title="Deleted", tags=["quenya"], score=9, deleted_at=now)
    factories.question(title="Hidden by flags", tags=["quenya"], score=9, hidden_at=now)
    factories.question(
        title="Held for review", tags=["quenya"], score=9, held_at=now, deleted_at=now
    )

    assert hot_titles(english_client.get(thread.get_absolute_url())) == ["Shown"]


def test_at_most_five_hot_questions_are_shown(english_client, thread):
    for number in range(8):
        factories.question(title=f"Hot number {number}", tags=["quenya"], score=number)

    titles = hot_titles(english_client.get(thread.get_absolute_url()))

    assert titles == [f"Hot number {number}" for number in (7, 6, 5, 4, 3)]


def test_a_thread_with_nothing_hot_in_its_tags_shows_no_box(english_client, thread):
    factories.question(title="Elsewhere", tags=["klingon"])

    html = english_client.get(thread.get_absolute_url()).content.decode()

    assert "hot-questions" not in html


def test_the_box_is_kept_for_every_thread_of_its_tags_in_every_language(thread, settings):
    settings.FORUM_PAGE_CACHE_SECONDS = 0
    factories.question(title="Kept", tags=["quenya", "phonology"], score=3)
    sibling = factories.question(title="Same tags", tags=["phonology", "quenya"])
    english, german = client_for(None), Client(headers={"accept-language": "de"})

    english.get(thread.get_absolute_url())
    factories.question(title="Newer", tags=["quenya"], score=9)

    assert hot_titles(german.get(sibling.get_absolute_url())) == [
        "Kept",
        "Stress patterns in Quenya",
    ]


def test_a_deleted_question_leaves_the_kept_box_at_once(thread, settings):
    settings.FORUM_PAGE_CACHE_SECONDS = 0
    author = factories.user()
    doomed = factories.question(title="Soon deleted", tags=["quenya"], author=author, score=1)
    factories.question(title="Stays", tags=["quenya"])
    reader = client_for(None)
    assert hot_titles(reader.get(thread.get_absolute_url())) == ["Soon deleted", "Stays"]

    client_for(author).post(f"/posts/{doomed.pk}/delete/")

    assert hot_titles(reader.get(thread.get_absolute_url())) == ["Stays"]


def queries_of(client, url):
    """A GET's queries, with nothing dropped from the cache beforehand."""
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


def test_a_kept_box_costs_the_thread_no_query(client, thread, settings):
    settings.FORUM_PAGE_CACHE_SECONDS = 0
    factories.question(title="Hot", tags=["quenya"], score=2)
    sibling = factories.question(title="Same tags", tags=["phonology", "quenya"])
    alone = factories.question(title="Alone", tags=["klingon"])

    # Read as a first view (tests.clients.page_queries): the box is worked out in one query.
    first = thread_queries(client, thread)
    kept = queries_of(client, thread.get_absolute_url())
    # Another thread of the same tags, whose related questions are not ranked yet.
    sibling_kept = queries_of(client, sibling.get_absolute_url())
    # A box with nothing in it is kept too (this thread has no related questions to read).
    client.get(alone.get_absolute_url())
    kept_empty = queries_of(client, alone.get_absolute_url())

    # The first view also ranks the related questions (one query more than reading them).
    assert first == kept + 2
    assert sibling_kept == first - 1
    # What these threads cost before they had the box.
    assert (kept, kept_empty) == (6, 5)


def many_questions(count, tag):
    """`count` questions of `tag`, all active now, in two statements (the stored counters
    are not kept: the test using them is marked drift): a busy tag on a busy site."""
    author, now = factories.user(), timezone.now()
    questions = Post.objects.bulk_create(
        Post(
            post_type=Post.PostType.QUESTION,
            title=f"Busy question {number}",
            slug=f"busy-question-{number}",
            author=author,
            body_markdown="Busy.",
            body_html="<p>Busy.</p>",
            created_at=now,
            last_activity_at=now,
        )
        for number in range(count)
    )
    Post.tags.through.objects.bulk_create(
        Post.tags.through(post=question, tag=tag) for question in questions
    )


@pytest.mark.drift
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
def test_the_box_reads_each_tags_newest_questions_from_the_tag_index(client, thread, settings):
    settings.FORUM_PAGE_CACHE_SECONDS = 0
    many_questions(5000, Tag.objects.get(name="quenya"))
    with CaptureQueriesContext(connection) as queries:
        client.get(thread.get_absolute_url())
    hot = next(
        q["sql"]
        for q in queries.captured_queries
        if "questions_post_tags" in q["sql"] and 'last_activity_at" >=' in q["sql"]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE questions_post")
        cursor.execute("ANALYZE questions_post_tags")
        # Thousands of rows are still few: reading them all, or merging them with the
        # candidates, would win. Ruled out, the plan shows whether the query can be answered
        # as on a site of millions: each tag's newest questions, then those by their ids.
        for method in ("seqscan", "hashjoin", "mergejoin"):
            cursor.execute(f"SET LOCAL enable_{method} = off")
        cursor.execute(f"EXPLAIN {hot}")
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "Nested Loop" in plan
    assert "Index Scan using questions_post_pkey on questions_post" in plan
    assert "Index Cond: (id = " in plan
    assert plan.count("Limit") == 3  # the box's, and one per tag
    assert "Seq Scan" not in plan
