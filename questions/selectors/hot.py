"""The hot questions of a thread's tags, for the thread's sidebar.

The site has no hot list of its own to borrow from, so "hot" is Stack Exchange's idea
made small: of the newest questions in the thread's first tags, those active in the last
HOT_DAYS, the most voted and answered first. The box is the same for every thread with
those tags and in every language, so it is worked out once per tag set and kept
FORUM_HOT_CACHE_SECONDS as plain data (ids, titles, addresses, scores): a thread whose
tags' box is kept costs no query for it. A deleted question leaves every box at once (the
boxes' token is renewed); one hidden by flags or retitled shows as it was for at most
those seconds.
"""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.db.models.expressions import RawSQL
from django.utils import timezone

from questions.caching import generation, scopes_renewed
from questions.models import Post, Question

HOT_LIMIT = 5
# The thread's first tags (in its author's order) that name its box.
HOT_TAGS = 3
# Questions active longer ago than this are not hot.
HOT_DAYS = 7
# The newest questions of each tag looked at: bounded whatever the size of the site.
HOT_TAG_CANDIDATES = 100
# An answer weighs as much as this many votes.
HOT_ANSWER_WEIGHT = 2
# The boxes' generation (questions.caching): renewed when a question is deleted.
HOT_SCOPE = "hot"


def hot_questions(*, question):
    """Up to HOT_LIMIT hot questions of `question`'s tags, as dicts (`id`, `title`, `url`,
    `score`, `answered`, `accepted`), without `question` itself. Its `shown_tags` come
    from the thread selector."""
    tag_ids = sorted(tag.pk for tag in question.shown_tags[:HOT_TAGS])
    if not tag_ids:
        return []
    key = f"hot:{generation(HOT_SCOPE)}:{','.join(map(str, tag_ids))}"
    hot = cache.get(key)
    if hot is None:
        hot = _rank_hot(tag_ids)
        cache.set(key, hot, settings.FORUM_HOT_CACHE_SECONDS)
    return [row for row in hot if row["id"] != question.pk][:HOT_LIMIT]


def _rank_hot(tag_ids):
    """The hot questions of `tag_ids`, one more than a box shows (the thread asking may be
    one of them), in one query."""
    rows = (
        Question.objects.listed()
        .filter(
            pk__in=_newest_of_tags(tag_ids),
            last_activity_at__gte=timezone.now() - timedelta(days=HOT_DAYS),
        )
        .alias(hotness=F("score") + HOT_ANSWER_WEIGHT * F("answer_count"))
        .order_by("-hotness", "-last_activity_at", "-id")
        .only("id", "post_type", "title", "slug", "score", "answer_count", "accepted_answer")[
            : HOT_LIMIT + 1
        ]
    )
    return [
        {
            "id": row.pk,
            "title": row.title,
            "url": row.get_absolute_url(),
            "score": row.score,
            "answered": row.answer_count > 0,
            "accepted": row.accepted_answer_id is not None,
        }
        for row in rows
    ]


def _newest_of_tags(tag_ids):
    """The ids of the newest HOT_TAG_CANDIDATES questions of each tag, as a subquery: each
    tag's read backwards on the (tag, post) index, joined by UNION ALL. (Filters on
    separate subqueries joined by OR would be read against every question; Django cannot
    slice the parts of a union on SQLite, but both databases take each as a subquery of its
    own.)"""
    parts, params = [], []
    for number, tag_id in enumerate(tag_ids):
        newest = (
            Post.tags.through.objects.filter(tag_id=tag_id)
            .order_by("-post_id")
            .values("post_id")[:HOT_TAG_CANDIDATES]
        )
        sql, part_params = newest.query.sql_with_params()
        parts.append(f"SELECT post_id FROM ({sql}) AS part{number}")
        params.extend(part_params)
    return RawSQL(" UNION ALL ".join(parts), params)


def hot_questions_renew(event):
    """A deleted question leaves every tag set's box (subscribed to PostDeleted)."""
    if event.post_id == event.question_id:
        scopes_renewed([HOT_SCOPE])
