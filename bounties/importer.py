"""The Stack Exchange import's step for bounties: Votes.xml's BountyStart (8) and
BountyClose (9) votes become bounties.

A start names the question, its offerer and the amount; a close names the answer that
received the bounty and what it got (half the amount when Stack Exchange awarded it on
its own). Each close is paired with the latest unpaired start on its answer's question
before it. A start with no close ended unawarded, unless it is so recent that it is still
running: then it is the question's active bounty, which the periodic task settles.

No reputation moves: the dump's reputation, carried over as an opening balance, already
holds what the offerers gave and the answerers received. The bounty's address is its
start vote's, so importing the same dump again adds nothing."""

from collections import Counter, defaultdict

from django.utils import timezone

from bounties.models import DURATION, GRACE, Bounty
from questions.importers.stackexchange.rows import BATCH_SIZE, batched
from questions.models import Post

BOUNTY_START = 8
BOUNTY_CLOSE = 9


def import_bounties(state):
    starts, closes, skipped = _read_votes(state)
    parents = {}
    for batch in batched(sorted({answer_pk for answer_pk, _, _ in closes})):
        parents.update(Post.objects.filter(pk__in=batch).values_list("pk", "parent_id"))
    closes_by_question = defaultdict(list)
    for answer_pk, amount, date in closes:
        closes_by_question[parents[answer_pk]].append((date, answer_pk, amount))

    urls = [start["source_url"] for start in starts]
    present = set()
    for batch in batched(urls):
        present.update(
            Bounty.objects.filter(source_url__in=batch)
            .exclude(source_url="")
            .values_list("source_url", flat=True)
        )
    now = timezone.now()
    bounties = []
    starts_by_question = defaultdict(list)
    for start in starts:
        starts_by_question[start["question_id"]].append(start)
    for question_id, question_starts in starts_by_question.items():
        question_starts.sort(key=lambda start: start["started_at"])
        _pair(question_starts, sorted(closes_by_question.pop(question_id, [])), skipped)
        for start in question_starts:
            if start["source_url"] not in present:
                bounties.append(_bounty(start, now))
    for question_closes in closes_by_question.values():
        skipped["closes without a start in the dump"] += len(question_closes)
    _keep_one_active(bounties)
    Bounty.objects.bulk_create(bounties, batch_size=BATCH_SIZE)
    for bounty in bounties:
        if bounty.status == Bounty.Status.ACTIVE:
            Post.objects.filter(pk=bounty.question_id).update(
                bounty_amount=bounty.amount, bounty_ends_at=bounty.ends_at
            )
    state.summary.created["bounties"] += len(bounties)
    state.summary.already_present += len(present)
    skipped_text = state.skip_all("Votes.xml: bounty votes ", skipped)
    state.say(
        f"Votes.xml: {len(bounties)} bounties created, {len(present)} already present; "
        f"skipped: {skipped_text or 'none'}"
    )


def _read_votes(state):
    starts, closes, skipped = [], [], Counter()
    for row in state.rows("Votes.xml"):
        kind = row.integer("VoteTypeId")
        if kind not in (BOUNTY_START, BOUNTY_CLOSE):
            continue
        amount = row.optional_integer("BountyAmount")
        if not amount or amount < 0:
            skipped["without an amount"] += 1
            continue
        post_id = row.integer("PostId")
        if kind == BOUNTY_START:
            question_pk = state.questions.get(post_id)
            if question_pk is None:
                skipped["on posts that are not imported questions"] += 1
                continue
            user_id = row.optional_integer("UserId")
            starts.append(
                {
                    "source_url": f"{state.site}/votes/{row.integer('Id')}",
                    "question_id": question_pk,
                    "offerer_id": state.users.get(user_id),
                    "amount": amount,
                    "started_at": row.date("CreationDate"),
                    "close": None,
                }
            )
        else:
            answer_pk = state.answers.get(post_id)
            if answer_pk is None:
                skipped["closes on posts that are not imported answers"] += 1
                continue
            closes.append((answer_pk, amount, row.date("CreationDate")))
    return starts, closes, skipped


def _pair(starts, closes, skipped):
    """Pairs each close (date, answer, amount), in date order, with the latest start of
    the question before it that has none yet."""
    for date, answer_pk, amount in closes:
        open_starts = [s for s in starts if s["close"] is None and s["started_at"] <= date]
        if not open_starts:
            skipped["closes without a start in the dump"] += 1
            continue
        open_starts[-1]["close"] = (date, answer_pk, amount)


def _bounty(start, now):
    ends_at = start["started_at"] + DURATION
    bounty = Bounty(
        question_id=start["question_id"],
        offerer_id=start["offerer_id"],
        amount=start["amount"],
        # Stack Exchange's dumps do not say why.
        reason=Bounty.Reason.DRAW_ATTENTION,
        started_at=start["started_at"],
        ends_at=ends_at,
        source_url=start["source_url"],
    )
    if start["close"] is not None:
        date, answer_pk, amount = start["close"]
        bounty.answer_id = answer_pk
        bounty.awarded_amount = min(amount, bounty.amount)
        bounty.status = (
            Bounty.Status.AWARDED if amount >= bounty.amount else Bounty.Status.AUTO_AWARDED
        )
        bounty.closed_at = date
    elif ends_at + GRACE <= now:
        bounty.status = Bounty.Status.EXPIRED
        bounty.closed_at = ends_at + GRACE
    else:
        bounty.status = Bounty.Status.ACTIVE
    return bounty


def _keep_one_active(bounties):
    """A question has one active bounty: of two still running in a dump, the later."""
    latest = {}
    for bounty in bounties:
        if bounty.status == Bounty.Status.ACTIVE:
            earlier = latest.get(bounty.question_id)
            if earlier is not None:
                earlier.status = Bounty.Status.EXPIRED
                earlier.closed_at = bounty.started_at
            latest[bounty.question_id] = bounty
