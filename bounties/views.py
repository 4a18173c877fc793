"""Starting and awarding bounties, a question's bounty history and a member's bounties."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import require
from accounts.selectors import user_for_reputation
from bounties import selectors, services
from bounties.forms import BountyForm
from bounties.permissions import bounty_start_denial
from questions.selectors import post_for_viewer


def _question_for_viewer(pk, viewer):
    question = post_for_viewer(pk=pk, viewer=viewer)
    if not question.is_question:
        raise Http404
    return question


def bounty_start(request, pk):
    """The form (also shown on the thread) and starting the bounty. A refusal that only
    the amount or the member's other bounties explain keeps what was chosen."""
    question = _question_for_viewer(pk, request.user)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    require(bounty_start_denial(request.user, question))

    form = BountyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            bounty = services.bounty_start(
                question=question,
                user=request.user,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
            )
        except PermissionDenied as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                _("Your bounty of %(amount)s reputation is on the question.")
                % {"amount": bounty.amount},
            )
            return redirect(question.get_absolute_url())
    return render(
        request,
        "bounties/start.html",
        {"question": question, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
def bounty_award(request, pk):
    """The offerer awards the question's active bounty to the answer `pk`."""
    answer = post_for_viewer(pk=pk, viewer=request.user)
    if answer.is_question:
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(answer.get_absolute_url())
    try:
        bounty = services.bounty_award(question=answer.parent, answer=answer, user=request.user)
    except PermissionDenied as refused:
        messages.error(request, str(refused))
        return redirect(answer.get_absolute_url())
    messages.success(
        request,
        _("You awarded your bounty of %(amount)s reputation to this answer.")
        % {"amount": bounty.amount},
    )
    return redirect(answer.get_absolute_url())


def question_bounties(request, pk):
    question = _question_for_viewer(pk, request.user)
    return render(
        request,
        "bounties/question.html",
        {"question": question, "bounties": selectors.question_bounties(question)},
    )


def member_bounties(request, pk, slug):
    member = user_for_reputation(pk=pk)
    if slug != member.slug:
        return HttpResponsePermanentRedirect(
            reverse("bounties:member", kwargs={"pk": member.pk, "slug": member.slug})
        )
    offered, earned = selectors.member_bounties(member)
    return render(
        request,
        "bounties/member.html",
        {"member": member, "offered": offered, "earned": earned},
    )
