from django.core.paginator import Paginator
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.crypto import salted_hmac

from accounts.models import User
from badges import selectors, services, tasks
from badges.models import Award
from core.throttling import client_address
from questions.models import Post

RECIPIENTS_PER_PAGE = 60


def badge_list(request):
    table, tags, imported = selectors.badge_list()
    return render(
        request,
        "badges/badge_list.html",
        {"table_badges": table, "tag_badges": tags, "imported_badges": imported},
    )


def badge_detail(request, pk, slug):
    badge = selectors.badge_detail(pk=pk)
    if slug != badge.slug:
        return HttpResponsePermanentRedirect(badge.get_absolute_url())
    page_obj = Paginator(selectors.recipients(badge=badge), RECIPIENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "badges/badge_detail.html", {"badge": badge, "page_obj": page_obj})


def user_badges(request, pk, slug):
    member = selectors.member_for_badges(pk=pk)
    if slug != member.slug:
        return HttpResponsePermanentRedirect(
            reverse("badges:user", kwargs={"pk": member.pk, "slug": member.slug})
        )
    return render(
        request,
        "badges/user_badges.html",
        {"member": member, "badges": selectors.member_badges(member=member)},
    )


def award_detail(request, pk):
    """Where an inbox entry about an award leads: its badge's page."""
    award = get_object_or_404(Award.objects.select_related("badge"), pk=pk)
    return redirect(award.badge.get_absolute_url())


def question_shared(request, pk, user_id):
    """A question's share link, which carries the sharer's id: a visit counts for the
    sharer's Announcer, Booster and Publicist once per visitor address (kept as a keyed
    hash), as a view counts. The visitor goes on to the question's permalink, which
    decides whether they may see it."""
    shared = (
        request.user.pk != user_id
        and Post.objects.listed().filter(pk=pk, post_type=Post.PostType.QUESTION).exists()
        and User.objects.filter(pk=user_id, is_active=True).exists()
    )
    if shared:
        visitor = salted_hmac("badges.share", client_address(request)).hexdigest()
        if services.share_visit_record(question_id=pk, sharer_id=user_id, visitor=visitor):
            tasks.badges_evaluate_parts.delay({"sharer": [user_id]})
    return redirect("questions:question_permalink", pk=pk)
