"""Moderation verbs. Each is one transaction, writes its audit-log row, and returns
whether it changed anything (False: it was so already). Who may call them is asked of
moderation.permissions by the views."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import is_moderator
from core.events import publish
from moderation import events
from moderation.models import (
    CloseVote,
    Escalation,
    Flag,
    ModeratorAction,
    ModeratorMessage,
    Suspension,
)
from questions import services as question_services
from questions.models import Post
from questions.reputation import reputation_penalty

User = get_user_model()
Verb = ModeratorAction.Verb
SPAM_OR_RUDE = (Flag.Reason.SPAM, Flag.Reason.RUDE)


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


# Posts


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


# Flags


def _spam_or_rude_flaggers(post):
    return (
        Flag.objects.filter(post=post, reason__in=SPAM_OR_RUDE)
        .exclude(status=Flag.Status.DECLINED)
        .values("reporter")
        .distinct()
        .count()
    )


def _flags_delete(post, *, binding_moderator=None):
    """What six spam or rude flags (or one moderator's) do: delete and lock the post and
    take reputation from its author. The system acts unless a moderator's flag did."""
    actor = binding_moderator
    reason = _("Flagged as spam or abuse.")
    question_services.post_delete(post=post, user=actor)
    audit(actor=actor, verb=Verb.POST_DELETED, target=post, reason=reason)
    _set_state(
        post=post, state="locked", on=True, actor=actor, verb=Verb.POST_LOCKED, reason=reason
    )
    if post.author_id:
        taken = reputation_penalty(
            user_id=post.author_id, post_id=post.pk, amount=settings.FORUM_SPAM_PENALTY
        )
        audit(actor=actor, verb=Verb.REPUTATION_PENALTY, target=post.author, reason=f"-{taken}")
    settled = Flag.objects.filter(post=post, status=Flag.Status.PENDING, reason__in=SPAM_OR_RUDE)
    _flags_settled(settled, status=Flag.Status.HELPFUL, handler=actor)
    settled.update(status=Flag.Status.HELPFUL, handler=actor, handled_at=timezone.now())


def _flags_settled(flags, *, status, handler):
    """Tells the site that `flags` (a query, read now) are settled as `status`."""
    for flag_id, reporter_id in flags.values_list("pk", "reporter_id"):
        publish(
            events.FlagSettled(
                flag_id=flag_id,
                reporter_id=reporter_id,
                status=status,
                handler_id=handler and handler.pk,
            )
        )


@transaction.atomic
def flag_create(*, reporter, reason, post=None, comment=None, text=""):
    """Files a flag; spam and rude flags on posts may act on their own."""
    flag = Flag.objects.create(
        reporter=reporter, post=post, comment=comment, reason=reason, text=text
    )
    publish(
        events.FlagRaised(
            flag_id=flag.pk,
            reporter_id=reporter.pk,
            reason=reason,
            post_id=post.pk if post else comment.post_id,
            comment_id=comment and comment.pk,
        )
    )
    if post is None or reason not in SPAM_OR_RUDE:
        return flag
    post = Post.objects.select_for_update(no_key=True).get(pk=post.pk)
    if post.deleted_at:
        return flag
    if is_moderator(reporter):
        _flags_delete(post, binding_moderator=reporter)
        flag.refresh_from_db()
        return flag
    flaggers = _spam_or_rude_flaggers(post)
    if flaggers >= settings.FORUM_FLAGS_TO_DELETE:
        _flags_delete(post)
    elif flaggers >= settings.FORUM_FLAGS_TO_HIDE and post.is_question:
        _set_state(
            post=post,
            state="hidden",
            on=True,
            actor=None,
            verb=Verb.POST_HIDDEN,
            reason=_("Flagged as spam or abuse by %(count)s users.") % {"count": flaggers},
        )
    return flag


def _flags_handle(*, flags, moderator, status, verb, note):
    handled = 0
    for flag in flags.filter(status=Flag.Status.PENDING).select_for_update():
        flag.status, flag.handler, flag.handled_at, flag.note = (
            status,
            moderator,
            timezone.now(),
            note,
        )
        flag.save(update_fields=["status", "handler", "handled_at", "note"])
        audit(actor=moderator, verb=verb, target=flag, reason=note)
        publish(
            events.FlagSettled(
                flag_id=flag.pk,
                reporter_id=flag.reporter_id,
                status=status,
                handler_id=moderator.pk,
            )
        )
        handled += 1
    return handled


@transaction.atomic
def flags_mark_helpful(*, flags, moderator, note=""):
    """Marks pending flags helpful; returns how many."""
    return _flags_handle(
        flags=flags,
        moderator=moderator,
        status=Flag.Status.HELPFUL,
        verb=Verb.FLAG_HELPFUL,
        note=note,
    )


@transaction.atomic
def flags_decline(*, flags, moderator, note):
    """Declines pending flags with a reason the flaggers will see; returns how many.
    A question hidden by flags that all turn out unfounded comes back to the lists."""
    # Read first: `flags` may be a query of pending flags, which declining empties.
    hidden = list(Post.objects.filter(flags__in=flags, hidden_at__isnull=False).distinct())
    handled = _flags_handle(
        flags=flags,
        moderator=moderator,
        status=Flag.Status.DECLINED,
        verb=Verb.FLAG_DECLINED,
        note=note,
    )
    for post in hidden:
        if _spam_or_rude_flaggers(post) < settings.FORUM_FLAGS_TO_HIDE:
            with question_services.list_totals_kept(post.pk):
                Post.objects.filter(pk=post.pk).update(hidden_at=None)
            _state_changed(post=post, state="hidden", on=False, actor=moderator)
    return handled


# Escalations


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


# Users


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
