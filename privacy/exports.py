"""A member's copy of their data: a ZIP of JSON files built by a task, stored through
Django's storage API under a random name, offered through a signed link for
FORUM_DATA_EXPORT_HOURS and then deleted.

The link is signed with its own salt (it opens this one export and nothing else), names
the export and its member, expires with the export, and works only for that member
logged in."""

import io
import json
import secrets
import zipfile
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from badges.models import Award
from moderation.models import Flag, ModeratorMessage
from notifications.models import Follow, Notification
from privacy.models import DataExport
from questions.models import (
    Bookmark,
    Comment,
    CommentVote,
    Post,
    PostRevision,
    ReputationEvent,
    TagPreference,
    Vote,
)

User = get_user_model()
SALT = "privacy.export-download"

PROFILE_FIELDS = (
    "id",
    "username",
    "display_name",
    "email",
    "email_verified",
    "signup_address",
    "date_joined",
    "last_login",
    "last_seen_at",
    "location",
    "website",
    "about_markdown",
    "reputation",
    "language",
    "avatar_kind",
    "hide_ignored_tags",
    "question_count",
    "answer_count",
    "edit_count",
    "votes_up",
    "votes_down",
)


def export_request(*, user):
    """A new copy of `user`'s data, built by the task after the commit. An older one is
    deleted: one copy is offered at a time."""
    from privacy import tasks  # which imports this module

    with transaction.atomic():
        export = DataExport.objects.create(user=user, requested_at=timezone.now())
        transaction.on_commit(lambda: tasks.export_build.delay(export.pk))
    return export


def export_build(*, export_id):
    """Writes the ZIP of export `export_id` into the storage and offers it. Idempotent: a
    built export is left as it is."""
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.file_name:
        return export
    content = export_zip(export.user)
    name = default_storage.save(
        f"exports/{export.user_id}/{secrets.token_hex(16)}.zip", ContentFile(content)
    )
    now = timezone.now()
    export.ready_at = now
    export.expires_at = now + timedelta(hours=settings.FORUM_DATA_EXPORT_HOURS)
    export.file_name = name
    export.save(update_fields=["ready_at", "expires_at", "file_name"])
    for older in DataExport.objects.filter(user_id=export.user_id, pk__lt=export.pk):
        _export_delete(older)
    return export


def exports_expire(*, now=None):
    """Deletes the exports whose offer ended, with their files; returns how many."""
    now = now or timezone.now()
    expired = list(DataExport.objects.filter(expires_at__lte=now))
    for export in expired:
        _export_delete(export)
    return len(expired)


def exports_delete(*, user_id):
    """Deletes all of a member's exports (their account was erased)."""
    for export in DataExport.objects.filter(user_id=user_id):
        _export_delete(export)


def _export_delete(export):
    if export.file_name:
        default_storage.delete(export.file_name)
    export.delete()


def download_token(export):
    return signing.dumps({"export": export.pk, "user": export.user_id}, salt=SALT)


def export_for_token(token, *, user):
    """The export the signed `token` opens for `user`, or None: a forged, altered or
    expired link, another member's, an export that is gone or not built yet."""
    try:
        data = signing.loads(
            token, salt=SALT, max_age=timedelta(hours=settings.FORUM_DATA_EXPORT_HOURS)
        )
    except signing.BadSignature:
        return None
    if data.get("user") != user.pk:
        return None
    return (
        DataExport.objects.filter(pk=data.get("export"), user=user, expires_at__gt=timezone.now())
        .exclude(file_name="")
        .first()
    )


def export_zip(user):
    """The ZIP's bytes: one JSON file per kind of data."""
    files = {
        "profile.json": _profile(user),
        "posts.json": _posts(user),
        "edits.json": list(
            PostRevision.objects.filter(author=user)
            .exclude(post__author=user)
            .order_by("created_at", "id")
            .values("post_id", "number", "title", "tags", "body_markdown", "summary", "created_at")
        ),
        "comments.json": list(
            Comment.objects.filter(author=user)
            .order_by("created_at", "id")
            .values(
                "id", "post_id", "body_markdown", "score", "created_at", "edited_at", "deleted_at"
            )
        ),
        "votes.json": {
            "posts": list(
                Vote.objects.filter(user=user)
                .order_by("created_at", "id")
                .values("post_id", "value", "created_at")
            ),
            "comments": list(
                CommentVote.objects.filter(user=user)
                .order_by("created_at", "id")
                .values("comment_id", "created_at")
            ),
        },
        "flags.json": list(
            Flag.objects.filter(reporter=user)
            .order_by("created_at", "id")
            .values(
                "id",
                "post_id",
                "comment_id",
                "reason",
                "text",
                "status",
                "created_at",
                "handled_at",
            )
        ),
        "inbox.json": list(
            Notification.objects.filter(recipient=user)
            .order_by("created_at", "id")
            .values(
                "kind",
                "key",
                "question_id",
                "post_id",
                "comment_id",
                "detail",
                "created_at",
                "read_at",
            )
        ),
        "moderator_messages.json": list(
            ModeratorMessage.objects.filter(recipient=user)
            .order_by("created_at", "id")
            .values("subject", "body", "created_at", "read_at")
        ),
        "reputation.json": list(
            ReputationEvent.objects.filter(user=user)
            .order_by("created_at", "id")
            .values("kind", "delta", "post_id", "reverses", "created_at")
        ),
        "badges.json": list(
            Award.objects.filter(user=user)
            .order_by("awarded_at", "id")
            .values("badge__name", "key", "post_id", "awarded_at")
        ),
        "saved_and_followed.json": {
            "saved_questions": list(
                Bookmark.objects.filter(user=user).values("question_id", "created_at")
            ),
            "followed_posts": list(
                Follow.objects.filter(user=user).values("post_id", "created_at")
            ),
            "tags": list(
                TagPreference.objects.filter(user=user).values("tag__name", "kind", "created_at")
            ),
        },
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(
                name, json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
            )
    return buffer.getvalue()


def _profile(user):
    profile = {field: getattr(user, field) for field in PROFILE_FIELDS}
    profile["exported_at"] = timezone.now()
    return profile


def _posts(user):
    """The member's questions and answers, each with its whole history (their own and
    others' revisions of it)."""
    posts = list(
        Post.objects.filter(author=user)
        .order_by("created_at", "id")
        .values(
            "id",
            "post_type",
            "parent_id",
            "title",
            "body_markdown",
            "score",
            "created_at",
            "last_edited_at",
            "deleted_at",
        )
    )
    revisions = {}
    for revision in (
        PostRevision.objects.filter(post__author=user)
        .order_by("post_id", "number")
        .values(
            "post_id",
            "number",
            "author_name",
            "title",
            "tags",
            "body_markdown",
            "summary",
            "created_at",
        )
    ):
        revisions.setdefault(revision.pop("post_id"), []).append(revision)
    for post in posts:
        post["type"] = "question" if post.pop("post_type") == Post.PostType.QUESTION else "answer"
        post["revisions"] = revisions.get(post["id"], [])
    return posts
