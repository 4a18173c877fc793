"""The queries that build the question pages. Each page costs a fixed number of queries,
whatever the number of questions, answers and comments on it."""

from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When
from django.db.models.functions import Substr
from django.http import Http404

from questions.models import Answer, Comment, Post, Question, Tag

# Enough HTML for a ~200-character plain-text excerpt once the markup is stripped,
# without loading whole bodies for a list.
EXCERPT_SOURCE_LENGTH = 800

# Each ordering ends in the primary key so that pages are stable; the question list
# orderings match the partial indexes on Post.
QUESTION_TABS = {
    "active": ("-last_activity_at", "-id"),
    "newest": ("-created_at", "-id"),
    "votes": ("-score", "-id"),
    "unanswered": ("-created_at", "-id"),
}
DEFAULT_QUESTION_TAB = "active"

ANSWER_TABS = {
    "score": ("-score", "created_at", "id"),
    "newest": ("-created_at", "-id"),
    "oldest": ("created_at", "id"),
}
DEFAULT_ANSWER_TAB = "score"

# Author columns a post needs: name, link and reputation, not the profile text.
_AUTHOR_PROFILE_FIELDS = ("author__about_markdown", "author__about_html")


def _tags_prefetch():
    return Prefetch("tags", queryset=Tag.objects.only("id", "name"))


def _comments_prefetch():
    comments = (
        Comment.objects.filter(deleted_at__isnull=True)
        .select_related("author")
        .defer("body_markdown", *_AUTHOR_PROFILE_FIELDS)
        .order_by("created_at", "id")
    )
    return Prefetch("comments", queryset=comments, to_attr="visible_comments")


def question_list(*, tab, tag=None):
    """Visible questions for a list page, ordered by `tab`, optionally only those with `tag`.

    Rows carry `excerpt_source`, the start of the body's HTML, instead of whole bodies.
    """
    questions = Question.objects.visible()
    if tab == "unanswered":
        questions = questions.unanswered()
    if tag is not None:
        questions = questions.filter(tags=tag)
    return (
        questions.select_related("author")
        .defer("body_markdown", "body_html", *_AUTHOR_PROFILE_FIELDS)
        .annotate(excerpt_source=Substr("body_html", 1, EXCERPT_SOURCE_LENGTH))
        .prefetch_related(_tags_prefetch())
        .order_by(*QUESTION_TABS[tab])
    )


def question_for_thread(*, pk, viewer):
    """The question `pk` as `viewer` may see it, with its tags and comments, or Http404."""
    question = (
        Question.objects.visible()
        .select_related("author", "duplicate_of")
        .defer(
            "body_markdown",
            "duplicate_of__body_markdown",
            "duplicate_of__body_html",
            *_AUTHOR_PROFILE_FIELDS,
        )
        .prefetch_related(_tags_prefetch(), _comments_prefetch())
        .filter(pk=pk)
        .first()
    )
    if question is None:
        raise Http404
    return question


def thread_answers(*, question, tab, viewer):
    """The question's answers that `viewer` may see, with their comments, in `tab` order.

    As on Stack Exchange, the accepted answer leads the score order.
    """
    answers = (
        Answer.objects.visible()
        .filter(parent=question)
        .select_related("author")
        .defer("body_markdown", *_AUTHOR_PROFILE_FIELDS)
        .prefetch_related(_comments_prefetch())
    )
    ordering = ANSWER_TABS[tab]
    if tab == "score" and question.accepted_answer_id:
        answers = answers.annotate(
            accepted_rank=Case(
                When(pk=question.accepted_answer_id, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        ordering = ("accepted_rank", *ordering)
    return list(answers.order_by(*ordering))


def question_for_permalink(*, pk):
    """Just enough of the visible question `pk` to build its URL, or Http404."""
    question = Question.objects.visible().only("id", "post_type", "slug").filter(pk=pk).first()
    if question is None:
        raise Http404
    return question


def answer_for_permalink(*, pk):
    """The visible answer `pk` of a visible question, with what its URL needs, or Http404."""
    answer = (
        Answer.objects.visible()
        .filter(pk=pk, parent__deleted_at__isnull=True)
        .select_related("parent")
        .only("id", "post_type", "parent__id", "parent__post_type", "parent__slug")
        .first()
    )
    if answer is None:
        raise Http404
    return answer


def tag_list():
    """Tags, most used first."""
    return Tag.objects.order_by("-question_count", "name")


def user_questions(*, user, limit):
    """The user's visible questions, best first, for their profile."""
    return list(
        Question.objects.visible()
        .filter(author=user)
        .only("id", "post_type", "title", "slug", "score", "answer_count", "accepted_answer", "created_at")
        .order_by("-score", "-created_at")[:limit]
    )


def user_answers(*, user, limit):
    """The user's visible answers on visible questions, best first, with the question's title."""
    return list(
        Answer.objects.visible()
        .filter(author=user, parent__deleted_at__isnull=True)
        .select_related("parent")
        .only(
            "id", "post_type", "score", "created_at",
            "parent__id", "parent__post_type", "parent__title", "parent__slug", "parent__accepted_answer",
        )
        .order_by("-score", "-created_at")[:limit]
    )


def user_post_counts(*, user):
    """How many visible questions and answers the user has written, in one query."""
    return Post.objects.visible().filter(author=user).aggregate(
        questions=Count("id", filter=Q(post_type=Post.PostType.QUESTION)),
        answers=Count("id", filter=Q(post_type=Post.PostType.ANSWER, parent__deleted_at__isnull=True)),
    )
