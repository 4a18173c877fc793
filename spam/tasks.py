"""The spam app's background work: bulk cleanups (destroying and undoing a batch, each
account in a transaction of its own, resumable) and the spam check of new content."""

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import OperationalError
from django.utils import timezone

from accounts.roles import is_moderator
from questions.models import Comment, Post
from spam import checking, services
from spam.models import Destruction, SpamBatch, Verdict

User = get_user_model()

RETRIED = {"autoretry_for": (OperationalError,), "retry_backoff": True, "max_retries": 5}


@shared_task(**RETRIED)
def batch_destroy(batch_id):
    """Destroys the batch's accounts that it has not destroyed yet: run again after a
    stop (a worker's restart), it carries on where it stopped."""
    batch = SpamBatch.objects.select_related("moderator").get(pk=batch_id)
    if batch.status != SpamBatch.Status.RUNNING:
        return
    done = set(batch.destructions.values_list("user_id", flat=True))
    remaining = [pk for pk in batch.user_ids if pk not in done]
    SpamBatch.objects.filter(pk=batch.pk).update(processed=batch.total - len(remaining))
    users = User.objects.in_bulk(remaining)
    for pk in remaining:
        user = users.get(pk)
        destroyed = user and services.spammer_destroy(
            user=user, moderator=batch.moderator, reason=batch.reason, batch=batch
        )
        if not destroyed:  # gone, or destroyed by someone else meanwhile
            services.batch_skipped(batch=batch)
    SpamBatch.objects.filter(pk=batch.pk, status=SpamBatch.Status.RUNNING).update(
        status=SpamBatch.Status.DONE, finished_at=timezone.now()
    )


@shared_task(**RETRIED)
def batch_undo(batch_id):
    """Undoes the batch's destructions not undone yet; resumable like batch_destroy."""
    batch = SpamBatch.objects.select_related("undone_by").get(pk=batch_id)
    if batch.status != SpamBatch.Status.UNDOING:
        return
    live = Destruction.objects.filter(batch=batch, undone_at__isnull=True).order_by("pk")
    for destruction in live.iterator(chunk_size=200):
        services.destruction_undo(destruction=destruction, moderator=batch.undone_by)
    SpamBatch.objects.filter(pk=batch.pk, status=SpamBatch.Status.UNDOING).update(
        status=SpamBatch.Status.UNDONE, undone_at=timezone.now()
    )


@shared_task(
    autoretry_for=(OperationalError, checking.CheckFailed), retry_backoff=True, max_retries=3
)
def content_check(kind, object_id):
    """Asks the spam check about a new post or comment, once, and keeps its verdict."""
    check = checking.backend()
    if not check.enabled():
        return
    model = Post if kind == "post" else Comment
    content = model.objects.select_related("author").filter(pk=object_id).first()
    if content is None or content.author is None or is_moderator(content.author):
        return
    if Verdict.objects.filter(**{kind: content}).exists():
        return
    text = content.body_markdown
    if kind == "post" and content.title:
        text = f"{content.title}\n\n{text}"
    spam = check.is_spam(
        text=text,
        author=content.author,
        kind="forum-post" if kind == "post" else "reply",
        permalink=settings.FORUM_SITE_URL
        + (content if kind == "post" else content.post).get_absolute_url(),
    )
    Verdict.objects.bulk_create(
        [Verdict(author=content.author, is_spam=spam, **{kind: content})], ignore_conflicts=True
    )
