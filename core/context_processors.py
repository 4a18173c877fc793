from django.conf import settings


def site(request):
    return {"FORUM_LANGUAGE": settings.FORUM_LANGUAGE}
