"""The inbox, its unread count, and following posts."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import account_denial, require
from notifications import selectors, services
from questions.selectors import post_for_viewer


def _number(value):
    try:
        return int(value) if value else None
    except ValueError:
        return None


@never_cache
@require_GET
def inbox(request):
    """The member's entries, newest first. Opening the page marks the entries it shows
    read, as reading the inbox does on every Q&A site: a receipt of the visit, like the
    last visit the site records, which no one else can cause and nothing depends on."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    before = _number(request.GET.get("before"))
    entries, older = selectors.inbox_page(user=request.user, before=before)
    unread = [entry.pk for entry in entries if entry.read_at is None]
    services.inbox_read(user=request.user, entry_ids=unread)
    return render(
        request,
        "notifications/inbox.html",
        {"entries": entries, "older": older, "unread_ids": set(unread), "tab": "inbox"},
    )


@require_GET
def achievements(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
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
