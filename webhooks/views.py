"""The community managers' webhooks pages: the list, a new webhook (its secret shown once,
on the page it leads to), a webhook's settings and delivery log, a new secret, deleting."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import require
from webhooks import selectors, services
from webhooks.forms import WebhookForm
from webhooks.models import Webhook
from webhooks.permissions import webhooks_denial

# The session's key for a secret just made: the next view of its webhook shows it, once.
NEW_SECRET = "webhook_new_secret"


def managers_only(view):
    """Visitors are asked to log in; members without the role get the 403 with its reason."""

    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        require(webhooks_denial(request.user))
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@never_cache
@require_GET
@managers_only
def webhook_list(request):
    return render(request, "webhooks/list.html", {"webhooks": selectors.webhooks_list()})


@never_cache
@require_http_methods(["GET", "POST"])
@managers_only
def webhook_new(request):
    form = WebhookForm(request.POST or None)
    if form.is_valid():
        webhook = services.webhook_create(
            url=form.cleaned_data["url"], kinds=form.cleaned_data["kinds"], manager=request.user
        )
        request.session[NEW_SECRET] = [webhook.pk, webhook.secret]
        messages.success(request, _("The webhook is saved. Copy its secret now."))
        return redirect("webhooks:detail", pk=webhook.pk)
    return render(request, "webhooks/new.html", {"form": form})


def _shown_secret(request, webhook):
    """The webhook's secret if it was just made: popped, so no later page shows it."""
    pk, secret = request.session.get(NEW_SECRET) or (None, None)
    if pk != webhook.pk:
        return None
    del request.session[NEW_SECRET]
    return secret


@never_cache
@require_http_methods(["GET", "POST"])
@managers_only
def webhook_detail(request, pk):
    webhook = get_object_or_404(Webhook, pk=pk)
    form = WebhookForm(request.POST or None, instance=webhook)
    if form.is_valid():
        services.webhook_update(webhook=webhook, **form.cleaned_data)
        messages.success(request, _("The webhook is saved."))
        return redirect("webhooks:detail", pk=webhook.pk)
    if form.is_bound:
        # The invalid form wrote what was typed onto the instance; the page shows the saved one.
        webhook.refresh_from_db()
    context = {
        "webhook": webhook,
        "form": form,
        "secret": _shown_secret(request, webhook),
        "deliveries": selectors.delivery_log(webhook),
        "log_size": selectors.LOG_SIZE,
    }
    return render(request, "webhooks/detail.html", context)


@require_POST
@managers_only
def webhook_secret(request, pk):
    webhook = get_object_or_404(Webhook, pk=pk)
    secret = services.webhook_secret_renew(webhook=webhook)
    request.session[NEW_SECRET] = [webhook.pk, secret]
    messages.success(
        request, _("The webhook has a new secret; the old one no longer signs. Copy it now.")
    )
    return redirect("webhooks:detail", pk=webhook.pk)


@require_http_methods(["GET", "POST"])
@managers_only
def webhook_delete(request, pk):
    """GET asks whether to; POST deletes."""
    webhook = get_object_or_404(Webhook, pk=pk)
    if request.method == "GET":
        return render(request, "webhooks/delete.html", {"webhook": webhook})
    services.webhook_delete(webhook=webhook)
    messages.success(request, _("The webhook and its delivery log are deleted."))
    return redirect("webhooks:list")
