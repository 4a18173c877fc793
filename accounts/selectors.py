"""The queries that build the member pages. (Those of a member's posts and reputation
history are questions' own: questions/selectors/profile.py.)"""

from dataclasses import dataclass

from django.db.models import F, Q
from django.http import Http404

from accounts.models import KEY_LENGTH, User
from accounts.privileges import PRIVILEGES, Privilege, has_privilege
from accounts.roles import has_role
from core.text import lookalike_key

# A list shows names, reputation and places, not the profile texts.
_LIST_FIELDS = (
    "id",
    "username",
    "display_name",
    "reputation",
    "is_moderator",
    "location",
    "date_joined",
    "votes_up",
    "votes_down",
    "edit_count",
    "avatar_kind",
    "avatar_key",
)

# The users list's orderings, each the order of one of User's indexes.
USER_ORDERS = {
    "reputation": ("-reputation", "id"),
    "new": ("-date_joined", "-id"),
    "voters": ((F("votes_up") + F("votes_down")).desc(), "id"),
    "editors": ("-edit_count", "id"),
}
DEFAULT_USER_ORDER = "reputation"
NAME_FILTER_MAX_LENGTH = 100


def user_list(*, order=DEFAULT_USER_ORDER, name_filter=""):
    """Members in `order` (USER_ORDERS), those whose username or shown name contains
    `name_filter` when one is given."""
    members = User.objects.only(*_LIST_FIELDS)
    if name_filter:
        members = members.filter(
            Q(username__icontains=name_filter) | Q(display_name__icontains=name_filter)
        )
    return members.order_by(*USER_ORDERS[order])


def user_for_profile(*, pk):
    """The member a profile tab shows, with the counts stored on them."""
    user = User.objects.defer("about_markdown", "password").filter(pk=pk).first()
    if user is None:
        raise Http404
    return user


def user_for_reputation(*, pk):
    user = User.objects.only("id", "username", "display_name", "reputation").filter(pk=pk).first()
    if user is None:
        raise Http404
    return user


@dataclass(frozen=True)
class PrivilegeStanding:
    privilege: Privilege
    held: bool
    # None for anonymous visitors, who have no reputation to measure.
    missing: int | None


def privilege_standings(*, user):
    """Every privilege, lowest threshold first, with whether `user` holds it and how much
    reputation they still lack."""
    standings = []
    for privilege in sorted(PRIVILEGES, key=lambda p: p.threshold):
        missing = max(privilege.threshold - user.reputation, 0) if user.is_authenticated else None
        standings.append(
            PrivilegeStanding(
                privilege=privilege, held=has_privilege(user, privilege.key), missing=missing
            )
        )
    return standings


def name_taken_by_lookalike(name, *, user=None, exact_allowed=False):
    """The member other than `user` whose username or shown name looks like `name`
    (core.text.lookalike_key), or None. With `exact_allowed` (display names, which need
    not be unique, as on Stack Exchange) a member showing exactly this name does not count,
    unless they are a moderator or a community manager, whose names no one may wear."""
    key = lookalike_key(name)[:KEY_LENGTH]
    others = (
        User.objects.filter(Q(username_key=key) | Q(name_key=key))
        .exclude(pk=user.pk if user else None)
        .only("id", "username", "display_name", "is_moderator", "is_staff")
    )
    for other in others[:20]:
        if exact_allowed and other.name == name and not has_role(other):
            continue
        return other
    return None
