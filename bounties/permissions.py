"""Who may start and award bounties: one function per rule, returning the reason an action
is refused (None: allowed), used by the views to enforce, by the templates to show the
form and the buttons, and by the services again under their row locks."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.permissions import account_denial
from accounts.privileges import has_privilege, threshold
from bounties.models import AMOUNTS, MAX_ACTIVE_PER_USER, MIN_QUESTION_AGE, Bounty


def bounty_start_denial(user, question, *, now=None):
    """Why `user` may not start a bounty on `question` at all, from what the thread has
    loaded (no query): the amount's rules are bounty_offer_denial's."""
    if reason := account_denial(user):
        return reason
    if not has_privilege(user, "set_bounty"):
        return _("You need %(reputation)s reputation to offer a bounty.") % {
            "reputation": threshold("set_bounty")
        }
    if question.deleted_at:
        return _("This question is deleted.")
    if question.closed_at:
        return _("A closed question takes no bounty.")
    if question.locked_at:
        return _("This question is locked.")
    opens_at = question.created_at + MIN_QUESTION_AGE
    if (now or timezone.now()) < opens_at:
        return _(
            "A question may have a bounty from two days after it was asked: from %(date)s."
        ) % {"date": date_format(timezone.localtime(opens_at), "DATETIME_FORMAT")}
    if question.bounty_amount:
        return _("This question has an active bounty already.")
    return None


def bounty_offer_denial(user, question, amount):
    """Why `user` may not offer `amount` on `question` (which bounty_start_denial allows):
    the steps, their reputation, their active bounties and their last one here."""
    if amount not in AMOUNTS:
        return _("A bounty is %(low)s to %(high)s reputation, in steps of 50.") % {
            "low": AMOUNTS[0],
            "high": AMOUNTS[-1],
        }
    if amount >= user.reputation:
        return _(
            "You have %(reputation)s reputation: a bounty of %(amount)s would leave you less "
            "than 1."
        ) % {"reputation": user.reputation, "amount": amount}
    active = Bounty.objects.filter(offerer=user, status=Bounty.Status.ACTIVE).count()
    if active >= MAX_ACTIVE_PER_USER:
        return _(
            "You have %(count)s active bounties already; you may start another when one ends."
        ) % {"count": active}
    last = (
        Bounty.objects.filter(offerer=user, question=question)
        .order_by("-started_at", "-pk")
        .values_list("amount", flat=True)
        .first()
    )
    if last is not None and amount < 2 * last:
        return _(
            "Your last bounty on this question was %(last)s: another must be at least twice "
            "as much, %(minimum)s."
        ) % {"last": last, "minimum": 2 * last}
    return None


def bounty_award_denial(user, bounty, answer, *, now=None):
    """Why `user` may not award `bounty` (the question's active one, or None) to `answer`."""
    if reason := account_denial(user):
        return reason
    if bounty is None or bounty.status != Bounty.Status.ACTIVE:
        return _("This question has no active bounty.")
    if bounty.offerer_id != user.pk:
        return _("Only the member who offered the bounty may award it.")
    if answer.parent_id != bounty.question_id or answer.deleted_at:
        return _("This answer cannot receive the bounty.")
    if answer.author_id == user.pk:
        return _("You cannot award your own bounty to your own answer.")
    if (now or timezone.now()) >= bounty.award_deadline:
        return _("The time to award this bounty has passed.")
    return None
