"""The review pages in both languages, the header's link, and their query counts: pinned,
and flat in the number of posts and tasks."""

import pytest
from django.db import connection
from django.test import Client

from questions.models import Post
from reviews import services
from reviews.models import ReviewTask
from reviews.selectors import next_task_query
from tests import factories
from tests.clients import client_for, page_queries
from tests.reviews.helpers import review, suggest, task_of

pytestmark = pytest.mark.django_db

Queue = ReviewTask.Queue


def first_questions(count):
    """`count` questions waiting in the first questions, each by another newcomer."""
    questions = [factories.question(author=factories.user(), tags=["x"]) for _ in range(count)]
    for question in questions:
        services.task_open(queue=Queue.FIRST_QUESTIONS, post_id=question.pk)
    return questions


def test_the_review_pages_speak_german_by_default_and_english_when_asked(german_site, reviewer):
    first_questions(1)
    german = Client()
    german.force_login(reviewer)

    for url in ("/review/", "/review/first-questions/", "/review/history/"):
        german_html = german.get(url).content.decode()
        english_html = client_for(reviewer).get(url).content.decode()
        assert '<html lang="de">' in german_html and "Fragen</a>" in german_html
        assert '<html lang="en">' in english_html and "Questions</a>" in english_html
    assert "Review queues" in client_for(reviewer).get("/review/").content.decode()


def test_the_header_links_the_queues_for_those_who_may_review_at_no_cost(first_posts_reviewer):
    below = factories.user(reputation=499)

    with_link = client_for(first_posts_reviewer)
    without = client_for(below)

    assert 'href="/review/"' in with_link.get("/").content.decode()
    assert 'href="/review/"' not in without.get("/").content.decode()
    assert page_queries(with_link, "/") == page_queries(without, "/")


def test_the_header_link_follows_the_beta_thresholds(settings):
    settings.FORUM_PRIVILEGE_PROFILE = "beta"

    assert 'href="/review/"' in client_for(factories.user(reputation=350)).get("/").content.decode()


def test_the_queues_index_costs_a_fixed_number_of_queries(reviewer):
    first_questions(3)
    client = client_for(reviewer)
    review(reviewer, ReviewTask.objects.first(), "looks_ok", client)

    # The session, the user, the open tasks per queue, today's reviews per queue, a
    # review ban, the inbox count, the unread moderator messages.
    assert page_queries(client, "/review/") == 7


def test_the_next_task_costs_the_same_however_many_posts_and_tasks_there_are(reviewer):
    first_questions(1)
    client = client_for(reviewer)
    few = page_queries(client, "/review/first-questions/")

    first_questions(30)
    for _ in range(20):
        factories.answer(factories.question())
    many = page_queries(client, "/review/first-questions/")

    # The session, the user, a review ban, today's reviews, the next task with its post,
    # the question's tags, the inbox count, the unread moderator messages.
    assert few == many == 8


def test_a_close_votes_task_and_a_suggested_edit_cost_a_fixed_number_of_queries(
    reviewer, suggester
):
    voter = factories.user(reputation=3000)
    question = factories.question(tags=["x"])
    client_for(voter).post(f"/questions/{question.pk}/close/", {"reason": "off-topic"})
    suggest(
        suggester, factories.question(tags=["x"]), body="A body that is long enough to suggest."
    )
    closer = client_for(factories.user(reputation=3000))
    client = client_for(reviewer)

    # As the first questions, and the live votes by reason.
    assert page_queries(closer, "/review/close-votes/") == 9
    # As the first questions: the tags the diff compares come with the question's.
    assert page_queries(client, "/review/suggested-edits/") == 8


def test_a_tasks_page_and_the_history_cost_a_fixed_number_of_queries(reviewer):
    questions = first_questions(5)
    client = client_for(reviewer)
    for question in questions:
        review(reviewer, task_of(question, Queue.FIRST_QUESTIONS), "looks_ok", client)
    task = task_of(questions[0], Queue.FIRST_QUESTIONS)

    # The session, the user, the task with its post, the tags, the reviews with their
    # reviewers, the inbox count, the unread moderator messages.
    assert page_queries(client, f"/review/task/{task.pk}/") == 7
    # The session, the user, the page of reviews with their tasks and posts, the inbox
    # count, the unread moderator messages.
    assert page_queries(client, "/review/history/") == 5


def test_the_suggestion_pages_cost_a_fixed_number_of_queries(suggester, reviewer):
    question = factories.question(tags=["x", "y"])
    client = client_for(suggester)

    # The session, the user, the post, the tags, whether a suggestion waits, the latest
    # revision, the inbox count, the unread moderator messages.
    assert page_queries(client, f"/posts/{question.pk}/suggest/") == 8
    suggest(suggester, question, body="A body that is long enough to suggest as an edit.")
    suggestion = question.suggested_edits.get()
    # The session, the user, the suggestion with its post and people, the tags, its task,
    # a review ban, the inbox count, the unread moderator messages.
    assert page_queries(client_for(reviewer), f"/review/suggestions/{suggestion.pk}/") == 8


def test_a_thread_costs_no_more_for_the_improve_link(question, suggester, reviewer):
    factories.answer(question)
    # The related questions are read once, then cached.
    client_for(None).get(question.get_absolute_url())

    assert page_queries(client_for(suggester), question.get_absolute_url()) == page_queries(
        client_for(reviewer), question.get_absolute_url()
    )
    assert Post.objects.count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
def test_the_next_task_is_read_from_the_partial_index_of_open_tasks(reviewer):
    first_questions(3)
    tasks = next_task_query(user=reviewer, queue=Queue.FIRST_QUESTIONS)

    with connection.cursor() as cursor:
        # The tables are tiny here: a sequential scan would win, so it is ruled out to see
        # which index the plan reads.
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = tasks.explain()

    assert "reviewtask_next_idx" in plan
