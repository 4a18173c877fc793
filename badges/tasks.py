"""The badges app's background tasks: evaluating the badges of the members an event
concerns, the periodic sweep, and telling a member of a badge earned (once per award:
the inbox entry's key is the award's)."""

from celery import shared_task

from badges import services
from badges.models import Award
from badges.table import BADGES, TAG_BADGES_ON
from notifications import services as notification_services
from notifications.models import Notification
from notifications.tasks import RETRIED
from questions.models import Comment, Post


def _authors(model, pks):
    return list(
        model.objects.filter(pk__in=pks, author__isnull=False)
        .values_list("author_id", flat=True)
        .distinct()
    )


@shared_task(**RETRIED)
def badges_evaluate_parts(parts):
    """`parts`: role → member ids (and "post", "comment" → ids whose authors play
    "author", "comment_author"). Evaluates each role's badges for its members. Returns
    how many badges were awarded."""
    parts = dict(parts)
    if post_ids := parts.pop("post", None):
        parts["author"] = _authors(Post, post_ids)
    if comment_ids := parts.pop("comment", None):
        parts["comment_author"] = _authors(Comment, comment_ids)
    awarded = 0
    for role, user_ids in parts.items():
        if not user_ids:
            continue
        keys = {key for key, definition in BADGES.items() if role in definition.on}
        evaluation = services.badges_evaluate(
            user_ids=user_ids, keys=keys, tags=role in TAG_BADGES_ON
        )
        awarded += len(evaluation.due)
    return awarded


@shared_task(**RETRIED)
def badges_sweep():
    """Beat's sweep: the badges that time and uncounted things decide, for everyone."""
    keys = {key for key, definition in BADGES.items() if definition.periodic}
    return len(services.badges_evaluate(keys=keys, tags=False).due)


@shared_task(**RETRIED)
def award_tell(award_id):
    """The member hears of the badge earned, in the inbox."""
    award = Award.objects.filter(pk=award_id).select_related("badge").first()
    if award is None:
        return 0
    return len(
        notification_services.entries_add(
            recipient_ids=[award.user_id],
            kind=Notification.Kind.BADGE_EARNED,
            key=f"badge:{award_id}",
            object_id=award_id,
            detail=award.badge.name[:40],
        )
    )
