"""The reputation ledger: the one way reputation changes.

Every change is a `ReputationEvent` holding the amount actually applied, and
`User.reputation` moves by that amount with F() in the same transaction, so it always
equals 1 plus the user's events (what `manage.py recount` checks). A service that gives or
takes reputation (votes and acceptances in questions/voting.py, penalties for spam,
bounties and the like to come) locks the users' rows with `lock_users`, records its
changes on a `Ledger` and saves it, inside its own transaction. Undoing something appends
events that reverse what the ledger holds for it, never deletes any.
"""

from datetime import UTC, datetime, time

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, Sum, When
from django.utils import timezone

from accounts.models import User
from questions.models import ReputationEvent

UPVOTED_GAIN = 10
DOWNVOTED_LOSS = -2
DOWNVOTING_COST = -1  # for downvoting an answer; downvoting a question costs nothing
ACCEPTED_GAIN = 15
ACCEPTING_GAIN = 2

VOTE_KINDS = (
    ReputationEvent.Kind.UPVOTED,
    ReputationEvent.Kind.DOWNVOTED,
    ReputationEvent.Kind.DOWNVOTING,
)
ACCEPT_KINDS = (ReputationEvent.Kind.ACCEPTED, ReputationEvent.Kind.ACCEPTING)


def start_of_day(now):
    """The start of `now`'s day in UTC, when daily limits and caps begin again."""
    return datetime.combine(now.astimezone(UTC).date(), time.min, tzinfo=UTC)


class Ledger:
    """Reputation changes within one transaction, on user rows that it has locked, so the
    amount each change may apply (never below 1) is known exactly."""

    def __init__(self, *, users, now):
        self.reputation = {user.pk: user.reputation for user in users}
        self.now = now
        self.events = []

    def apply(self, *, user_id, post_id, kind, delta, voter_id=None):
        """Records `delta` for the user, cut short by the floor of 1."""
        applied = max(delta, 1 - self.reputation[user_id])
        self.reputation[user_id] += applied
        self.events.append(
            ReputationEvent(
                user_id=user_id,
                post_id=post_id,
                voter_id=voter_id,
                kind=kind,
                delta=applied,
                created_at=self.now,
            )
        )

    def reverse(self, events, *, post_id, voter_id=None):
        """Takes back the net of `events` for each user and kind: exactly what they applied,
        including any earlier reversal the floor cut short."""
        for row in events.values("user", "kind").annotate(net=Sum("delta")).order_by("user", "kind"):
            if row["net"]:
                self.apply(
                    user_id=row["user"],
                    post_id=post_id,
                    kind=row["kind"],
                    delta=-row["net"],
                    voter_id=voter_id,
                )

    def save(self):
        if not self.events:
            return
        ReputationEvent.objects.bulk_create(self.events)
        changes = {}
        for event in self.events:
            changes[event.user_id] = changes.get(event.user_id, 0) + event.delta
        User.objects.filter(pk__in=changes).update(
            reputation=Case(
                *(When(pk=pk, then=F("reputation") + delta) for pk, delta in changes.items()),
                default=F("reputation"),
            )
        )


def lock_users(*user_ids):
    """Locks the users' rows in primary-key order; returns them by primary key."""
    ids = sorted({pk for pk in user_ids if pk is not None})
    return {user.pk: user for user in User.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk")}


def upvote_room(*, author_id, now):
    """How much more reputation upvotes may give the author today (UTC). Undone upvotes
    stay counted, as undone votes do against the voter's daily limit."""
    gained = ReputationEvent.objects.filter(
        user_id=author_id,
        kind=ReputationEvent.Kind.UPVOTED,
        delta__gt=0,
        created_at__gte=start_of_day(now),
    ).aggregate(total=Sum("delta"))["total"]
    return max(settings.FORUM_REPUTATION_DAILY_CAP - (gained or 0), 0)


@transaction.atomic
def reputation_penalty(*, user_id, post_id, amount):
    """Takes `amount` reputation from a user (for spam or abuse), through the ledger and
    never below 1. Returns what was actually taken."""
    users = lock_users(user_id)
    ledger = Ledger(users=users.values(), now=timezone.now())
    ledger.apply(user_id=user_id, post_id=post_id, kind=ReputationEvent.Kind.PENALTY, delta=-amount)
    ledger.save()
    return -ledger.events[0].delta
