"""The pages' permission matrix (tests/moderation/test_permission_matrix.py) run again
through the API: the same people, the same posts, the same verdicts. The pages answer
with a redirect to log in (302) where the API answers 401, and with a redirect back to
the post after an action (302) where the API answers 200 or 201."""

import pytest

from accounts.models import User
from moderation import services
from questions import services as question_services
from tests import factories
from tests.api.conftest import api_client

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "newcomer", "member", "author", "moderator", "community manager", "suspended"]


@pytest.fixture
def world():
    author = factories.user(username="author", reputation=50)
    question = factories.question(author=author, title="A question everyone can see here")
    answer = factories.answer(question, author=author)
    gone = factories.question(author=author, title="A question that was deleted")
    question_services.post_delete(post=gone, user=author)
    suspended = factories.user(username="suspended", reputation=5000)
    moderator = factories.moderator(username="moderator")
    services.user_suspend(user=suspended, moderator=moderator, days=3, reason="Spam.")
    return {
        "people": {
            "anonymous": None,
            "newcomer": factories.user(username="newcomer"),
            "member": factories.user(username="member", reputation=50),
            "author": author,
            "moderator": moderator,
            "community manager": factories.user(username="manager", is_staff=True),
            "suspended": User.objects.get(pk=suspended.pk),
        },
        "question": question,
        "answer": answer,
        "gone": gone,
    }


BODY = "A body long enough to pass the form's own rule."
CASES = {
    "flag a question": (
        "post",
        lambda w: f"/api/v1/posts/{w['question'].pk}/flags/",
        {"reason": "low_quality"},
        [401, 403, 201, 403, 201, 201, 403],
    ),
    "flag a deleted post": (
        "post",
        lambda w: f"/api/v1/posts/{w['gone'].pk}/flags/",
        {"reason": "low_quality"},
        [404, 404, 404, 403, 403, 403, 404],
    ),
    "read a deleted question": (
        "get",
        lambda w: f"/api/v1/questions/{w['gone'].pk}/",
        None,
        [404, 404, 404, 200, 200, 200, 404],
    ),
    "answer": (
        "post",
        lambda w: f"/api/v1/questions/{w['question'].pk}/answers/",
        {"body": BODY},
        [401, 201, 201, 201, 201, 201, 403],
    ),
    "comment on someone else's question": (
        "post",
        lambda w: f"/api/v1/posts/{w['question'].pk}/comments/",
        {"body": "A comment long enough."},
        [401, 403, 201, 201, 201, 201, 403],
    ),
    "edit someone else's answer": (
        "patch",
        lambda w: f"/api/v1/posts/{w['answer'].pk}/",
        {"body": BODY + " Edited."},
        [401, 403, 403, 200, 200, 200, 403],
    ),
    "vote up": (
        "post",
        lambda w: f"/api/v1/posts/{w['answer'].pk}/vote/",
        {"value": "up"},
        [401, 403, 200, 403, 200, 200, 403],
    ),
    "accept": (
        "put",
        lambda w: f"/api/v1/answers/{w['answer'].pk}/accept/",
        None,
        [401, 403, 403, 200, 403, 403, 403],
    ),
    "follow": (
        "put",
        lambda w: f"/api/v1/posts/{w['question'].pk}/follow/",
        None,
        [401, 200, 200, 200, 200, 200, 403],
    ),
    "save": (
        "put",
        lambda w: f"/api/v1/questions/{w['question'].pk}/bookmark/",
        None,
        [401, 200, 200, 200, 200, 200, 403],
    ),
}


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("role", ROLES)
def test_the_api_allows_what_the_pages_allow(world, case, role):
    method, url, data, expected = CASES[case]
    client = api_client(world["people"][role])
    response = getattr(client, method)(url(world), data or {}, content_type="application/json")
    assert response.status_code == expected[ROLES.index(role)], response.content
