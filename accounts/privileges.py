"""Reputation thresholds: the one table of what reputation unlocks, and of the limits it
lifts from new users.

Two profiles, as on Stack Exchange: the full thresholds of an established site, and lower
"beta" thresholds for a young community (settings.FORUM_PRIVILEGE_PROFILE = "beta").
Moderators and community managers hold every privilege; suspended users hold none.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.roles import is_moderator, is_suspended


@dataclass(frozen=True)
class Privilege:
    key: str
    name: str
    description: str
    full: int
    beta: int

    @property
    def threshold(self):
        return _in_profile(self.full, self.beta)


def _in_profile(full, beta):
    return beta if settings.FORUM_PRIVILEGE_PROFILE == "beta" else full


PRIVILEGES = [
    Privilege("vote_up", _("Vote up"), _("Show that a post is useful."), 15, 15),
    Privilege("flag", _("Flag posts"), _("Bring posts to the moderators' attention."), 15, 15),
    Privilege(
        "comment_everywhere", _("Comment everywhere"), _("Comment on other people's posts."), 50, 50
    ),
    Privilege(
        "set_bounty",
        _("Set bounties"),
        _("Offer some of your reputation to draw attention and answers to a question."),
        75,
        75,
    ),
    Privilege("vote_down", _("Vote down"), _("Show that a post is not useful."), 125, 125),
    Privilege("create_tags", _("Create tags"), _("Add new tags to the site."), 300, 150),
    Privilege(
        "review",
        _("Access review queues"),
        _("Review new members' first posts and late answers."),
        500,
        350,
    ),
    Privilege(
        "edit_others",
        _("Edit others' posts"),
        _("Edit any question or answer directly; review suggested edits and low-quality posts."),
        2000,
        1000,
    ),
    Privilege(
        "close_reopen",
        _("Close and reopen"),
        _("Vote to close or reopen questions, also in their review queues."),
        3000,
        500,
    ),
    Privilege(
        "moderator_tools",
        _("Moderator tools"),
        _("See deleted posts and the moderation statistics."),
        10000,
        2000,
    ),
    Privilege(
        "protect", _("Protect questions"), _("Protect questions from new users."), 15000, 15000
    ),
]

BY_KEY = {privilege.key: privilege for privilege in PRIVILEGES}

# Limits new users start with, and the (full, beta) reputation that lifts each, as on Stack
# Exchange. Lifting one unlocks nothing new, so the privileges page does not list them.
NEW_USER_LIMITS = {
    # Below it a post may hold at most NEW_USER_MAX_LINKS links, and no images: the
    # commonest shape of spam.
    "links": (10, 10),
    # Below it a member may ask one question every NEW_USER_QUESTION_INTERVAL_MINUTES.
    "question_interval": (125, 125),
}
NEW_USER_MAX_LINKS = 2
NEW_USER_QUESTION_INTERVAL_MINUTES = 40


def has_privilege(user, key):
    """Whether `user` holds the privilege `key` now."""
    privilege = BY_KEY[key]
    if not user.is_authenticated or is_suspended(user):
        return False
    if is_moderator(user):
        return True
    return user.reputation >= privilege.threshold


def threshold(key):
    """The reputation the privilege, or the lifting of the new users' limit, `key` needs."""
    if key in NEW_USER_LIMITS:
        return _in_profile(*NEW_USER_LIMITS[key])
    return BY_KEY[key].threshold


def new_user_limited(user, key):
    """Whether the new users' limit `key` still holds for `user`: moderators and community
    managers start without them."""
    return not is_moderator(user) and user.reputation < threshold(key)
