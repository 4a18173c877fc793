from django.core.paginator import Paginator
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import render

from accounts import selectors
from questions import selectors as question_selectors

USERS_PER_PAGE = 36
POSTS_ON_PROFILE = 10


def user_list(request):
    page_obj = Paginator(selectors.user_list(), USERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page_obj": page_obj})


def user_profile(request, pk, slug=None):
    member = selectors.user_for_profile(pk=pk)
    if slug != member.slug:
        return HttpResponsePermanentRedirect(member.get_absolute_url())
    return render(
        request,
        "accounts/user_profile.html",
        {
            "member": member,
            "post_counts": question_selectors.user_post_counts(user=member),
            "questions": question_selectors.user_questions(user=member, limit=POSTS_ON_PROFILE),
            "answers": question_selectors.user_answers(user=member, limit=POSTS_ON_PROFILE),
        },
    )
