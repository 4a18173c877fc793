"""Deleting an account: the member's request with its grace period, cancelling it, and
the erasure, by the sweep when the grace period is over or at once by a moderator on the
member's request.

Erasure keeps what the community wrote and counts: posts, revisions and comments stay
under the placeholder name `user<id>`, votes stay (cast by that nameless account), as do
reputation, badges, flags and the audit log's actions. What goes is what says who the
member was or what they did for themselves alone: the account's names, address,
password, profile, picture, sessions and access tokens, their inbox, emails, follows,
saves and tag settings, visits, moderators' messages to them, the counts kept about them
for rate limits; their names in the stored author names, in the audit log (the one change
its triggers allow: privacy's migration 0002) and in the webhooks' logged deliveries.
"""

import json
from datetime import timedelta

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import models, transaction
from django.utils import timezone

from accounts.avatars import avatar_choose
from accounts.models import AvatarKind
from api.models import AccessToken
from badges.models import ShareVisit, VisitStreak
from core import throttling
from moderation.models import ModeratorAction, ModeratorMessage
from moderation.services.audit import audit
from notifications.models import EmailDelivery, EmailSettings, Follow, Notification
from notifications.services import unread_cache_key
from privacy import exports
from privacy.models import DeletionRequest
from questions.models import (
    Bookmark,
    Comment,
    DailyVoteCount,
    Post,
    PostRevision,
    TagPreference,
    TagRevision,
)
from webhooks.models import Delivery

User = get_user_model()
Verb = ModeratorAction.Verb


def placeholder_name(user_id):
    """The name an erased account's posts are shown under, as on Stack Exchange."""
    return f"user{user_id}"


def deletion_request(*, user):
    """The member asked to delete their account (their password was checked by the form):
    it is erased after FORUM_ACCOUNT_DELETION_DAYS unless they cancel."""
    from privacy import tasks  # which imports this module

    now = timezone.now()
    with transaction.atomic():
        deletion = DeletionRequest.objects.create(
            user=user,
            requested_at=now,
            erase_at=now + timedelta(days=settings.FORUM_ACCOUNT_DELETION_DAYS),
        )
        transaction.on_commit(lambda: tasks.deletion_requested_email.delay(user.pk))
    return deletion


def deletion_cancel(*, user):
    """The member changed their mind within the grace period. Returns whether there was a
    pending request to cancel."""
    deleted, _ = DeletionRequest.objects.filter(user=user, erased_at__isnull=True).delete()
    return bool(deleted)


def accounts_erase_due(*, now=None):
    """Erases every account whose grace period is over; returns how many."""
    now = now or timezone.now()
    due = DeletionRequest.objects.filter(erased_at__isnull=True, erase_at__lte=now)
    erased = 0
    for user_id in due.values_list("user_id", flat=True).iterator():
        user = User.objects.filter(pk=user_id).first()
        if user is not None and account_erase(user=user, actor=None):
            erased += 1
    return erased


def account_erase(*, user, actor):
    """Erases `user`'s account now: at the end of its grace period (`actor` None, the
    system) or by a moderator on the member's request. Returns False when it was erased
    already. The audit log keeps the action under the placeholder name only."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        request = DeletionRequest.objects.filter(user=user).first()
        if request is not None and request.erased_at is not None:
            return False
        old = {"username": user.username, "display_name": user.display_name, "slug": user.slug}
        email = user.email
        if user.avatar_kind != AvatarKind.IDENTICON:
            # Deletes an uploaded picture's files; a Gravatar's key is the address's hash.
            avatar_choose(user=user, kind=AvatarKind.IDENTICON)
        _user_erase(user)
        name = user.display_name
        _names_replace(user=user, old=old, name=name)
        _personal_rows_delete(user)
        throttling.person_forget(username=old["username"], email=email, user_id=user.pk)
        now = timezone.now()
        if request is None:
            request = DeletionRequest(user=user, requested_at=now, erase_at=now)
        request.erased_at = now
        if actor is not None:
            request.requested_by = actor
        request.save()
        audit(actor=actor, verb=Verb.ACCOUNT_ERASED, target=user)
        transaction.on_commit(lambda: exports.exports_delete(user_id=user.pk))
    return True


def _user_erase(user):
    user.username = f"#{placeholder_name(user.pk)}"
    user.display_name = placeholder_name(user.pk)
    user.email = ""
    user.first_name = user.last_name = ""
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = user.is_superuser = user.is_moderator = False
    user.about_markdown = user.about_html = ""
    user.location = user.website = user.source_url = ""
    user.language = ""
    user.last_login = user.last_seen_at = None
    user.signup_address = None
    user.avatar_kind, user.avatar_key = AvatarKind.IDENTICON, ""
    # Ends every session, also those the sweep below cannot read.
    user.session_epoch += 1
    user.save()
    user.groups.clear()
    user.user_permissions.clear()


def _names_replace(*, user, old, name):
    """Puts the placeholder where the member's name was stored with what they did."""
    Post.objects.filter(author=user).update(author_name=name)
    Post.objects.filter(last_editor=user).update(last_editor_name=name)
    Comment.objects.filter(author=user).update(author_name=name)
    PostRevision.objects.filter(author=user).update(author_name=name)
    TagRevision.objects.filter(author=user).update(author_name=name)
    user_type = ContentType.objects.get_for_model(User)
    # The audit log's own QuerySet refuses every update; its triggers allow this one.
    actions = models.QuerySet(ModeratorAction)
    actions.filter(actor=user).update(actor_name=name)
    actions.filter(target_type=user_type, target_id=user.pk).update(target_label=name)
    LogEntry.objects.filter(content_type=user_type, object_id=str(user.pk)).update(object_repr=name)
    _deliveries_redact(user=user, old=old, name=name)


def _deliveries_redact(*, user, old, name):
    """The webhooks' logged deliveries name the member as their posts did (payloads.py:
    display name and profile link)."""
    shown = old["display_name"] or old["username"]
    replacements = [
        (json.dumps(shown, ensure_ascii=False)[1:-1], name),
        (f"/users/{user.pk}/{old['slug']}/", f"/users/{user.pk}/{user.slug}/"),
    ]
    for delivery in Delivery.objects.filter(body__contains=f"/users/{user.pk}/").iterator():
        body = delivery.body
        for before, after in replacements:
            body = body.replace(before, after)
        if body != delivery.body:
            Delivery.objects.filter(pk=delivery.pk).update(body=body)


def _personal_rows_delete(user):
    for model, field in (
        (Notification, "recipient"),
        (EmailDelivery, "user"),
        (EmailSettings, "user"),
        (Follow, "user"),
        (Bookmark, "user"),
        (TagPreference, "user"),
        (DailyVoteCount, "user"),
        (AccessToken, "user"),
        (VisitStreak, "user"),
        (ShareVisit, "sharer"),
        (ModeratorMessage, "recipient"),
    ):
        model.objects.filter(**{field: user}).delete()
    transaction.on_commit(lambda: _unread_count_forget(user.pk))
    _sessions_delete(user.pk)


def _unread_count_forget(user_id):
    cache.delete(unread_cache_key(user_id))


def _sessions_delete(user_id):
    """Deletes the member's sessions from the database (each names them inside its
    signed data, so each live one is read)."""
    live = Session.objects.filter(expire_date__gt=timezone.now())
    theirs = [
        session.session_key
        for session in live.iterator()
        if str(session.get_decoded().get("_auth_user_id")) == str(user_id)
    ]
    Session.objects.filter(session_key__in=theirs).delete()
