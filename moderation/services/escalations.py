"""Escalations to the community managers, appeals, and their resolution."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.events import publish
from moderation import events
from moderation.models import (
    Escalation,
    Flag,
)
from moderation.services.audit import Verb, audit
from moderation.services.flags import _flags_settled


@transaction.atomic
def escalate(*, moderator, note, flag=None, post=None, subject_user=None):
    """Hands a flag, a post or a user to the community managers. A post goes with all its
    pending flags (the escalation shows the newest): they wait for the managers' decision,
    which settles them all."""
    flags = [flag] if flag else []
    if post is not None:
        flags = list(
            Flag.objects.filter(post=post, status=Flag.Status.PENDING).order_by(
                "-created_at", "-pk"
            )
        )
        flag = flags[0] if flags else None
    kind = Escalation.Kind.FLAG if flag else Escalation.Kind.POST if post else Escalation.Kind.USER
    escalation = Escalation.objects.create(
        kind=kind,
        raised_by=moderator,
        flag=flag,
        post=post or (flag and flag.post),
        subject_user=subject_user,
        note=note,
    )
    Flag.objects.filter(pk__in=[each.pk for each in flags], status=Flag.Status.PENDING).update(
        status=Flag.Status.ESCALATED, handler=moderator, handled_at=timezone.now()
    )
    audit(actor=moderator, verb=Verb.ESCALATED, target=escalation, reason=note)
    publish(
        events.EscalationRaised(escalation_id=escalation.pk, kind=kind, raised_by_id=moderator.pk)
    )
    return escalation


@transaction.atomic
def appeal(*, user, post, note):
    """The author of a removed post asks the community managers to look again."""
    escalation = Escalation.objects.create(
        kind=Escalation.Kind.APPEAL, raised_by=user, post=post, subject_user=user, note=note
    )
    audit(actor=user, verb=Verb.APPEALED, target=escalation, reason=note)
    publish(
        events.EscalationRaised(
            escalation_id=escalation.pk, kind=escalation.kind, raised_by_id=user.pk
        )
    )
    return escalation


@transaction.atomic
def escalation_assign(*, escalation, manager):
    updated = Escalation.objects.filter(pk=escalation.pk, status=Escalation.Status.OPEN).update(
        status=Escalation.Status.ASSIGNED, assignee=manager
    )
    if updated:
        audit(actor=manager, verb=Verb.ESCALATION_ASSIGNED, target=escalation)
    return bool(updated)


@transaction.atomic
def escalation_resolve(*, escalation, manager, resolution, flags_helpful=True):
    """Closes the escalation with the manager's resolution. The escalated flags it carries
    (its flag's, and those of its post) become helpful, or declined when the managers found
    them unfounded; their flaggers read the resolution as the reason."""
    updated = (
        Escalation.objects.exclude(status=Escalation.Status.RESOLVED)
        .filter(pk=escalation.pk)
        .update(
            status=Escalation.Status.RESOLVED,
            assignee=manager,
            resolution=resolution,
            resolved_at=timezone.now(),
        )
    )
    if updated:
        audit(actor=manager, verb=Verb.ESCALATION_RESOLVED, target=escalation, reason=resolution)
        carried = Q(pk=escalation.flag_id) if escalation.flag_id else Q(pk__in=[])
        if escalation.post_id and escalation.kind != Escalation.Kind.APPEAL:
            carried |= Q(post=escalation.post_id)
        carried_flags = Flag.objects.filter(carried, status=Flag.Status.ESCALATED)
        status = Flag.Status.HELPFUL if flags_helpful else Flag.Status.DECLINED
        _flags_settled(carried_flags, status=status, handler=manager)
        carried_flags.update(status=status, note=resolution)
        publish(
            events.EscalationResolved(
                escalation_id=escalation.pk,
                kind=escalation.kind,
                manager_id=manager.pk,
                subject_user_id=escalation.subject_user_id,
            )
        )
    return bool(updated)
