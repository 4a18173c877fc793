"""Votes, accepted answers and the reputation they give; comments' upvotes, which give none.

Who may vote or accept is asked of `questions.permissions` (vote_denial, accept_denial),
like every other permission. `post_vote` and `answer_accept` are the services: each is one
transaction that locks the rows it changes, re-checks the rules against them, and raises
`Refused` with the reason when a rule no longer lets the change through.

Reputation changes through the ledger (questions/reputation.py): undoing a vote or an
acceptance appends events that reverse what the ledger holds for it.

Locks are taken in one order, posts first (answers before their question) and then the
users by primary key, so that concurrent requests queue up instead of deadlocking. They
are FOR NO KEY UPDATE locks, which do not conflict with the key-share locks PostgreSQL
takes on a row when another transaction inserts a row referring to it (an acceptance's
event on the answer, a comment by the author): FOR UPDATE would wait on those, and they
on it.
"""

from dataclasses import dataclass
from datetime import UTC, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from core.events import publish
from questions import events, profile_counts
from questions.models import Comment, CommentVote, DailyVoteCount, Post, ReputationEvent, Vote
from questions.permissions import accept_denial, comment_vote_denial, vote_denial
from questions.reputation import ACCEPT_KINDS, VOTE_KINDS, Ledger, lock_users

NO_VOTE = 0


class Refused(Exception):
    """A vote or an acceptance that the rules do not allow; `reason` says why."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class VoteOutcome:
    score: int
    vote: int  # the voter's vote now: 1, -1 or NO_VOTE


def _vote_change_denial(*, vote, post, now):
    """A vote may change for a few minutes after it is cast, and again once the post has
    been edited since, as its author may have answered the voter's objection."""
    lock = timedelta(minutes=settings.FORUM_VOTE_LOCK_MINUTES)
    if now - vote.created_at <= lock:
        return None
    if post.last_edited_at and post.last_edited_at > vote.created_at:
        return None
    return ngettext(
        "Your vote is locked in: a vote can change only within %(minutes)s minute of casting it, "
        "unless the post is edited.",
        "Your vote is locked in: a vote can change only within %(minutes)s minutes of casting it, "
        "unless the post is edited.",
        settings.FORUM_VOTE_LOCK_MINUTES,
    ) % {"minutes": settings.FORUM_VOTE_LOCK_MINUTES}


def _daily_limit_denial(*, votes_today, post):
    """Stack Exchange's limits: so many votes a day, the last few for questions only."""
    limit = settings.FORUM_VOTES_PER_DAY
    if votes_today >= limit:
        return ngettext(
            "You have cast all of today's %(limit)s vote. More tomorrow (UTC).",
            "You have cast all of today's %(limit)s votes. More tomorrow (UTC).",
            limit,
        ) % {"limit": limit}
    if not post.is_question and votes_today >= limit - settings.FORUM_QUESTION_ONLY_VOTES:
        return _("Your remaining votes today are for questions only.")
    return None


def _votes_cast_today(*, voter, now):
    """The voter's counter for today, or None before their first vote of the day."""
    return DailyVoteCount.objects.filter(user=voter, day=now.astimezone(UTC).date()).first()


def _count_vote_cast(*, counter, voter, now):
    if counter is None:
        DailyVoteCount.objects.create(user=voter, day=now.astimezone(UTC).date(), votes=1)
    else:
        DailyVoteCount.objects.filter(pk=counter.pk).update(votes=F("votes") + 1)


def _vote_reputation(ledger, *, post, voter_id, value):
    """Records on `ledger` what a vote of `value` on `post` gives its author and costs its
    voter."""
    # A community wiki post's votes give and cost no one reputation, as on Stack Exchange;
    # those cast before it became one keep theirs until they are undone.
    author_id = None if post.wiki_at else post.author_id
    if value == Vote.Value.UP and author_id:
        ledger.add(
            user_id=author_id,
            post_id=post.pk,
            kind=ReputationEvent.Kind.UPVOTED,
            voter_id=voter_id,
        )
    elif value == Vote.Value.DOWN:
        if author_id:
            ledger.add(
                user_id=author_id,
                post_id=post.pk,
                kind=ReputationEvent.Kind.DOWNVOTED,
                voter_id=voter_id,
            )
        if not post.is_question and not post.wiki_at:
            ledger.add(
                user_id=voter_id,
                post_id=post.pk,
                kind=ReputationEvent.Kind.DOWNVOTING,
                voter_id=voter_id,
            )


@transaction.atomic
def post_vote(*, post: Post, user: User, value: int) -> VoteOutcome:
    """Casts, switches or undoes `user`'s vote on `post`. `value` is 1 (up), -1 (down) or
    NO_VOTE (undo); voting the way one has voted already undoes the vote."""
    now = timezone.now()
    # The vote row is read in a statement of its own after the post is locked: a statement
    # that waited for the lock still sees the rows as they were before it waited.
    locked = (
        Post.objects.select_for_update(no_key=True)
        .only(
            "id",
            "post_type",
            "parent_id",
            "author_id",
            "score",
            "deleted_at",
            "locked_at",
            "last_edited_at",
            "wiki_at",
        )
        .get(pk=post.pk)
    )
    locked.parent = post.parent
    users = lock_users(user.pk, locked.author_id)
    voter = users[user.pk]
    vote = Vote.objects.filter(post=locked, user=voter).first()
    current = vote.value if vote else NO_VOTE
    new = NO_VOTE if value == current else value
    if new == current:  # an undo with nothing to undo, such as a repeated click
        return VoteOutcome(score=locked.score, vote=current)

    if reason := vote_denial(voter, locked, new):
        raise Refused(reason)
    if vote and (reason := _vote_change_denial(vote=vote, post=locked, now=now)):
        raise Refused(reason)
    counter = None
    if new != NO_VOTE:
        counter = _votes_cast_today(voter=voter, now=now)
        if reason := _daily_limit_denial(votes_today=counter.votes if counter else 0, post=locked):
            raise Refused(reason)

    ledger = Ledger(users=users.values(), now=now)
    if vote:
        ledger.undo(post_id=locked.pk, voter_id=voter.pk, kinds=VOTE_KINDS)
    _vote_reputation(ledger, post=locked, voter_id=voter.pk, value=new)

    if new == NO_VOTE:
        Vote.objects.filter(pk=vote.pk).delete()
    elif vote:
        Vote.objects.filter(pk=vote.pk).update(value=new, created_at=now)
    else:
        Vote.objects.create(post=locked, user=voter, value=new, created_at=now)
    Post.objects.filter(pk=locked.pk).update(score=F("score") + (new - current))
    profile_counts.vote_counted(voter_id=voter.pk, post=locked, previous=current, new=new)
    publish(
        events.VoteCast(
            post_id=locked.pk,
            question_id=locked.question_id,
            voter_id=voter.pk,
            value=new,
            previous=current,
        )
    )
    if new != NO_VOTE:
        _count_vote_cast(counter=counter, voter=voter, now=now)
    ledger.save()
    return VoteOutcome(score=locked.score + new - current, vote=new)


@transaction.atomic
def answer_accept(*, answer: Post, user: User) -> bool:
    """Accepts `answer` in place of any answer accepted before, or takes the acceptance
    back when it is the accepted one already. Returns whether it is accepted now."""
    now = timezone.now()
    # Answers are locked before their question, as editing and commenting on an answer
    # change the answer and then the question. All of them, as the one accepted now is
    # only known once the question is locked.
    answers = {
        locked.pk: locked
        for locked in Post.objects.select_for_update(no_key=True)
        .filter(parent_id=answer.parent_id)
        .only("id", "post_type", "parent_id", "author_id", "deleted_at")
        .order_by("pk")
    }
    question = Post.objects.select_for_update(no_key=True).get(pk=answer.parent_id)
    chosen = answers[answer.pk]
    chosen.parent = question
    previous = answers.get(question.accepted_answer_id)
    users = lock_users(
        user.pk, question.author_id, chosen.author_id, previous and previous.author_id
    )
    if reason := accept_denial(users[user.pk], chosen):
        raise Refused(reason)

    accepting = previous != chosen
    ledger = Ledger(users=users.values(), now=now)
    if previous:
        ledger.undo(post_id=previous.pk, kinds=ACCEPT_KINDS)
    # Accepting one's own answer earns nothing, for either side.
    if accepting and chosen.author_id != question.author_id:
        if chosen.author_id:
            ledger.add(
                user_id=chosen.author_id, post_id=chosen.pk, kind=ReputationEvent.Kind.ACCEPTED
            )
        ledger.add(
            user_id=question.author_id, post_id=chosen.pk, kind=ReputationEvent.Kind.ACCEPTING
        )
    Post.objects.filter(pk=question.pk).update(accepted_answer=chosen if accepting else None)
    if accepting:
        publish(
            events.AnswerAccepted(
                post_id=chosen.pk,
                question_id=question.pk,
                accepter_id=user.pk,
                previous_answer_id=previous and previous.pk,
            )
        )
    else:
        publish(
            events.AnswerUnaccepted(post_id=chosen.pk, question_id=question.pk, accepter_id=user.pk)
        )
    ledger.save()
    return accepting


VOTE_FIELDS = ("id", "post_type", "parent_id", "author_id", "deleted_at", "wiki_at")


def _posts_locked(post_ids):
    """The posts, locked in primary-key order, each with its question (unlocked)."""
    return {
        post.pk: post
        for post in Post.objects.select_for_update(no_key=True, of=("self",))
        .select_related("parent")
        .only(*VOTE_FIELDS, *(f"parent__{field}" for field in VOTE_FIELDS))
        .filter(pk__in=post_ids)
        .order_by("pk")
    }


def _vote_moved(*, post, voter_id, previous, new):
    Post.objects.filter(pk=post.pk).update(score=F("score") + (new - previous))
    profile_counts.vote_counted(voter_id=voter_id, post=post, previous=previous, new=new)
    publish(
        events.VoteCast(
            post_id=post.pk,
            question_id=post.question_id,
            voter_id=voter_id,
            value=new,
            previous=previous,
        )
    )


@transaction.atomic
def votes_withdraw(*, voter: User) -> list[dict]:
    """Withdraws every vote `voter` cast on posts, whatever the voting rules say (a
    moderator removing a spammer's votes): what they gave or cost goes back through the
    ledger, the scores and the counts move back. Returns the votes as they were
    ({"post_id", "value", "created_at"}), which `votes_restore` casts again."""
    votes = list(Vote.objects.filter(user=voter).order_by("post_id"))
    if not votes:
        return []
    posts = _posts_locked([vote.post_id for vote in votes])
    users = lock_users(voter.pk, *(post.author_id for post in posts.values()))
    ledger = Ledger(users=users.values(), now=timezone.now())
    for vote in votes:
        post = posts[vote.post_id]
        ledger.undo(post_id=post.pk, voter_id=voter.pk, kinds=VOTE_KINDS)
        _vote_moved(post=post, voter_id=voter.pk, previous=vote.value, new=NO_VOTE)
    Vote.objects.filter(pk__in=[vote.pk for vote in votes]).delete()
    ledger.save()
    return [
        {"post_id": vote.post_id, "value": vote.value, "created_at": vote.created_at}
        for vote in votes
    ]


@transaction.atomic
def votes_restore(*, voter: User, votes: list[dict]) -> int:
    """Casts again votes that `votes_withdraw` took (each with its first time), with what
    they give and cost through the ledger; not where the voter has voted since or the post
    is gone. Returns how many."""
    posts = _posts_locked([vote["post_id"] for vote in votes])
    voted = set(
        Vote.objects.filter(user=voter, post_id__in=posts).values_list("post_id", flat=True)
    )
    again = [vote for vote in votes if vote["post_id"] in posts and vote["post_id"] not in voted]
    if not again:
        return 0
    users = lock_users(voter.pk, *(posts[vote["post_id"]].author_id for vote in again))
    ledger = Ledger(users=users.values(), now=timezone.now())
    for vote in sorted(again, key=lambda vote: vote["post_id"]):
        post = posts[vote["post_id"]]
        _vote_reputation(ledger, post=post, voter_id=voter.pk, value=vote["value"])
        _vote_moved(post=post, voter_id=voter.pk, previous=NO_VOTE, new=vote["value"])
    Vote.objects.bulk_create(
        Vote(
            post_id=vote["post_id"], user=voter, value=vote["value"], created_at=vote["created_at"]
        )
        for vote in again
    )
    ledger.save()
    return len(again)


@transaction.atomic
def comment_votes_withdraw(*, voter: User) -> list[dict]:
    """Withdraws every comment upvote of `voter`, whatever the rules say; returns them as
    they were ({"comment_id", "created_at"}) for `comment_votes_restore`."""
    votes = list(
        CommentVote.objects.filter(user=voter).select_related("comment__post").order_by("pk")
    )
    for vote in votes:
        Comment.objects.filter(pk=vote.comment_id).update(score=F("score") - 1)
        _comment_vote_published(comment=vote.comment, voter_id=voter.pk, value=NO_VOTE)
    CommentVote.objects.filter(pk__in=[vote.pk for vote in votes]).delete()
    return [{"comment_id": vote.comment_id, "created_at": vote.created_at} for vote in votes]


@transaction.atomic
def comment_votes_restore(*, voter: User, votes: list[dict]) -> int:
    """Casts again comment upvotes that `comment_votes_withdraw` took, where the voter has
    not voted since and the comment is still there. Returns how many."""
    comments = {
        comment.pk: comment
        for comment in Comment.objects.select_related("post").filter(
            pk__in=[vote["comment_id"] for vote in votes]
        )
    }
    voted = set(
        CommentVote.objects.filter(user=voter, comment_id__in=comments).values_list(
            "comment_id", flat=True
        )
    )
    again = [
        vote for vote in votes if vote["comment_id"] in comments and vote["comment_id"] not in voted
    ]
    for vote in again:
        comment = comments[vote["comment_id"]]
        Comment.objects.filter(pk=comment.pk).update(score=F("score") + 1)
        _comment_vote_published(comment=comment, voter_id=voter.pk, value=1)
    CommentVote.objects.bulk_create(
        CommentVote(comment_id=vote["comment_id"], user=voter, created_at=vote["created_at"])
        for vote in again
    )
    return len(again)


def _comment_vote_published(*, comment, voter_id, value):
    publish(
        events.CommentVoteCast(
            post_id=comment.post_id,
            question_id=comment.post.question_id,
            comment_id=comment.pk,
            voter_id=voter_id,
            value=value,
        )
    )


@dataclass(frozen=True)
class CommentVoteOutcome:
    score: int
    voted: bool  # whether the voter's upvote stands now


def _comment_votes_limit_denial(*, votes_today):
    limit = settings.FORUM_COMMENT_VOTES_PER_DAY
    if votes_today < limit:
        return None
    return ngettext(
        "You have used all of today's %(limit)s comment vote. More tomorrow (UTC).",
        "You have used all of today's %(limit)s comment votes. More tomorrow (UTC).",
        limit,
    ) % {"limit": limit}


@transaction.atomic
def comment_vote(*, comment: Comment, user: User, value: int) -> CommentVoteOutcome:
    """Votes `comment` up (`value` 1) or withdraws `user`'s vote (NO_VOTE); voting up what
    one has voted up already withdraws the vote, as for posts. No reputation changes hands.

    The comment's row is locked, then the voter's (in the module's order: content before
    users): two clicks at once make one vote, one member's votes on several comments
    count one after the other against the daily limit, and the score it answers with is
    the one stored."""
    now = timezone.now()
    locked = (
        Comment.objects.select_for_update(no_key=True, of=("self",))
        .select_related("post", "post__parent")
        .only(
            "id",
            "post_id",
            "author_id",
            "score",
            "deleted_at",
            *(
                f"{relation}{field}"
                for relation in ("post__", "post__parent__")
                for field in ("id", "post_type", "deleted_at", "locked_at")
            ),
            "post__parent",
        )
        .get(pk=comment.pk)
    )
    voter = lock_users(user.pk)[user.pk]
    vote = CommentVote.objects.filter(comment=locked, user=voter).first()
    voted = value != NO_VOTE and vote is None
    if voted == (vote is not None):  # a withdrawal with nothing to withdraw
        return CommentVoteOutcome(score=locked.score, voted=voted)

    if reason := comment_vote_denial(voter, locked):
        raise Refused(reason)
    counter = None
    if voted:
        counter = _votes_cast_today(voter=voter, now=now)
        votes_today = counter.comment_votes if counter else 0
        if reason := _comment_votes_limit_denial(votes_today=votes_today):
            raise Refused(reason)
        CommentVote.objects.create(comment=locked, user=voter, created_at=now)
        if counter is None:
            DailyVoteCount.objects.create(
                user=voter, day=now.astimezone(UTC).date(), comment_votes=1
            )
        else:
            DailyVoteCount.objects.filter(pk=counter.pk).update(
                comment_votes=F("comment_votes") + 1
            )
    else:
        CommentVote.objects.filter(pk=vote.pk).delete()
    change = 1 if voted else -1
    Comment.objects.filter(pk=locked.pk).update(score=F("score") + change)
    publish(
        events.CommentVoteCast(
            post_id=locked.post_id,
            question_id=locked.post.question_id,
            comment_id=locked.pk,
            voter_id=voter.pk,
            value=int(voted),
        )
    )
    return CommentVoteOutcome(score=locked.score + change, voted=voted)


def viewer_comment_vote(viewer):
    """An expression to annotate comments with whether `viewer` voted each up."""
    return Exists(CommentVote.objects.filter(comment=OuterRef("pk"), user=viewer))


def viewer_vote(viewer):
    """An expression to annotate posts with `viewer`'s vote on each (1, -1 or NO_VOTE),
    which the vote partial shows: `.annotate(viewer_vote=viewer_vote(request.user))`."""
    if not viewer.is_authenticated:
        return Value(NO_VOTE)
    return Coalesce(
        Subquery(Vote.objects.filter(post=OuterRef("pk"), user=viewer).values("value")[:1]),
        Value(NO_VOTE),
    )
