"""Flags: raised by members, settled by moderators, and what enough spam or rude flags
on a post, or flags on a comment, do on their own."""

from collections import Counter

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import is_moderator
from core.events import publish
from moderation import events
from moderation.models import (
    Flag,
)
from moderation.services.audit import Verb, audit
from moderation.services.comments import comment_delete
from moderation.services.posts import _set_state, _state_changed
from questions import services as question_services
from questions.models import Comment, Post
from questions.reputation import reputation_penalty

SPAM_OR_RUDE = (Flag.Reason.SPAM, Flag.Reason.RUDE)
# The comment flags whose count removes a comment (FORUM_COMMENT_FLAGS_TO_DELETE), the
# gravest first; "something else" waits for a moderator.
COMMENT_REMOVING = (Flag.Reason.HARASSMENT, Flag.Reason.UNFRIENDLY, Flag.Reason.NO_LONGER_NEEDED)


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


def _flag_settled(*, flag_id, reporter_id, status, handler):
    publish(
        events.FlagSettled(
            flag_id=flag_id,
            reporter_id=reporter_id,
            status=status,
            handler_id=handler and handler.pk,
        )
    )


def _flags_settled(flags, *, status, handler):
    """Tells the site that `flags` (a query, read now) are settled as `status`."""
    for flag_id, reporter_id in flags.values_list("pk", "reporter_id"):
        _flag_settled(flag_id=flag_id, reporter_id=reporter_id, status=status, handler=handler)


def _removal_reason(reasons):
    """What the comment was removed for, told its author: the reason most of `reasons`
    (flag reasons) give, the gravest of equals."""
    counts = Counter(reasons)
    order = [*COMMENT_REMOVING, Flag.Reason.OTHER]
    return min(counts, key=lambda reason: (-counts[reason], order.index(reason)))


def _comment_remove(comment, *, reason, moderator=None):
    """What enough flags on a comment (or one moderator's, or a moderator marking one
    helpful) do: delete the comment, audited as the system's action unless a moderator's,
    tell its author `reason`, and settle its pending flags as helpful."""
    label = Flag.Reason(reason).label
    comment_delete(
        comment=comment,
        moderator=moderator,
        reason=_("Flagged as %(reason)s.") % {"reason": label},
        removal=reason,
    )
    settled = Flag.objects.filter(comment=comment, status=Flag.Status.PENDING)
    _flags_settled(settled, status=Flag.Status.HELPFUL, handler=moderator)
    settled.update(status=Flag.Status.HELPFUL, handler=moderator, handled_at=timezone.now())


def _comment_flagged(*, flag, reporter):
    """A moderator's flag removes the comment at once; others count towards
    FORUM_COMMENT_FLAGS_TO_DELETE. The comment's row is locked before the flags are
    counted, so that of flags raised at the same moment the last one sees all the others."""
    comment = (
        Comment.objects.select_for_update(no_key=True, of=("self",))
        .select_related("post")
        .only(
            "id", "post", "author", "body_markdown", "deleted_at", "post__post_type", "post__parent"
        )
        .get(pk=flag.comment_id)
    )
    if comment.deleted_at:
        # Removed while this flag waited for the lock: what it asked for is done.
        settled = Flag.objects.filter(pk=flag.pk, status=Flag.Status.PENDING)
        _flags_settled(settled, status=Flag.Status.HELPFUL, handler=None)
        settled.update(status=Flag.Status.HELPFUL, handled_at=timezone.now())
        return
    if is_moderator(reporter):
        _comment_remove(comment, reason=flag.reason, moderator=reporter)
        return
    if flag.reason not in COMMENT_REMOVING:
        return
    flags = dict(
        Flag.objects.filter(
            comment=comment, status=Flag.Status.PENDING, reason__in=COMMENT_REMOVING
        ).values_list("reporter", "reason")
    )
    if len(flags) >= settings.FORUM_COMMENT_FLAGS_TO_DELETE:
        _comment_remove(comment, reason=_removal_reason(flags.values()))


@transaction.atomic
def flag_create(*, reporter, reason, post=None, comment=None, text=""):
    """Files a flag; spam and rude flags on posts, and flags on comments, may act on
    their own."""
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
    if comment is not None:
        _comment_flagged(flag=flag, reporter=reporter)
        flag.refresh_from_db()
        return flag
    if reason not in SPAM_OR_RUDE:
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
        _flag_settled(
            flag_id=flag.pk, reporter_id=flag.reporter_id, status=status, handler=moderator
        )
        handled += 1
    return handled


@transaction.atomic
def flags_mark_helpful(*, flags, moderator, note=""):
    """Marks pending flags helpful; returns how many. A comment a helpful flag was about
    is removed (as a moderator's flag would remove it), for the reason of its flags."""
    # Read first: `flags` may be a query of pending flags, which marking empties.
    on_comments = list(
        flags.filter(status=Flag.Status.PENDING, comment__isnull=False).values_list(
            "comment", "reason"
        )
    )
    handled = _flags_handle(
        flags=flags,
        moderator=moderator,
        status=Flag.Status.HELPFUL,
        verb=Verb.FLAG_HELPFUL,
        note=note,
    )
    reasons = {}
    for comment_id, reason in on_comments:
        reasons.setdefault(comment_id, []).append(reason)
    comments = (
        Comment.objects.select_for_update(no_key=True, of=("self",))
        .select_related("post")
        .filter(pk__in=reasons, deleted_at__isnull=True)
        .order_by("pk")
    )
    for comment in comments:
        _comment_remove(comment, reason=_removal_reason(reasons[comment.pk]), moderator=moderator)
    return handled


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
