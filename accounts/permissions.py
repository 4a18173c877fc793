"""Who may act at all: one function per rule, returning the reason an action is refused
(None when allowed), used by views to enforce and by templates to show. `require` turns a
reason into a 403. The apps above build their rules on `account_denial`: a suspended
member may read and log in, nothing more, whatever their role; so may a new member who
has not verified their email address yet (accounts.verification)."""

from django.core.exceptions import PermissionDenied
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import verification
from accounts.roles import is_suspended


def require(reason):
    if reason:
        raise PermissionDenied(reason)


def account_denial(user):
    """Why `user` may not act (write, vote, flag, moderate, edit their profile), if so."""
    if not user.is_authenticated:
        return _("You need to log in first.")
    if is_suspended(user):
        return _("Your account is suspended until %(date)s.") % {
            "date": date_format(user.suspended_until, "DATETIME_FORMAT")
        }
    if not verification.is_verified(user):
        return _(
            "Please confirm your email address first: follow the link we emailed you. "
            "A new link can be asked for at the top of the site's pages."
        )
    return None


def profile_edit_denial(user):
    return account_denial(user)
