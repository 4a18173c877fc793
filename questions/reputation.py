"""The reputation ledger: the one way reputation changes, and the one rule that says
what a user's reputation is.

Every change is a `ReputationEvent`; undoing something (a vote withdrawn or changed, an
acceptance moved or taken back) appends events marked `reverses` that cancel what the
ledger holds for it: the ledger only grows. The rule, as Stack Exchange computes it, is a
replay of the user's events in the order they were written (`replay`; the primary key's
order, which is the order of the row locks the services take, whatever their clocks
say): cancelled events give nothing; every other event gives its kind's amount (an
opening balance, a penalty, a bounty offered, awarded or refunded, or an imported post's
anonymous votes: what it holds),
members' upvotes at most the daily cap (FORUM_REPUTATION_DAILY_CAP per UTC day, which
undone upvotes keep using up), approved suggested edits at most SUGGESTED_EDIT_CAP in all,
and nothing may take reputation below 1. Each live event stores what the replay gives it
(`delta`), each cancelled group nets to zero, and `User.reputation` is 1 plus the sum of
the deltas.

A service that gives or takes reputation (votes and acceptances in questions/voting.py,
penalties for spam, bounties in bounties/services.py) locks the users' rows with
`lock_users`, records its changes on a `Ledger` (`add`, `undo`) and saves it inside its
own transaction. Adding at the end of a user's history needs no replay; undoing replays
that user's history, since what the floor let through after the undone event changes
(Stack Exchange recalculates the same way). `manage.py recount` checks the invariants
and repairs a user's ledger with the same replay.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, time

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Exists, F, OuterRef, Sum, When
from django.utils import timezone

from accounts.models import User
from questions.models import ReputationEvent, Vote

Kind = ReputationEvent.Kind

UPVOTED_GAIN = 10
DOWNVOTED_LOSS = -2
DOWNVOTING_COST = -1  # for downvoting an answer; downvoting a question costs nothing
ACCEPTED_GAIN = 15
ACCEPTING_GAIN = 2
SUGGESTED_EDIT_GAIN = 2
# What approved suggested edits may give a user in all, as on Stack Exchange.
SUGGESTED_EDIT_CAP = 1000

# What an event of each kind gives before the cap and the floor. Other kinds (opening
# balances, penalties) give what they hold.
AMOUNTS = {
    Kind.UPVOTED: UPVOTED_GAIN,
    Kind.DOWNVOTED: DOWNVOTED_LOSS,
    Kind.DOWNVOTING: DOWNVOTING_COST,
    Kind.ACCEPTED: ACCEPTED_GAIN,
    Kind.ACCEPTING: ACCEPTING_GAIN,
    Kind.SUGGESTED_EDIT: SUGGESTED_EDIT_GAIN,
}

VOTE_KINDS = (Kind.UPVOTED, Kind.DOWNVOTED, Kind.DOWNVOTING)
ACCEPT_KINDS = (Kind.ACCEPTED, Kind.ACCEPTING)
# Kinds whose events give their kind's amount though they name no voter.
VOTERLESS_KINDS = (*ACCEPT_KINDS, Kind.SUGGESTED_EDIT)


def start_of_day(now):
    """The start of `now`'s day in UTC, when daily limits and caps begin again."""
    return datetime.combine(now.astimezone(UTC).date(), time.min, tzinfo=UTC)


@dataclass
class Entry:
    """One event of a user's ledger as the replay reads it."""

    pk: int | None
    user_id: int
    kind: str
    post_id: int | None
    voter_id: int | None
    delta: int
    reverses: bool
    created_at: datetime

    @property
    def group(self):
        # What one vote or one acceptance wrote, and what undoing it cancels.
        return (self.post_id, self.voter_id, self.kind)

    def event(self, *, delta):
        """The new entry as the row to insert, holding `delta`."""
        return ReputationEvent(
            user_id=self.user_id,
            post_id=self.post_id,
            voter_id=self.voter_id,
            kind=self.kind,
            delta=delta,
            reverses=self.reverses,
            created_at=self.created_at,
        )

    @property
    def amount(self):
        """What the entry gives before the caps and the floor: its kind's amount for one
        member's vote, an acceptance or an approved suggested edit; what it holds for an
        opening balance, a penalty, and the anonymous votes of an imported or generated
        post (one entry for all of them, which the cap has never applied to)."""
        if self.kind in AMOUNTS and (self.voter_id is not None or self.kind in VOTERLESS_KINDS):
            return AMOUNTS[self.kind]
        return self.delta


ENTRY_FIELDS = ("pk", "user_id", "kind", "post_id", "voter_id", "delta", "reverses", "created_at")


def histories(events):
    """{user id: their entries in the order they were written} for a queryset of events."""
    by_user = defaultdict(list)
    for row in events.order_by("user_id", "pk").values_list(*ENTRY_FIELDS):
        by_user[row[1]].append(Entry(*row))
    return by_user


def replay(history, *, reputation=1, upvoted=None, suggested=0):
    """The rule: (reputation, {id(entry): the delta it should hold}) for a user's
    `history`, their entries in order. A `reverses` entry cancels the entries of its group
    before it, and itself; it holds minus what they hold, so that the group nets to zero.

    A replay from the start begins at 1 with no upvotes or suggested edits counted;
    entries added at the end of a history begin where it stands (`reputation`; `upvoted`:
    {UTC day: the upvote gains counted against that day's cap}; `suggested`: what approved
    suggested edits gave so far, against SUGGESTED_EDIT_CAP)."""
    cancelled_until = {}
    for index, entry in enumerate(history):
        if entry.reverses:
            cancelled_until[entry.group] = index
    upvoted = defaultdict(int, upvoted or {})
    held = defaultdict(int)  # group -> what its cancelled entries so far hold
    deltas = {}
    for index, entry in enumerate(history):
        day = entry.created_at.astimezone(UTC).date()
        if index <= cancelled_until.get(entry.group, -1):
            delta = -held[entry.group] if entry.reverses else entry.delta
            held[entry.group] += delta
        else:
            delta = entry.amount
            if entry.kind == Kind.UPVOTED and entry.voter_id is not None:
                delta = min(delta, max(settings.FORUM_REPUTATION_DAILY_CAP - upvoted[day], 0))
            if entry.kind == Kind.SUGGESTED_EDIT:
                delta = min(delta, max(SUGGESTED_EDIT_CAP - suggested, 0))
                suggested += delta
            delta = max(delta, 1 - reputation)
            reputation += delta
        if entry.kind == Kind.UPVOTED and not entry.reverses and delta > 0:
            upvoted[day] += delta
        deltas[id(entry)] = delta
    return reputation, deltas


class Ledger:
    """Reputation changes within one transaction, on user rows that it has locked."""

    def __init__(self, *, users, now):
        self.reputation = {user.pk: user.reputation for user in users}
        self.now = now
        self.added = []  # entries to append
        self.undone = []  # (post id, voter id, kinds) of what to cancel
        self.events = []  # the events saved, with their deltas

    def add(self, *, user_id, post_id, kind, amount=None, voter_id=None):
        """Gives the user an event of `kind`: its kind's amount, or `amount` for the kinds
        that have none (a penalty), cut by the cap and the floor when saved."""
        if amount is None:
            amount = AMOUNTS[kind]
        self.added.append(Entry(None, user_id, kind, post_id, voter_id, amount, False, self.now))

    def undo(self, *, post_id, kinds, voter_id=None):
        """Cancels what the events of `kinds` on the post (by `voter_id`'s vote) gave,
        to whichever of the ledger's users they went."""
        self.undone.append((post_id, voter_id, set(kinds)))

    def save(self):
        """Saves the new events and moves each user's reputation: one query to read the
        users' histories when something is undone, one to correct the deltas that the
        undoing changed (when any did), one to add the events, one to move reputation."""
        new, deltas, reputation = [], {}, dict(self.reputation)
        if self.undone:
            stored = histories(ReputationEvent.objects.filter(user_id__in=self.reputation))
        changed = []
        for user_id in self.reputation:
            added = [entry for entry in self.added if entry.user_id == user_id]
            if self.undone:
                history = stored.get(user_id, [])
                reversals = [
                    Entry(None, user_id, kind, post_id, voter_id, 0, True, self.now)
                    for post_id, voter_id, kind in sorted(
                        {entry.group for entry in history if self._is_undone(entry)}, key=str
                    )
                ]
            if self.undone and reversals:
                # What the floor let through after the undone events changes: replay it all.
                reputation[user_id], user_deltas = replay(history + reversals + added)
                changed += [entry for entry in history if user_deltas[id(entry)] != entry.delta]
                added = reversals + added
            else:
                reputation[user_id], user_deltas = self._append(user_id, added)
            deltas.update(user_deltas)
            new += added
        if changed:
            ReputationEvent.objects.bulk_update(
                [ReputationEvent(pk=entry.pk, delta=deltas[id(entry)]) for entry in changed],
                ["delta"],
            )
        self.events = ReputationEvent.objects.bulk_create(
            entry.event(delta=deltas[id(entry)]) for entry in new
        )
        moves = {
            pk: reputation[pk] - before
            for pk, before in self.reputation.items()
            if reputation[pk] != before
        }
        if moves:
            User.objects.filter(pk__in=moves).update(
                reputation=Case(
                    *(When(pk=pk, then=F("reputation") + move) for pk, move in moves.items()),
                    default=F("reputation"),
                )
            )

    def _is_undone(self, entry):
        return not entry.reverses and any(
            entry.post_id == post_id and entry.voter_id == voter_id and entry.kind in kinds
            for post_id, voter_id, kinds in self.undone
        )

    def _append(self, user_id, added):
        """The deltas of entries added at the end of the user's history: the replay of the
        stored history is their stored reputation, today's upvote gains and what suggested
        edits gave, so only the new entries are replayed, from there."""
        upvoted_today = 0
        if any(entry.kind == Kind.UPVOTED and entry.voter_id is not None for entry in added):
            upvoted_today = (
                ReputationEvent.objects.filter(
                    user_id=user_id,
                    kind=Kind.UPVOTED,
                    reverses=False,
                    delta__gt=0,
                    created_at__gte=start_of_day(self.now),
                ).aggregate(total=Sum("delta"))["total"]
                or 0
            )
        suggested = 0
        if any(entry.kind == Kind.SUGGESTED_EDIT for entry in added):
            suggested = (
                ReputationEvent.objects.filter(
                    user_id=user_id, kind=Kind.SUGGESTED_EDIT, reverses=False
                ).aggregate(total=Sum("delta"))["total"]
                or 0
            )
        today = self.now.astimezone(UTC).date()
        return replay(
            added,
            reputation=self.reputation[user_id],
            upvoted={today: upvoted_today},
            suggested=suggested,
        )


def lock_users(*user_ids):
    """Locks the users' rows in primary-key order; returns them by primary key."""
    ids = sorted({pk for pk in user_ids if pk is not None})
    return {
        user.pk: user
        for user in User.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk")
    }


@transaction.atomic
def reputation_penalty(*, user_id, post_id, amount):
    """Takes `amount` reputation from a user (for spam or abuse), through the ledger and
    never below 1. Returns what was actually taken."""
    users = lock_users(user_id)
    ledger = Ledger(users=users.values(), now=timezone.now())
    ledger.add(user_id=user_id, post_id=post_id, kind=Kind.PENALTY, amount=-amount)
    ledger.save()
    return -ledger.events[0].delta


# What a post's votes and acceptance give and cost: reversed while the post's author is
# destroyed as a spammer, given again when that is undone.
POST_KINDS = (*VOTE_KINDS, *ACCEPT_KINDS)


def _live_groups(post_ids):
    """The live groups of events of POST_KINDS on the posts: [(user id, post id, voter
    id, kind, amount)], the amount for the anonymous votes' entries, which hold theirs."""
    last = {}
    events = ReputationEvent.objects.filter(post_id__in=post_ids, kind__in=POST_KINDS)
    for user_id, post_id, voter_id, kind, delta, reverses in events.order_by("pk").values_list(
        "user_id", "post_id", "voter_id", "kind", "delta", "reverses"
    ):
        last[user_id, post_id, voter_id, kind] = None if reverses else delta
    return [
        (*group, delta if group[2] is None and group[3] not in VOTERLESS_KINDS else None)
        for group, delta in last.items()
        if delta is not None
    ]


@transaction.atomic
def post_reputation_reverse(*, post_ids):
    """Cancels, through the ledger, what the posts' votes and acceptances gave and cost
    anyone; the votes stay. Returns the groups cancelled, for post_reputation_restore."""
    groups = _live_groups(post_ids)
    if not groups:
        return []
    users = lock_users(*(group[0] for group in groups))
    ledger = Ledger(users=users.values(), now=timezone.now())
    for _user_id, post_id, voter_id, kind, _amount in groups:
        ledger.undo(post_id=post_id, voter_id=voter_id, kinds=(kind,))
    ledger.save()
    return [list(group) for group in groups]


@transaction.atomic
def post_reputation_restore(*, groups):
    """Gives again what post_reputation_reverse cancelled, as new events at the end of the
    ledger (under today's cap and the floor, as the rule says)."""
    if not groups:
        return
    users = lock_users(*(group[0] for group in groups))
    ledger = Ledger(users=users.values(), now=timezone.now())
    for user_id, post_id, voter_id, kind, amount in groups:
        ledger.add(user_id=user_id, post_id=post_id, kind=kind, voter_id=voter_id, amount=amount)
    ledger.save()


def _orphans():
    """The live events of members' votes that are gone, by user: {user id: {group}}: what
    undoings that the floor had cut to nothing left behind before undoing was marked
    (`reverses`). (Acceptances are not checked: their events name no voter, like the ones
    an import writes, and an undone acceptance cut to nothing needed the taker at 1.)"""
    later_undoings = ReputationEvent.objects.filter(
        user=OuterRef("user"),
        post=OuterRef("post"),
        kind=OuterRef("kind"),
        reverses=True,
        pk__gt=OuterRef("pk"),
    )
    # A member's vote: its events carry the voter. Anonymous votes (imported or generated)
    # have no voter and no row of their own to check against.
    votes = ReputationEvent.objects.filter(reverses=False, voter__isnull=False).exclude(
        Exists(later_undoings.filter(voter=OuterRef("voter")))
    )
    upvotes = votes.filter(kind=Kind.UPVOTED).exclude(
        Exists(Vote.objects.filter(post=OuterRef("post"), user=OuterRef("voter"), value=1))
    )
    downvotes = votes.filter(kind__in=(Kind.DOWNVOTED, Kind.DOWNVOTING)).exclude(
        Exists(Vote.objects.filter(post=OuterRef("post"), user=OuterRef("voter"), value=-1))
    )
    orphans = defaultdict(set)
    for events in (upvotes, downvotes):
        for user_id, post_id, voter_id, kind in events.values_list("user", "post", "voter", "kind"):
            orphans[user_id].add((post_id, voter_id, kind))
    return orphans


def _stored_histories():
    """Every user's entries, one user at a time, streamed in the ledger's order."""
    events = ReputationEvent.objects.order_by("user_id", "pk").values_list(*ENTRY_FIELDS)
    history, user_id = [], None
    for row in events.iterator(chunk_size=5000):
        if row[1] != user_id and history:
            yield user_id, history
            history = []
        user_id = row[1]
        history.append(Entry(*row))
    if history:
        yield user_id, history


def ledger_recount(*, repair=True):
    """Checks every user's ledger against the rule: each undone vote or acceptance nets to
    zero, nothing is left of a vote or an acceptance that is gone, and each live event
    holds what the replay gives it. Returns the ids of the users whose ledger does not;
    with `repair`, appends the missing undoings and stores the replay's deltas (the users'
    reputation then follows from recount's sum)."""
    orphans = _orphans()
    now = timezone.now()
    drifted, changed, added = [], [], []
    for user_id, history in _stored_histories():
        undoings = [
            Entry(None, user_id, kind, post_id, voter_id, 0, True, now)
            for post_id, voter_id, kind in sorted(orphans.get(user_id, ()), key=str)
        ]
        _, deltas = replay(history + undoings)
        wrong = [entry for entry in history if deltas[id(entry)] != entry.delta]
        if not (wrong or undoings):
            continue
        drifted.append(user_id)
        changed += [ReputationEvent(pk=entry.pk, delta=deltas[id(entry)]) for entry in wrong]
        added += [entry.event(delta=deltas[id(entry)]) for entry in undoings]
    if repair:
        ReputationEvent.objects.bulk_update(changed, ["delta"], batch_size=1000)
        ReputationEvent.objects.bulk_create(added, batch_size=1000)
    return drifted
