"""Suggested edits and the review queues: suggesting an edit, a suggestion's page, the
queues' index, a queue's next task, a task's page and history, the review actions, the
edits made while reviewing, and a member's review history."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import require
from core.markdown import render_post
from moderation.forms import CloseForm, FlagForm
from questions.forms import CommentForm
from questions.selectors import post_for_viewer
from reviews import audits, selectors, services
from reviews.forms import RejectForm, edit_form_class
from reviews.models import Review, ReviewTask
from reviews.permissions import (
    queue_privilege_denial,
    review_ban_denial,
    review_denial,
    review_limit_denial,
    suggest_denial,
    suggestion_decide_denial,
    task_review_denial,
)
from reviews.services.suggestions import latest_revision_number

Action = Review.Action
Queue = ReviewTask.Queue


def _edit_initial(post, suggestion=None):
    """The edit form's fields as `post` reads (or as `suggestion` would have it read)."""
    source = suggestion or post
    initial = {"body": source.body_markdown, "base_revision": latest_revision_number(post.pk)}
    if post.is_question:
        names = suggestion.tag_names if suggestion else [tag.name for tag in post.shown_tags]
        initial.update(title=source.title, tags=" ".join(names))
    return initial


# Suggesting an edit


def post_suggest(request, pk):
    post = post_for_viewer(pk=pk, viewer=request.user)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    require(suggest_denial(request.user, post))
    selectors.attach_question_tags(post)

    pending = selectors.pending_suggestion(post=post)
    form_class = edit_form_class(post)
    preview = None
    if request.method == "POST" and pending is None:
        form = form_class(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            if "preview" in request.POST:
                preview = render_post(data["body"])
            else:
                try:
                    services.suggestion_create(
                        post=post,
                        suggester=request.user,
                        base_revision=data["base_revision"],
                        body=data["body"],
                        title=data.get("title"),
                        tags=data.get("tags"),
                        summary=data["summary"],
                    )
                except services.SuggestionRefused as refusal:
                    _refused(form, refusal)
                else:
                    messages.success(
                        request, _("Thank you! Your edit will show once reviewers approve it.")
                    )
                    return redirect(post.get_absolute_url())
    else:
        form = form_class(initial=_edit_initial(post), user=request.user)
    return render(
        request,
        "reviews/suggest.html",
        {"post": post, "form": form, "preview": preview, "pending": pending},
    )


def _refused(form, refusal):
    """Shows why the suggestion was refused above the text, which stays as typed; a post
    edited meanwhile is compared at its new revision when the form is sent again."""
    if refusal.revision is not None:
        form.data = form.data.copy()
        form.data["base_revision"] = refusal.revision
    form.add_error(None, refusal.reason)


def suggestion_detail(request, pk):
    suggestion = selectors.suggestion_for_viewer(pk=pk, viewer=request.user)
    decide_reason = suggestion_decide_denial(request.user, suggestion)
    return render(
        request,
        "reviews/suggestion.html",
        {
            "suggestion": suggestion,
            "post": suggestion.post,
            "task": suggestion.task,
            "decide_reason": decide_reason,
            "reject_form": RejectForm(auto_id="id_reject_%s"),
        },
    )


# The queues


def review_index(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    require(review_denial(request.user))
    return render(
        request,
        "reviews/index.html",
        {
            "queues": selectors.queue_summaries(user=request.user),
            "ban_reason": review_ban_denial(request.user),
        },
    )


def review_queue(request, queue):
    queue = selectors.queue_from_slug(queue)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user = request.user
    require(queue_privilege_denial(user, queue))
    ban_reason = review_ban_denial(user)
    limit_reason = None if ban_reason else review_limit_denial(user, queue)
    task = None if ban_reason or limit_reason else selectors.next_task(user=user, queue=queue)
    return _task_page(
        request,
        task,
        queue=queue,
        in_queue=True,
        stop_reason=ban_reason or limit_reason,
    )


def _task_page(request, task, *, queue, in_queue, stop_reason=None, forms=None, status=200):
    user = request.user
    context = {
        "task": task,
        "queue": queue,
        "queue_label": Queue(queue).label,
        "queue_slug": selectors.queue_slug(queue),
        "in_queue": in_queue,
        "stop_reason": stop_reason,
        "reviews": [] if in_queue or task is None else selectors.task_reviews(task),
    }
    if task is not None:
        # The next task of a queue is one the reviewer may review: the queue's page has
        # checked the rest.
        act_reason = None if in_queue else task_review_denial(user, task)
        context["act_reason"] = act_reason
        if not act_reason:
            context["forms"] = _action_forms(task, user, forms or {})
    return render(request, "reviews/task.html", context, status=status)


def _action_forms(task, user, bound):
    """The forms of the task's actions that take more than a click, `bound` ones (sent
    with errors) as they were sent."""
    forms = {}
    for action in task.actions:
        form = bound[action] if action in bound else _action_form(task, user, action)
        if form is not None:
            forms[action] = form
    return forms


def task_detail(request, pk):
    task = selectors.task_for_viewer(pk=pk, viewer=request.user)
    return _task_page(request, task, queue=task.queue, in_queue=False)


def _action_form(task, user, action, data=None):
    """The action's form (bound to `data` when given), or None for a one-click action."""
    if action == Action.FEEDBACK:
        return CommentForm(data, user=user, auto_id="id_feedback_%s")
    if action == Action.FLAG:
        return FlagForm(data, target=task.post, auto_id="id_flag_%s")
    if action == Action.REJECT:
        return RejectForm(data, auto_id="id_reject_%s")
    if action == Action.CLOSE:
        return CloseForm(data, question=task.post, auto_id="id_close_%s")
    return None


def _details(action, form):
    """The keywords of review_submit that the action's form gives."""
    if form is None:
        return {}
    data = form.cleaned_data
    if action == Action.FEEDBACK:
        return {"comment": data["body"]}
    if action == Action.FLAG:
        return {"flag_reason": data["reason"], "flag_text": data["text"]}
    if action == Action.REJECT:
        return {"reason": data["reason"], "comment": data["text"]}
    return {"reason": data["reason"], "duplicate_of": data.get("duplicate_of")}


def _return_to(request):
    """Where a review returns to: the next task of the queue (by default), the suggestion's
    page or the task's."""
    back = request.POST.get("return_to") or request.GET.get("return_to")
    return back if back in ("suggestion", "task") else "queue"


def _return_url(request, task):
    back = _return_to(request)
    if back == "suggestion" and task.suggested_edit_id:
        return reverse("reviews:suggestion", kwargs={"pk": task.suggested_edit_id})
    if back == "task":
        return reverse("reviews:task", kwargs={"pk": task.pk})
    return reverse("reviews:queue", kwargs={"queue": selectors.queue_slug(task.queue)})


def _done_level(done):
    return messages.ERROR if done.review.audit_passed is False else messages.SUCCESS


def _done_message(done):
    if done.review.audit_passed is not None:
        return audits.audit_verdict_message(task=done.review.task, passed=done.review.audit_passed)
    outcome = done.outcome
    if done.review.action == Action.SKIP:
        return _("Skipped: here is the next one.")
    if outcome:
        return _("Thank you for reviewing! This task is complete: %(outcome)s.") % {
            "outcome": ReviewTask.Outcome(outcome).label
        }
    return _("Thank you for reviewing!")


@require_POST
def task_review(request, pk):
    task = selectors.task_for_viewer(pk=pk, viewer=request.user)
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("reviews:task", kwargs={"pk": task.pk}))
    action = request.POST.get("action", "")
    # An edit is made on the edit page of the task.
    if action in (Action.EDIT, Action.IMPROVE):
        return redirect("reviews:task_edit", pk=task.pk)
    require(task_review_denial(request.user, task, action))

    form = _action_form(task, request.user, action, request.POST)
    if form is not None and not form.is_valid():
        return _task_page(
            request,
            task,
            queue=task.queue,
            in_queue=_return_to(request) == "queue",
            forms={action: form},
            status=400,
        )
    try:
        done = services.review_submit(
            task=task, reviewer=request.user, action=action, **_details(action, form)
        )
    except services.ReviewRefused as refusal:
        messages.error(request, refusal.reason)
    else:
        messages.add_message(request, _done_level(done), _done_message(done))
    return redirect(_return_url(request, task))


def task_edit(request, pk):
    """Edit (or, for a suggested edit, Improve) while reviewing: the post's edit form, or
    the suggestion's text to improve on. A reviewer below the edit privilege suggests the
    edit instead."""
    task = selectors.task_for_viewer(pk=pk, viewer=request.user)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    improve = task.queue == Queue.SUGGESTED_EDITS
    action = Action.IMPROVE if improve else Action.EDIT
    require(task_review_denial(request.user, task, action))

    post = task.post
    form_class = edit_form_class(post)
    if request.method == "POST":
        form = form_class(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            edit = services.PostEdit(
                body=data["body"],
                title=data.get("title"),
                tags=data.get("tags"),
                summary=data["summary"],
                base_revision=data["base_revision"],
            )
            try:
                done = services.review_submit(
                    task=task, reviewer=request.user, action=action, edit=edit
                )
            except services.ReviewRefused as refusal:
                form.add_error(None, refusal.reason)
            else:
                messages.add_message(request, _done_level(done), _done_message(done))
                return redirect(_return_url(request, task))
    else:
        form = form_class(
            initial=_edit_initial(post, task.suggested_edit if improve else None),
            user=request.user,
        )
    return render(
        request,
        "reviews/edit.html",
        {
            "task": task,
            "post": post,
            "form": form,
            "improve": improve,
            "return_to": _return_to(request),
        },
    )


def review_history(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    before = request.GET.get("before")
    reviews, older = selectors.review_history(
        user=request.user, before=int(before) if before and before.isdigit() else None
    )
    return render(request, "reviews/history.html", {"reviews": reviews, "older": older})
