"""A member's posts and tags as their profile shows them (counted by the stored counts of
questions/profile_counts.py, never by counting their rows), a tag's top answerers, their
reputation history, and the questions they saved."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Sum
from django.db.models.functions import TruncDate

from accounts.models import User
from questions.models import (
    Answer,
    Bookmark,
    Post,
    Question,
    ReputationEvent,
    UserTagStats,
    attach_tags,
)

# The orderings of a member's Questions and Answers tabs: each one an index's order
# (post_author_best_idx for votes, post_author_newest_idx for newest), down to the id.
POST_SORTS = {
    "votes": ("-score", "-created_at", "-id"),
    "newest": ("-created_at", "-id"),
}
DEFAULT_POST_SORT = "votes"


class StoredCountPaginator(Paginator):
    """A paginator whose total is a stored count (the member's question_count, say), so
    that a page of a member's posts never counts their rows."""

    def __init__(self, object_list, per_page, *, count):
        super().__init__(object_list, per_page)
        self.count = count


def user_questions(*, user, sort=DEFAULT_POST_SORT):
    """The user's visible questions in `sort` order (POST_SORTS)."""
    return _questions_shown(Question.objects.visible().filter(author=user), sort)


def user_answers(*, user, sort=DEFAULT_POST_SORT):
    """The user's visible answers on visible questions in `sort` order, with the
    question's title."""
    return _answers_shown(
        Answer.objects.visible().filter(author=user, parent__deleted_at__isnull=True), sort
    )


def _questions_shown(questions, sort):
    return questions.only(
        "id",
        "post_type",
        "title",
        "slug",
        "score",
        "answer_count",
        "accepted_answer",
        "created_at",
    ).order_by(*POST_SORTS[sort])


def _answers_shown(answers, sort):
    return (
        answers.select_related("parent")
        .only(
            "id",
            "post_type",
            "score",
            "created_at",
            "parent__id",
            "parent__post_type",
            "parent__title",
            "parent__slug",
            "parent__accepted_answer",
        )
        .order_by(*POST_SORTS[sort])
    )


def user_post_ids(*, user, post_type, sort):
    """The ids of the posts user_questions or user_answers gives (`post_type`), in the
    same order, from the index of that order alone (post_author_best_idx,
    post_author_newest_idx: the author, the type, the order, the id and the question),
    so that skipping to a deep page reads index entries, not rows. An answer's question
    is looked up among the few deleted posts (post_deleted_idx), not read."""
    posts = Post.objects.filter(author=user, post_type=post_type, deleted_at__isnull=True)
    if post_type == Post.PostType.ANSWER:
        deleted = Post.objects.filter(pk=OuterRef("parent_id"), deleted_at__isnull=False)
        posts = posts.filter(~Exists(deleted))
    return posts.order_by(*POST_SORTS[sort]).values("pk")


def user_posts_page(*, user, post_type, sort, number, per_page):
    """Page `number` of the user's questions or answers (`post_type`), counted by their
    stored counts. Two queries: the page, its tags. The page is a deferred join: its ids
    (user_post_ids, skipping the earlier pages in the index), then their rows."""
    if post_type == Post.PostType.QUESTION:
        count, model, shown = user.question_count, Question, _questions_shown
    else:
        count, model, shown = user.answer_count, Answer, _answers_shown
    ids = user_post_ids(user=user, post_type=post_type, sort=sort)
    page = StoredCountPaginator(ids, per_page, count=count).get_page(number)
    page.object_list = list(shown(model.objects.filter(pk__in=page.object_list), sort))
    attach_tags(page.object_list)
    return page


def user_top_tags(*, user):
    """The tags the user wrote in, best answer score first (UserTagStats): a queryset to
    slice or page."""
    return (
        UserTagStats.objects.filter(user=user)
        .select_related("tag")
        .only("question_count", "answer_count", "answer_score", "tag__id", "tag__name")
        .order_by("-answer_score", "-answer_count", "tag__name")
    )


def user_tags_page(*, user, number, per_page):
    """Page `number` of the tags the user wrote in. Two queries: the count of their
    tags (the rows of UserTagStats, one per tag), the page."""
    return Paginator(user_top_tags(user=user), per_page).get_page(number)


TOP_USERS_DAYS = 30


def tag_top_answerers(*, tag, limit):
    """The members with the best answer score in `tag` of all time (UserTagStats), with
    `score` and `answers`."""
    rows = (
        UserTagStats.objects.filter(tag=tag, answer_count__gt=0)
        .select_related("user")
        .only(
            "answer_count",
            "answer_score",
            "user__id",
            "user__username",
            "user__display_name",
            "user__reputation",
            "user__is_moderator",
            "user__avatar_kind",
            "user__avatar_key",
        )
        .order_by("-answer_score", "user")[:limit]
    )
    return [
        _TopUser(user=row.user, score=row.answer_score, answers=row.answer_count) for row in rows
    ]


def tag_top_answerers_since(*, tag, since, limit):
    """The members whose visible answers, posted since `since` to the tag's visible
    questions, scored best, with `score` and `answers`. Reads the answers of that window
    only, newest questions of the tag first by the tag's index."""
    rows = list(
        Answer.objects.visible()
        .filter(
            created_at__gte=since,
            author__isnull=False,
            parent__deleted_at__isnull=True,
            parent__tags=tag,
        )
        .order_by()
        .values("author_id")
        .annotate(score=Sum("score"), answers=Count("pk"))
        .order_by("-score", "author_id")[:limit]
    )
    members = User.objects.only(
        "id", "username", "display_name", "reputation", "is_moderator", "avatar_kind", "avatar_key"
    ).in_bulk([row["author_id"] for row in rows])
    return [
        _TopUser(user=members[row["author_id"]], score=row["score"], answers=row["answers"])
        for row in rows
        if row["author_id"] in members
    ]


@dataclass(frozen=True)
class _TopUser:
    user: object
    score: int
    answers: int


def reputation_events(*, user):
    """The user's reputation ledger, newest first, with the post and question each line
    links to."""
    return (
        ReputationEvent.objects.filter(user=user)
        .select_related("post", "post__parent")
        .only(
            "id",
            "kind",
            "delta",
            "created_at",
            *Post.link_columns("post"),
        )
        .order_by("-created_at", "-id")
    )


@dataclass(frozen=True)
class ReputationDay:
    day: date
    total: int
    events: list


def reputation_days(*, user, events):
    """A page of ledger lines grouped by UTC day, newest day first.

    A day's total counts all of its lines, also those on the neighbouring pages, so that
    a day cut by a page break still shows what it earned."""
    by_day = {}
    for event in events:
        by_day.setdefault(event.created_at.astimezone(UTC).date(), []).append(event)
    if not by_day:
        return []
    oldest, newest = min(by_day), max(by_day)
    totals = dict(
        ReputationEvent.objects.filter(
            user=user,
            created_at__gte=datetime.combine(oldest, time.min, tzinfo=UTC),
            created_at__lt=datetime.combine(newest + timedelta(days=1), time.min, tzinfo=UTC),
        )
        .annotate(day=TruncDate("created_at", tzinfo=UTC))
        .values("day")
        .annotate(total=Sum("delta"))
        .values_list("day", "total")
    )
    return [
        ReputationDay(day=day, total=totals[day], events=lines) for day, lines in by_day.items()
    ]


def saved_questions(*, user):
    """The bookmarks of `user`, newest first, each with its question; a deleted question
    only where `user` may still see it (their own, or any for a moderator), marked so."""
    return (
        Bookmark.objects.filter(user=user, question__in=Question.objects.seen_by(user))
        .select_related("question")
        .only(
            "id",
            "created_at",
            "question__id",
            "question__post_type",
            "question__title",
            "question__slug",
            "question__score",
            "question__answer_count",
            "question__accepted_answer",
            "question__deleted_at",
        )
        .order_by("-created_at", "-id")
    )


def saved_page(*, user, number, per_page):
    """Page `number` of saved_questions(user), as Paginator.get_page reads it; each
    question carries its `shown_tags`. Three queries: the count, the page, the tags."""
    page = Paginator(saved_questions(user=user), per_page).get_page(number)
    attach_tags([bookmark.question for bookmark in page.object_list])
    return page
