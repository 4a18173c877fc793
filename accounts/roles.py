"""Roles: the one definition of who is a moderator, a community manager or suspended.

Moderators are elected volunteers (`User.is_moderator`); community managers are paid staff
(`User.is_staff`) and hold every moderator power too. A suspended user holds no role's
powers while the suspension lasts: they may read and log in, nothing more.
Templates ask the same functions through the `roles` filters (`{% load roles %}`).
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The roles' codes (moderation.services.role_set, the audit log) and the names people read.
ROLE_NAMES = {
    "user": _("member"),
    "moderator": _("moderator"),
    "community_manager": _("community manager"),
}


def is_suspended(user):
    return bool(
        user.is_authenticated and user.suspended_until and user.suspended_until > timezone.now()
    )


def has_role(user):
    """Whether `user` was given a role (moderator or community manager), suspended or not:
    what their name stands for, which no one else may imitate."""
    return bool(user.is_moderator or user.is_staff)


def is_moderator(user):
    """Whether `user` holds a moderator's powers now: elected moderators and community
    managers, unless suspended."""
    return bool(
        user is not None and user.is_authenticated and has_role(user) and not is_suspended(user)
    )


def is_community_manager(user):
    """Whether `user` holds a community manager's powers now: staff, unless suspended."""
    return bool(
        user is not None and user.is_authenticated and user.is_staff and not is_suspended(user)
    )
