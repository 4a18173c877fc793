"""What moderators do about people: messages, suspensions, roles."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.events import publish
from moderation import events
from moderation.models import (
    ModeratorMessage,
    Suspension,
)
from moderation.services.audit import Verb, audit

User = get_user_model()


@transaction.atomic
def message_send(*, recipient, sender, subject, body):
    message = ModeratorMessage.objects.create(
        recipient=recipient, sender=sender, subject=subject, body=body
    )
    audit(actor=sender, verb=Verb.MESSAGE_SENT, target=recipient, reason=subject)
    publish(
        events.ModeratorMessageSent(
            message_id=message.pk, recipient_id=recipient.pk, sender_id=sender and sender.pk
        )
    )
    return message


def message_read(*, message):
    return bool(
        ModeratorMessage.objects.filter(pk=message.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    )


@transaction.atomic
def user_suspend(*, user, moderator, days, reason):
    """Suspends `user` for `days` days: they may read and log in, nothing more. Their
    sessions end, and a message tells them why and until when."""
    now = timezone.now()
    ends_at = now + timedelta(days=days)
    suspension = Suspension.objects.create(
        user=user, moderator=moderator, reason=reason, starts_at=now, ends_at=ends_at
    )
    User.objects.filter(pk=user.pk).update(
        suspended_until=ends_at, session_epoch=F("session_epoch") + 1
    )
    audit(actor=moderator, verb=Verb.USER_SUSPENDED, target=user, reason=reason)
    publish(
        events.UserSuspended(
            user_id=user.pk,
            moderator_id=moderator and moderator.pk,
            suspension_id=suspension.pk,
            ends_at=ends_at,
        )
    )
    message_send(
        recipient=user,
        sender=moderator,
        subject=_("Your account is suspended"),
        body=_("Your account is suspended until %(date)s UTC. Reason: %(reason)s")
        % {"date": ends_at.strftime("%Y-%m-%d %H:%M"), "reason": reason},
    )
    return suspension


@transaction.atomic
def suspension_lift(*, suspension, moderator, reason=""):
    """Ends a suspension early; False when it has ended already."""
    now = timezone.now()
    updated = Suspension.objects.filter(
        pk=suspension.pk, lifted_at__isnull=True, ends_at__gt=now
    ).update(lifted_at=now, lifted_by=moderator)
    if not updated:
        return False
    User.objects.filter(pk=suspension.user_id).update(suspended_until=None)
    audit(actor=moderator, verb=Verb.SUSPENSION_LIFTED, target=suspension.user, reason=reason)
    publish(
        events.SuspensionLifted(
            user_id=suspension.user_id,
            moderator_id=moderator and moderator.pk,
            suspension_id=suspension.pk,
        )
    )
    return True


ROLES = ("user", "moderator", "community_manager")


@transaction.atomic
def role_set(*, user, role, actor=None, reason=""):
    """Makes `user` a plain user, a moderator or a community manager (staff)."""
    flags = {
        "user": {"is_moderator": False, "is_staff": False},
        "moderator": {"is_moderator": True, "is_staff": False},
        "community_manager": {"is_moderator": False, "is_staff": True},
    }[role]
    if all(getattr(user, name) == value for name, value in flags.items()):
        return False
    User.objects.filter(pk=user.pk).update(**flags)
    for name, value in flags.items():
        setattr(user, name, value)
    audit(actor=actor, verb=Verb.ROLE_CHANGED, target=user, reason=reason or role)
    publish(events.RoleChanged(user_id=user.pk, role=role, actor_id=actor and actor.pk))
    return True
