from django import template

from accounts import roles

register = template.Library()

register.filter("is_moderator", roles.is_moderator)
register.filter("is_community_manager", roles.is_community_manager)
register.filter("is_suspended", roles.is_suspended)
