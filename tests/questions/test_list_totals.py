"""The totals of the question lists ("2 questions") are stored, not counted: every write that
moves a question onto or off a list moves them. The drift check after each test (see
conftest) compares them with a count as well."""

import re
import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from questions.models import ListTotal, Post
from tests import factories
from tests.clients import client_for
from tests.concurrency import post_at_once

pytestmark = pytest.mark.django_db


def totals():
    """(questions on the main list, on the unanswered tab) as a visitor reads them."""
    client = client_for(None)

    def read(path):
        html = client.get(path).content.decode()
        return re.search(r'<p class="page-count">([\d,]+) questions?</p>', html).group(1)

    return read("/"), read("/?tab=unanswered")


def stored():
    return dict(ListTotal.objects.values_list("name", "count"))


def test_asking_answering_deleting_and_undeleting_move_the_totals():
    factories.answer(factories.question(title="An old answered question", tags=["grammar"]))
    asker = factories.user(display_name="Asker")
    answerer = factories.user(display_name="Answerer")
    assert totals() == ("1", "0")

    client_for(asker).post(
        "/questions/ask/",
        {
            "title": "How do I form the past tense?",
            "body": "I cannot find it in the grammar at all.",
            "tags": "grammar",
            "submission_token": str(uuid.uuid4()),
        },
    )
    question = Post.objects.get(title="How do I form the past tense?")
    assert totals() == ("2", "1")

    client_for(answerer).post(
        f"/questions/{question.pk}/answer/",
        {"body": "Add the suffix to the verb stem.", "submission_token": str(uuid.uuid4())},
    )
    answer = Post.objects.get(parent=question)
    assert totals() == ("2", "0")

    client_for(answerer).post(f"/posts/{answer.pk}/delete/")
    assert totals() == ("2", "1")

    client_for(asker).post(f"/posts/{question.pk}/delete/")
    assert totals() == ("1", "0")

    client_for(asker).post(f"/posts/{question.pk}/undelete/")
    assert totals() == ("2", "1")
    assert stored() == {"listed": 2, "unanswered": 1}


def test_a_second_answer_leaves_the_unanswered_total_alone():
    question = factories.question()
    factories.answer(question)
    assert totals() == ("1", "0")

    client_for(factories.user()).post(
        f"/questions/{question.pk}/answer/",
        {"body": "Another way to put it: read a lot.", "submission_token": str(uuid.uuid4())},
    )

    assert Post.objects.get(pk=question.pk).answer_count == 2
    assert totals() == ("1", "0")


@pytest.mark.drift
def test_the_lists_show_the_stored_total_and_recount_repairs_it():
    factories.question(title="The only question")
    ListTotal.objects.filter(name=ListTotal.Name.LISTED).update(count=1500)

    assert totals() == ("1,500", "1")

    out = StringIO()
    call_command("recount", stdout=out)

    assert "list totals: 1 drifted" in out.getvalue()
    assert "listed: stored 1500, counted 1" in out.getvalue()
    assert stored() == {"listed": 1, "unanswered": 1}
    assert totals() == ("1", "1")


def test_a_site_without_stored_totals_counts_its_lists():
    factories.question()
    factories.answer(factories.question())
    ListTotal.objects.all().delete()

    assert totals() == ("2", "1")

    call_command("recount", stdout=StringIO())
    assert stored() == {"listed": 2, "unanswered": 1}


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises every write: there is no concurrency to test.",
)
@pytest.mark.django_db(transaction=True)
def test_simultaneous_first_answers_take_the_question_off_the_unanswered_total_once():
    call_command("recount", stdout=StringIO())  # a transactional test starts without stored totals
    question = factories.question()
    factories.question(title="Another unanswered one")
    assert stored() == {"listed": 2, "unanswered": 2}
    clients = []
    for _ in range(8):
        client = Client()
        client.force_login(factories.user())
        clients.append(client)
    answer = {"body": "Read the grammar, then a lot of texts."}
    jobs = [
        (
            client,
            f"/questions/{question.pk}/answer/",
            [{**answer, "submission_token": str(uuid.uuid4())}],
        )
        for client in clients
    ]
    statuses = post_at_once(jobs)

    assert statuses == [302] * len(clients)
    assert Post.objects.get(pk=question.pk).answer_count == len(clients)
    assert stored() == {"listed": 2, "unanswered": 1}
