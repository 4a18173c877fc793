"""What moderators, and the members' flags, do to comments: delete and undelete them,
audited, and tell the author of a removed comment why."""

from django.db import transaction

from core.events import publish
from moderation import events
from moderation.services.audit import Verb, audit
from questions import services as question_services

# CommentRemoved.reason of a moderator's own deletion; removals by flags give the reason
# of the flags.
BY_MODERATOR = "moderator"


@transaction.atomic
def comment_delete(*, comment, moderator, reason="", removal=BY_MODERATOR):
    """Deletes someone's comment as `moderator` (None: the system, for flags), with
    `reason` for the audit log; its author hears of it, told `removal` (a flag reason, or
    BY_MODERATOR). Returns False when it was deleted already."""
    if not question_services.comment_delete(comment=comment, user=moderator):
        return False
    audit(actor=moderator, verb=Verb.COMMENT_DELETED, target=comment, reason=reason)
    if comment.author_id:
        publish(
            events.CommentRemoved(
                comment_id=comment.pk,
                post_id=comment.post_id,
                question_id=comment.post.question_id,
                author_id=comment.author_id,
                reason=removal,
                actor_id=moderator and moderator.pk,
            )
        )
    return True


@transaction.atomic
def comment_undelete(*, comment, moderator, reason=""):
    """Brings a deleted comment back, counted on its post again. Returns False when it
    was not deleted."""
    if not question_services.comment_undelete(comment=comment, user=moderator):
        return False
    audit(actor=moderator, verb=Verb.COMMENT_UNDELETED, target=comment, reason=reason)
    return True


def comment_deletion_moderated(*, comment, user, deleted):
    """Whether `user` deleting (`deleted`) or undeleting `comment` is a moderator's action,
    audited and given a reason: all but an author deleting their own comment."""
    return not (deleted and comment.author_id == user.pk)


def comment_deleted_set(*, comment, user, deleted, reason=""):
    """Deletes (or, with `deleted` False, undeletes) `comment` for `user`, who may (see
    questions.permissions.comment_delete_denial and comment_undelete_denial): their own
    comment through the posting services, someone else's, and any undeletion, as a
    moderator's action, audited. Returns False when it was so already."""
    if not comment_deletion_moderated(comment=comment, user=user, deleted=deleted):
        return question_services.comment_delete(comment=comment, user=user)
    if deleted:
        return comment_delete(comment=comment, moderator=user, reason=reason)
    return comment_undelete(comment=comment, moderator=user, reason=reason)
