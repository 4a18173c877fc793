"""The queries behind the moderation pages that members see: their flags, their messages,
the reasons their posts were removed."""


from django.http import Http404

from accounts.models import User
from moderation.models import CloseVote, Flag, ModeratorAction, ModeratorMessage
from questions.models import Comment
from questions.permissions import can_see

# Unread messages the banner shows at once; the messages page lists them all.
BANNER_MESSAGES = 3


def comment_for_viewer(*, pk, viewer):
    """The comment `pk` with its post and question, if it is not deleted and `viewer` may
    see its post, or Http404."""
    comment = (
        Comment.objects.select_related("post", "post__parent")
        .defer("post__body_markdown", "post__body_html", "post__parent__body_markdown", "post__parent__body_html")
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
            "id", "reason", "text", "status", "note", "created_at", "handled_at",
            "post__id", "post__post_type", "post__title", "post__slug", "post__deleted_at",
            "post__parent__id", "post__parent__post_type", "post__parent__title", "post__parent__slug",
            "comment__id", "comment__body_markdown", "comment__deleted_at",
            "comment__post__id", "comment__post__post_type", "comment__post__title", "comment__post__slug",
            "comment__post__parent__id", "comment__post__parent__post_type",
            "comment__post__parent__title", "comment__post__parent__slug",
        )
        .order_by("-created_at", "-id")
    )


def unread_messages(*, user):
    """The newest of `user`'s unread moderator messages, for the banner, and whether there
    are more: one query."""
    messages = list(
        ModeratorMessage.objects.filter(recipient=user, read_at__isnull=True)
        .select_related("sender")
        .only("id", "subject", "body", "created_at", "sender__id", "sender__username", "sender__display_name")
        .order_by("-created_at", "-id")[: BANNER_MESSAGES + 1]
    )
    return messages[:BANNER_MESSAGES], len(messages) > BANNER_MESSAGES


def user_messages(*, user):
    """All of `user`'s moderator messages, newest first."""
    return (
        ModeratorMessage.objects.filter(recipient=user)
        .select_related("sender")
        .only(
            "id", "subject", "body", "created_at", "read_at",
            "sender__id", "sender__username", "sender__display_name",
        )
        .order_by("-created_at", "-id")
    )


def message_for_recipient(*, pk, user):
    """The message `pk` if it was sent to `user`, or Http404: others may not know of it."""
    message = ModeratorMessage.objects.filter(pk=pk, recipient=user).first()
    if message is None:
        raise Http404
    return message


def removal_reason(*, post):
    """The reason of the latest deletion or lock of `post` in the audit log ("" if none)."""
    action = (
        ModeratorAction.objects.filter(
            target_type__app_label="questions",
            target_type__model="post",
            target_id=post.pk,
            verb__in=[ModeratorAction.Verb.POST_DELETED, ModeratorAction.Verb.POST_LOCKED],
        )
        .order_by("-created_at", "-id")
        .only("reason")
        .first()
    )
    return action.reason if action else ""



def live_vote_count(*, question, kind):
    """How many members' votes to close (or reopen, by `kind`) `question` count now."""
    return CloseVote.objects.live().filter(question=question, kind=kind).count()
