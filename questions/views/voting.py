"""Voting on posts and comments, and accepting answers.

Each endpoint serves two clients: static/js/vote.js, which asks for JSON and updates the
page in place, and the plain form in templates/includes/_vote.html, which is redirected
back to the post with the outcome as a message.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from questions import permissions, selectors, voting
from questions.models import Vote
from questions.views.posting import comments_url

VALUES = {"up": Vote.Value.UP, "down": Vote.Value.DOWN, "undo": voting.NO_VOTE}
COMMENT_VALUES = {"up": Vote.Value.UP, "undo": voting.NO_VOTE}


def _wants_json(request):
    # Browsers' own form posts accept anything (*/*) but prefer HTML; the script asks for JSON.
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


def _post_url(post):
    """The post in its thread: for a question its post, below the thread's title."""
    url = post.get_absolute_url()
    return f"{url}#question" if post.is_question else url


def _refuse(request, back, reason, *, status=403):
    if _wants_json(request):
        return JsonResponse({"error": str(reason)}, status=status)
    messages.error(request, reason)
    return redirect(back)


def _done(request, back, message, data):
    if _wants_json(request):
        return JsonResponse({**data, "message": message})
    messages.success(request, message)
    return redirect(back)


def _vote_message(vote):
    if vote == Vote.Value.UP:
        return _("You voted this post up.")
    if vote == Vote.Value.DOWN:
        return _("You voted this post down.")
    return _("Your vote has been withdrawn.")


@require_POST
def post_vote(request, pk):
    post = selectors.post_for_viewer(pk=pk, viewer=request.user)
    if not request.user.is_authenticated and not _wants_json(request):
        return redirect_to_login(_post_url(post))
    value = VALUES.get(request.POST.get("value"))
    if value is None:
        return _refuse(request, _post_url(post), _("A vote is up, down or undo."), status=400)
    if reason := permissions.vote_denial(request.user, post):
        return _refuse(request, _post_url(post), reason)
    try:
        outcome = voting.post_vote(post=post, user=request.user, value=value)
    except voting.Refused as refusal:
        return _refuse(request, _post_url(post), refusal.reason)
    return _done(
        request,
        _post_url(post),
        _vote_message(outcome.vote),
        {"score": outcome.score, "vote": outcome.vote},
    )


@require_POST
def answer_accept(request, pk):
    answer = selectors.post_for_viewer(pk=pk, viewer=request.user)
    if answer.is_question:
        raise Http404
    if not request.user.is_authenticated and not _wants_json(request):
        return redirect_to_login(_post_url(answer))
    if reason := permissions.accept_denial(request.user, answer):
        return _refuse(request, _post_url(answer), reason)
    try:
        accepted = voting.answer_accept(answer=answer, user=request.user)
    except voting.Refused as refusal:
        return _refuse(request, _post_url(answer), refusal.reason)
    message = _("You accepted this answer.") if accepted else _("You no longer accept this answer.")
    return _done(
        request,
        _post_url(answer),
        message,
        {"accepted": accepted, "accepted_answer": answer.pk if accepted else None},
    )


@require_POST
def comment_vote(request, pk):
    """Votes a comment up, or withdraws the vote ("undo", or "up" again)."""
    comment = selectors.comment_for_viewer(pk=pk, viewer=request.user)
    back = comments_url(comment.post, anchor=f"comment-{comment.pk}")
    if not request.user.is_authenticated and not _wants_json(request):
        return redirect_to_login(back)
    value = COMMENT_VALUES.get(request.POST.get("value"))
    if value is None:
        return _refuse(request, back, _("A comment vote is up or undo."), status=400)
    if reason := permissions.comment_vote_denial(request.user, comment):
        return _refuse(request, back, reason)
    try:
        outcome = voting.comment_vote(comment=comment, user=request.user, value=value)
    except voting.Refused as refusal:
        return _refuse(request, back, refusal.reason)
    if outcome.voted:
        message = _("You voted this comment up.")
    else:
        message = _("Your vote on this comment has been withdrawn.")
    return _done(request, back, message, {"score": outcome.score, "voted": outcome.voted})
