"""Bounties' reads: the thread's notice and awards (in the thread's own queries), a
question's bounty history, a member's bounties, the answer the periodic task pays."""

from django.db.models import Exists, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from bounties.models import AUTO_AWARD_MIN_SCORE, Bounty
from questions.models import Post
from questions.selectors.thread import ThreadAddition

_ACTIVE_FIELDS = ("pk", "offerer_id", "reason", "started_at")
MEMBER_BOUNTIES_SHOWN = 100


def _active(field):
    return Subquery(
        Bounty.objects.filter(question=OuterRef("pk"), status=Bounty.Status.ACTIVE).values(field)[
            :1
        ]
    )


class ThreadBounties(ThreadAddition):
    """The question's active bounty (its amount and end are on the post itself; who
    offered it, why and since when are read by the question's query) and, on each answer,
    what bounties it was awarded (by the answers' query)."""

    def question_annotations(self, viewer):
        return {
            **{f"bounty_{field}": _active(field) for field in _ACTIVE_FIELDS},
            # For the link to the question's bounty history once none is active.
            "bounty_history": Exists(Bounty.objects.filter(question=OuterRef("pk"))),
        }

    def post_annotations(self, viewer):
        return {
            "bounty_awarded": Coalesce(
                Subquery(
                    Bounty.objects.filter(answer=OuterRef("pk"), awarded_amount__gt=0)
                    .order_by()
                    .values("answer")
                    .annotate(total=Sum("awarded_amount"))
                    .values("total"),
                    output_field=IntegerField(),
                ),
                0,
            )
        }

    def attach(self, posts):
        for post in posts:
            if post.is_question:
                post.active_bounty = active_bounty_of(post)


def active_bounty_of(question):
    """The question's active bounty as the thread loaded it (no query), or None."""
    if not question.bounty_amount or getattr(question, "bounty_pk", None) is None:
        return None
    return Bounty(
        pk=question.bounty_pk,
        question_id=question.pk,
        offerer_id=question.bounty_offerer_id,
        amount=question.bounty_amount,
        reason=question.bounty_reason,
        started_at=question.bounty_started_at,
        ends_at=question.bounty_ends_at,
        status=Bounty.Status.ACTIVE,
    )


def auto_award_candidate(bounty):
    """The answer that gets half of `bounty` when it ends unawarded: the highest-scoring
    visible answer posted after the bounty started, with a score of at least
    AUTO_AWARD_MIN_SCORE, not the offerer's; the older of a tie. None when none is."""
    answers = (
        Post.objects.answers()
        .visible()
        .filter(
            parent_id=bounty.question_id,
            created_at__gte=bounty.started_at,
            score__gte=AUTO_AWARD_MIN_SCORE,
        )
    )
    if bounty.offerer_id is not None:
        answers = answers.filter(Q(author__isnull=True) | ~Q(author_id=bounty.offerer_id))
    return answers.order_by("-score", "created_at", "pk").first()


def question_bounties(question):
    """Every bounty of the question, newest first, with who offered it and the answer it
    went to (one query)."""
    return (
        Bounty.objects.filter(question=question)
        .select_related("question", "offerer")
        .order_by("-started_at", "-pk")
    )


def member_bounties(member):
    """(offered, earned): the bounties `member` offered and those awarded to their answers,
    the latest MEMBER_BOUNTIES_SHOWN of each, newest first, each with its question (two queries)."""
    offered = (
        Bounty.objects.filter(offerer=member)
        .select_related("question")
        .order_by("-started_at", "-pk")
    )
    earned = (
        Bounty.objects.filter(answer__author=member, awarded_amount__gt=0)
        .select_related("question", "offerer")
        .order_by("-closed_at", "-pk")
    )
    return list(offered[:MEMBER_BOUNTIES_SHOWN]), list(earned[:MEMBER_BOUNTIES_SHOWN])
