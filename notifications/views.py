"""The inbox, its unread count, following posts, the email settings and the unsubscribe
links of the emails."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from accounts.permissions import account_denial, require
from notifications import selectors, services, unsubscribe
from notifications.forms import EmailSettingsForm
from questions.selectors import post_for_viewer

# The session's list of entries marked unread since the inbox was last opened: the
# inbox that the marking leads back to shows them unread and leaves them so.
KEPT_UNREAD = "inbox_kept_unread"


def _number(value):
    try:
        return int(value) if value else None
    except ValueError:
        return None


@never_cache
@require_GET
@login_required
def inbox(request):
    """The member's entries, newest first. Opening the page marks the entries it shows
    read, as reading the inbox does on every Q&A site: a receipt of the visit, like the
    last visit the site records, which no one else can cause and nothing depends on."""
    before = _number(request.GET.get("before"))
    entries, older = selectors.inbox_page(user=request.user, before=before)
    unread = [entry.pk for entry in entries if entry.read_at is None]
    # What the member just marked unread stays so until they open the inbox again.
    kept = set(request.session.pop(KEPT_UNREAD, []))
    services.inbox_read(user=request.user, entry_ids=[pk for pk in unread if pk not in kept])
    return render(
        request,
        "notifications/inbox.html",
        {"entries": entries, "older": older, "unread_ids": set(unread), "tab": "inbox"},
    )


@require_GET
@login_required
def achievements(request):
    return render(
        request,
        "notifications/achievements.html",
        {"achievements": selectors.achievements(user=request.user), "tab": "achievements"},
    )


@require_POST
def entry_unread(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("notifications:inbox"))
    if not services.entry_unread_set(user=request.user, entry_id=pk):
        raise Http404
    request.session[KEPT_UNREAD] = [*request.session.get(KEPT_UNREAD, []), pk]
    messages.success(request, _("The entry is marked as unread."))
    return redirect("notifications:inbox")


@never_cache
@require_GET
def unread_count(request):
    """The navigation's count, for the page's script when the tab is shown again."""
    if not request.user.is_authenticated:
        return JsonResponse({"unread": 0})
    return JsonResponse({"unread": selectors.unread_count(request.user)})


@require_POST
def post_follow(request, pk):
    post = post_for_viewer(pk=pk, viewer=request.user)
    if not request.user.is_authenticated:
        return redirect_to_login(post.get_absolute_url())
    require(account_denial(request.user))
    following = request.POST.get("follow") != "0"
    services.follow_set(user=request.user, post=post, following=following)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"following": following})
    if following:
        messages.success(
            request,
            _("You follow this post: its new answers, comments and edits reach your inbox."),
        )
    else:
        messages.success(request, _("You no longer follow this post."))
    return redirect(post.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def email_settings(request):
    form = EmailSettingsForm(
        request.POST or None,
        instance=selectors.email_settings_for(request.user),
        user=request.user,
    )
    if form.is_valid():
        services.email_settings_save(user=request.user, **form.cleaned_data)
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
        return _link_refused(request, reason="expired")
    except unsubscribe.TokenInvalid:
        return _link_refused(request, reason="invalid")
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return _link_refused(request, reason="gone", status=404)
    context = {"label": unsubscribe.kind_label(kind), "done": False}
    if request.method == "POST":
        services.email_kind_off(user=user, kind=kind)
        context["done"] = True
    return render(request, "notifications/unsubscribe.html", context)


def _link_refused(request, *, reason, status=400):
    return render(
        request, "notifications/unsubscribe_refused.html", {"reason": reason}, status=status
    )
