import re

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils import translation
from django.utils.translation import gettext as _


class ContentSecurityPolicyMiddleware:
    """Sends a Content-Security-Policy that forbids inline scripts and foreign scripts.

    Posts may embed images from any https host, as on Stack Exchange; everything else
    is served by us.
    """

    policy = "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' https: data:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


# C0 control characters and DEL. Tab, line feed and carriage return may stand in query
# values (a pasted search); nothing else has a use there, and NUL breaks PostgreSQL's text.
_PATH_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")
_QUERY_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ControlCharacterMiddleware:
    """Answers 400 to a request whose path or query string holds control characters,
    before any view reads them: no view has to guard against NUL bytes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _PATH_CONTROLS.search(request.path) or any(
            _QUERY_CONTROLS.search(key) or any(_QUERY_CONTROLS.search(value) for value in values)
            for key, values in request.GET.lists()
        ):
            return HttpResponseBadRequest(
                _("The address holds control characters."), content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)


# The query parameter that names a page's language (questions/structured_data.py: what
# search engines read as the page's language versions).
LANGUAGE_PARAMETER = "lang"


def requested_language(request):
    """The language the URL names (`?lang=de`), if the site speaks it; else None."""
    code = request.GET.get(LANGUAGE_PARAMETER, "")
    return code if code in dict(settings.LANGUAGES) else None


class LanguageParameterMiddleware:
    """A page asked for with `?lang=<code>` speaks that language, whatever the visitor's
    cookie or browser prefer: so that search engines, which send neither, can read each
    language version at an address of its own. It is remembered nowhere (the language
    switcher remembers a choice). After LocaleMiddleware, which it overrules."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if code := requested_language(request):
            translation.activate(code)
            request.LANGUAGE_CODE = code
        return self.get_response(request)
