"""The API's writes go through the pages' forms, permission functions and services."""

import uuid

import pytest

from moderation.models import Flag
from notifications.models import Follow
from questions import services
from questions.models import Bookmark, Comment, Post, Vote
from tests import factories
from tests.api.conftest import api_client

pytestmark = pytest.mark.django_db

BODY = "A body long enough to pass the form's own rule."


def send(client, method, url, data=None):
    return getattr(client, method)(url, data or {}, content_type="application/json")


def test_asking_answering_and_commenting(writer):
    factories.tag("python")
    client = api_client(writer)
    token = str(uuid.uuid4())
    fields = {"title": "How do I read a file line by line?", "body": BODY, "tags": ["python"]}
    asked = send(client, "post", "/api/v1/questions/", {**fields, "submission_token": token})
    assert asked.status_code == 201, asked.content
    question = Post.objects.get(pk=asked.json()["id"])
    assert asked["Location"].endswith(question.get_absolute_url())
    # The same submission again posts nothing new.
    again = send(client, "post", "/api/v1/questions/", {**fields, "submission_token": token})
    assert again.json()["id"] == question.pk

    answered = send(client, "post", f"/api/v1/questions/{question.pk}/answers/", {"body": BODY})
    assert answered.status_code == 201, answered.content
    assert answered.json()["question_id"] == question.pk
    commented = send(
        client,
        "post",
        f"/api/v1/posts/{question.pk}/comments/",
        {"body": "A comment, long enough."},
    )
    assert commented.status_code == 201, commented.content
    assert Comment.objects.get(pk=commented.json()["id"]).post_id == question.pk
    question.refresh_from_db()
    assert (question.answer_count, question.comment_count) == (1, 1)


def test_the_forms_rules_refuse_with_field_errors(writer):
    client = api_client(writer)
    refused = send(
        client, "post", "/api/v1/questions/", {"title": "Short", "body": "x", "tags": []}
    )
    errors = refused.json()["errors"]
    assert refused.status_code == 400
    assert set(errors) == {"title", "body", "tags"}
    assert errors["tags"] == ["Add at least one tag."]


def test_editing_with_a_stale_revision_is_a_conflict(author):
    question = services.question_create(
        author=author, title="A question to edit twice", body=BODY, tags=["python"]
    )
    client = api_client(author)
    url = f"/api/v1/posts/{question.pk}/"
    edited = send(client, "patch", url, {"body": BODY + " Edited.", "revision": 1})
    assert edited.json() == {"changed": True, "message": "Your edit was saved."}
    stale = send(client, "patch", url, {"body": BODY + " Again.", "revision": 1})
    assert stale.status_code == 409
    assert "revision (2)" in stale.json()["detail"]
    unchanged = send(client, "patch", url, {"body": BODY + " Edited."})
    assert unchanged.json()["changed"] is False
    answer = factories.answer(question, author=author)
    titled = send(client, "patch", f"/api/v1/posts/{answer.pk}/", {"title": "A title for it"})
    assert titled.json()["errors"] == {"title": ["An answer has no title or tags."]}


def test_voting_accepting_flagging_following_and_saving(author, question, writer):
    answer = factories.answer(question)
    client = api_client(writer)
    voted = send(client, "post", f"/api/v1/posts/{answer.pk}/vote/", {"value": "up"})
    assert voted.json() == {"score": 1, "vote": "up"}
    assert Vote.objects.filter(post=answer, user=writer).exists()

    accepted = send(api_client(author), "put", f"/api/v1/answers/{answer.pk}/accept/")
    assert accepted.json() == {"accepted": True, "accepted_answer_id": answer.pk}
    undone = send(api_client(author), "delete", f"/api/v1/answers/{answer.pk}/accept/")
    assert undone.json() == {"accepted": False, "accepted_answer_id": None}

    flagged = send(client, "post", f"/api/v1/posts/{answer.pk}/flags/", {"reason": "not_an_answer"})
    assert flagged.status_code == 201, flagged.content
    assert Flag.objects.get(pk=flagged.json()["id"]).reporter == writer
    twice = send(client, "post", f"/api/v1/posts/{answer.pk}/flags/", {"reason": "not_an_answer"})
    assert twice.status_code == 403
    assert twice.json()["detail"] == "You have flagged this already; a moderator will look at it."

    followed = send(client, "put", f"/api/v1/posts/{question.pk}/follow/")
    assert followed.json() == {"active": True, "changed": True}
    assert Follow.objects.filter(user=writer, post=question).exists()
    assert send(client, "delete", f"/api/v1/posts/{question.pk}/follow/").json()["changed"]

    saved = send(client, "put", f"/api/v1/questions/{question.pk}/bookmark/")
    assert saved.json() == {"active": True, "changed": True}
    assert Bookmark.objects.filter(user=writer, question=question).exists()
    assert (
        send(client, "put", f"/api/v1/questions/{question.pk}/bookmark/").json()["changed"] is False
    )


def test_refusals_are_the_permission_functions_reasons(author, question):
    newcomer = api_client(factories.user())
    refused = send(newcomer, "post", f"/api/v1/posts/{question.pk}/vote/", {"value": "down"})
    assert refused.status_code == 403
    own = send(api_client(author), "post", f"/api/v1/posts/{question.pk}/vote/", {"value": "up"})
    assert own.json()["detail"] == "You can't vote on your own post."
    comment = send(
        newcomer,
        "post",
        f"/api/v1/posts/{question.pk}/comments/",
        {"body": "A comment, long enough."},
    )
    assert comment.json()["detail"] == "You need 50 reputation to comment on other people's posts."
    anonymous = send(api_client(), "post", f"/api/v1/posts/{question.pk}/vote/", {"value": "up"})
    assert anonymous.status_code == 401
    assert anonymous.json()["detail"] == "You need to log in first."
