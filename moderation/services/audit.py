"""The audit log: one row for every action of a moderator, a community manager or the
system."""

from django.contrib.auth import get_user_model

from moderation.models import (
    ModeratorAction,
)
from questions.models import Post

User = get_user_model()
Verb = ModeratorAction.Verb


def _label(target):
    if isinstance(target, Post):
        return (target.title or target.question.title)[:200]
    return str(target)[:200]


def audit(*, actor, verb, target, reason=""):
    """Appends one row to the audit log; `actor` None is the system."""
    return ModeratorAction.objects.create(
        actor=actor,
        actor_name=actor.name if actor else "",
        verb=verb,
        target=target,
        target_label=_label(target),
        reason=reason,
    )
