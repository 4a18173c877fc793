"""The queries of the badges' pages: each page costs a fixed number of queries."""

from django.db.models import Count, Max
from django.http import Http404

from accounts.models import User
from badges.models import Award, Badge
from badges.table import TABLE

_TABLE_ORDER = {definition.key: number for number, definition in enumerate(TABLE)}


def badge_list():
    """(the table's badges in the table's order, tag badges, imported badges): one query."""
    badges = list(Badge.objects.all())
    table = sorted(
        (badge for badge in badges if badge.key in _TABLE_ORDER),
        key=lambda badge: (badge.badge_class, _TABLE_ORDER[badge.key]),
    )
    tags = sorted(
        (badge for badge in badges if badge.tag_id), key=lambda b: (b.badge_class, b.name)
    )
    imported = sorted(
        (badge for badge in badges if badge.imported), key=lambda b: (b.badge_class, b.name)
    )
    return table, tags, imported


def badge_detail(*, pk):
    badge = Badge.objects.filter(pk=pk).first()
    if badge is None:
        raise Http404
    return badge


def recipients(*, badge):
    """The badge's awards, newest first, with their members and posts."""
    return (
        Award.objects.filter(badge=badge)
        .select_related("user", "post")
        .only(
            "id",
            "awarded_at",
            "key",
            "imported",
            "user__id",
            "user__username",
            "user__display_name",
            "user__reputation",
            "post__id",
            "post__post_type",
            "post__parent_id",
            "post__title",
            "post__slug",
            "post__deleted_at",
        )
        .order_by("-awarded_at", "-id")
    )


def member_for_badges(*, pk):
    user = (
        User.objects.only(
            "id",
            "username",
            "display_name",
            "reputation",
            "badges_gold",
            "badges_silver",
            "badges_bronze",
        )
        .filter(pk=pk)
        .first()
    )
    if user is None:
        raise Http404
    return user


def member_badges(*, member):
    """The badges the member holds, each with how many times and when last: one query."""
    return list(
        Badge.objects.filter(awards__user=member)
        .annotate(times=Count("awards"), last_awarded=Max("awards__awarded_at"))
        .order_by("badge_class", "-last_awarded", "name")
    )
