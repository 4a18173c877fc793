"""`manage.py set_role USER {user,moderator,community_manager}`: every change is in the
audit log, by the system or by the staff member named with --by."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from moderation.models import ModeratorAction
from tests import factories

pytestmark = pytest.mark.django_db


def set_role(*args):
    out = StringIO()
    call_command("set_role", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("role", "is_moderator", "is_staff"),
    [("moderator", True, False), ("community_manager", False, True), ("user", False, False)],
)
def test_set_role_gives_each_role_and_records_it_as_the_systems_action(
    role, is_moderator, is_staff
):
    member = factories.user(username="alice", is_moderator=role == "user")

    output = set_role("alice", role)

    member.refresh_from_db()
    assert (member.is_moderator, member.is_staff) == (is_moderator, is_staff)
    assert "alice is now" in output
    row = ModeratorAction.objects.get()
    assert (row.actor, row.verb, row.target, row.reason) == (
        None,
        ModeratorAction.Verb.ROLE_CHANGED,
        member,
        role,
    )


def test_set_role_names_the_staff_member_who_made_the_change():
    member = factories.user(username="alice")
    manager = factories.user(username="carol", is_staff=True)

    set_role("alice", "moderator", "--by", "carol", "--reason", "Elected in 2025.")

    row = ModeratorAction.objects.get()
    assert (row.actor, row.target, row.reason) == (manager, member, "Elected in 2025.")


def test_set_role_changes_nothing_when_the_user_has_the_role_already():
    factories.moderator(username="alice")

    assert "already" in set_role("alice", "moderator")
    assert not ModeratorAction.objects.exists()


def test_set_role_refuses_an_unknown_user():
    with pytest.raises(CommandError, match="nobody"):
        set_role("nobody", "moderator")


def test_set_role_refuses_an_unknown_actor():
    factories.user(username="alice")

    with pytest.raises(CommandError, match="ghost"):
        set_role("alice", "moderator", "--by", "ghost")


def test_set_role_refuses_an_unknown_role():
    factories.user(username="alice")

    with pytest.raises(CommandError):
        set_role("alice", "admin")
