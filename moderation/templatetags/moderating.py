"""The forms of the flag and close dialogs on the thread page: the same forms as their
own pages, which work without JavaScript."""

from django import template
from django.conf import settings

from moderation.forms import CloseForm, FlagForm, ReopenForm
from accounts.roles import is_moderator

register = template.Library()


@register.simple_tag
def flag_form(target):
    return FlagForm(target=target, auto_id=f"id_flag_{type(target).__name__.lower()}_{target.pk}_%s")


@register.simple_tag
def close_form(question):
    return CloseForm(question=question, auto_id=f"id_close_{question.pk}_%s")


@register.simple_tag
def reopen_form(user, question):
    return ReopenForm(reason_required=is_moderator(user), auto_id=f"id_reopen_{question.pk}_%s")


@register.simple_tag
def close_votes_needed():
    return settings.FORUM_CLOSE_VOTES_NEEDED
