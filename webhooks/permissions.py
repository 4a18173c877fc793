"""Who may manage the webhooks: the community managers (accounts/roles.py)."""

from django.utils.translation import gettext as _

from accounts.permissions import account_denial
from accounts.roles import is_community_manager


def webhooks_denial(user):
    """Why `user` may not see or change the webhooks, if so."""
    if reason := account_denial(user):
        return reason
    if not is_community_manager(user):
        return _("Only community managers manage the webhooks.")
    return None
