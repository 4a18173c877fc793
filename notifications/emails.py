"""The emails the site sends a member: one per inbox entry of a kind they chose, and the
digest of their watched tags (written in notifications/digests.py, sent from here)."""

import logging

from django.conf import settings
from django.db.models import Q
from django.utils.text import Truncator

from accounts.models import User
from moderation.models import Escalation, ModeratorMessage
from notifications import mailing
from notifications.digests import digests_send as digests_send
from notifications.models import EMAIL_SWITCHES, EmailSettings, Notification
from notifications.selectors import entry_url, shown_to

Kind = Notification.Kind
logger = logging.getLogger(__name__)

# Entries whose emails one task sends.
EMAIL_BATCH = 500
# How much of an answer or a new question the email quotes.
EXCERPT_CHARS = 300


def wanting(*, kind, user_ids):
    """The ids among `user_ids` who want an email for entries of `kind`: their settings
    say so, or they have none and the kind is emailed by default. A kind without a switch
    (UNEMAILED_KINDS) is emailed to no one."""
    if kind not in EMAIL_SWITCHES:
        return set()
    default = EmailSettings._meta.get_field(kind).default
    chosen = Q(email_settings__isnull=True) if default else Q(pk__in=[])
    chosen |= Q(**{f"email_settings__{kind}": True})
    return set(
        User.objects.filter(chosen, pk__in=user_ids, is_active=True)
        .exclude(email="")
        .values_list("pk", flat=True)
    )


# Kinds that reach a post's followers as well as its author: the followers' emails answer
# to a switch of their own ("followed"), off by default, so that an answer on a question
# with thousands of followers does not mean thousands of emails unless they asked.
FOLLOWED_KINDS = {Kind.ANSWER, Kind.COMMENT, Kind.EDIT}


def switch_for(*, kind, recipient_id, owner_id):
    """The EmailSettings switch that decides whether an entry of `kind` is emailed to
    `recipient_id`: the kind's own for the owner of the post (or for kinds only owners
    get), "followed" for a follower of someone else's post."""
    if kind in FOLLOWED_KINDS and recipient_id != owner_id:
        return "followed"
    return kind


def entries_mail(*, kind, key, recipient_ids, owner_id=None):
    """Enqueues the emails of the new entries `key` for the members who want them, one
    task per batch of entries. `owner_id` is the author of the post the entries are about
    (see switch_for)."""
    from notifications.tasks import notification_emails_send

    for start in range(0, len(recipient_ids), EMAIL_BATCH):
        chunk = recipient_ids[start : start + EMAIL_BATCH]
        by_switch = {}
        for pk in chunk:
            switch = switch_for(kind=kind, recipient_id=pk, owner_id=owner_id)
            by_switch.setdefault(switch, []).append(pk)
        wanted = set()
        for switch, user_ids in by_switch.items():
            wanted |= wanting(kind=switch, user_ids=user_ids)
        if not wanted:
            continue
        entry_ids = list(
            Notification.objects.filter(key=key, recipient_id__in=wanted).values_list(
                "pk", flat=True
            )
        )
        try:
            notification_emails_send.delay(entry_ids)
        except Exception:
            # Without a worker the emails are sent right here: a batch that fails (the
            # SMTP server is down) is logged and keeps the entries and the rest from
            # nothing. A worker retries it instead; the tests want to see the error.
            if settings.FORUM_EVENT_ERRORS_RAISE:
                raise
            logger.exception("The emails of inbox entries %s were not all sent", entry_ids)


def _owner_id(entry):
    """The author of the post an entry is about, whose own switches decide its email."""
    if entry.kind == Kind.ANSWER:
        return entry.question.author_id if entry.question_id else None
    return entry.post.author_id if entry.post_id else None


def notification_email_send(notification_id):
    """Emails inbox entry `notification_id` to its recipient, once: not when they no
    longer want emails of its kind (or have no address, or their account is closed), nor
    when what it is about is gone from their inbox (a deleted or hidden post, a deleted
    comment). Returns how many emails went out (0 or 1); an SMTP error is raised, for the
    task to retry."""
    head = (
        Notification.objects.filter(pk=notification_id)
        .select_related("recipient", "question", "post")
        .only("kind", "recipient", "question__author_id", "post__author_id")
        .first()
    )
    if head is None:
        return 0
    switch = switch_for(kind=head.kind, recipient_id=head.recipient_id, owner_id=_owner_id(head))
    if not wanting(kind=switch, user_ids=[head.recipient_id]):
        return 0
    recipient = head.recipient
    entry = (
        Notification.objects.filter(shown_to(recipient), pk=notification_id)
        .select_related("actor", "question", "post", "comment")
        .first()
    )
    if entry is None:
        return 0
    return mailing.send_once(
        [
            mailing.letter(
                user_id=recipient.pk,
                email=recipient.email,
                language=recipient.language,
                key=f"notification:{entry.pk}",
                template="entry",
                kind=switch,
                context=_entry_context(entry, recipient),
            )
        ]
    )


def _entry_context(entry, recipient):
    """What the email of `entry` says: who did what, where, and the link to it. Other
    members appear by their names only."""
    url = entry_url(entry, recipient)
    context = {
        "entry": entry,
        "recipient_name": recipient.name,
        "actor_name": entry.actor.name if entry.actor_id else "",
        "url": mailing.absolute(url) if url else "",
        "title": entry.question.title if entry.question_id else "",
        "own_question": bool(entry.question_id) and entry.question.author_id == recipient.pk,
        "own_post": bool(entry.post_id) and entry.post.author_id == recipient.pk,
        "comment_text": entry.comment.body_markdown if entry.comment_id else "",
        "excerpt": "",
        "message_subject": "",
        "resolution": "",
    }
    if entry.kind in (Kind.ANSWER, Kind.WATCHED_TAG) and entry.post_id:
        context["excerpt"] = Truncator(entry.post.body_markdown).chars(EXCERPT_CHARS)
    if entry.kind == Kind.MODERATOR_MESSAGE and entry.object_id:
        context["message_subject"] = (
            ModeratorMessage.objects.filter(pk=entry.object_id, recipient=recipient)
            .values_list("subject", flat=True)
            .first()
            or ""
        )
    if entry.kind == Kind.APPEAL_DECISION and entry.object_id:
        context["resolution"] = (
            Escalation.objects.filter(pk=entry.object_id)
            .values_list("resolution", flat=True)
            .first()
            or ""
        )
    return context
