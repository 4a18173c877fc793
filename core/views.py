"""The few pages that belong to no app: the colour theme's switch."""

from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.themes import CHOICES, theme_remember


@require_POST
def theme_set(request):
    """Remembers the theme the visitor chose (a form in the footer, CSRF-checked) and sends
    them back to the page they were on, now rendered in it."""
    theme = request.POST.get("theme")
    if theme not in dict(CHOICES):
        return HttpResponseBadRequest(_("Choose a light, a dark or the automatic theme."))
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    theme_remember(response, theme)
    return response
