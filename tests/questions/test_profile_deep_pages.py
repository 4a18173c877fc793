"""A member's Questions and Answers tabs page by a deferred join (the page's ids from an
index alone, then their rows: questions.selectors.profile.user_posts_page): every page
shows the posts, in the order, that the plain OFFSET query of the member's posts gave."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from questions import services
from questions.models import Answer, Post, Question
from questions.selectors.profile import user_posts_page
from tests import factories
from tests.clients import client_for, page_queries

pytestmark = pytest.mark.django_db

PER_PAGE = 7


def offset_page(post_type, member, sort, number):
    """Page `number` as the tabs read it before the deferred join: the member's visible
    posts (answers on visible questions), ordered, sliced by an OFFSET."""
    if post_type == Post.PostType.QUESTION:
        posts = Question.objects.filter(author=member, deleted_at__isnull=True)
    else:
        posts = Answer.objects.filter(
            author=member, deleted_at__isnull=True, parent__deleted_at__isnull=True
        )
    order = {"votes": ("-score", "-created_at"), "newest": ("-created_at", "-id")}[sort]
    start = (number - 1) * PER_PAGE
    return list(posts.order_by(*order).values_list("pk", flat=True)[start : start + PER_PAGE])


@pytest.fixture
def prolific(db):
    """A member with 24 questions and 36 answers on 12 questions, scores 0–2 in every
    order of date; one of the questions they answered (three of their answers) and one of
    their own questions deleted by a moderator, one answer deleted by themselves; someone
    else's answers beside theirs."""
    member, other = factories.user(), factories.user()
    moderator = factories.user(is_moderator=True)
    start = timezone.now() - timedelta(days=100)
    at = iter(start + timedelta(hours=hour) for hour in range(1000))
    own = [
        factories.question(author=member, score=(n * 7) % 3, created_at=next(at)) for n in range(24)
    ]
    answered = [factories.question(created_at=next(at)) for _ in range(12)]
    answers = []
    for n in range(36):
        question = answered[(n * 5) % 12]
        answers.append(
            factories.answer(question, author=member, score=(n * 5) % 3, created_at=next(at))
        )
        factories.answer(question, author=other, created_at=next(at))
    services.post_delete(post=answered[3], user=moderator)
    services.post_delete(post=own[10], user=moderator)
    services.post_delete(post=answers[20], user=member)
    return User.objects.get(pk=member.pk)


@pytest.mark.parametrize("post_type", [Post.PostType.QUESTION, Post.PostType.ANSWER])
@pytest.mark.parametrize("sort", ["votes", "newest"])
def test_every_page_shows_what_the_offset_query_showed(prolific, post_type, sort):
    count = (
        prolific.question_count if post_type == Post.PostType.QUESTION else prolific.answer_count
    )
    pages = -(-count // PER_PAGE)
    assert count == (23 if post_type == Post.PostType.QUESTION else 32)
    seen = []

    for number in range(1, pages + 1):
        page = user_posts_page(
            user=prolific, post_type=post_type, sort=sort, number=number, per_page=PER_PAGE
        )
        shown = [post.pk for post in page.object_list]

        assert shown == offset_page(post_type, prolific, sort, number)
        assert shown
        seen += shown
    assert len(seen) == len(set(seen)) == count


def test_answers_of_a_deleted_question_and_deleted_answers_are_left_out(prolific):
    deleted = set(Post.objects.filter(deleted_at__isnull=False).values_list("pk", flat=True))
    shown = []
    for number in (1, 2, 3, 4, 5):
        page = user_posts_page(
            user=prolific,
            post_type=Post.PostType.ANSWER,
            sort="newest",
            number=number,
            per_page=PER_PAGE,
        )
        shown += page.object_list

    assert len(shown) == 32
    assert not {answer.pk for answer in shown} & deleted
    assert not {answer.parent_id for answer in shown} & deleted
    assert all(answer.author_id == prolific.pk for answer in shown)


@pytest.mark.parametrize("tab", ["questions", "answers"])
@pytest.mark.parametrize("sort", ["votes", "newest"])
def test_the_last_page_costs_the_queries_of_the_first(prolific, tab, sort):
    client = client_for(None)
    url = f"{prolific.get_absolute_url()}{tab}/?sort={sort}"
    client.get(url)  # the process's first pages read a little more
    client.get(f"{url}&page=2")

    first, last = page_queries(client, url), page_queries(client, f"{url}&page=2")

    assert first == last


def test_the_last_page_of_answers_links_the_oldest_under_their_questions_titles(
    english_client, prolific
):
    oldest = Answer.objects.filter(
        author=prolific, deleted_at__isnull=True, parent__deleted_at__isnull=True
    ).order_by("-created_at", "-id")[30:]
    expected = [(a.get_absolute_url(), a.parent.title) for a in oldest.select_related("parent")]

    html = english_client.get(
        f"{prolific.get_absolute_url()}answers/?sort=newest&page=2"
    ).content.decode()

    assert len(expected) == 2
    assert re.findall(r'class="user-post"><a href="([^"]+)">([^<]+)</a>', html) == expected


def others_posts(count):
    """`count` questions and as many answers by someone else, in two statements (the
    stored counters are not kept: the test using them is marked drift). On a real site a
    member's posts are few among the site's; without these they are half or more of the
    fixture's, and the planner may read the site's newest posts and filter them by author
    instead of reading the member's by their index."""
    author, now = factories.user(), timezone.now()
    common = {
        "author": author,
        "body_markdown": "Another member's post.",
        "body_html": "<p>Another member's post.</p>",
        "created_at": now,
        "last_activity_at": now,
    }
    questions = Post.objects.bulk_create(
        Post(
            post_type=Post.PostType.QUESTION,
            title=f"Another member's question {number}",
            slug=f"another-members-question-{number}",
            **common,
        )
        for number in range(count)
    )
    Post.objects.bulk_create(
        Post(post_type=Post.PostType.ANSWER, parent=questions[number], **common)
        for number in range(count)
    )


@pytest.mark.drift
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
@pytest.mark.parametrize(
    ("post_type", "sort", "index"),
    [
        (Post.PostType.QUESTION, "votes", "post_author_best_idx"),
        (Post.PostType.QUESTION, "newest", "post_author_newest_idx"),
        (Post.PostType.ANSWER, "votes", "post_author_best_idx"),
        (Post.PostType.ANSWER, "newest", "post_author_newest_idx"),
    ],
)
def test_a_deep_page_skips_the_earlier_pages_in_the_index_alone(prolific, post_type, sort, index):
    others_posts(500)
    with CaptureQueriesContext(connection) as queries:
        user_posts_page(user=prolific, post_type=post_type, sort=sort, number=4, per_page=PER_PAGE)
    (page_sql,) = [query["sql"] for query in queries.captured_queries if "OFFSET" in query["sql"]]
    with connection.cursor() as cursor:
        # The tables are tiny here: sequential and bitmap scans and a sort of the few rows
        # would win, so they are ruled out to see whether an index answers the page's ids,
        # in their order, by itself.
        cursor.execute("ANALYZE questions_post")
        for method in ("seqscan", "bitmapscan", "sort", "incremental_sort"):
            cursor.execute(f"SET LOCAL enable_{method} = off")
        cursor.execute(f"EXPLAIN {page_sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())

    ids = plan.split("Limit")[1]
    assert f"Index Only Scan using {index}" in ids
    assert "Sort Key" not in ids
