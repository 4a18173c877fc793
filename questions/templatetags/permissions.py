"""Templates ask the same permission functions as the views: `{% denial "edit" user post
as reason %}` gives the reason an action is refused, or "" when it is allowed."""

from django import template

from moderation import permissions as moderation
from questions import permissions

register = template.Library()

RULES = {
    "ask": permissions.ask_denial,
    "answer": permissions.answer_denial,
    "comment": permissions.comment_denial,
    "edit": permissions.edit_denial,
    "delete": permissions.delete_denial,
    "undelete": permissions.undelete_denial,
    "vote": permissions.vote_denial,
    "accept": permissions.accept_denial,
    "tag_edit": permissions.tag_edit_denial,
    "flag": moderation.flag_target_denial,
    "close_vote": moderation.close_vote_denial,
    "appeal": moderation.appeal_denial,
    "moderate": moderation.moderate_denial,
}


@register.simple_tag
def denial(rule, user, *objects):
    return RULES[rule](user, *objects) or ""
