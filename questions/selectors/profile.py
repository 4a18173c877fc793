"""A member's posts as their profile shows them, their reputation history, and the
questions they saved."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate

from questions.models import Answer, Bookmark, Post, Question, ReputationEvent, attach_tags


def user_questions(*, user, limit):
    """The user's visible questions, best first, for their profile."""
    return list(
        Question.objects.visible()
        .filter(author=user)
        .only(
            "id",
            "post_type",
            "title",
            "slug",
            "score",
            "answer_count",
            "accepted_answer",
            "created_at",
        )
        .order_by("-score", "-created_at")[:limit]
    )


def user_answers(*, user, limit):
    """The user's visible answers on visible questions, best first, with the question's title."""
    return list(
        Answer.objects.visible()
        .filter(author=user, parent__deleted_at__isnull=True)
        .select_related("parent")
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
        .order_by("-score", "-created_at")[:limit]
    )


def user_post_counts(*, user):
    """How many visible questions and answers the user has written, in one query.

    Answers on deleted questions do not count. The deleted questions come from a small
    partial index and the user's posts from a covering one, so no row of the user's posts
    is read from the table, however many they wrote."""
    deleted_questions = Question.objects.filter(deleted_at__isnull=False).values("pk")
    return (
        Post.objects.visible()
        .filter(author=user)
        .aggregate(
            # Counting a column the index lacks (such as the id) would read every row.
            questions=Count("post_type", filter=Q(post_type=Post.PostType.QUESTION)),
            answers=Count(
                "post_type",
                filter=Q(post_type=Post.PostType.ANSWER) & ~Q(parent__in=deleted_questions),
            ),
        )
    )


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
