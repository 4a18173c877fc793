"""Review bans: a member kept out of the review queues for a while, by a moderator or by
failed review audits (reviews.audits), and lifted early by a moderator. Each ban and each
lifting is a row of the audit log, and the banned member gets a message saying why and
until when. Whether a ban holds now is reviews.permissions.review_ban_denial's to say."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from moderation.services import audit, message_send
from moderation.services.audit import Verb
from reviews.models import ReviewBan

User = get_user_model()


def _active(user_id):
    return ReviewBan.objects.active().filter(user_id=user_id)


@transaction.atomic
def review_ban(*, user, moderator, days, reason):
    """Keeps `user` out of the review queues for `days` days from now; `moderator` None is
    the system (failed audits). A ban that holds already is ended by the new one, so that
    one ban holds at a time. Returns the ban."""
    # One ban at a time, also when two failed audits or two moderators act at once.
    User.objects.select_for_update().filter(pk=user.pk).first()
    now = timezone.now()
    _active(user.pk).update(lifted_at=now, lifted_by=moderator)
    ban = ReviewBan.objects.create(
        user=user,
        reason=reason,
        created_at=now,
        until=now + timedelta(days=days),
        created_by=moderator,
    )
    audit(actor=moderator, verb=Verb.REVIEW_BANNED, target=user, reason=reason)
    message_send(
        recipient=user,
        sender=moderator,
        subject=_("You may not review for a while"),
        body=_(
            "You may not use the review queues until %(date)s UTC. Reason: %(reason)s\n\n"
            "Everything else on the site works as before."
        )
        % {"date": ban.until.strftime("%Y-%m-%d %H:%M"), "reason": reason},
    )
    return ban


@transaction.atomic
def review_ban_lift(*, ban, moderator, reason=""):
    """Ends `ban` now; False when it had ended already."""
    updated = (
        _active(ban.user_id).filter(pk=ban.pk).update(lifted_at=timezone.now(), lifted_by=moderator)
    )
    if not updated:
        return False
    audit(actor=moderator, verb=Verb.REVIEW_BAN_LIFTED, target=ban.user, reason=reason)
    return True


def next_ban_days(user):
    """How long the next ban of `user` by the audits lasts: FORUM_REVIEW_BAN_DAYS, doubled
    for each ban they had before, at most FORUM_REVIEW_BAN_MAX_DAYS."""
    earlier = ReviewBan.objects.filter(user=user).count()
    days = settings.FORUM_REVIEW_BAN_DAYS * 2 ** min(earlier, 16)
    return min(days, settings.FORUM_REVIEW_BAN_MAX_DAYS)
