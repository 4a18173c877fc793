"""What the pages show of the reviews app: `{% review_denial "suggest" user post as
reason %}` (as `denial` does for the posting rules), whether a member may review (the
header's link, no query), and the names of queues, actions and reasons."""

from django import template

from moderation.models import CloseVote
from reviews import permissions
from reviews.models import Review, ReviewTask, SuggestedEdit

register = template.Library()

RULES = {
    "suggest": permissions.suggest_denial,
    "decide": permissions.suggestion_decide_denial,
}


@register.simple_tag
def review_denial(rule, user, *objects):
    return RULES[rule](user, *objects) or ""


@register.filter
def may_review(user):
    return permissions.may_review(user)


@register.filter
def action_label(action):
    return Review.Action(action).label


@register.filter
def outcome_label(outcome):
    return ReviewTask.Outcome(outcome).label if outcome else ""


@register.filter
def review_reason(review):
    """A review's reason in the current language: a rejection's or a close vote's."""
    if review.action == Review.Action.REJECT and review.reason in SuggestedEdit.RejectReason.values:
        return SuggestedEdit.RejectReason(review.reason).label
    if review.reason in CloseVote.Reason.values:
        return CloseVote.Reason(review.reason).label
    return review.reason
