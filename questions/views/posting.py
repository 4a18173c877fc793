"""Asking, answering and commenting."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import require
from core.markdown import render_post
from core.text import clean_text
from questions import mentions, selectors, services
from questions.forms import (
    ASK_FORM,
    BODY_LENGTH,
    KEPT_INVALID,
    KEPT_LOGGED_OUT,
    AnswerForm,
    CommentEditForm,
    CommentForm,
    QuestionForm,
    answer_form_key,
    comment_form_key,
    form_keep,
    form_restore,
    submission_posted,
)
from questions.models import Tag
from questions.permissions import answer_denial, ask_denial, comment_denial, comment_edit_denial
from questions.templatetags.posting import COMMENTS_SHOWN
from questions.views.browse import render_thread
from questions.views.images import UPLOAD_BUTTON, body_with_upload, images_withheld

# A preview renders at most what the body field accepts; longer input is cut, not rendered.
PREVIEW_MAX_LENGTH = BODY_LENGTH[1] + 1000
TAG_SUGGESTIONS = 10


def _log_in_keeping_text(request, *, key, form_class, back_to):
    """Someone posts a form without being logged in, most likely because their session
    expired while they typed. Their text waits in the session while they log in; Django's
    log-in keeps session data when it starts the new session."""
    if request.method == "POST":
        form_keep(request, key=key, form_class=form_class, reason=KEPT_LOGGED_OUT)
    return redirect_to_login(back_to)


def preview_html(body, user=None):
    """The HTML a body will have once posted: the same cleaning and the same renderer;
    for `user` below the image privilege, with its images replaced by the reason."""
    html = render_post(clean_text(body[:PREVIEW_MAX_LENGTH]))
    return html if user is None else images_withheld(html, user)


def as_typed(request, form_class, *, body=None, **kwargs):
    """The form as posted, unbound: a preview or an image upload is no attempt to post, so
    it shows no errors. `body` replaces the body typed (an image's Markdown added)."""
    typed = {name: request.POST[name] for name in form_class.base_fields if request.POST.get(name)}
    if body is not None:
        typed["body"] = body
    return form_class(initial=typed, **kwargs)


def question_ask(request):
    if not request.user.is_authenticated:
        return _log_in_keeping_text(
            request, key=ASK_FORM, form_class=QuestionForm, back_to=request.path
        )
    require(ask_denial(request.user))

    preview = None
    if request.method != "POST":
        form = form_restore(request, key=ASK_FORM, form_class=QuestionForm, user=request.user)
    elif UPLOAD_BUTTON in request.POST:
        form = as_typed(request, QuestionForm, body=body_with_upload(request), user=request.user)
    elif "preview" in request.POST:
        form = as_typed(request, QuestionForm, user=request.user)
        preview = preview_html(request.POST.get("body", ""), request.user)
    else:
        form = QuestionForm(request.POST, user=request.user)
        if form.is_valid():
            question = services.question_create(
                author=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                tags=form.cleaned_data["tags"],
                submission_token=form.cleaned_data["submission_token"],
            )
            submission_posted(request, form)
            messages.success(request, _("Your question has been posted."))
            return redirect(question)
    return render(request, "questions/ask.html", {"form": form, "preview": preview})


@require_POST
def markdown_preview(request):
    if not request.user.is_authenticated:
        return JsonResponse({"error": _("You need to log in first.")}, status=403)
    return JsonResponse({"html": preview_html(request.POST.get("body", ""), request.user)})


@require_GET
def tag_autocomplete(request):
    """Existing tags that start with `q`, most used first, for the tag field's suggestions."""
    prefix = request.GET.get("q", "").strip().lower()[: Tag._meta.get_field("name").max_length]
    if not prefix:
        return JsonResponse([], safe=False)
    tags = selectors.tag_list().filter(name__startswith=prefix)[:TAG_SUGGESTIONS]
    return JsonResponse(
        [{"name": tag.name, "count": tag.question_count} for tag in tags], safe=False
    )


@require_GET
def mention_suggestions(request, pk):
    """The people a comment on the post may mention whose names start with `q`, for the
    comment box's suggestions: their shown names and the word to type, no email address."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": _("You need to log in first.")}, status=403)
    post = selectors.post_for_viewer(pk=pk, viewer=request.user)
    names = mentions.suggestions(post=post, prefix=request.GET.get("q", ""), viewer=request.user)
    return JsonResponse({"names": names})


@require_POST
def answer_create(request, pk):
    question = selectors.question_for_thread(pk=pk, viewer=request.user)
    if not request.user.is_authenticated:
        return _log_in_keeping_text(
            request,
            key=answer_form_key(question),
            form_class=AnswerForm,
            back_to=f"{question.get_absolute_url()}#your-answer",
        )
    require(answer_denial(request.user, question))

    if UPLOAD_BUTTON in request.POST:
        form = as_typed(request, AnswerForm, body=body_with_upload(request), user=request.user)
        return render_thread(request, question, answer_form=form)
    if "preview" in request.POST:
        form = as_typed(request, AnswerForm, user=request.user)
        preview = preview_html(request.POST.get("body", ""), request.user)
        return render_thread(request, question, answer_form=form, answer_preview=preview)
    form = AnswerForm(request.POST, user=request.user)
    if not form.is_valid():
        return render_thread(request, question, answer_form=form)
    answer = services.answer_create(
        author=request.user,
        question=question,
        body=form.cleaned_data["body"],
        submission_token=form.cleaned_data["submission_token"],
    )
    submission_posted(request, form)
    messages.success(request, _("Your answer has been posted."))
    return redirect(answer.get_absolute_url())


def comments_url(post, *, anchor, all_shown=False):
    """The thread, scrolled to `anchor` in the post's comments; all of them shown when the
    post has more than the first few (or with `all_shown`), so that the one a member just
    wrote, changed or voted on is on the page, not behind "Show N more"."""
    url = post.question.get_absolute_url()
    if all_shown or post.comment_count >= COMMENTS_SHOWN:
        url += f"?showcomments={post.pk}"
    return f"{url}#{anchor}"


@require_POST
def comment_create(request, pk):
    post = selectors.post_for_viewer(pk=pk, viewer=request.user)
    if post.deleted_at or post.question.deleted_at:
        raise Http404
    if not request.user.is_authenticated:
        return _log_in_keeping_text(
            request,
            key=comment_form_key(post),
            form_class=CommentForm,
            back_to=comments_url(post, anchor=f"comments-{post.pk}"),
        )
    require(comment_denial(request.user, post))

    form = CommentForm(request.POST, user=request.user)
    if not form.is_valid():
        # The thread page shows the form again, with the errors and the text.
        form_keep(request, key=comment_form_key(post), form_class=CommentForm, reason=KEPT_INVALID)
        return redirect(comments_url(post, anchor=f"comments-{post.pk}"))
    comment = services.comment_create(
        author=request.user,
        post=post,
        body=form.cleaned_data["body"],
        submission_token=form.cleaned_data["submission_token"],
    )
    messages.success(request, _("Your comment has been added."))
    return redirect(comments_url(post, anchor=f"comment-{comment.pk}"))


@require_http_methods(["GET", "POST"])
def comment_edit(request, pk):
    """The author changes their comment, for a few minutes after posting it: in the form
    under the comment, and on this page when the text needs another look."""
    comment = selectors.comment_for_viewer(pk=pk, viewer=request.user)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    require(comment_edit_denial(request.user, comment))

    form = CommentEditForm(request.POST or None, initial={"body": comment.body_markdown})
    back = comments_url(comment.post, anchor=f"comment-{comment.pk}")
    if request.method == "POST" and form.is_valid():
        if services.comment_edit(
            comment=comment, editor=request.user, body=form.cleaned_data["body"]
        ):
            messages.success(request, _("Your comment has been edited."))
        return redirect(back)
    return render(
        request, "questions/comment_edit.html", {"form": form, "comment": comment, "back": back}
    )
