"""Votes.xml: the up and down votes on posts this run created. Votes are anonymous and cannot
be told apart, so those on posts of an earlier run are not imported again."""

from collections import Counter

from django.db.models import F, Sum
from django.db.models.functions import Coalesce

from questions.importers.stackexchange.rows import BATCH_SIZE, batched
from questions.models import Post, Vote

# VoteTypeId
VOTE_VALUES = {2: Vote.Value.UP, 3: Vote.Value.DOWN}


def import_votes(state):
    skipped = Counter()
    votes = []
    created = 0
    for row in state.rows("Votes.xml"):
        value = VOTE_VALUES.get(row.integer("VoteTypeId"))
        if value is None:
            skipped["of other types (acceptances, favourites, close votes …)"] += 1
            continue
        post_id = row.integer("PostId")
        post_pk = state.post_pk(post_id)
        if post_pk is None:
            if post_id in state.unimported_posts:
                skipped["on posts that are not questions or answers"] += 1
            else:
                skipped["on posts absent from the dump"] += 1
        elif post_id not in state.new_posts:
            skipped["on posts imported by an earlier run"] += 1
        else:
            votes.append(Vote(post_id=post_pk, value=value, created_at=row.date("CreationDate")))
        if len(votes) == BATCH_SIZE:
            Vote.objects.bulk_create(votes)
            created += len(votes)
            votes = []
    Vote.objects.bulk_create(votes)
    created += len(votes)
    filled = _fill_in_missing_votes(state)
    state.summary.created["votes"] += created + filled
    skipped_text = state.skip_all("Votes.xml: votes ", skipped)
    state.say(
        f"Votes.xml: {created} votes created, {filled} added where the dump's score counts "
        f"votes it does not list; skipped: {skipped_text or 'none'}"
    )


def _fill_in_missing_votes(state):
    """The dump's Score is what the site showed, but Votes.xml can lack votes (those of
    deleted accounts, say). Anonymous votes make up the difference, so that a post's
    score is always the sum of its votes, as `recount` checks."""
    new_pks = sorted(state.post_pk(post_id) for post_id in state.new_posts)
    filled = 0
    for batch in batched(new_pks):
        short = (
            Post.objects.filter(pk__in=batch)
            .annotate(listed=Coalesce(Sum("votes__value"), 0))
            .exclude(score=F("listed"))
            .values_list("pk", "score", "listed", "created_at")
        )
        missing = [
            Vote(post_id=pk, value=1 if score > listed else -1, created_at=created_at)
            for pk, score, listed, created_at in short
            for _ in range(abs(score - listed))
        ]
        Vote.objects.bulk_create(missing, batch_size=BATCH_SIZE)
        filled += len(missing)
    return filled
