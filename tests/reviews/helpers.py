"""What the reviews' tests share: suggesting an edit and reviewing through the site."""

from django.urls import reverse

from reviews.models import ReviewTask, SuggestedEdit
from reviews.services.suggestions import latest_revision_number
from tests.clients import client_for


def suggest(user, post, *, body, title=None, tags=None, summary="Fixed the grammar.", base=None):
    """`user` suggests an edit of `post` through its page; returns the response."""
    data = {
        "body": body,
        "summary": summary,
        "base_revision": latest_revision_number(post.pk) if base is None else base,
    }
    if post.is_question:
        data["title"] = post.title if title is None else title
        data["tags"] = (
            tags
            if tags is not None
            else " ".join(post.tags.order_by("name").values_list("name", flat=True))
        )
    return client_for(user).post(reverse("reviews:suggest", args=[post.pk]), data)


def pending(post):
    return SuggestedEdit.objects.get(post=post, status=SuggestedEdit.Status.PENDING)


def task_of(post, queue):
    return ReviewTask.objects.filter(post=post, queue=queue).order_by("-id").first()


def review(user, task, action, client=None, **data):
    """`user` sends `action` on `task` from the queue's page; returns the response."""
    client = client or client_for(user)
    return client.post(
        reverse("reviews:task_review", args=[task.pk]),
        {"action": action, "return_to": "queue", **data},
    )
