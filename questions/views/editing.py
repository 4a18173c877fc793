"""Editing, revision history and rollback."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import require
from questions import selectors, services
from questions.forms import AnswerEditForm, QuestionEditForm
from questions.models import PostRevision
from questions.permissions import edit_denial
from questions.views.images import UPLOAD_BUTTON, body_with_upload
from questions.views.posting import as_typed, preview_html


def _edit_form(request, post):
    form_class = QuestionEditForm if post.is_question else AnswerEditForm
    if request.method == "POST":
        return form_class(request.POST, user=request.user)
    initial = {"body": post.body_markdown}
    if post.is_question:
        initial.update(
            title=post.title, tags=" ".join(tag.name for tag in post.tags.order_by("name"))
        )
    return form_class(initial=initial, user=request.user)


def post_edit(request, pk):
    post = selectors.post_for_viewer(pk=pk, viewer=request.user)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    require(edit_denial(request.user, post))

    if request.method == "POST" and UPLOAD_BUTTON in request.POST:
        form_class = QuestionEditForm if post.is_question else AnswerEditForm
        form = as_typed(request, form_class, body=body_with_upload(request), user=request.user)
        context = {"post": post, "form": form, "preview": None}
        return render(request, "questions/edit.html", context)
    form = _edit_form(request, post)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "preview" in request.POST:
            preview = preview_html(data["body"], request.user)
        else:
            saved = services.post_edit(
                post=post,
                editor=request.user,
                body=data["body"],
                title=data.get("title"),
                tags=data.get("tags"),
                summary=data["summary"],
            )
            if saved:
                messages.success(request, _("Your edit was saved."))
                return redirect(post.get_absolute_url())
            messages.info(request, _("Nothing was changed, so there was nothing to save."))
    return render(request, "questions/edit.html", {"post": post, "form": form, "preview": preview})


def revision_list(request, pk):
    post = selectors.post_for_viewer(pk=pk, viewer=request.user)
    return render(
        request,
        "questions/revisions.html",
        {
            "post": post,
            "revisions": selectors.revision_history(post=post),
            "side_by_side": request.GET.get("diff") == "side-by-side",
        },
    )


@require_POST
def post_rollback(request, pk, number):
    post = selectors.post_for_viewer(pk=pk, viewer=request.user)
    revisions_url = reverse("questions:revisions", kwargs={"pk": post.pk})
    if not request.user.is_authenticated:
        return redirect_to_login(revisions_url)
    require(edit_denial(request.user, post))
    revision = get_object_or_404(PostRevision, post=post, number=number)

    if services.post_rollback(post=post, revision=revision, editor=request.user):
        messages.success(request, _("Rolled back to revision %(number)s.") % {"number": number})
    else:
        messages.info(
            request, _("The post already reads like revision %(number)s.") % {"number": number}
        )
    return redirect(revisions_url)
