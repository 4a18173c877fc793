"""What the thread page shows of moderation: `{% moderation_denial "flag" user post as
reason %}` (as `denial` does for the posting rules), the forms of the flag and close
dialogs (the same forms as their own pages, which work without JavaScript) and the names
of close reasons."""

from django import template
from django.conf import settings

from accounts.roles import is_moderator
from moderation import permissions
from moderation.forms import CloseForm, FlagForm, ReopenForm
from moderation.models import CloseVote
from questions.models import Post

register = template.Library()

RULES = {
    "flag": permissions.flag_target_denial,
    "close_vote": permissions.close_vote_denial,
    "appeal": permissions.appeal_denial,
    "moderate": permissions.moderate_denial,
}


@register.simple_tag
def moderation_denial(rule, user, *objects):
    return RULES[rule](user, *objects) or ""


@register.simple_tag
def flag_form(target, pk=None):
    """The flag form for `target`, its fields' ids made with `pk` (by default the target's:
    the thread's dialogs give the stand-in id of `{% stamp %}`)."""
    pk = target.pk if pk is None else pk
    return FlagForm(target=target, auto_id=f"id_flag_{type(target).__name__.lower()}_{pk}_%s")


@register.simple_tag
def close_form(question):
    return CloseForm(question=question, auto_id=f"id_close_{question.pk}_%s")


@register.simple_tag
def reopen_form(user, question):
    return ReopenForm(reason_required=is_moderator(user), auto_id=f"id_reopen_{question.pk}_%s")


@register.simple_tag
def close_votes_needed():
    return settings.FORUM_CLOSE_VOTES_NEEDED


@register.filter
def close_reason(code):
    """The close reason's name in the current language; reasons that are not ours (from a
    Stack Exchange import) as they were written."""
    if code in CloseVote.Reason.values:
        return CloseVote.Reason(code).label
    return Post.IMPORTED_CLOSE_REASONS.get(code, code)
