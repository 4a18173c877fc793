"""A member's pages that show their posts: the profile's tabs (Activity, Questions,
Answers, Tags, Votes, Reputation, Saved), and a tag's top answerers. (The member pages
that need nothing of questions, such as the list and the privileges, are accounts'.)"""

from datetime import timedelta

from django.core.paginator import Paginator
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import selectors as account_selectors
from questions import selectors
from questions.models import Post, Tag

TOP_POSTS = 5
TOP_TAGS = 6
POSTS_PER_PAGE = 30
TAGS_PER_PAGE = 36
REPUTATION_EVENTS_PER_PAGE = 50
SAVED_PER_PAGE = 30
TOP_USERS = 20
POST_SORT_LABELS = {"votes": _("Score"), "newest": _("Newest")}


def _member_or_redirect(pk, slug, url_name):
    """The member, or the permanent redirect to their tab's URL with the right slug."""
    member = account_selectors.user_for_profile(pk=pk)
    if slug != member.slug:
        return member, HttpResponsePermanentRedirect(
            reverse(url_name, kwargs={"pk": member.pk, "slug": member.slug})
        )
    return member, None


def user_profile(request, pk, slug=None):
    """The Activity tab: the member's summary, their top tags and their best posts."""
    member = account_selectors.user_for_profile(pk=pk)
    if slug != member.slug:
        return HttpResponsePermanentRedirect(member.get_absolute_url())
    return render(
        request,
        "questions/user_profile.html",
        {
            "member": member,
            "top_tags": list(selectors.user_top_tags(user=member)[:TOP_TAGS]),
            "questions": list(selectors.user_questions(user=member)[:TOP_POSTS]),
            "answers": list(selectors.user_answers(user=member)[:TOP_POSTS]),
        },
    )


def _user_posts(request, pk, slug, *, post_type, url_name):
    member, redirect = _member_or_redirect(pk, slug, url_name)
    if redirect:
        return redirect
    sort = request.GET.get("sort")
    if sort not in selectors.POST_SORTS:
        sort = selectors.DEFAULT_POST_SORT
    page_obj = selectors.user_posts_page(
        user=member,
        post_type=post_type,
        sort=sort,
        number=request.GET.get("page"),
        per_page=POSTS_PER_PAGE,
    )
    return render(
        request,
        "questions/user_posts.html",
        {
            "member": member,
            "page_obj": page_obj,
            "sort": sort,
            "sorts": POST_SORT_LABELS.items(),
            "tab": "questions" if post_type == Post.PostType.QUESTION else "answers",
            "is_questions": post_type == Post.PostType.QUESTION,
        },
    )


def user_questions(request, pk, slug):
    return _user_posts(
        request, pk, slug, post_type=Post.PostType.QUESTION, url_name="questions:user_questions"
    )


def user_answers(request, pk, slug):
    return _user_posts(
        request, pk, slug, post_type=Post.PostType.ANSWER, url_name="questions:user_answers"
    )


def user_tags(request, pk, slug):
    member, redirect = _member_or_redirect(pk, slug, "questions:user_tags")
    if redirect:
        return redirect
    page_obj = selectors.user_tags_page(
        user=member, number=request.GET.get("page"), per_page=TAGS_PER_PAGE
    )
    return render(request, "questions/user_tags.html", {"member": member, "page_obj": page_obj})


def user_votes(request, pk, slug):
    """How many votes the member cast, up and down, on questions and answers: counts only,
    as who voted on what stays private."""
    member, redirect = _member_or_redirect(pk, slug, "questions:user_votes")
    if redirect:
        return redirect
    return render(request, "questions/user_votes.html", {"member": member})


def tag_top_users(request, tag):
    """A tag's best answerers, of all time and of the last TOP_USERS_DAYS days."""
    tag = get_object_or_404(Tag.objects.only("id", "name"), name=tag)
    since = timezone.now() - timedelta(days=selectors.TOP_USERS_DAYS)
    return render(
        request,
        "questions/tag_top_users.html",
        {
            "tag": tag,
            "days": selectors.TOP_USERS_DAYS,
            "all_time": selectors.tag_top_answerers(tag=tag, limit=TOP_USERS),
            "recent": selectors.tag_top_answerers_since(tag=tag, since=since, limit=TOP_USERS),
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
