"""The API's reads: what each endpoint returns, its filters, keyset pages, and query
counts that do not grow with the page size."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from questions import services
from tests import factories
from tests.api.conftest import api_client

pytestmark = pytest.mark.django_db


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured)


def test_the_question_list_shows_questions_with_their_tags_and_owner(anonymous):
    asker = factories.user(display_name="Ada")
    question = factories.question(author=asker, title="How do I read a file?", tags=["python"])

    body = anonymous.get("/api/v1/questions/").json()

    (item,) = body["items"]
    assert item["id"] == question.pk
    assert item["title"] == "How do I read a file?"
    assert item["tags"] == ["python"]
    assert item["owner"]["display_name"] == "Ada"
    assert item["link"].endswith(question.get_absolute_url())
    assert body["has_more"] is False
    assert body["quota_max"] == 300


def test_the_question_list_filters_by_tags_answers_and_dates(anonymous):
    old = factories.question(tags=["python"], created_at=datetime(2020, 1, 1, tzinfo=UTC))
    new = factories.question(tags=["python", "files"], created_at=datetime(2024, 1, 1, tzinfo=UTC))
    factories.answer(old)
    other = factories.question(tags=["java"], created_at=datetime(2024, 2, 1, tzinfo=UTC))

    def ids(query):
        response = anonymous.get(f"/api/v1/questions/?{query}")
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["items"]]

    assert ids("tagged=python") == [new.pk, old.pk] or set(ids("tagged=python")) == {
        new.pk,
        old.pk,
    }
    assert ids("tagged=python;files") == [new.pk]
    assert ids("unanswered=true&tagged=python") == [new.pk]
    assert ids("sort=creation&fromdate=2023-06-01") == [other.pk, new.pk]
    assert ids(f"sort=creation&todate={int(datetime(2021, 1, 1, tzinfo=UTC).timestamp())}") == [
        old.pk
    ]
    assert ids("tagged=nothing-like-it") == []


def test_keyset_pages_walk_the_whole_list_once(anonymous):
    made = {factories.question(score=score % 3).pk for score in range(7)}
    seen, cursor = [], ""
    while True:
        body = anonymous.get(f"/api/v1/questions/?sort=votes&pagesize=2{cursor}").json()
        seen += [item["id"] for item in body["items"]]
        if not body["has_more"]:
            break
        cursor = f"&cursor={body['next_cursor']}"
    assert len(seen) == len(set(seen)) == 7
    assert set(seen) == made


def test_a_page_size_over_100_is_read_as_100(anonymous):
    for _ in range(101):
        factories.question()
    body = anonymous.get("/api/v1/questions/?pagesize=5000").json()
    assert len(body["items"]) == 100
    assert body["has_more"] is True


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/questions/?pagesize={n}",
        "/api/v1/users/?pagesize={n}",
        "/api/v1/tags/?pagesize={n}",
        "/api/v1/users/{user}/posts/?pagesize={n}",
    ],
)
def test_list_query_counts_do_not_grow_with_the_page_size(url, writer):
    author = factories.user()
    client = api_client(writer)
    factories.question(author=author, tags=["one"])
    client.get("/api/v1/tags/")  # the token's first use is written once, not measured
    one = queries(client, url.format(n=1, user=author.pk))
    for number in range(5):
        question = factories.question(author=author, tags=[f"tag{number}", "one"])
        factories.answer(question, author=author)
    many = queries(client, url.format(n=50, user=author.pk))
    assert one == many
    assert many <= 6


def test_a_thread_costs_the_same_with_one_answer_or_many(writer):
    client = api_client(writer)
    question = factories.question(tags=["one"])
    factories.answer(question)
    client.get("/api/v1/tags/")
    one = queries(client, f"/api/v1/questions/{question.pk}/")
    for _ in range(4):
        factories.comment(factories.answer(question))
    assert queries(client, f"/api/v1/questions/{question.pk}/") == one


def test_a_question_comes_with_its_answers_and_comments(anonymous, thread_with_answers):
    question = thread_with_answers.question
    body = anonymous.get(f"/api/v1/questions/{question.pk}/").json()
    names = [answer["owner"]["display_name"] for answer in body["answers"]]
    # The accepted answer leads, as on the page.
    assert names == ["Karlson", "ChrisF", "Jasconius", "Rarity"]
    assert body["answers"][0]["is_accepted"] is True
    assert body["answers"][1]["comments"][0]["body"] == "+1: It could be argued."
    assert body["tags"] == ["community", "moderation"]


def test_a_deleted_question_exists_only_for_its_author(anonymous, author, question):
    services.post_delete(post=question, user=author)
    assert anonymous.get(f"/api/v1/questions/{question.pk}/").status_code == 404
    assert api_client(factories.user()).get(f"/api/v1/questions/{question.pk}/").status_code == 404
    body = api_client(author).get(f"/api/v1/questions/{question.pk}/").json()
    assert body["is_deleted"] is True


def test_answers_comments_and_revisions(anonymous, thread_with_answers):
    answer = thread_with_answers.answers["ChrisF"]
    body = anonymous.get(f"/api/v1/answers/{answer.pk}/").json()
    assert body["question_id"] == thread_with_answers.question.pk
    assert body["score"] == 30
    (comment,) = anonymous.get(f"/api/v1/posts/{answer.pk}/comments/").json()
    assert anonymous.get(f"/api/v1/comments/{comment['id']}/").json()["body"] == comment["body"]
    assert anonymous.get(f"/api/v1/answers/{thread_with_answers.question.pk}/").status_code == 404

    post = factories.question(title="The first title of this", body="The first body of it.")
    editor = factories.user(reputation=2000)
    services.post_edit(post=post, editor=editor, body="A second body, longer than that.")
    revisions = anonymous.get(f"/api/v1/posts/{post.pk}/revisions/").json()
    assert [revision["number"] for revision in revisions] == [2, 1]
    assert revisions[0]["body_markdown"] == "A second body, longer than that."


def test_users_a_user_and_their_posts(anonymous):
    top = factories.user(display_name="Top", reputation=900)
    factories.user(display_name="Low", reputation=5)
    question = factories.question(author=top)
    answer = factories.answer(factories.question(), author=top)

    users = anonymous.get("/api/v1/users/").json()["items"]
    assert users[0]["display_name"] == "Top"
    assert anonymous.get(f"/api/v1/users/{top.pk}/").json()["reputation"] == 900
    posts = anonymous.get(f"/api/v1/users/{top.pk}/posts/").json()["items"]
    assert {(post["id"], post["post_type"]) for post in posts} == {
        (question.pk, "question"),
        (answer.pk, "answer"),
    }
    assert anonymous.get("/api/v1/users/999999/").status_code == 404


def test_tags_by_popularity_and_by_name(anonymous):
    factories.question(tags=["zeta"])
    factories.question(tags=["zeta", "alpha"])
    popular = anonymous.get("/api/v1/tags/").json()["items"]
    assert [tag["name"] for tag in popular] == ["zeta", "alpha"]
    by_name = anonymous.get("/api/v1/tags/?sort=name").json()["items"]
    assert [tag["name"] for tag in by_name] == ["alpha", "zeta"]


def test_search_uses_the_sites_operators(anonymous):
    factories.question(title="Parsing dates in python quickly", tags=["python"])
    factories.question(title="Parsing dates in java quickly", tags=["java"])
    body = anonymous.get("/api/v1/search/?q=parsing [python]").json()
    assert [item["title"] for item in body["items"]] == ["Parsing dates in python quickly"]
    assert body["page"] == 1


def test_the_inbox_is_its_owners_with_the_inbox_scope(question, author):
    replier = factories.user(reputation=200)
    services.answer_create(author=replier, question=question, body="An answer that is long enough.")
    body = api_client(author).get("/api/v1/inbox/").json()
    assert [entry["kind"] for entry in body["items"]] == ["answer"]
    assert body["items"][0]["is_unread"] is True
    refused = api_client(author, scopes=["read"]).get("/api/v1/inbox/")
    assert refused.status_code == 403
    assert "inbox" in refused.json()["detail"]
    assert api_client().get("/api/v1/inbox/").status_code == 401
