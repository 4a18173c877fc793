"""The events the notifications app listens to (registered in NotificationsConfig.ready).

Each subscriber runs after the commit of the change and only enqueues a task (or does
one small write): who hears of it, and the emails, are the tasks' work."""

from core.events import subscribe
from moderation import events as moderation_events
from notifications import services, tasks
from notifications.models import Notification
from questions import events

Kind = Notification.Kind


def question_asked(event):
    services.follows_add(user_id=event.author_id, post_id=event.post_id)
    tasks.question_asked.delay(event.post_id)


def answer_posted(event):
    tasks.answer_posted.delay(event.post_id)
    # The answerer follows the question from now on.
    services.follows_add(user_id=event.author_id, post_id=event.question_id)


def comment_posted(event):
    tasks.comment_posted.delay(event.comment_id)


def post_edited(event):
    tasks.post_edited.delay(event.revision_id)


def answer_accepted(event):
    tasks.answer_accepted.delay(event.post_id, event.accepter_id)


def thread_visibility_changed(event):
    """A post deleted, undeleted, hidden or shown: its thread's entries leave or return to
    the inboxes, so their counts are counted afresh."""
    if isinstance(event, moderation_events.PostModerated) and event.state != "hidden":
        return
    _unread_forget_of(question_id=event.question_id)


def comment_visibility_changed(event):
    """A comment deleted or undeleted: the entries about it leave or return to the
    inboxes, so their counts are counted afresh."""
    _unread_forget_of(comment_id=event.comment_id)


def _unread_forget_of(**about):
    """Drops the cached unread counts of those with an unread entry `about` (a question or
    a comment)."""
    services.unread_forget(
        Notification.objects.filter(read_at__isnull=True, **about)
        .values_list("recipient_id", flat=True)
        .distinct()
    )


def comment_removed(event):
    tasks.comment_removed.delay(event.comment_id, event.reason, event.actor_id)


def moderator_message_sent(event):
    tasks.moderation_told.delay(
        kind=Kind.MODERATOR_MESSAGE,
        key=f"message:{event.message_id}",
        recipient_id=event.recipient_id,
        object_id=event.message_id,
        actor_id=event.sender_id,
    )


def flag_settled(event):
    tasks.flag_settled.delay(event.flag_id, event.status)


def escalation_resolved(event):
    if event.kind == "appeal" and event.subject_user_id:
        tasks.appeal_decided.delay(event.escalation_id)


def register():
    subscribe(events.QuestionAsked, question_asked)
    subscribe(events.AnswerPosted, answer_posted)
    subscribe(events.CommentPosted, comment_posted)
    subscribe(events.PostEdited, post_edited)
    subscribe(events.AnswerAccepted, answer_accepted)
    subscribe(events.PostDeleted, thread_visibility_changed)
    subscribe(events.PostUndeleted, thread_visibility_changed)
    subscribe(moderation_events.PostModerated, thread_visibility_changed)
    subscribe(events.CommentDeleted, comment_visibility_changed)
    subscribe(events.CommentUndeleted, comment_visibility_changed)
    subscribe(moderation_events.CommentRemoved, comment_removed)
    subscribe(moderation_events.ModeratorMessageSent, moderator_message_sent)
    subscribe(moderation_events.FlagSettled, flag_settled)
    subscribe(moderation_events.EscalationResolved, escalation_resolved)
