"""What moderators (and the community's votes) do to posts: delete, lock, protect, close
and reopen, each audited and published as an event."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.roles import is_moderator
from core.events import publish
from moderation import events
from moderation.models import (
    CloseVote,
)
from moderation.services.audit import Verb, audit
from questions import services as question_services
from questions.models import Post


@transaction.atomic
def post_delete(*, post, moderator, reason=""):
    if not question_services.post_delete(post=post, user=moderator):
        return False
    audit(actor=moderator, verb=Verb.POST_DELETED, target=post, reason=reason)
    return True


@transaction.atomic
def post_undelete(*, post, moderator, reason=""):
    if not question_services.post_undelete(post=post, user=moderator):
        return False
    audit(actor=moderator, verb=Verb.POST_UNDELETED, target=post, reason=reason)
    return True


def post_deleted_set(*, post, user, deleted, reason=""):
    """Deletes (or, with `deleted` False, undeletes) `post` for `user`, who may (see
    permissions.delete_denial): their own post through the posting services, someone
    else's as a moderator's action, audited. Returns False when it was so already."""
    if post.author_id == user.pk:
        change = question_services.post_delete if deleted else question_services.post_undelete
        return change(post=post, user=user)
    change = post_delete if deleted else post_undelete
    return change(post=post, moderator=user, reason=reason)


# The timestamp of each state a post's moderation sets, by the state's name in events.
STATE_FIELDS = {
    "locked": "locked_at",
    "protected": "protected_at",
    "closed": "closed_at",
    "hidden": "hidden_at",
}


def _state_changed(*, post, state, on, actor):
    publish(
        events.PostModerated(
            post_id=post.pk,
            question_id=post.question_id,
            state=state,
            on=on,
            actor_id=actor and actor.pk,
        )
    )


def _set_state(*, post, state, on, actor, verb, reason, extra=None):
    """Sets (`on`) or clears the post's `state` ("locked" …); False when it was so already."""
    field = STATE_FIELDS[state]
    queryset = Post.objects.filter(pk=post.pk, **{f"{field}__isnull": on})
    changes = {field: timezone.now() if on else None, **(extra or {})}
    with question_services.list_totals_kept(post.question_id):
        if not queryset.update(**changes):
            return False
    _state_changed(post=post, state=state, on=on, actor=actor)
    audit(actor=actor, verb=verb, target=post, reason=reason)
    return True


@transaction.atomic
def post_lock(*, post, moderator, reason=""):
    return _set_state(
        post=post, state="locked", on=True, actor=moderator, verb=Verb.POST_LOCKED, reason=reason
    )


@transaction.atomic
def post_unlock(*, post, moderator, reason=""):
    return _set_state(
        post=post, state="locked", on=False, actor=moderator, verb=Verb.POST_UNLOCKED, reason=reason
    )


@transaction.atomic
def question_protect(*, question, moderator, reason=""):
    return _set_state(
        post=question,
        state="protected",
        on=True,
        actor=moderator,
        verb=Verb.POST_PROTECTED,
        reason=reason,
    )


@transaction.atomic
def question_unprotect(*, question, moderator, reason=""):
    return _set_state(
        post=question,
        state="protected",
        on=False,
        actor=moderator,
        verb=Verb.POST_UNPROTECTED,
        reason=reason,
    )


def _spend_close_votes(question, kind):
    CloseVote.objects.filter(question=question, kind=kind, spent_at__isnull=True).update(
        spent_at=timezone.now()
    )


@transaction.atomic
def question_close(*, question, actor, reason, duplicate_of=None, note=""):
    """Closes a question for `reason` (a CloseVote.Reason); `actor` None: the community's votes."""
    changed = _set_state(
        post=question,
        state="closed",
        on=True,
        actor=actor,
        verb=Verb.POST_CLOSED,
        reason=note or CloseVote.Reason(reason).label,
        extra={"close_reason": reason, "duplicate_of": duplicate_of},
    )
    if changed:
        _spend_close_votes(question, CloseVote.Kind.CLOSE)
    return changed


@transaction.atomic
def question_reopen(*, question, actor, note=""):
    changed = _set_state(
        post=question,
        state="closed",
        on=False,
        actor=actor,
        verb=Verb.POST_REOPENED,
        reason=note,
        extra={"close_reason": "", "duplicate_of": None},
    )
    if changed:
        _spend_close_votes(question, CloseVote.Kind.REOPEN)
    return changed


def _live_votes(question, kind):
    return CloseVote.objects.live().filter(question=question, kind=kind)


@transaction.atomic
def close_vote_cast(*, question, user, kind, reason="", duplicate_of=None, note=""):
    """A vote to close or reopen. A moderator's vote is binding (`note` is their reason
    for the audit log); otherwise enough live votes close (with the reason most of them
    gave) or reopen the question. Returns whether the question's state changed."""
    question = Post.objects.select_for_update(no_key=True).get(pk=question.pk)
    if is_moderator(user):
        if kind == CloseVote.Kind.CLOSE:
            return question_close(
                question=question, actor=user, reason=reason, duplicate_of=duplicate_of, note=note
            )
        return question_reopen(question=question, actor=user, note=note)
    # A lapsed vote of the same user is spent, so they may vote again.
    CloseVote.objects.lapsed().filter(question=question, user=user, kind=kind).update(
        spent_at=timezone.now()
    )
    CloseVote.objects.create(
        question=question, user=user, kind=kind, reason=reason, duplicate_of=duplicate_of
    )
    publish(events.CloseVoteCast(question_id=question.pk, user_id=user.pk, kind=kind))
    votes = list(_live_votes(question, kind))
    if len(votes) < settings.FORUM_CLOSE_VOTES_NEEDED:
        return False
    if kind == CloseVote.Kind.REOPEN:
        return question_reopen(question=question, actor=None)
    reasons = [vote.reason for vote in votes]
    reason = max(set(reasons), key=reasons.count)
    duplicate = next(
        (vote.duplicate_of for vote in votes if vote.reason == CloseVote.Reason.DUPLICATE), None
    )
    return question_close(
        question=question,
        actor=None,
        reason=reason,
        duplicate_of=duplicate if reason == "duplicate" else None,
    )
