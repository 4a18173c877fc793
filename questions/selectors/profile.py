"""A member's posts as their profile shows them."""

from django.db.models import Count, Q

from questions.models import Answer, Post, Question


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
