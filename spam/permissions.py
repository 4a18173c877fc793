"""Who may destroy a spammer, and undo it."""

from django.utils.translation import gettext as _

from accounts.roles import has_role, is_moderator


def destroy_denial(actor, user):
    """Why `actor` may not destroy `user` as a spammer, or None."""
    if not is_moderator(actor):
        return _("Only moderators may destroy spammers.")
    if user.pk == actor.pk:
        return _("You cannot destroy your own account.")
    if has_role(user) or user.is_superuser:
        return _("Moderators and community managers cannot be destroyed as spammers.")
    return None


def undo_denial(actor, destruction):
    """Why `actor` may not undo `destruction`, or None."""
    from spam.services import undo_deadline

    if not is_moderator(actor):
        return _("Only moderators may undo the destruction of a spammer.")
    if destruction.undone_at:
        return _("This destruction has been undone already.")
    if destruction.created_at < undo_deadline():
        return _("This destruction is too old to undo.")
    return None
