"""Templates ask the same permission functions as the views: `{% denial "edit" user post
as reason %}` gives the reason an action is refused, or "" when it is allowed. The rules of
moderation have a tag of their own, `moderation_denial` (moderation's `moderating` tags)."""

from django import template

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
    "comment_edit": permissions.comment_edit_denial,
    "comment_delete": permissions.comment_delete_denial,
    "comment_undelete": permissions.comment_undelete_denial,
    "comment_vote": permissions.comment_vote_denial,
    "tag_edit": permissions.tag_edit_denial,
    "following": permissions.following_denial,
    "image_upload": permissions.image_upload_denial,
}


@register.simple_tag
def denial(rule, user, *objects):
    return RULES[rule](user, *objects) or ""
