from django.conf import settings

from core.themes import theme_context


def site(request):
    return {"FORUM_LANGUAGE": settings.FORUM_LANGUAGE}


def theme(request):
    return theme_context(request)
