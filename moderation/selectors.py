"""The queries behind the moderation pages that members see: their flags, their messages,
the reasons their posts were removed, and what the thread page shows of moderation."""

from django.core.cache import cache
from django.db.models import Count, Exists, Func, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from accounts.models import User
from accounts.roles import is_community_manager, is_moderator
from moderation.models import CloseVote, Escalation, Flag, ModeratorAction, ModeratorMessage
from questions.models import Comment, Post
from questions.permissions import can_see
from questions.selectors.thread import ThreadAddition

# Unread messages the banner shows at once; the messages page lists them all.
BANNER_MESSAGES = 3
# The navigation's counts of the moderators' work, shared by all of them: dropped by the
# events that change them (moderation.subscribers), and kept no longer than this anyway.
PENDING_CACHE_KEY = "moderation:pending"
PENDING_CACHE_SECONDS = 60


def comment_for_viewer(*, pk, viewer):
    """The comment `pk` with its post and question, if it is not deleted and `viewer` may
    see its post, or Http404."""
    comment = (
        Comment.objects.select_related("post", "post__parent")
        .defer(
            "post__body_markdown",
            "post__body_html",
            "post__parent__body_markdown",
            "post__parent__body_html",
        )
        .filter(pk=pk, deleted_at__isnull=True)
        .first()
    )
    if comment is None or not can_see(viewer, comment.post):
        raise Http404
    return comment


def member(*, pk):
    user = User.objects.only("id", "username", "display_name", "reputation").filter(pk=pk).first()
    if user is None:
        raise Http404
    return user


def user_flags(*, user):
    """The flags `user` raised, newest first, with what each links to."""
    return (
        Flag.objects.filter(reporter=user)
        .select_related("post", "post__parent", "comment", "comment__post", "comment__post__parent")
        .only(
            "id",
            "reason",
            "text",
            "status",
            "note",
            "created_at",
            "handled_at",
            *Post.link_columns("post"),
            "comment__id",
            "comment__body_markdown",
            "comment__deleted_at",
            *Post.link_columns("comment__post"),
        )
        .order_by("-created_at", "-id")
    )


def unread_messages(*, user):
    """The newest of `user`'s unread moderator messages, for the banner, and whether there
    are more: one query."""
    messages = list(
        ModeratorMessage.objects.filter(recipient=user, read_at__isnull=True)
        .select_related("sender")
        .only(
            "id",
            "subject",
            "body",
            "created_at",
            "sender__id",
            "sender__username",
            "sender__display_name",
        )
        .order_by("-created_at", "-id")[: BANNER_MESSAGES + 1]
    )
    return messages[:BANNER_MESSAGES], len(messages) > BANNER_MESSAGES


def pending_work(*, user):
    """What waits for `user` in the navigation: {"flags": pending flags, "escalations":
    unresolved escalations (community managers only, else None)}, or None for members.
    From the cache, else one query."""
    if not is_moderator(user):
        return None
    counts = cache.get(PENDING_CACHE_KEY)
    if counts is None:
        # One query for both counts: COUNT as a plain function (not an aggregate, so no
        # GROUP BY) over the pending flags, and the escalations' count as a subquery.
        unresolved = Escalation.objects.exclude(status=Escalation.Status.RESOLVED).order_by()
        counts = (
            Flag.objects.filter(status=Flag.Status.PENDING)
            .order_by()
            .annotate(
                flags=Func("pk", function="COUNT"),
                escalations=Subquery(
                    unresolved.annotate(count=Func("pk", function="COUNT")).values("count")
                ),
            )
            .values("flags", "escalations")[0]
        )
        cache.set(PENDING_CACHE_KEY, counts, PENDING_CACHE_SECONDS)
    return {
        "flags": counts["flags"],
        "escalations": (counts["escalations"] or 0) if is_community_manager(user) else None,
    }


def user_messages(*, user):
    """All of `user`'s moderator messages, newest first."""
    return (
        ModeratorMessage.objects.filter(recipient=user)
        .select_related("sender")
        .only(
            "id",
            "subject",
            "body",
            "created_at",
            "read_at",
            "sender__id",
            "sender__username",
            "sender__display_name",
        )
        .order_by("-created_at", "-id")
    )


def message_for_recipient(*, pk, user):
    """The message `pk` if it was sent to `user`, or Http404: others may not know of it."""
    message = ModeratorMessage.objects.filter(pk=pk, recipient=user).first()
    if message is None:
        raise Http404
    return message


def removal_reasons(posts):
    """{post id: the reason of its latest deletion or lock in the audit log, by a moderator
    or the system} for those of `posts` that are deleted or locked. One query, and only
    when one of them is: rarely."""
    removed = [post.pk for post in posts if post.deleted_at or post.locked_at]
    if not removed:
        return {}
    actions = ModeratorAction.objects.filter(
        target_type__app_label="questions",
        target_type__model="post",
        target_id__in=removed,
        verb__in=[ModeratorAction.Verb.POST_DELETED, ModeratorAction.Verb.POST_LOCKED],
    ).order_by("created_at", "id")
    # Oldest first, so that the latest action of each post is the one that stays.
    return dict(actions.values_list("target_id", "reason"))


def removal_reason(*, post):
    """Why `post` was deleted or locked ("" if it is neither, or no reason was given)."""
    return removal_reasons([post]).get(post.pk, "")


def live_vote_count(*, question, kind):
    """How many members' votes to close (or reopen, by `kind`) `question` count now."""
    return CloseVote.objects.live().filter(question=question, kind=kind).count()


def _live_votes(kind):
    """live_vote_count of each question, as an expression."""
    votes = CloseVote.objects.live().filter(question=OuterRef("pk"), kind=kind)
    return Coalesce(
        Subquery(votes.values("question").annotate(n=Count("*")).values("n")[:1]), Value(0)
    )


def _viewer_flag_pending(viewer, field):
    """Whether `viewer` has a pending flag on each post (or comment, by `field`): the Flag
    links ask it (permissions.flag_target_denial). A visitor flags nothing."""
    if not viewer.is_authenticated:
        return {}
    pending = Flag.objects.filter(
        reporter=viewer, status=Flag.Status.PENDING, **{field: OuterRef("pk")}
    )
    return {"viewer_flag_pending": Exists(pending)}


class ThreadModeration(ThreadAddition):
    """What the thread page shows of moderation, in the thread's own queries: the viewer's
    pending flags, the live close and reopen votes (for the dialogs, which a visitor does
    not see) and why a post was deleted or locked (`moderation_reason`)."""

    def question_annotations(self, viewer):
        if not viewer.is_authenticated:
            return {}
        return {
            "close_vote_count": _live_votes(CloseVote.Kind.CLOSE),
            "reopen_vote_count": _live_votes(CloseVote.Kind.REOPEN),
        }

    def post_annotations(self, viewer):
        return _viewer_flag_pending(viewer, "post")

    def comment_annotations(self, viewer):
        return _viewer_flag_pending(viewer, "comment")

    def attach(self, posts):
        reasons = removal_reasons(posts)
        for post in posts:
            post.moderation_reason = reasons.get(post.pk, "")
