"""The colour theme a visitor chose: light, dark, or automatic (their system's
prefers-color-scheme). The choice is a cookie, so that the server renders the page in it
from the first byte (no flash of the other theme, no script needed): templates/base.html
links static/css/dark.css with the media this module gives, and the anonymous page cache
keys pages by it (questions.caching)."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

COOKIE = "stapel_theme"
AUTO, LIGHT, DARK = "auto", "light", "dark"
CHOICES = ((AUTO, _("Automatic")), (LIGHT, _("Light")), (DARK, _("Dark")))
# A year, as for the language cookie: a choice of look is kept until changed.
COOKIE_AGE = 365 * 24 * 60 * 60

# The media of dark.css's <link> for each choice.
_DARK_MEDIA = {AUTO: "(prefers-color-scheme: dark)", LIGHT: "not all", DARK: "all"}


def theme_of(request):
    """The visitor's choice; automatic when they made none (or the cookie holds nonsense)."""
    value = request.COOKIES.get(COOKIE)
    return value if value in _DARK_MEDIA else AUTO


def theme_remember(response, theme):
    """Stores `theme` (one of CHOICES) in the visitor's cookie on `response`."""
    response.set_cookie(
        COOKIE,
        theme,
        max_age=COOKIE_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )


def theme_context(request):
    """What base.html needs: the choice, dark.css's media, and the attribute for
    Bootstrap's components (only for an explicit choice: automatic leaves it to CSS)."""
    theme = theme_of(request)
    return {
        "theme": theme,
        "theme_choices": CHOICES,
        "theme_dark_media": _DARK_MEDIA[theme],
        "theme_attribute": theme if theme != AUTO else "",
    }
