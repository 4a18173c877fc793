"""Who may reach which suggested-edit and review URL: the roles of moderation's permission
matrix (anonymous visitors, a newcomer, a member, the post's author, a moderator, a
community manager, a suspended member) and a reviewer with 3,000 reputation, against every
page and action of the reviews app."""

import pytest

from accounts.models import User
from moderation import services as moderation_services
from questions import services as question_services
from reviews import services
from reviews.models import ReviewTask
from tests import factories
from tests.clients import client_for
from tests.moderation.test_permission_matrix import ROLES as MODERATION_ROLES

pytestmark = pytest.mark.django_db

ROLES = [*MODERATION_ROLES, "reviewer"]
Queue = ReviewTask.Queue
BODY = "Start with the grammar, then read a lot of simple texts aloud."


@pytest.fixture
def world():
    author = factories.user(username="author", reputation=50)
    question = factories.question(author=author, title="A question everyone can see", tags=["x"])
    answer = factories.answer(question, author=author)
    gone = factories.question(author=author, title="A question that was deleted")
    services.task_open(queue=Queue.FIRST_QUESTIONS, post_id=question.pk)
    services.task_open(queue=Queue.FIRST_QUESTIONS, post_id=gone.pk)
    question_services.post_delete(post=gone, user=author)
    suggestion = services.suggestion_create(
        post=question,
        suggester=factories.user(username="suggester"),
        base_revision=0,
        body=question.body_markdown + " Edited.",
    )
    suspended = factories.user(username="suspended", reputation=5000)
    moderator = factories.moderator(username="moderator")
    moderation_services.user_suspend(user=suspended, moderator=moderator, days=3, reason="Spam.")
    people = {
        "anonymous": None,
        "newcomer": factories.user(username="newcomer"),
        "member": factories.user(username="member", reputation=50),
        "author": author,
        "moderator": moderator,
        "community manager": factories.user(username="manager", is_staff=True),
        "suspended": User.objects.get(pk=suspended.pk),
        "reviewer": factories.user(username="reviewer", reputation=3000),
    }
    tasks = ReviewTask.objects.order_by("pk")
    return {
        "people": people,
        "question": question,
        "answer": answer,
        "suggestion": suggestion,
        "task": tasks.get(post=question, queue=Queue.FIRST_QUESTIONS),
        "gone task": tasks.get(post=gone),
        "suggestion task": tasks.get(queue=Queue.SUGGESTED_EDITS),
    }


# (method, URL, data, expected status for each role in ROLES). 302 is a redirect: to log in
# for visitors, on to the next task or back to the post after an action.
CASES = {
    "suggest page": (
        "get",
        lambda w: f"/posts/{w['answer'].pk}/suggest/",
        None,
        [302, 200, 200, 403, 403, 403, 403, 403],
    ),
    "suggest an edit": (
        "post",
        lambda w: f"/posts/{w['answer'].pk}/suggest/",
        {"body": BODY, "summary": "", "base_revision": "0"},
        [302, 302, 302, 403, 403, 403, 403, 403],
    ),
    "a suggestion's page": (
        "get",
        lambda w: f"/review/suggestions/{w['suggestion'].pk}/",
        None,
        [200, 200, 200, 200, 200, 200, 200, 200],
    ),
    "approve a suggestion": (
        "post",
        lambda w: f"/review/task/{w['suggestion task'].pk}/review/",
        {"action": "approve", "return_to": "suggestion"},
        [302, 403, 403, 302, 302, 302, 403, 302],
    ),
    "reject a suggestion": (
        "post",
        lambda w: f"/review/task/{w['suggestion task'].pk}/review/",
        {"action": "reject", "reason": "no_improvement"},
        [302, 403, 403, 302, 302, 302, 403, 302],
    ),
    "improve a suggestion": (
        "get",
        lambda w: f"/review/task/{w['suggestion task'].pk}/edit/",
        None,
        [302, 403, 403, 200, 200, 200, 403, 200],
    ),
    "the review queues": (
        "get",
        lambda w: "/review/",
        None,
        [302, 403, 403, 403, 200, 200, 403, 200],
    ),
    "the first questions": (
        "get",
        lambda w: "/review/first-questions/",
        None,
        [302, 403, 403, 403, 200, 200, 403, 200],
    ),
    "the suggested edits": (
        "get",
        lambda w: "/review/suggested-edits/",
        None,
        [302, 403, 403, 403, 200, 200, 403, 200],
    ),
    "the close votes": (
        "get",
        lambda w: "/review/close-votes/",
        None,
        [302, 403, 403, 403, 200, 200, 403, 200],
    ),
    "a queue that does not exist": (
        "get",
        lambda w: "/review/first_questions/",
        None,
        [404, 404, 404, 404, 404, 404, 404, 404],
    ),
    "looks OK": (
        "post",
        lambda w: f"/review/task/{w['task'].pk}/review/",
        {"action": "looks_ok"},
        [302, 403, 403, 403, 302, 302, 403, 302],
    ),
    "edit while reviewing": (
        "get",
        lambda w: f"/review/task/{w['task'].pk}/edit/",
        None,
        [302, 403, 403, 403, 200, 200, 403, 200],
    ),
    "a task's page": (
        "get",
        lambda w: f"/review/task/{w['task'].pk}/",
        None,
        [200, 200, 200, 200, 200, 200, 200, 200],
    ),
    "the task of a deleted post": (
        "get",
        lambda w: f"/review/task/{w['gone task'].pk}/",
        None,
        [404, 404, 404, 200, 200, 200, 404, 404],
    ),
    "my review history": (
        "get",
        lambda w: "/review/history/",
        None,
        [302, 200, 200, 200, 200, 200, 200, 200],
    ),
}


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("case", CASES)
def test_each_role_gets_what_the_permissions_say(world, case, who):
    method, url, data, expected = CASES[case]

    response = getattr(client_for(world["people"][who]), method)(url(world), data or {})

    assert response.status_code == expected[ROLES.index(who)]
