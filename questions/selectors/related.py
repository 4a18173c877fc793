"""Questions like a given one: the related questions beside a thread, and the similar
titles the ask page suggests. Every query is bounded, whatever the size of the site."""

import re

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.models import Case, Count, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce

from questions.models import Post, PostLink, Question
from questions.search import title_has_any, title_matches

# Similarity by title words: words of three letters or more, without the commonest words
# of the two languages the site speaks, which would match nearly every title.
_WORD = re.compile(r"\w{3,}")
_COMMON_WORDS = frozenset(
    [
        "the",
        "and",
        "for",
        "are",
        "but",
        "not",
        "you",
        "all",
        "any",
        "can",
        "had",
        "has",
        "have",
        "her",
        "his",
        "how",
        "its",
        "may",
        "new",
        "now",
        "our",
        "out",
        "own",
        "she",
        "was",
        "who",
        "why",
        "what",
        "when",
        "where",
        "which",
        "with",
        "this",
        "that",
        "than",
        "then",
        "them",
        "they",
        "there",
        "these",
        "those",
        "from",
        "into",
        "does",
        "doing",
        "about",
        "would",
        "could",
        "should",
        "will",
        "your",
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "und",
        "oder",
        "aber",
        "ist",
        "sind",
        "war",
        "ein",
        "eine",
        "einen",
        "einem",
        "einer",
        "eines",
        "mit",
        "von",
        "für",
        "auf",
        "aus",
        "bei",
        "nach",
        "wie",
        "was",
        "wer",
        "warum",
        "wann",
        "wo",
        "ich",
        "sie",
        "wir",
        "ihr",
        "man",
        "kann",
        "können",
        "soll",
        "sollte",
        "nicht",
        "auch",
        "noch",
        "nur",
        "sich",
        "zum",
        "zur",
        "über",
        "unter",
        "dass",
        "wenn",
        "als",
        "hat",
        "haben",
        "mein",
        "meine",
        "meinen",
        "meiner",
        "dein",
        "deine",
        "sein",
        "seine",
        "ihre",
        "unser",
        "zwischen",
        "ohne",
        "mehr",
        "wird",
        "werden",
        "darf",
        "muss",
        "gibt",
        "mine",
        "their",
        "between",
        "without",
        "more",
        "get",
        "use",
    ]
)
# The words compared: a long title makes no slower a query than this many of its words.
SIMILAR_WORDS = 8
# Titles looked at for a match, newest first: a common word cannot make a query slow.
SIMILAR_CANDIDATES = 200
RELATED_LIMIT = 10
# The newest questions of each of a thread's tags considered for its related questions.
RELATED_TAG_CANDIDATES = 100
# ... and of the newest with a title word in common.
RELATED_TITLE_CANDIDATES = 50
_LINKED, _CANDIDATE = 1, 0


def title_words(title):
    """The distinct words of `title` worth comparing, longest (most telling) first."""
    words = {word for word in _WORD.findall(title.lower()) if word not in _COMMON_WORDS}
    return sorted(words, key=lambda word: (-len(word), word))[:SIMILAR_WORDS]


def _titles_with_any(words):
    """The newest questions whose titles contain one of `words`: a bounded candidate set."""
    return _newest_with_any(words).values("pk")[:SIMILAR_CANDIDATES]


def _newest_with_any(words):
    """Visible questions with a title word of `words`, newest first (the order of a partial
    index, which skips the answers)."""
    return Question.objects.visible().filter(title_has_any(words)).order_by("-created_at", "-id")


def _related_columns(questions):
    return questions.only(
        "id", "post_type", "title", "slug", "score", "answer_count", "accepted_answer"
    )


def similar_questions(*, title, limit):
    """Visible questions whose titles share the most words with `title`, for the ask page:
    at least half of its telling words (stems included on PostgreSQL), so that one word in
    common ("mein", "answer") proposes nothing."""
    words = title_words(title)
    if not words:
        return []
    return list(
        _related_columns(Question.objects.listed())
        .filter(pk__in=_titles_with_any(words))
        .annotate(matches=title_matches(words))
        .filter(matches__gte=similar_matches_needed(len(words)))
        .order_by("-matches", "-score", "-id")[:limit]
    )


def similar_matches_needed(words):
    """How many of a title's `words` another title must share to be proposed as similar."""
    return (words + 1) // 2


def _union_all(querysets):
    """The rows of several querysets, each ordered and sliced on its own, in one query.

    Django cannot slice the parts of a union on SQLite, but both databases take each part
    as a subquery of its own."""
    parts, params = [], []
    for number, queryset in enumerate(querysets):
        sql, part_params = queryset.query.sql_with_params()
        parts.append(f"SELECT * FROM ({sql}) AS part{number}")
        params.extend(part_params)
    # Where the router sends the querysets' own reads (a read replica, core/routers.py).
    with connections[querysets[0].db].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return cursor.fetchall()


def _related_candidates(question, tag_ids, words):
    """The ids of the questions worth ranking for `question`'s related questions, and which
    of them are linked to or from it, in one query of bounded parts: the links, the
    newest questions of each of its tags (from the (tag, post) index) and the newest with
    a title word in common."""
    marked = {"marker": Value(_LINKED)}
    parts = [
        PostLink.objects.filter(post=question)
        .annotate(**marked)
        .values_list("related_id", "marker"),
        PostLink.objects.filter(related=question)
        .annotate(**marked)
        .values_list("post_id", "marker"),
    ]
    tagging = Post.tags.through.objects.exclude(post_id=question.pk).annotate(
        marker=Value(_CANDIDATE)
    )
    parts += [
        tagging.filter(tag_id=tag_id)
        .order_by("-post_id")
        .values_list("post_id", "marker")[:RELATED_TAG_CANDIDATES]
        for tag_id in tag_ids
    ]
    if words:
        parts.append(
            _newest_with_any(words)
            .annotate(marker=Value(_CANDIDATE))
            .values_list("id", "marker")[:RELATED_TITLE_CANDIDATES]
        )
    rows = _union_all(parts)
    return {pk for pk, _ in rows}, {pk for pk, marker in rows if marker == _LINKED}


def related_questions(*, question):
    """Questions related to `question`: those linked to or from it first, then those sharing
    the most tags and title words, then the best scored.

    The ranking is two queries, both bounded whatever the size of the site: the candidates
    (see `_related_candidates`), then their order. As on Stack Exchange, it is worked out
    now and then rather than on every view: its ids are kept FORUM_RELATED_CACHE_SECONDS,
    and a view in between reads only those questions, so that a question deleted,
    hidden, retitled or rescored in the meantime shows as it is now. The question's tags
    come from the thread selector's prefetch.
    """
    key = f"related:{question.pk}"
    ranked = cache.get(key)
    if ranked is None:
        related = _rank_related(question)
        cache.set(
            key,
            [(related.pk, related.linked) for related in related],
            settings.FORUM_RELATED_CACHE_SECONDS,
        )
        return related
    if not ranked:
        return []
    rows = _related_columns(Question.objects.listed()).in_bulk([pk for pk, _ in ranked])
    related = []
    for pk, linked in ranked:
        if pk in rows:
            rows[pk].linked = linked
            related.append(rows[pk])
    return related


def _rank_related(question):
    """`question`'s related questions, best first, each with `linked`: whether a link
    joins it to `question`."""
    tag_ids = [tag.pk for tag in question.shown_tags]
    words = title_words(question.title)
    candidates, linked = _related_candidates(question, tag_ids, words)
    candidates.discard(question.pk)
    if not candidates:
        return []
    shared_tags = (
        Post.tags.through.objects.filter(post_id=OuterRef("pk"), tag_id__in=tag_ids)
        .values("post_id")
        .annotate(shared=Count("*"))
        .values("shared")
    )
    similarity = Coalesce(Subquery(shared_tags), 0) + (title_matches(words) if words else Value(0))
    ranking = ("-similarity", "-score", "-id")
    if linked:
        is_linked = Case(
            When(pk__in=linked, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
        ranking = (is_linked.desc(), *ranking)
    related = list(
        _related_columns(Question.objects.listed())
        .filter(pk__in=candidates)
        .alias(similarity=similarity)
        .order_by(*ranking)[:RELATED_LIMIT]
    )
    for candidate in related:
        candidate.linked = candidate.pk in linked
    return related
