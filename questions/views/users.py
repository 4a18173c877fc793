"""A member's pages that show their posts: the profile, the reputation history and the
questions they saved. (The member pages that need nothing of questions, such as the list
and the privileges, are accounts'.)"""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse

from accounts import selectors as account_selectors
from questions import selectors

POSTS_ON_PROFILE = 10
REPUTATION_EVENTS_PER_PAGE = 50
SAVED_PER_PAGE = 30


def user_profile(request, pk, slug=None):
    member = account_selectors.user_for_profile(pk=pk)
    if slug != member.slug:
        return HttpResponsePermanentRedirect(member.get_absolute_url())
    return render(
        request,
        "questions/user_profile.html",
        {
            "member": member,
            "post_counts": selectors.user_post_counts(user=member),
            "questions": selectors.user_questions(user=member, limit=POSTS_ON_PROFILE),
            "answers": selectors.user_answers(user=member, limit=POSTS_ON_PROFILE),
        },
    )


def user_reputation(request, pk, slug):
    member = account_selectors.user_for_reputation(pk=pk)
    if slug != member.slug:
        return HttpResponsePermanentRedirect(
            reverse("questions:reputation", kwargs={"pk": member.pk, "slug": member.slug})
        )
    page_obj = Paginator(
        selectors.reputation_events(user=member), REPUTATION_EVENTS_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "questions/reputation.html",
        {
            "member": member,
            "page_obj": page_obj,
            "days": selectors.reputation_days(user=member, events=page_obj.object_list),
        },
    )


def user_saved(request, pk, slug):
    """The questions the member saved, newest saved first: for their eyes only, so that
    anyone else (a visitor too) finds nothing here."""
    if request.user.pk != pk:
        raise Http404
    member = request.user
    if slug != member.slug:
        return HttpResponsePermanentRedirect(
            reverse("questions:saved", kwargs={"pk": member.pk, "slug": member.slug})
        )
    page_obj = selectors.saved_page(
        user=member, number=request.GET.get("page"), per_page=SAVED_PER_PAGE
    )
    return render(request, "questions/saved.html", {"member": member, "page_obj": page_obj})
