"""The bounties app's background tasks: the periodic settling of ended bounties, the
reminder a day before the end, and the inbox entries (told in the inbox only)."""

from datetime import timedelta

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from bounties import services
from bounties.models import Bounty
from notifications.models import Notification
from notifications.services import entries_add

RETRIED = {"autoretry_for": (OperationalError,), "retry_backoff": True, "max_retries": 5}

# What an inbox entry of kind BOUNTY says (`Notification.detail`).
AWARDED = "awarded"  # to the answer's author
AUTO_AWARDED = "auto_awarded"  # to the offerer: half went to the top new answer
EXPIRED = "expired"  # to the offerer: nobody got it
REFUNDED = "refunded"  # to the offerer: the question was deleted
ENDING = "ending"  # to the offerer: a day left


def _tell(bounty, *, recipient_id, detail, actor_id=None, post_id=None):
    if recipient_id is None:
        return 0
    return len(
        entries_add(
            recipient_ids=[recipient_id],
            kind=Notification.Kind.BOUNTY,
            key=f"bounty:{bounty.pk}:{detail}",
            actor_id=actor_id,
            question_id=bounty.question_id,
            post_id=post_id or bounty.question_id,
            object_id=bounty.pk,
            detail=detail,
        )
    )


@shared_task(**RETRIED)
def bounty_closed(bounty_id):
    """Tells who a bounty's end concerns: the answer's author that it was awarded, and the
    offerer what became of it when they did not award it themself."""
    bounty = Bounty.objects.filter(pk=bounty_id).select_related("answer").first()
    if bounty is None:
        return 0
    told = 0
    if bounty.answer_id and bounty.awarded_amount:
        told += _tell(
            bounty,
            recipient_id=bounty.answer.author_id,
            detail=AWARDED,
            actor_id=bounty.offerer_id if bounty.status == Bounty.Status.AWARDED else None,
            post_id=bounty.answer_id,
        )
    detail = {
        Bounty.Status.AUTO_AWARDED: AUTO_AWARDED,
        Bounty.Status.EXPIRED: EXPIRED,
        Bounty.Status.REFUNDED: REFUNDED,
    }.get(bounty.status)
    if detail:
        told += _tell(
            bounty, recipient_id=bounty.offerer_id, detail=detail, post_id=bounty.answer_id
        )
    return told


@shared_task(**RETRIED)
def bounties_settle():
    """Beat runs it every few minutes: settles the bounties whose grace period passed
    (half to the top new answer, or nobody) and reminds offerers a day before the end."""
    now = timezone.now()
    settled = services.bounties_settle(now=now)
    ending = Bounty.objects.filter(
        status=Bounty.Status.ACTIVE, ends_at__gt=now, ends_at__lte=now + timedelta(days=1)
    )
    reminded = sum(
        _tell(bounty, recipient_id=bounty.offerer_id, detail=ENDING)
        for bounty in ending.only("pk", "question_id", "offerer_id")
    )
    return {"settled": settled, "reminded": reminded}
