"""The API's writes: the pages' forms validate, the pages' permission functions decide
and the pages' services act, so every rule and every refusal is the page's own."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response

from accounts.permissions import account_denial
from api import selectors as api_selectors
from api import serializers
from api.errors import Conflict, InvalidInput
from api.views.base import ApiView, form_errors, object_id, request_body, require
from api.views.reads import ID, PostCommentsView, QuestionListView, thread
from moderation import services as moderation_services
from moderation.forms import FlagForm
from moderation.permissions import flag_denial
from notifications import services as notification_services
from questions import bookmarks, selectors, services, voting
from questions.forms import AnswerEditForm, AnswerForm, CommentForm, QuestionEditForm, QuestionForm
from questions.models import Question, Vote
from questions.permissions import (
    accept_denial,
    answer_denial,
    ask_denial,
    comment_denial,
    edit_denial,
    following_denial,
    vote_denial,
)

VOTE_VALUES = {"up": Vote.Value.UP, "down": Vote.Value.DOWN, "undo": voting.NO_VOTE}
VOTE_NAMES = {Vote.Value.UP: "up", Vote.Value.DOWN: "down", voting.NO_VOTE: "none"}

PROBLEM = OpenApiResponse(description="Problem details (RFC 9457)")
REFUSALS = {400: PROBLEM, 401: PROBLEM, 403: PROBLEM, 404: PROBLEM, 429: PROBLEM}


def _token(data):
    token = data.get("submission_token")
    return str(token) if token else ""


def _created(request, representation, url):
    return Response(
        representation,
        status=status.HTTP_201_CREATED,
        headers={"Location": request.build_absolute_uri(url)},
    )


class QuestionsView(QuestionListView):
    @extend_schema(
        operation_id="questions_create",
        request=serializers.QuestionCreateInput,
        responses={201: serializers.QuestionSerializer, **REFUSALS},
    )
    def post(self, request):
        require(request, ask_denial(request.user))
        data = request_body(request, serializers.QuestionCreateInput)
        form = QuestionForm(
            {
                "title": data["title"],
                "body": data["body"],
                "tags": " ".join(data["tags"]),
                "submission_token": _token(data),
            },
            user=request.user,
        )
        if not form.is_valid():
            raise form_errors(form)
        question = services.question_create(
            author=request.user,
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
            tags=form.cleaned_data["tags"],
            submission_token=form.cleaned_data["submission_token"],
        )
        representation = serializers.QuestionSerializer(
            thread(request, question.pk), context={"request": request}
        ).data
        return _created(request, representation, question.get_absolute_url())


class AnswerCreateView(ApiView):
    @extend_schema(
        operation_id="questions_answers_create",
        parameters=[ID],
        request=serializers.AnswerCreateInput,
        responses={201: serializers.AnswerSerializer, **REFUSALS},
    )
    def post(self, request, pk):
        question = selectors.question_for_thread(pk=object_id(pk), viewer=request.user)
        require(request, answer_denial(request.user, question))
        data = request_body(request, serializers.AnswerCreateInput)
        form = AnswerForm(
            {"body": data["body"], "submission_token": _token(data)}, user=request.user
        )
        if not form.is_valid():
            raise form_errors(form)
        answer = services.answer_create(
            author=request.user,
            question=question,
            body=form.cleaned_data["body"],
            submission_token=form.cleaned_data["submission_token"],
        )
        answer.parent = question
        answer.visible_comments = []
        representation = serializers.AnswerSerializer(answer, context={"request": request}).data
        return _created(request, representation, answer.get_absolute_url())


class CommentsView(PostCommentsView):
    @extend_schema(
        operation_id="posts_comments_create",
        parameters=[ID],
        request=serializers.CommentCreateInput,
        responses={201: serializers.CommentSerializer, **REFUSALS},
    )
    def post(self, request, pk):
        post = selectors.post_for_viewer(pk=object_id(pk), viewer=request.user)
        if post.deleted_at or post.question.deleted_at:
            raise Http404
        require(request, comment_denial(request.user, post))
        data = request_body(request, serializers.CommentCreateInput)
        form = CommentForm(
            {"body": data["body"], "submission_token": _token(data)}, user=request.user
        )
        if not form.is_valid():
            raise form_errors(form)
        comment = services.comment_create(
            author=request.user,
            post=post,
            body=form.cleaned_data["body"],
            submission_token=form.cleaned_data["submission_token"],
        )
        representation = serializers.CommentSerializer(comment, context={"request": request}).data
        return _created(request, representation, f"{post.get_absolute_url()}#comment-{comment.pk}")


class PostEditView(ApiView):
    @extend_schema(
        operation_id="posts_edit",
        parameters=[ID],
        request=serializers.PostEditInput,
        responses={200: serializers.EditOutcomeSerializer, 409: PROBLEM, **REFUSALS},
    )
    def patch(self, request, pk):
        post = selectors.post_for_viewer(pk=object_id(pk), viewer=request.user)
        require(request, edit_denial(request.user, post))
        data = request_body(request, serializers.PostEditInput)
        if not post.is_question:
            extra = sorted({"title", "tags"} & set(data))
            if extra:
                raise InvalidInput({name: [_("An answer has no title or tags.")] for name in extra})
        if "revision" in data:
            current = api_selectors.revision_number(post=post)
            if current != data["revision"]:
                raise Conflict(
                    _(
                        "The post was edited after revision %(number)s: read it again and "
                        "edit the current revision (%(current)s)."
                    )
                    % {"number": data["revision"], "current": current}
                )
        fields = {"body": data.get("body", post.body_markdown), "summary": data.get("summary", "")}
        if post.is_question:
            fields["title"] = data.get("title", post.title)
            tags = data.get("tags")
            if tags is None:
                tags = api_selectors.tag_names(question=post)
            fields["tags"] = " ".join(tags)
            form = QuestionEditForm(fields, user=request.user)
        else:
            form = AnswerEditForm(fields, user=request.user)
        if not form.is_valid():
            raise form_errors(form)
        cleaned = form.cleaned_data
        saved = services.post_edit(
            post=post,
            editor=request.user,
            body=cleaned["body"],
            title=cleaned.get("title"),
            tags=cleaned.get("tags"),
            summary=cleaned["summary"],
        )
        message = (
            _("Your edit was saved.")
            if saved
            else _("Nothing was changed, so there was nothing to save.")
        )
        return Response({"changed": bool(saved), "message": message})


class VoteView(ApiView):
    @extend_schema(
        operation_id="posts_vote",
        parameters=[ID],
        request=serializers.VoteInput,
        responses={200: serializers.VoteOutcomeSerializer, **REFUSALS},
        description="As on the page, voting the way one has voted already withdraws the vote.",
    )
    def post(self, request, pk):
        post = selectors.post_for_viewer(pk=object_id(pk), viewer=request.user)
        require(request, vote_denial(request.user, post))
        data = request_body(request, serializers.VoteInput)
        try:
            outcome = voting.post_vote(
                post=post, user=request.user, value=VOTE_VALUES[data["value"]]
            )
        except voting.Refused as refusal:
            require(request, refusal.reason)
        return Response({"score": outcome.score, "vote": VOTE_NAMES[outcome.vote]})


class AcceptView(ApiView):
    def _set(self, request, pk, *, accepted):
        answer = selectors.post_for_viewer(pk=object_id(pk), viewer=request.user)
        if answer.is_question:
            raise Http404
        require(request, accept_denial(request.user, answer))
        request_body(request, serializers.EmptyInput)
        accepted_id = answer.parent.accepted_answer_id
        if (accepted_id == answer.pk) != accepted:
            try:
                voting.answer_accept(answer=answer, user=request.user)
            except voting.Refused as refusal:
                require(request, refusal.reason)
            accepted_id = answer.pk if accepted else None
        return Response({"accepted": accepted, "accepted_answer_id": accepted_id})

    @extend_schema(
        operation_id="answers_accept",
        parameters=[ID],
        request=None,
        responses={200: serializers.AcceptOutcomeSerializer, **REFUSALS},
    )
    def put(self, request, pk):
        return self._set(request, pk, accepted=True)

    @extend_schema(
        operation_id="answers_unaccept",
        parameters=[ID],
        request=None,
        responses={200: serializers.AcceptOutcomeSerializer, **REFUSALS},
    )
    def delete(self, request, pk):
        return self._set(request, pk, accepted=False)


def _flag(request, target, *, post=None, comment=None):
    require(request, flag_denial(request.user, target))
    data = request_body(request, serializers.FlagInput)
    form = FlagForm({"reason": data["reason"], "text": data.get("text", "")}, target=target)
    if not form.is_valid():
        raise form_errors(form)
    flag = moderation_services.flag_create(
        reporter=request.user,
        reason=form.cleaned_data["reason"],
        text=form.cleaned_data["text"],
        post=post,
        comment=comment,
    )
    if flag.status == flag.Status.HELPFUL and comment is not None:
        message = _("Thank you: the comment is removed.")
    elif flag.status == flag.Status.HELPFUL:
        message = _("Your flag was binding: the post is deleted and locked.")
    else:
        message = _("Thank you: a moderator will look at your flag.")
    return Response(
        {"id": flag.pk, "status": flag.status, "message": message},
        status=status.HTTP_201_CREATED,
    )


FLAG_SCHEMA = {
    "parameters": [ID],
    "request": serializers.FlagInput,
    "responses": {201: serializers.FlagOutcomeSerializer, **REFUSALS},
}


class PostFlagView(ApiView):
    @extend_schema(operation_id="posts_flag", **FLAG_SCHEMA)
    def post(self, request, pk):
        post = selectors.post_for_viewer(pk=object_id(pk), viewer=request.user)
        return _flag(request, post, post=post)


class CommentFlagView(ApiView):
    @extend_schema(operation_id="comments_flag", **FLAG_SCHEMA)
    def post(self, request, pk):
        comment = selectors.comment_for_viewer(pk=object_id(pk), viewer=request.user)
        return _flag(request, comment, comment=comment)


STATE_SCHEMA = {
    "parameters": [ID],
    "request": None,
    "responses": {200: serializers.StateSerializer, **REFUSALS},
}


class FollowView(ApiView):
    """Following a post: its new answers, comments and edits reach the inbox."""

    def _set(self, request, pk, *, following):
        post = selectors.post_for_viewer(pk=object_id(pk), viewer=request.user)
        require(request, account_denial(request.user))
        request_body(request, serializers.EmptyInput)
        changed = notification_services.follow_set(
            user=request.user, post=post, following=following
        )
        return Response({"active": following, "changed": changed})

    @extend_schema(operation_id="posts_follow", **STATE_SCHEMA)
    def put(self, request, pk):
        return self._set(request, pk, following=True)

    @extend_schema(operation_id="posts_unfollow", **STATE_SCHEMA)
    def delete(self, request, pk):
        return self._set(request, pk, following=False)


class BookmarkView(ApiView):
    """Saving a question: it shows under Saved on its saver's profile."""

    def _set(self, request, pk, *, saved):
        question = get_object_or_404(
            Question.objects.seen_by(request.user).only("id", "post_type", "slug"),
            pk=object_id(pk),
        )
        require(request, following_denial(request.user))
        request_body(request, serializers.EmptyInput)
        changed = bookmarks.bookmark_set(user=request.user, question=question, saved=saved)
        return Response({"active": saved, "changed": changed})

    @extend_schema(operation_id="questions_bookmark", **STATE_SCHEMA)
    def put(self, request, pk):
        return self._set(request, pk, saved=True)

    @extend_schema(operation_id="questions_unbookmark", **STATE_SCHEMA)
    def delete(self, request, pk):
        return self._set(request, pk, saved=False)
