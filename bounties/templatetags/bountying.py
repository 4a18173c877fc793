"""What the pages show of bounties: `{% bounty_denial "start" user question as reason %}`
(as `denial` does for the posting rules), and the names of reasons and statuses."""

from django import template

from bounties import permissions
from bounties.models import Bounty

register = template.Library()

RULES = {
    "start": permissions.bounty_start_denial,
    "award": permissions.bounty_award_denial,
}


@register.simple_tag
def bounty_denial(rule, user, *objects):
    return RULES[rule](user, *objects) or ""


@register.filter
def bounty_reason(reason):
    return Bounty.Reason(reason).label if reason else ""


@register.simple_tag
def bounty_form():
    """A blank form to start a bounty, for the thread's "Start a bounty"."""
    from bounties.forms import BountyForm

    return BountyForm()
