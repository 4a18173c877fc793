from django import template

from accounts import verification

register = template.Library()


@register.filter
def awaits_verification(user):
    """Whether `user` is a member who must confirm their address before posting."""
    return user.is_authenticated and not verification.is_verified(user)
