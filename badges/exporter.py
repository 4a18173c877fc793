"""Badges.xml in the Stack Exchange export (questions/exporters/stackexchange.py): one row
per award, with the badge's name and class as Stack Exchange's dumps give them."""

from badges.models import Award
from questions.exporters.stackexchange import keyset_chunks, se_date


def badges_export(row):
    awards = Award.objects.select_related("badge").only(
        "id", "user_id", "awarded_at", "badge__name", "badge__badge_class", "badge__tag_id"
    )
    for chunk in keyset_chunks(awards):
        for award in chunk:
            row(
                Id=award.pk,
                UserId=award.user_id,
                Name=award.badge.name,
                Date=se_date(award.awarded_at),
                Class=award.badge.badge_class,
                TagBased="True" if award.badge.tag_id else "False",
            )
