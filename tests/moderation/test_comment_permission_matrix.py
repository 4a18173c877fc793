"""Who may do what to comments, with the permission matrix's cast (test_permission_matrix):
edit, delete, undelete, vote up and flag, against a comment the author just wrote and one
a moderator deleted."""

from datetime import timedelta

import pytest
from django.utils import timezone

from moderation import services
from tests import factories
from tests.clients import client_for
from tests.moderation import test_permission_matrix as matrix

pytestmark = pytest.mark.django_db

# The matrix's cast: its roles, and the fixture that makes the people playing them.
ROLES = matrix.ROLES
world = matrix.world

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def comments(world):
    """The author's fresh comment on the question, and a member's comment a moderator
    deleted."""
    fresh = factories.comment(world["question"], author=world["author"])
    deleted = factories.comment(world["question"], author=world["author"], body="Deleted text.")
    services.comment_delete(
        comment=deleted, moderator=world["people"]["moderator"], reason="Off topic."
    )
    deleted.refresh_from_db()
    return {"fresh": fresh, "deleted": deleted}


# (method, URL, data, headers, expected status for each role in ROLES). 302: to log in for
# visitors, back to the thread after an action (or the flag's thanks); 404 where even the
# existence of the comment must not leak. Votes are asked as JSON, whose refusals are 403s
# (a form's refusal is a message on the thread).
CASES = {
    "edit page of a fresh comment": (
        "get",
        lambda c: f"/comments/{c['fresh'].pk}/edit/",
        None,
        {},
        [302, 403, 403, 200, 403, 403, 403],
    ),
    "edit a fresh comment": (
        "post",
        lambda c: f"/comments/{c['fresh'].pk}/edit/",
        {"body": "A changed comment, long enough."},
        {},
        [302, 403, 403, 302, 403, 403, 403],
    ),
    "edit a deleted comment": (
        "post",
        lambda c: f"/comments/{c['deleted'].pk}/edit/",
        {"body": "A changed comment, long enough."},
        {},
        [404, 404, 404, 404, 403, 403, 404],
    ),
    "delete a comment": (
        "post",
        lambda c: f"/comments/{c['fresh'].pk}/delete/",
        {"reason": "Not needed."},
        {},
        [302, 403, 403, 302, 302, 302, 403],
    ),
    "undelete a deleted comment": (
        "post",
        lambda c: f"/comments/{c['deleted'].pk}/undelete/",
        {"reason": "A mistake."},
        {},
        [404, 404, 404, 404, 302, 302, 404],
    ),
    "vote a comment up": (
        "post",
        lambda c: f"/comments/{c['fresh'].pk}/vote/",
        {"value": "up"},
        JSON,
        [403, 403, 200, 403, 200, 200, 403],
    ),
    "vote a deleted comment up": (
        "post",
        lambda c: f"/comments/{c['deleted'].pk}/vote/",
        {"value": "up"},
        JSON,
        [404, 404, 404, 404, 403, 403, 404],
    ),
    "flag page of a comment": (
        "get",
        lambda c: f"/comments/{c['fresh'].pk}/flag/",
        None,
        {},
        [302, 403, 200, 403, 200, 200, 403],
    ),
    "flag a comment": (
        "post",
        lambda c: f"/comments/{c['fresh'].pk}/flag/",
        {"reason": "no_longer_needed"},
        {},
        [302, 403, 302, 403, 302, 302, 403],
    ),
    "flag a deleted comment": (
        "get",
        lambda c: f"/comments/{c['deleted'].pk}/flag/",
        None,
        {},
        [404, 404, 404, 404, 404, 404, 404],
    ),
}


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("case", CASES)
def test_each_role_gets_what_the_comment_permissions_say(world, comments, case, who):
    method, url, data, headers, expected = CASES[case]

    response = getattr(client_for(world["people"][who]), method)(
        url(comments), data or {}, **headers
    )

    assert response.status_code == expected[ROLES.index(who)]


def test_the_edit_window_closes_for_the_author_too(world):
    old = factories.comment(
        world["question"],
        author=world["author"],
        created_at=timezone.now() - timedelta(minutes=6),
    )

    response = client_for(world["author"]).get(f"/comments/{old.pk}/edit/")

    assert response.status_code == 403
