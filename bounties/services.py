"""Bounties' writes: start, award, settle after the grace period, refund.

Each takes the question's row lock first, then the bounty's, then the users' (through the
ledger's `lock_users`), so that concurrent starts and awards on one question queue up and
the second finds what the first did: one active bounty per question, one award per bounty.
The reputation moves through the ledger (questions/reputation.py) in the same
transaction: offered at once (BOUNTY_OFFERED), paid to the answer's author
(BOUNTY_AWARDED), or given back when the question is deleted (BOUNTY_REFUNDED)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from bounties import events
from bounties.models import DURATION, GRACE, Bounty
from bounties.permissions import bounty_award_denial, bounty_offer_denial, bounty_start_denial
from bounties.selectors import auto_award_candidate
from core.events import publish
from questions.models import Post, ReputationEvent
from questions.reputation import Ledger, lock_users

Kind = ReputationEvent.Kind


def _lock_question(question_id):
    return Post.objects.select_for_update(no_key=True).get(pk=question_id)


def _clear_post(question_id):
    Post.objects.filter(pk=question_id).update(bounty_amount=0, bounty_ends_at=None)


@transaction.atomic
def bounty_start(*, question, user, amount, reason, now=None):
    """Starts a bounty of `amount` from `user` on `question` and takes the reputation at
    once. Raises PermissionDenied with the reason when the rules refuse it (checked again
    here, under the locks: a second bounty started at the same moment is refused)."""
    now = now or timezone.now()
    question = _lock_question(question.pk)
    offerer = lock_users(user.pk)[user.pk]
    reason_refused = bounty_start_denial(offerer, question, now=now) or bounty_offer_denial(
        offerer, question, amount
    )
    if reason_refused:
        raise PermissionDenied(reason_refused)
    bounty = Bounty.objects.create(
        question=question,
        offerer=offerer,
        amount=amount,
        reason=reason,
        started_at=now,
        ends_at=now + DURATION,
    )
    ledger = Ledger(users=[offerer], now=now)
    ledger.add(user_id=offerer.pk, post_id=question.pk, kind=Kind.BOUNTY_OFFERED, amount=-amount)
    ledger.save()
    Post.objects.filter(pk=question.pk).update(bounty_amount=amount, bounty_ends_at=bounty.ends_at)
    publish(
        events.BountyStarted(
            post_id=question.pk,
            question_id=question.pk,
            bounty_id=bounty.pk,
            offerer_id=offerer.pk,
            amount=amount,
        )
    )
    return bounty


def _pay(*, bounty, answer, amount, status, now):
    """Gives `amount` of `bounty` to `answer`'s author and closes the bounty."""
    if answer.author_id is not None:
        users = lock_users(answer.author_id)
        ledger = Ledger(users=users.values(), now=now)
        ledger.add(
            user_id=answer.author_id, post_id=answer.pk, kind=Kind.BOUNTY_AWARDED, amount=amount
        )
        ledger.save()
    bounty.status = status
    bounty.answer = answer
    bounty.awarded_amount = amount
    bounty.closed_at = now
    bounty.save(update_fields=["status", "answer", "awarded_amount", "closed_at"])
    _clear_post(bounty.question_id)
    publish(
        events.BountyAwarded(
            post_id=bounty.question_id,
            question_id=bounty.question_id,
            bounty_id=bounty.pk,
            offerer_id=bounty.offerer_id,
            answer_id=answer.pk,
            recipient_id=answer.author_id,
            amount=amount,
            automatic=status == Bounty.Status.AUTO_AWARDED,
        )
    )


def _active_bounty(question_id):
    return (
        Bounty.objects.select_for_update()
        .filter(question_id=question_id, status=Bounty.Status.ACTIVE)
        .first()
    )


@transaction.atomic
def bounty_award(*, question, answer, user, now=None):
    """The offerer awards the question's active bounty, all of it, to `answer`. Raises
    PermissionDenied with the reason when refused: of two awards at once, the second finds
    the bounty awarded."""
    now = now or timezone.now()
    _lock_question(question.pk)
    bounty = _active_bounty(question.pk)
    answer = Post.objects.answers().get(pk=answer.pk)
    if reason_refused := bounty_award_denial(user, bounty, answer, now=now):
        raise PermissionDenied(reason_refused)
    _pay(bounty=bounty, answer=answer, amount=bounty.amount, status=Bounty.Status.AWARDED, now=now)
    return bounty


def _offered(bounty):
    """What the bounty took from its offerer, as the ledger holds it: its amount, unless
    the floor of 1 cut it since (an undone vote before it, replayed). An imported bounty
    took its amount before the import's opening balance."""
    taken = (
        ReputationEvent.objects.filter(
            user_id=bounty.offerer_id,
            post_id=bounty.question_id,
            kind=Kind.BOUNTY_OFFERED,
            created_at=bounty.started_at,
        )
        .values_list("delta", flat=True)
        .first()
    )
    return bounty.amount if taken is None else -taken


@transaction.atomic
def bounty_refund(*, question_id, now=None):
    """Gives the active bounty of the (deleted) question back to its offerer. Returns the
    bounty, or None when the question had none active."""
    now = now or timezone.now()
    _lock_question(question_id)
    bounty = _active_bounty(question_id)
    if bounty is None:
        return None
    if bounty.offerer_id is not None:
        ledger = Ledger(users=lock_users(bounty.offerer_id).values(), now=now)
        ledger.add(
            user_id=bounty.offerer_id,
            post_id=question_id,
            kind=Kind.BOUNTY_REFUNDED,
            amount=_offered(bounty),
        )
        ledger.save()
    bounty.status = Bounty.Status.REFUNDED
    bounty.closed_at = now
    bounty.save(update_fields=["status", "closed_at"])
    _clear_post(question_id)
    publish(
        events.BountyRefunded(
            post_id=question_id,
            question_id=question_id,
            bounty_id=bounty.pk,
            offerer_id=bounty.offerer_id,
            amount=bounty.amount,
        )
    )
    return bounty


@transaction.atomic
def bounty_settle(*, bounty_id, now=None):
    """Settles a bounty whose grace period has passed unawarded, as Stack Exchange does:
    half of it to the highest-scoring answer posted after the bounty started with a score
    of at least 2 (the older one of a tie), or else to nobody. A bounty on a deleted
    question is refunded. Returns the bounty's status, or None when there was nothing to
    settle (awarded meanwhile, or not yet due)."""
    now = now or timezone.now()
    question_id = Bounty.objects.values_list("question_id", flat=True).get(pk=bounty_id)
    question = _lock_question(question_id)
    bounty = _active_bounty(question_id)
    if bounty is None or bounty.pk != bounty_id:
        return None
    if question.deleted_at:
        return bounty_refund(question_id=question_id, now=now).status
    if now < bounty.award_deadline:
        return None
    answer = auto_award_candidate(bounty)
    if answer is not None:
        _pay(
            bounty=bounty,
            answer=answer,
            amount=bounty.amount // 2,
            status=Bounty.Status.AUTO_AWARDED,
            now=now,
        )
        return bounty.status
    bounty.status = Bounty.Status.EXPIRED
    bounty.closed_at = now
    bounty.save(update_fields=["status", "closed_at"])
    _clear_post(question_id)
    publish(
        events.BountyExpired(
            post_id=question_id,
            question_id=question_id,
            bounty_id=bounty.pk,
            offerer_id=bounty.offerer_id,
        )
    )
    return bounty.status


def bounties_settle(*, now=None):
    """Settles every bounty past its grace period, and refunds those whose question was
    deleted without its event being heard (each in a transaction of its own). Returns
    {status: how many}."""
    now = now or timezone.now()
    due = Bounty.objects.filter(status=Bounty.Status.ACTIVE).filter(
        ends_at__lte=now - GRACE
    ) | Bounty.objects.filter(status=Bounty.Status.ACTIVE, question__deleted_at__isnull=False)
    settled = {}
    for bounty_id in due.order_by("pk").values_list("pk", flat=True):
        status = bounty_settle(bounty_id=bounty_id, now=now)
        if status:
            settled[status] = settled.get(status, 0) + 1
    return settled
