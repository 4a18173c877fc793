"""Who may reach which moderation URL: anonymous visitors, a newcomer below the flag
privilege, a member, the post's author, a moderator, a community manager and a suspended
member, against every moderation page and action."""

import pytest

from accounts.models import User
from moderation import services
from questions import services as question_services
from tests import factories
from tests.clients import client_for

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
    people = {
        "anonymous": None,
        "newcomer": factories.user(username="newcomer"),
        "member": factories.user(username="member", reputation=50),
        "author": author,
        "moderator": moderator,
        "community manager": factories.user(username="manager", is_staff=True),
        "suspended": User.objects.get(pk=suspended.pk),
    }
    return {
        "people": people,
        "question": question,
        "answer": answer,
        "gone": gone,
        "author": author,
    }


# (method, URL, data, expected status for each role in ROLES). 302 is a redirect: to log
# in for visitors, back to the post after an action. 404 where even the existence of the
# thing must not leak.
CASES = {
    "flag page": (
        "get",
        lambda w: f"/posts/{w['question'].pk}/flag/",
        None,
        [302, 403, 200, 403, 200, 200, 403],
    ),
    "flag": (
        "post",
        lambda w: f"/posts/{w['question'].pk}/flag/",
        {"reason": "low_quality"},
        [302, 403, 302, 403, 302, 302, 403],
    ),
    "flag page of a deleted post": (
        "get",
        lambda w: f"/posts/{w['gone'].pk}/flag/",
        None,
        [404, 404, 404, 403, 403, 403, 404],
    ),
    "lock an answer": (
        "post",
        lambda w: f"/posts/{w['answer'].pk}/moderate/lock/",
        {"reason": "Heated."},
        [302, 403, 403, 403, 302, 302, 403],
    ),
    "undelete a deleted post": (
        "post",
        lambda w: f"/posts/{w['gone'].pk}/moderate/undelete/",
        {"reason": "Deleted by mistake."},
        [404, 404, 404, 403, 302, 302, 404],
    ),
    "vote to close": (
        "post",
        lambda w: f"/questions/{w['question'].pk}/close/",
        {"reason": "off-topic"},
        [302, 403, 403, 403, 302, 302, 403],
    ),
    "the author's flags": (
        "get",
        lambda w: f"/users/{w['author'].pk}/{w['author'].slug}/flags/",
        None,
        [302, 403, 403, 200, 200, 200, 403],
    ),
    "moderator messages": (
        "get",
        lambda w: "/messages/",
        None,
        [302, 200, 200, 200, 200, 200, 200],
    ),
    "appeal a post the author deleted": (
        "get",
        lambda w: f"/posts/{w['gone'].pk}/appeal/",
        None,
        [404, 404, 404, 403, 403, 403, 404],
    ),
    "the moderators' panel": (
        "get",
        lambda w: "/moderation/",
        None,
        [302, 302, 302, 302, 200, 200, 302],
    ),
    "the staff escalation queue": (
        "get",
        lambda w: "/admin/moderation/escalation/",
        None,
        [302, 302, 302, 302, 302, 200, 302],
    ),
}


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("case", CASES)
def test_each_role_gets_what_the_permissions_say(world, case, who):
    method, url, data, expected = CASES[case]

    response = getattr(client_for(world["people"][who]), method)(url(world), data or {})

    assert response.status_code == expected[ROLES.index(who)]
