"""The queries of the inbox, the navigation's unread count and the thread's Follow
buttons."""

from dataclasses import dataclass
from datetime import UTC, date

from django.conf import settings
from django.core.cache import cache
from django.db.models import Exists, Max, OuterRef, Q, Sum
from django.db.models.functions import TruncDate

from accounts.roles import is_moderator
from core.urls_cache import cached_reverse
from moderation.models import Escalation
from notifications.models import EmailSettings, Follow, Notification
from notifications.services import unread_cache_key
from questions.models import Post, ReputationEvent
from questions.selectors.thread import ThreadAddition

SUGGESTION_KINDS = (Notification.Kind.SUGGESTION_APPROVED, Notification.Kind.SUGGESTION_REJECTED)
# The navigation shows "99+" past this.
UNREAD_SHOWN_MAX = 99
UNREAD_CACHE_SECONDS = 300


def shown_to(viewer):
    """The entries `viewer` may see: those about a deleted or hidden post, or a deleted
    comment, drop out of the inbox, except for whoever may still see the post (its
    author, the moderators). That their comment was removed stays in its author's inbox,
    with its text, which only they are shown there."""
    if is_moderator(viewer):
        return Q()
    question = (
        Q(question__isnull=True)
        | Q(question__deleted_at__isnull=True, question__hidden_at__isnull=True)
        | Q(question__author=viewer)
    )
    post = Q(post__isnull=True) | Q(post__deleted_at__isnull=True) | Q(post__author=viewer)
    comment = (
        Q(comment__isnull=True)
        | Q(comment__deleted_at__isnull=True)
        | Q(kind=Notification.Kind.COMMENT_REMOVED)
    )
    return question & post & comment


def unread_count(user):
    """How many unread entries `user`'s inbox shows (up to UNREAD_SHOWN_MAX + 1): from
    the cache, which every write to the inbox clears, else one indexed count."""
    key = unread_cache_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = (
            Notification.objects.filter(shown_to(user), recipient=user, read_at__isnull=True)
            .values("pk")[: UNREAD_SHOWN_MAX + 1]
            .count()
        )
        cache.set(key, count, UNREAD_CACHE_SECONDS)
    return count


def inbox_page(*, user, before=None):
    """A page of `user`'s entries, newest first, older than the entry `before` (keyset):
    (entries, the id to pass as `before` for the next page, or None)."""
    size = settings.FORUM_INBOX_PAGE_SIZE
    entries = (
        Notification.objects.filter(shown_to(user), recipient=user)
        .select_related("actor", "question", "post", "comment")
        .only(
            "id",
            "kind",
            "key",
            "object_id",
            "detail",
            "created_at",
            "read_at",
            "actor__username",
            "actor__display_name",
            "question__title",
            "question__slug",
            "question__post_type",
            "post__post_type",
            "post__parent_id",
            "comment__body_markdown",
        )
        .order_by("-id")
    )
    if before is not None:
        entries = entries.filter(pk__lt=before)
    entries = list(entries[: size + 1])
    more = len(entries) > size
    entries = entries[:size]
    _attach_resolutions(entries)
    for entry in entries:
        entry.url = entry_url(entry, user)
    return entries, (entries[-1].pk if more else None)


def entry_url(entry, user):
    """Where an entry leads: the exact answer or comment (the post of a removed comment),
    a suggested edit's page, else the page of the message or the member's flags."""
    if entry.kind in SUGGESTION_KINDS and entry.object_id:
        # The reviews app's page, by its name: the app sits above this one.
        return cached_reverse("reviews:suggestion", pk=entry.object_id)
    if entry.question_id:
        url = entry.question.get_absolute_url()
        # A removed comment is no longer on the page: its entry leads to the post.
        if entry.comment_id and entry.kind != Notification.Kind.COMMENT_REMOVED:
            return f"{url}#comment-{entry.comment_id}"
        if entry.post_id and entry.post_id != entry.question_id:
            return f"{url}#answer-{entry.post_id}"
        return url
    if entry.kind == Notification.Kind.BADGE_EARNED and entry.object_id:
        # The badges app's page of the award, by its name: the app sits above this one.
        return cached_reverse("badges:award", pk=entry.object_id)
    if entry.kind == Notification.Kind.MODERATOR_MESSAGE:
        return cached_reverse("moderation:messages")
    if entry.kind == Notification.Kind.FLAG_OUTCOME:
        return cached_reverse("moderation:user_flags", pk=user.pk, slug=user.slug)
    return ""


def _attach_resolutions(entries):
    """The community managers' words on each appeal decision: one query, when a page
    shows one."""
    appeals = {
        entry.object_id: entry
        for entry in entries
        if entry.kind == Notification.Kind.APPEAL_DECISION and entry.object_id
    }
    for entry in entries:
        entry.resolution = ""
    if appeals:
        for pk, resolution in Escalation.objects.filter(pk__in=appeals).values_list(
            "pk", "resolution"
        ):
            appeals[pk].resolution = resolution


@dataclass(frozen=True)
class Achievement:
    day: date
    post: Post | None
    total: int


def achievements(*, user, limit=50):
    """The user's reputation changes summed per post and UTC day, newest first."""
    rows = list(
        ReputationEvent.objects.filter(user=user)
        .annotate(day=TruncDate("created_at", tzinfo=UTC))
        .values("day", "post")
        .annotate(total=Sum("delta"), last=Max("id"))
        .order_by("-day", "-last")[:limit]
    )
    link = ("id", "post_type", "title", "slug", "deleted_at")
    posts = (
        Post.objects.select_related("parent")
        .only(*link, *(f"parent__{field}" for field in link))
        .in_bulk({row["post"] for row in rows if row["post"]})
    )
    return [
        Achievement(day=row["day"], post=posts.get(row["post"]), total=row["total"]) for row in rows
    ]


def email_settings_for(user):
    """The member's email settings, unsaved defaults when they never chose any."""
    return EmailSettings.objects.filter(user=user).first() or EmailSettings(user=user)


class ThreadFollowing(ThreadAddition):
    """Whether the viewer follows each post of the thread, in the thread's own queries."""

    def post_annotations(self, viewer):
        if not viewer.is_authenticated:
            return {}
        return {"viewer_follows": Exists(Follow.objects.filter(user=viewer, post=OuterRef("pk")))}
