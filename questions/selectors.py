"""The queries that build the question pages. Each page costs a fixed number of queries,
whatever the number of questions, answers and comments on it."""

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Prefetch, Q, Value, When
from django.db.models.functions import Substr
from django.http import Http404

from questions.diffs import KEPT, tags_diff, text_diff
from questions.models import Answer, Comment, Post, PostRevision, Question, Tag
from questions.permissions import can_see
from questions.voting import viewer_vote

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
_DELETER_PROFILE_FIELDS = ("deleted_by__about_markdown", "deleted_by__about_html")


def _is_moderator(viewer):
    return viewer.is_authenticated and (viewer.is_moderator or viewer.is_staff)


def _seen_by(posts, viewer):
    """`posts` narrowed to those `viewer` may see: deleted ones only for their authors and
    the moderators, who see them marked as deleted."""
    if _is_moderator(viewer):
        return posts
    if viewer.is_authenticated:
        return posts.filter(Q(deleted_at__isnull=True) | Q(author=viewer))
    return posts.visible()


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
        _seen_by(Question.objects.all(), viewer)
        .select_related("author", "duplicate_of", "deleted_by")
        .defer(
            "body_markdown",
            "duplicate_of__body_markdown",
            "duplicate_of__body_html",
            *_AUTHOR_PROFILE_FIELDS,
            *_DELETER_PROFILE_FIELDS,
        )
        .annotate(
            has_upvoted_answers=Exists(
                Answer.objects.visible().filter(parent=OuterRef("pk"), score__gt=0)
            ),
            viewer_vote=viewer_vote(viewer),
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
        _seen_by(Answer.objects.filter(parent=question), viewer)
        .select_related("author", "deleted_by")
        .defer("body_markdown", *_AUTHOR_PROFILE_FIELDS, *_DELETER_PROFILE_FIELDS)
        .annotate(viewer_vote=viewer_vote(viewer))
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
    answers = list(answers.order_by(*ordering))
    for answer in answers:
        # Permission checks ask an answer for its question; this saves a query per answer.
        answer.parent = question
    return answers


def post_for_viewer(*, pk, viewer):
    """The question or answer `pk`, with its question, if `viewer` may see it, or Http404."""
    post = (
        Post.objects.select_related("parent")
        .annotate(
            has_upvoted_answers=Exists(
                Answer.objects.visible().filter(parent=OuterRef("pk"), score__gt=0)
            )
        )
        .filter(pk=pk)
        .first()
    )
    if post is None or not can_see(viewer, post):
        raise Http404
    return post


def revision_history(*, post):
    """The post's revisions, newest first, each with what it changed in the one before:
    `title_diff`, `tags_diff` and `body_diff` are lists of (change, text) pieces, or None
    where the revision left that part alone. The first revision is all kept text.

    One query, however many revisions there are.
    """
    revisions = list(
        PostRevision.objects.filter(post=post)
        .select_related("author")
        .defer(*_AUTHOR_PROFILE_FIELDS)
        .order_by("number")
    )
    previous = None
    for revision in revisions:
        tags = revision.tags.split()
        if previous is None:
            revision.title_diff = [(KEPT, revision.title)] if revision.title else None
            revision.tags_diff = [(KEPT, name) for name in tags] or None
            revision.body_diff = [(KEPT, revision.body_markdown)]
        else:
            old_tags = previous.tags.split()
            revision.title_diff = (
                text_diff(previous.title, revision.title) if revision.title != previous.title else None
            )
            revision.tags_diff = tags_diff(old_tags, tags) if set(tags) != set(old_tags) else None
            revision.body_diff = (
                text_diff(previous.body_markdown, revision.body_markdown)
                if revision.body_markdown != previous.body_markdown
                else None
            )
        previous = revision
    revisions.reverse()
    return revisions


def question_for_permalink(*, pk, viewer):
    """Just enough of the question `pk` to build its URL, if `viewer` may see it, or Http404."""
    question = _seen_by(Question.objects.all(), viewer).only("id", "post_type", "slug").filter(pk=pk).first()
    if question is None:
        raise Http404
    return question


def answer_for_permalink(*, pk, viewer):
    """The answer `pk` with what its URL needs, if `viewer` may see it and its question,
    or Http404."""
    answer = (
        _seen_by(Answer.objects.all(), viewer)
        .filter(pk=pk, parent__in=_seen_by(Question.objects.all(), viewer))
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
