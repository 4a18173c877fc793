"""The email settings page and the unsubscribe links of the emails."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts.models import User
from notifications import email_services, selectors, unsubscribe
from notifications.forms import EmailSettingsForm


@login_required
@require_http_methods(["GET", "POST"])
def email_settings(request):
    form = EmailSettingsForm(
        request.POST or None,
        instance=selectors.email_settings_for(request.user),
        user=request.user,
    )
    if form.is_valid():
        email_services.email_settings_save(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your email settings have been saved."))
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form, "tab": "settings"})


# The signed token is the authorisation here, not a session: the link works without
# logging in, and RFC 8058's one-click unsubscribe is a POST that a mail client sends on
# its own, without a page or a cookie to take a CSRF token from. A forged request could
# only carry a token its sender already holds, and switching an email off is all it can do.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe_link(request, token):
    """GET shows what the link switches off, with a button; POST (the button, or the mail
    client's List-Unsubscribe=One-Click) switches it off. A forged or expired link changes
    nothing."""
    try:
        user_id, kind = unsubscribe.token_read(token)
    except unsubscribe.TokenExpired:
        return _link_refused(request, expired=True)
    except unsubscribe.TokenInvalid:
        return _link_refused(request, expired=False)
    user = get_object_or_404(User, pk=user_id)
    context = {"label": unsubscribe.kind_label(kind), "done": False}
    if request.method == "POST":
        email_services.email_kind_off(user=user, kind=kind)
        context["done"] = True
    return render(request, "notifications/unsubscribe.html", context)


def _link_refused(request, *, expired):
    return render(
        request, "notifications/unsubscribe_refused.html", {"expired": expired}, status=400
    )
