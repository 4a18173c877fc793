"""The reviews app's background tasks: the suggesters' inbox entries. Written through
notifications.services.entries_add (once per recipient and fact, so a retried task adds
nothing); their kinds have no email switch, so no email goes out."""

from celery import shared_task

from notifications import services as notification_services
from notifications.models import Notification
from notifications.tasks import RETRIED
from reviews.models import SuggestedEdit


def _kind(status):
    """The inbox entry's kind for a suggestion decided as `status`."""
    if status == SuggestedEdit.Status.APPROVED:
        return Notification.Kind.SUGGESTION_APPROVED
    return Notification.Kind.SUGGESTION_REJECTED


@shared_task(**RETRIED)
def suggestion_decided(suggestion_id):
    """The suggester hears that their suggested edit was approved or rejected."""
    suggestion = (
        SuggestedEdit.objects.filter(pk=suggestion_id)
        .select_related("post")
        .only("status", "suggester_id", "decided_by_id", "reject_reason", "post__parent")
        .first()
    )
    if suggestion is None or suggestion.status == SuggestedEdit.Status.PENDING:
        return 0
    post = suggestion.post
    return len(
        notification_services.entries_add(
            recipient_ids=[suggestion.suggester_id],
            kind=_kind(suggestion.status),
            key=f"suggestion:{suggestion_id}",
            actor_id=suggestion.decided_by_id,
            question_id=post.question_id,
            post_id=post.pk,
            object_id=suggestion_id,
            detail=suggestion.reject_reason,
        )
    )
