"""Destroying a spammer and undoing it: one transaction each, through the services of
the apps below (posts and comments deleted as a moderator deletes them, votes withdrawn
and reputation reversed through the ledger, the suspension's own service), recording in
`Change` rows exactly what changed, so that the undo puts back that and nothing else.

Later changes by others win over the undo: it brings back a post or a comment only while
it is still deleted by this destruction (not undeleted, or deleted again, by someone
since), the text stays as its latest revision (an edit made to a deleted post stays), a
flag goes back to pending only while it is still settled as the destruction settled it,
a profile field comes back only while it is still empty, a vote comes back only where the
member has not voted since, and a suspension is lifted only when the destruction made it
and it is still running.

Concurrency: a destruction begins by inserting its row, which a partial unique index
allows once per member while not undone; an undo begins by marking its row undone with a
conditional update. So two destroys, two undos, or an undo and a redo of one member queue
up on that row and leave one state.
"""

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import is_suspended
from core.events import publish
from moderation import events as moderation_events
from moderation import services as moderation
from moderation.models import Flag, ModeratorAction, Suspension
from questions import reputation, voting
from questions import services as question_services
from questions.models import Comment, Post
from spam.models import Change, Destruction, SpamBatch

User = get_user_model()
Kind = Change.Kind
PROFILE_FIELDS = ("about_markdown", "about_html", "location", "website")


def undo_deadline():
    """Destructions made before this can no longer be undone."""
    return timezone.now() - timedelta(days=settings.FORUM_SPAM_UNDO_DAYS)


def _stamp(value):
    """A time as the Change rows keep it: to the microsecond, which JSON's encoder of
    Django's would cut to the millisecond."""
    return value.isoformat() if value else None


def _summary_text(summary):
    parts = [f"{count} {Kind(kind).label}" for kind, count in summary.items() if count]
    return ", ".join(parts)


@transaction.atomic
def spammer_destroy(*, user, moderator, reason="", batch=None):
    """Destroys `user` as a spammer (see the module). Returns the Destruction, or None when
    they are destroyed already (by this call's rival too)."""
    try:
        with transaction.atomic():
            destruction = Destruction.objects.create(
                user=user, moderator=moderator, batch=batch, reason=reason
            )
    except IntegrityError:
        return None
    user.refresh_from_db()
    changes = []

    def record(kind, object_id, **data):
        changes.append(Change(destruction=destruction, kind=kind, object_id=object_id, data=data))

    for vote in voting.votes_withdraw(voter=user):
        record(
            Kind.VOTE, vote["post_id"], value=vote["value"], created_at=_stamp(vote["created_at"])
        )
    for vote in voting.comment_votes_withdraw(voter=user):
        record(Kind.COMMENT_VOTE, vote["comment_id"], created_at=_stamp(vote["created_at"]))

    # Answers before questions: a question's deletion counts its answers off with it.
    posts = list(
        Post.objects.filter(author=user, deleted_at__isnull=True)
        .select_related("parent")
        .order_by("post_type", "pk")
    )
    post_ids = [post.pk for post in posts]
    for group in reputation.post_reputation_reverse(post_ids=post_ids):
        record(Kind.REPUTATION, group[1], group=group)
    for post in sorted(posts, key=lambda post: (post.is_question, post.pk)):
        question_services.post_delete(post=post, user=moderator)
    deleted = dict(Post.objects.filter(pk__in=post_ids).values_list("pk", "deleted_at"))
    for post in posts:
        record(Kind.POST, post.pk, deleted_at=_stamp(deleted[post.pk]))

    comments = list(
        Comment.objects.filter(author=user, deleted_at__isnull=True)
        .select_related("post")
        .order_by("pk")
    )
    for comment in comments:
        question_services.comment_delete(comment=comment, user=moderator)
    deleted = dict(
        Comment.objects.filter(pk__in=[c.pk for c in comments]).values_list("pk", "deleted_at")
    )
    for comment in comments:
        record(Kind.COMMENT, comment.pk, deleted_at=_stamp(deleted[comment.pk]))

    _flags_settle(
        Flag.objects.filter(
            Q(post__author=user) | Q(comment__author=user), status=Flag.Status.PENDING
        ),
        moderator=moderator,
        record=record,
    )

    profile = {field: getattr(user, field) for field in PROFILE_FIELDS if getattr(user, field)}
    if profile:
        User.objects.filter(pk=user.pk).update(**dict.fromkeys(profile, ""))
        record(Kind.PROFILE, user.pk, before=profile)

    if not is_suspended(user):
        suspension = moderation.user_suspend(
            user=user,
            moderator=moderator,
            days=settings.FORUM_SPAM_SUSPENSION_DAYS,
            reason=reason or _("Spam"),
        )
        record(Kind.SUSPENSION, suspension.pk)

    Change.objects.bulk_create(changes)
    summary = {}
    for change in changes:
        summary[change.kind] = summary.get(change.kind, 0) + 1
    moderation.audit(
        actor=moderator,
        verb=ModeratorAction.Verb.SPAMMER_DESTROYED,
        target=user,
        reason=_summary_text(summary) + (f" — {reason}" if reason else ""),
    )
    Destruction.objects.filter(pk=destruction.pk).update(summary=summary)
    destruction.summary = summary
    if batch is not None:
        SpamBatch.objects.filter(pk=batch.pk).update(processed=F("processed") + 1)
    return destruction


def _flags_settle(flags, *, moderator, record):
    now = timezone.now()
    settled = list(flags.select_for_update(of=("self",)).order_by("pk"))
    Flag.objects.filter(pk__in=[flag.pk for flag in settled]).update(
        status=Flag.Status.HELPFUL, handler=moderator, handled_at=now
    )
    for flag in settled:
        record(Kind.FLAG, flag.pk, handled_at=_stamp(now))
        publish(
            moderation_events.FlagSettled(
                flag_id=flag.pk,
                reporter_id=flag.reporter_id,
                status=Flag.Status.HELPFUL,
                handler_id=moderator and moderator.pk,
            )
        )


@transaction.atomic
def destruction_undo(*, destruction, moderator):
    """Puts back what `destruction` changed, as far as no one changed it since (see the
    module). Returns False when it was undone already or is too old to undo."""
    now = timezone.now()
    started = Destruction.objects.filter(
        pk=destruction.pk, undone_at__isnull=True, created_at__gte=undo_deadline()
    ).update(undone_at=now, undone_by=moderator)
    if not started:
        return False
    changes = {kind: [] for kind in Kind.values}
    for change in destruction.changes.all():
        changes[change.kind].append(change)
    user = User.objects.get(pk=destruction.user_id)

    for change in changes[Kind.SUSPENSION]:
        suspension = Suspension.objects.filter(pk=change.object_id).select_related("user").first()
        if suspension is not None:
            moderation.suspension_lift(
                suspension=suspension, moderator=moderator, reason=_("Destruction undone")
            )
    for change in changes[Kind.PROFILE]:
        current = User.objects.filter(pk=user.pk).values(*PROFILE_FIELDS).get()
        back = {
            field: value for field, value in change.data["before"].items() if not current[field]
        }
        if back:
            User.objects.filter(pk=user.pk).update(**back)

    posts = {
        post.pk: post
        for post in Post.objects.filter(
            pk__in=[c.object_id for c in changes[Kind.POST]]
        ).select_related("parent")
    }
    # Questions before their answers: an answer counts once its question does.
    for change in sorted(
        changes[Kind.POST],
        key=lambda c: (c.object_id not in posts or not posts[c.object_id].is_question, c.pk),
    ):
        post = posts.get(change.object_id)
        if post and _stamp(post.deleted_at) == change.data["deleted_at"]:
            question_services.post_undelete(post=post, user=moderator)
    reputation.post_reputation_restore(groups=[c.data["group"] for c in changes[Kind.REPUTATION]])

    comments = Comment.objects.filter(
        pk__in=[c.object_id for c in changes[Kind.COMMENT]]
    ).select_related("post")
    stamps = {c.object_id: c.data["deleted_at"] for c in changes[Kind.COMMENT]}
    for comment in comments.order_by("pk"):
        if _stamp(comment.deleted_at) == stamps[comment.pk]:
            question_services.comment_undelete(comment=comment, user=moderator)

    voting.votes_restore(
        voter=user,
        votes=[
            {
                "post_id": c.object_id,
                "value": c.data["value"],
                "created_at": c.data["created_at"],
            }
            for c in changes[Kind.VOTE]
        ],
    )
    voting.comment_votes_restore(
        voter=user,
        votes=[
            {"comment_id": c.object_id, "created_at": c.data["created_at"]}
            for c in changes[Kind.COMMENT_VOTE]
        ],
    )

    for change in changes[Kind.FLAG]:
        flag = Flag.objects.filter(pk=change.object_id, status=Flag.Status.HELPFUL).first()
        if flag is None or _stamp(flag.handled_at) != change.data["handled_at"]:
            continue
        # A flag raised again since stays the one pending flag of its reporter.
        pending = Flag.objects.filter(
            reporter_id=flag.reporter_id,
            post_id=flag.post_id,
            comment_id=flag.comment_id,
            status=Flag.Status.PENDING,
        )
        if not pending.exists():
            Flag.objects.filter(pk=flag.pk).update(
                status=Flag.Status.PENDING, handler=None, handled_at=None
            )

    moderation.audit(
        actor=moderator,
        verb=ModeratorAction.Verb.SPAMMER_RESTORED,
        target=user,
        reason=_summary_text(destruction.summary),
    )
    destruction.undone_at, destruction.undone_by = now, moderator
    return True


def batch_skipped(*, batch):
    """Counts an account of the batch that needed no destroying (gone, or destroyed)."""
    SpamBatch.objects.filter(pk=batch.pk).update(processed=F("processed") + 1)


def batch_start(*, moderator, user_ids, criteria, reason=""):
    """A bulk cleanup of the accounts `user_ids` (found by `criteria`), destroyed by a
    task enqueued after the commit."""
    from spam import tasks

    with transaction.atomic():
        batch = SpamBatch.objects.create(
            moderator=moderator,
            reason=reason,
            criteria=criteria,
            user_ids=list(user_ids),
            total=len(user_ids),
        )
        moderation.audit(
            actor=moderator,
            verb=ModeratorAction.Verb.SPAMMER_DESTROYED,
            target=batch,
            reason=_("Bulk cleanup of %(count)s accounts") % {"count": len(user_ids)}
            + (f" — {reason}" if reason else ""),
        )
        transaction.on_commit(partial(tasks.batch_destroy.delay, batch.pk))
    return batch


def batch_resume(*, batch):
    """Runs a stopped batch's task again (it carries on where it stopped)."""
    from spam import tasks

    if batch.status == SpamBatch.Status.RUNNING:
        tasks.batch_destroy.delay(batch.pk)
    elif batch.status == SpamBatch.Status.UNDOING:
        tasks.batch_undo.delay(batch.pk)


def batch_undo(*, batch, moderator):
    """Undoes the whole batch, by a task; False when it is not done, or too old."""
    from spam import tasks

    with transaction.atomic():
        started = SpamBatch.objects.filter(
            pk=batch.pk, status=SpamBatch.Status.DONE, created_at__gte=undo_deadline()
        ).update(status=SpamBatch.Status.UNDOING, undone_by=moderator)
        if not started:
            return False
        moderation.audit(
            actor=moderator,
            verb=ModeratorAction.Verb.SPAMMER_RESTORED,
            target=batch,
            reason=_("Bulk cleanup undone"),
        )
        transaction.on_commit(partial(tasks.batch_undo.delay, batch.pk))
    return True
