"""Every read's query count, pinned: the same with one row as with many, and at most
the figure here (the token, the quota's counter where there is no Redis, the rows, their
tags or comments); with Redis the counters cost none."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from badges import services as badge_services
from notifications import services as notification_services
from notifications.models import Notification
from questions import services
from tests import factories
from tests.api.conftest import api_client

pytestmark = pytest.mark.django_db

BODY = "A body long enough to pass the form's own rule."


def count(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured)


def grow(world, times):
    """Adds `times` of everything each endpoint lists to `world`."""
    question, answer, owner = world["question"], world["answer"], world["owner"]
    badges = list(badge_services.badges_sync().values())
    for number in range(times):
        factories.comment(answer, body=f"Comment number {number}, long enough.")
        factories.comment(question, body=f"On the question {number}, long enough.")
        factories.answer(question)
        services.post_edit(post=answer, editor=owner, body=f"{BODY} Edit {number}.")
        factories.question(author=owner, tags=[f"grown{number}"])
        badge_services.award_grant(badge=badges[number], user_id=owner.pk)
        notification_services.entries_add(
            recipient_ids=[owner.pk],
            kind=Notification.Kind.ANSWER,
            key=f"answer:{1000 + number}",
            question=question,
        )


@pytest.fixture
def world():
    owner = factories.user(reputation=200)
    question = services.question_create(
        author=owner, title="Parsing dates in python", body=BODY, tags=["python"]
    )
    answer = services.answer_create(author=owner, question=question, body=BODY)
    comment = factories.comment(answer)
    return {"owner": owner, "question": question, "answer": answer, "comment": comment}


URLS = {
    "a question": (lambda w: f"/api/v1/questions/{w['question'].pk}/", 6),
    "an answer": (lambda w: f"/api/v1/answers/{w['answer'].pk}/", 5),
    "a comment": (lambda w: f"/api/v1/comments/{w['comment'].pk}/", 4),
    "a post's comments": (lambda w: f"/api/v1/posts/{w['answer'].pk}/comments/", 4),
    "revisions": (lambda w: f"/api/v1/posts/{w['answer'].pk}/revisions/", 4),
    "a user": (lambda w: f"/api/v1/users/{w['owner'].pk}/", 3),
    "a user's posts": (lambda w: f"/api/v1/users/{w['owner'].pk}/posts/?pagesize=100", 4),
    "questions": (lambda w: "/api/v1/questions/?pagesize=100", 4),
    "users": (lambda w: "/api/v1/users/?pagesize=100", 3),
    "tags": (lambda w: "/api/v1/tags/?pagesize=100", 3),
    "badges": (lambda w: "/api/v1/badges/?pagesize=100", 3),
    "a user's badges": (lambda w: f"/api/v1/users/{w['owner'].pk}/badges/", 4),
    "search": (lambda w: "/api/v1/search/?q=python", 6),
    "inbox": (lambda w: "/api/v1/inbox/", 3),
}


@pytest.mark.parametrize("endpoint", URLS)
def test_a_reads_queries_do_not_grow_with_its_rows(world, endpoint):
    url, most = URLS[endpoint]
    client = api_client(world["owner"])
    client.get("/api/v1/tags/")  # the token's first use is written once
    few = count(client, url(world))
    grow(world, 4)
    many = count(client, url(world))
    assert few == many
    assert many <= most
