"""Reputation thresholds: the one table of what reputation unlocks.

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
        return self.beta if settings.FORUM_PRIVILEGE_PROFILE == "beta" else self.full


PRIVILEGES = [
    Privilege("vote_up", _("Vote up"), _("Show that a post is useful."), 15, 15),
    Privilege("flag", _("Flag posts"), _("Bring posts to the moderators' attention."), 15, 15),
    Privilege(
        "comment_everywhere", _("Comment everywhere"), _("Comment on other people's posts."), 50, 50
    ),
    Privilege("vote_down", _("Vote down"), _("Show that a post is not useful."), 125, 125),
    Privilege("create_tags", _("Create tags"), _("Add new tags to the site."), 300, 150),
    Privilege(
        "edit_others", _("Edit others' posts"), _("Edit any question or answer directly."), 2000, 1000
    ),
    Privilege(
        "close_reopen", _("Close and reopen"), _("Vote to close or reopen questions."), 3000, 500
    ),
    Privilege(
        "moderator_tools",
        _("Moderator tools"),
        _("See deleted posts and the moderation statistics."),
        10000,
        2000,
    ),
    Privilege("protect", _("Protect questions"), _("Protect questions from new users."), 15000, 15000),
]

BY_KEY = {privilege.key: privilege for privilege in PRIVILEGES}


def has_privilege(user, key):
    """Whether `user` holds the privilege `key` now."""
    privilege = BY_KEY[key]
    if not user.is_authenticated or is_suspended(user):
        return False
    if is_moderator(user):
        return True
    return user.reputation >= privilege.threshold


def threshold(key):
    return BY_KEY[key].threshold
