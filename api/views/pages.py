"""The API's pages: a member's access tokens, and the documentation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import account_denial, require
from api import tokens
from api.forms import TokenForm
from api.models import AccessToken


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    """The member's tokens, and the form that makes one. A new token's secret is shown
    on the page that answers the form, once: only its hash is kept."""
    require(account_denial(request.user))
    form = TokenForm(request.POST or None, user=request.user)
    secret = None
    if request.method == "POST" and form.is_valid():
        days = form.cleaned_data["expires_in_days"]
        _token, secret = tokens.token_create(
            user=request.user,
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            expires_in_days=int(days) if days else None,
        )
        form = TokenForm(user=request.user)
    response = render(
        request,
        "api/tokens.html",
        {"form": form, "secret": secret, "tokens": tokens.user_tokens(user=request.user)},
    )
    # The secret must not stay in any cache or the browser's history.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(AccessToken, pk=pk, user=request.user)
    if tokens.token_revoke(token=token):
        messages.success(
            request, _("The token “%(name)s” is revoked: it works no more.") % {"name": token.name}
        )
    return redirect("api:tokens")


def docs(request):
    return render(request, "api/docs.html")
