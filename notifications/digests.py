"""The daily or weekly digest: new and unanswered questions in a member's watched tags.

A run reads the questions once, whoever reads them: every listed question of the last
UNANSWERED_DAYS that is new in the period or still unanswered, with its tags, in one
query, filed under each of its tags newest first. Then the members who chose the digest
are read a batch at a time (by user id), with their watched and ignored tags in one
query per batch, and each member's digest is merged from the lists of the tags they
watch, in memory: the queries of a run grow with the batches of members, never with a
query per member.

What a member finds in it follows the lists' rule for tags (an ignored tag wins over a
watched one, questions/selectors/tag_preferences.py) and leaves out their own questions.
New questions are those since the member's last digest (`digest_sent_until`), at most a
period back; the unanswered ones are older than that, so none is listed twice.
"""

import heapq
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from notifications import mailing, unsubscribe
from notifications.models import EmailSettings
from questions.models import Post, TagPreference

PERIODS = {
    EmailSettings.Digest.DAILY: timedelta(days=1),
    EmailSettings.Digest.WEEKLY: timedelta(days=7),
}
# How old an unanswered question may be and still be in a digest.
UNANSWERED_DAYS = 30
# Questions per list of a digest.
SHOWN = 10


@dataclass(frozen=True)
class Candidate:
    """A question a digest may list, with the ids of its tags."""

    pk: int
    title: str
    url: str
    created_at: datetime
    author_id: int | None
    unanswered: bool
    tag_ids: frozenset

    @property
    def order(self):
        return (self.created_at, self.pk)


@dataclass
class Shelf:
    """The candidates of a run filed by tag: each tag's new ones and its unanswered ones,
    newest first."""

    new: dict
    unanswered: dict


def period_start(frequency, now):
    """The first day of the period `now` is in: the day for a daily digest, the Monday for
    a weekly one (UTC). A digest is sent once per member and period."""
    day = now.date()
    if frequency == EmailSettings.Digest.WEEKLY:
        day -= timedelta(days=day.weekday())
    return day


def candidates(*, new_since, now):
    """The Shelf of the listed questions created since `new_since` and of the unanswered
    ones of the last UNANSWERED_DAYS that are not closed: one query, through the table
    that tags questions."""
    unanswered_since = now - timedelta(days=UNANSWERED_DAYS)
    questions = (
        Post.objects.questions()
        .listed()
        .filter(created_at__lte=now)
        .filter(
            Q(created_at__gt=new_since)
            | Q(created_at__gte=unanswered_since, answer_count=0, closed_at__isnull=True)
        )
    )
    rows = (
        Post.tags.through.objects.filter(post__in=questions)
        .order_by("-post__created_at", "-post_id")
        .values_list(
            "tag_id",
            "post_id",
            "post__title",
            "post__slug",
            "post__created_at",
            "post__answer_count",
            "post__author_id",
            "post__closed_at",
        )
    )
    tags_of, fields = {}, {}
    for tag_id, pk, *rest in rows:
        tags_of.setdefault(pk, set()).add(tag_id)
        fields[pk] = rest
    shelf = Shelf(new={}, unanswered={})
    # Filed in the query's order, so each tag's lists are newest first.
    for pk, (title, slug, created_at, answer_count, author_id, closed_at) in fields.items():
        question = Post(pk=pk, post_type=Post.PostType.QUESTION, slug=slug)
        candidate = Candidate(
            pk=pk,
            title=title,
            url=mailing.absolute(question.get_absolute_url()),
            created_at=created_at,
            author_id=author_id,
            unanswered=answer_count == 0 and closed_at is None,
            tag_ids=frozenset(tags_of[pk]),
        )
        for tag_id in candidate.tag_ids:
            if created_at > new_since:
                shelf.new.setdefault(tag_id, []).append(candidate)
            if candidate.unanswered:
                shelf.unanswered.setdefault(tag_id, []).append(candidate)
    return shelf


def _newest(lists, *, keep, until=None):
    """Up to SHOWN candidates from `lists` (each newest first), newest first, each once,
    those `keep` accepts; stops at the first one not newer than `until`."""
    chosen, seen = [], set()
    for candidate in heapq.merge(*lists, key=lambda item: item.order, reverse=True):
        if until is not None and candidate.created_at <= until:
            break
        if candidate.pk in seen or not keep(candidate):
            continue
        seen.add(candidate.pk)
        chosen.append(candidate)
        if len(chosen) == SHOWN:
            break
    return chosen


def digest_for(*, shelf, user_id, watched, ignored, since):
    """(new questions, unanswered questions) for a member who watches the tags `watched`
    and ignores `ignored`, whose last digest covered up to `since`."""

    def keep(candidate):
        return candidate.author_id != user_id and not candidate.tag_ids & ignored

    new = _newest([shelf.new[tag] for tag in watched if tag in shelf.new], keep=keep, until=since)

    def keep_older(candidate):
        return candidate.created_at <= since and keep(candidate)

    unanswered = _newest(
        [shelf.unanswered[tag] for tag in watched if tag in shelf.unanswered], keep=keep_older
    )
    return new, unanswered


def _readers(frequency):
    """The members who chose the digest of `frequency` and can get email, in batches of
    FORUM_NOTIFICATION_BATCH by user id (keyset)."""
    size = settings.FORUM_NOTIFICATION_BATCH
    last = 0
    while True:
        batch = list(
            EmailSettings.objects.filter(digest=frequency, user_id__gt=last, user__is_active=True)
            .exclude(user__email="")
            .order_by("user_id")
            .values_list(
                "user_id",
                "digest_sent_until",
                "user__email",
                "user__language",
                "user__username",
                "user__display_name",
            )[:size]
        )
        if batch:
            yield batch
        if len(batch) < size:
            return
        last = batch[-1][0]


def _tag_preferences(user_ids):
    """{user id: (watched tag ids, ignored tag ids)} of `user_ids`, in one query."""
    preferences = {user_id: (set(), set()) for user_id in user_ids}
    rows = TagPreference.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "tag_id", "kind"
    )
    for user_id, tag_id, kind in rows:
        watched, ignored = preferences[user_id]
        (watched if kind == TagPreference.Kind.WATCHED else ignored).add(tag_id)
    return preferences


def digests_send(frequency):
    """Sends the digest of `frequency` ("daily" or "weekly") to every member who chose
    it and has something new or unanswered in their watched tags, once per period.
    Returns how many digests went out. An SMTP error is raised after marking what went
    out, for the task to retry the rest."""
    frequency = EmailSettings.Digest(frequency)
    now = timezone.now()
    oldest = now - PERIODS[frequency]
    key = f"digest:{frequency}:{period_start(frequency, now).isoformat()}"
    shelf = candidates(new_since=oldest, now=now)

    def covered(user_ids):
        EmailSettings.objects.filter(user_id__in=user_ids).update(digest_sent_until=now)

    sent = 0
    for batch in _readers(frequency):
        preferences = _tag_preferences([row[0] for row in batch])
        letters, empty = [], []
        for user_id, sent_until, email, language, username, display_name in batch:
            watched, ignored = preferences[user_id]
            since = max(sent_until, oldest) if sent_until else oldest
            new, unanswered = digest_for(
                shelf=shelf, user_id=user_id, watched=watched, ignored=ignored, since=since
            )
            if not new and not unanswered:
                empty.append(user_id)
                continue
            letters.append(
                mailing.letter(
                    user_id=user_id,
                    email=email,
                    language=language,
                    key=key,
                    template="digest",
                    kind=unsubscribe.DIGEST,
                    context={
                        "recipient_name": display_name or username,
                        "frequency": frequency,
                        "new": new,
                        "unanswered": unanswered,
                    },
                )
            )
        if empty:
            # Nothing new for them up to now: their next digest starts from here.
            covered(empty)
        sent += mailing.send_once(letters, on_sent=covered)
    return sent
