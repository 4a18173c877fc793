"""The image upload's limits, for the posting forms' hint."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def image_max_megabytes():
    megabytes = settings.FORUM_POST_IMAGE_MAX_BYTES / 1024 / 1024
    return f"{megabytes:g}" if megabytes == int(megabytes) else f"{megabytes:.1f}"
