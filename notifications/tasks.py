"""The notifications app's background tasks: who is told of what, and the emails.

Each task reads what it needs afresh (the event carried only ids), writes the inbox
entries through `services.entries_add` (once per recipient and fact, so a retried task
adds nothing) and hands the new entries to the emails. The subscribers
(notifications/subscribers.py) enqueue them after the commit of the change.
"""

from celery import shared_task
from django.db import OperationalError

from moderation.models import Escalation, Flag
from notifications import emails, mailing, recipients, services
from notifications.models import Notification
from questions.models import Comment, Post, PostRevision

Kind = Notification.Kind

# Errors that a moment's wait may cure: the database's (a restart, a lost connection) and
# the mail server's (refused for now, or out of reach).
RETRIED = {
    "autoretry_for": (OperationalError, *mailing.SEND_ERRORS),
    "retry_backoff": True,
    "max_retries": 5,
}


def _tell(*, recipient_ids, kind, key, actor_id, owner_id=None, **links):
    """Writes the entries, then enqueues their emails; `owner_id` is the author of the
    post they are about (emails.switch_for)."""
    added = services.entries_add(
        recipient_ids=recipient_ids, kind=kind, key=key, actor_id=actor_id, **links
    )
    emails.entries_mail(kind=kind, key=key, recipient_ids=added, owner_id=owner_id)
    return len(added)


@shared_task(**RETRIED)
def answer_posted(answer_id):
    """The asker and the followers of the question hear of the new answer."""
    answer = (
        Post.objects.filter(pk=answer_id)
        .select_related("parent")
        .only("author_id", "parent__author_id")
        .first()
    )
    if answer is None:
        return 0
    return _tell(
        recipient_ids=recipients.audience_ids(answer.parent),
        kind=Kind.ANSWER,
        key=f"answer:{answer_id}",
        actor_id=answer.author_id,
        owner_id=answer.parent.author_id,
        question_id=answer.parent_id,
        post_id=answer_id,
    )


@shared_task(**RETRIED)
def comment_posted(comment_id):
    """The people mentioned in the comment hear of it as a mention; the post's author and
    followers, as a comment."""
    comment = (
        Comment.objects.filter(pk=comment_id)
        .select_related("post")
        .only("body_markdown", "author_id", "post__parent_id", "post__post_type", "post__author_id")
        .first()
    )
    if comment is None:
        return 0
    post = comment.post
    links = {"question_id": post.question_id, "post_id": post.pk, "comment_id": comment_id}
    mentioned = recipients.mentioned_ids(comment)
    told = _tell(
        recipient_ids=mentioned,
        kind=Kind.MENTION,
        key=f"mention:{comment_id}",
        actor_id=comment.author_id,
        **links,
    )
    return told + _tell(
        recipient_ids=(pk for pk in recipients.audience_ids(post) if pk not in mentioned),
        kind=Kind.COMMENT,
        key=f"comment:{comment_id}",
        actor_id=comment.author_id,
        owner_id=post.author_id,
        **links,
    )


@shared_task(**RETRIED)
def post_edited(revision_id):
    """The post's author and followers hear of an edit by someone else."""
    revision = (
        PostRevision.objects.filter(pk=revision_id)
        .select_related("post")
        .only("author_id", "post__parent_id", "post__post_type", "post__author_id")
        .first()
    )
    if revision is None:
        return 0
    post = revision.post
    return _tell(
        recipient_ids=recipients.audience_ids(post),
        kind=Kind.EDIT,
        key=f"edit:{revision_id}",
        actor_id=revision.author_id,
        owner_id=post.author_id,
        question_id=post.question_id,
        post_id=post.pk,
    )


@shared_task(**RETRIED)
def answer_accepted(answer_id, accepter_id):
    answer = Post.objects.filter(pk=answer_id).only("parent_id", "author_id").first()
    if answer is None or answer.author_id is None:
        return 0
    return _tell(
        recipient_ids=[answer.author_id],
        kind=Kind.ACCEPTED,
        key=f"accepted:{answer_id}",
        actor_id=accepter_id,
        question_id=answer.parent_id,
        post_id=answer_id,
    )


@shared_task(**RETRIED)
def question_asked(question_id):
    """The watchers of the question's tags who want them in their inbox hear of it."""
    question = Post.objects.filter(pk=question_id).only("author_id").first()
    if question is None:
        return 0
    return _tell(
        recipient_ids=recipients.tag_watcher_ids(question_id),
        kind=Kind.WATCHED_TAG,
        key=f"question:{question_id}",
        actor_id=question.author_id,
        question_id=question_id,
        post_id=question_id,
    )


@shared_task(**RETRIED)
def moderation_told(*, kind, key, recipient_id, object_id, actor_id=None, post=None, **links):
    """One entry for one member about a row of moderation's (`object_id`)."""
    if post is not None:
        links.update(question_id=post.question_id, post_id=post.pk)
    return _tell(
        recipient_ids=[recipient_id],
        kind=kind,
        key=key,
        actor_id=actor_id,
        object_id=object_id,
        **links,
    )


@shared_task(**RETRIED)
def flag_settled(flag_id, status):
    """The flagger hears whether their flag was helpful or declined."""
    flag = Flag.objects.filter(pk=flag_id).select_related("post", "comment__post").first()
    if flag is None:
        return 0
    post = flag.post or (flag.comment.post if flag.comment_id else None)
    return moderation_told(
        kind=Kind.FLAG_OUTCOME,
        key=f"flag:{flag_id}",
        recipient_id=flag.reporter_id,
        object_id=flag_id,
        actor_id=flag.handler_id,
        post=post,
        detail=status,
    )


@shared_task(**RETRIED)
def comment_removed(comment_id, reason, actor_id):
    """The author of a comment a moderator or the flags removed hears of it, and why
    (`reason`, in the entry's `detail`): in the inbox only, never by email."""
    comment = (
        Comment.objects.filter(pk=comment_id)
        .select_related("post")
        .only("author_id", "post__parent_id", "post__post_type")
        .first()
    )
    if comment is None or comment.author_id is None:
        return 0
    return _tell(
        recipient_ids=[comment.author_id],
        kind=Kind.COMMENT_REMOVED,
        key=f"comment_removed:{comment_id}",
        actor_id=actor_id,
        question_id=comment.post.question_id,
        post_id=comment.post_id,
        comment_id=comment_id,
        detail=reason,
    )


@shared_task(**RETRIED)
def appeal_decided(escalation_id):
    """The author who appealed hears the community managers' decision."""
    escalation = Escalation.objects.filter(pk=escalation_id).select_related("post").first()
    if escalation is None or escalation.subject_user_id is None:
        return 0
    return moderation_told(
        kind=Kind.APPEAL_DECISION,
        key=f"appeal:{escalation_id}",
        recipient_id=escalation.subject_user_id,
        object_id=escalation_id,
        actor_id=escalation.assignee_id,
        post=escalation.post,
    )


@shared_task(**RETRIED)
def notification_email_send(notification_id):
    return emails.notification_email_send(notification_id)


@shared_task(**RETRIED)
def notification_emails_send(notification_ids):
    """The emails of a batch of entries. Each is sent once (EmailDelivery), so a retry
    after an SMTP error sends only those that had not gone out."""
    return sum(emails.notification_email_send(pk) for pk in notification_ids)


@shared_task(**RETRIED)
def digests_send(frequency):
    return emails.digests_send(frequency)
