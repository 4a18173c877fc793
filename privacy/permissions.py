"""Who may delete an account, ask for a copy of their data, or erase someone's account."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import has_role, is_moderator
from privacy.models import DataExport, DeletionRequest

# A member asks for a new copy of their data at most this often: each is built in full.
EXPORT_INTERVAL = timedelta(hours=1)


def deletion_request_denial(user):
    """Why `user` may not ask to delete their account, if so. Suspended and unverified
    members may: the right is theirs whatever their standing."""
    if not user.is_authenticated:
        return _("You need to log in first.")
    if has_role(user) or user.is_superuser:
        return _(
            "Moderators and community managers step down from their role before they "
            "delete their account: ask a community manager."
        )
    if DeletionRequest.objects.filter(user=user).exists():
        return _("Your account is to be deleted already.")
    return None


def export_denial(user):
    if not user.is_authenticated:
        return _("You need to log in first.")
    since = timezone.now() - EXPORT_INTERVAL
    if DataExport.objects.filter(user=user, requested_at__gt=since).exists():
        return _("You asked for a copy less than an hour ago; it is offered below.")
    return None


def erase_denial(actor, target):
    """Why moderator `actor` may not erase `target`'s account at once, on their request."""
    if not is_moderator(actor):
        return _("Only moderators can erase accounts.")
    if target == actor:
        return _("Delete your own account on your privacy settings page.")
    if has_role(target) or target.is_superuser:
        return _(
            "A moderator's or community manager's account cannot be erased; remove the role first."
        )
    if DeletionRequest.objects.filter(user=target, erased_at__isnull=False).exists():
        return _("This account has been erased already.")
    return None
