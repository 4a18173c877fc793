"""The queries that build the member pages."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Sum
from django.db.models.functions import TruncDate
from django.http import Http404

from accounts.models import User
from accounts.privileges import PRIVILEGES, Privilege, has_privilege
from questions.models import ReputationEvent

# A list shows names, reputation and places, not the profile texts.
_LIST_FIELDS = ("id", "username", "display_name", "reputation", "is_moderator", "location", "date_joined")


def user_list():
    """Members, highest reputation first."""
    return User.objects.only(*_LIST_FIELDS).order_by("-reputation", "id")


def user_for_profile(*, pk):
    user = User.objects.defer("about_markdown", "password").filter(pk=pk).first()
    if user is None:
        raise Http404
    return user


def user_for_reputation(*, pk):
    user = User.objects.only("id", "username", "display_name", "reputation").filter(pk=pk).first()
    if user is None:
        raise Http404
    return user


def reputation_events(*, user):
    """The user's reputation ledger, newest first, with the post and question each line
    links to."""
    return (
        ReputationEvent.objects.filter(user=user)
        .select_related("post", "post__parent")
        .only(
            "id", "kind", "delta", "created_at",
            "post__id", "post__post_type", "post__title", "post__slug", "post__deleted_at",
            "post__parent__id", "post__parent__post_type", "post__parent__title",
            "post__parent__slug", "post__parent__deleted_at",
        )
        .order_by("-created_at", "-id")
    )


@dataclass(frozen=True)
class ReputationDay:
    day: date
    total: int
    events: list


def reputation_days(*, user, events):
    """A page of ledger lines grouped by UTC day, newest day first.

    A day's total counts all of its lines, also those on the neighbouring pages, so that
    a day cut by a page break still shows what it earned."""
    by_day = {}
    for event in events:
        by_day.setdefault(event.created_at.astimezone(UTC).date(), []).append(event)
    if not by_day:
        return []
    oldest, newest = min(by_day), max(by_day)
    totals = dict(
        ReputationEvent.objects.filter(
            user=user,
            created_at__gte=datetime.combine(oldest, time.min, tzinfo=UTC),
            created_at__lt=datetime.combine(newest + timedelta(days=1), time.min, tzinfo=UTC),
        )
        .annotate(day=TruncDate("created_at", tzinfo=UTC))
        .values("day")
        .annotate(total=Sum("delta"))
        .values_list("day", "total")
    )
    return [ReputationDay(day=day, total=totals[day], events=lines) for day, lines in by_day.items()]


@dataclass(frozen=True)
class PrivilegeStanding:
    privilege: Privilege
    held: bool
    # None for anonymous visitors, who have no reputation to measure.
    missing: int | None


def privilege_standings(*, user):
    """Every privilege, lowest threshold first, with whether `user` holds it and how much
    reputation they still lack."""
    standings = []
    for privilege in sorted(PRIVILEGES, key=lambda p: p.threshold):
        missing = max(privilege.threshold - user.reputation, 0) if user.is_authenticated else None
        standings.append(
            PrivilegeStanding(privilege=privilege, held=has_privilege(user, privilege.key), missing=missing)
        )
    return standings
