from django import template

from accounts.avatars import avatar_html

register = template.Library()


@register.simple_tag
def avatar(person, size=""):
    """`person`'s picture (accounts/avatars.py) at `size`: "sm", "lg", "xl" or the default."""
    return avatar_html(person, size)
