"""Search: the parser of Stack Exchange's query syntax and the query builder behind /search/.

`parse_query` turns what a visitor typed into `SearchTerms`, plain data that never touches
the database; `search` turns terms into one page of results.

Where the index lives, and why there
On PostgreSQL every post has a `search_vector` tsvector (title weight A, tags B, body C),
GIN-indexed. Migration 0004 adds the column and the index only when it runs on PostgreSQL;
it is not a field of `Post`. As a field it would be loaded by every query of posts (lists,
threads, the importer) for nothing, and Django's SearchVectorField and GinIndex do not
migrate on SQLite. A separate model would keep it out of Post's rows too, but needs a model
for a table that exists only on PostgreSQL and a join on every search. So the column is
named in SQL in this module and nowhere else, in top-level queries only, where the post
table is known by its own name. On SQLite there is no index: the same terms match with
icontains, which is plenty for a development database.

`search_index_update` writes the vector in one UPDATE from the row as stored, its tags and
the text-search configuration (FORUM_SEARCH_CONFIG, which settings choose from
FORUM_LANGUAGE). The services call it after every create and edit (a rollback is an edit)
and the importer after each batch. It is not a trigger: tags arrive in another table after
the post, and the configuration is a setting. After changing FORUM_LANGUAGE, rebuild the
index with `manage.py shell -c "from questions.search import search_index_update;
search_index_update()"`. Deletion leaves the vector alone: searches skip deleted posts, unless
they ask for them with deleted:yes (moderators all of them, members their own).

Ranking
A word as common as "the" can match most of the site. A text search therefore takes the
newest FORUM_SEARCH_CANDIDATES matches (one query that PostgreSQL answers from the GIN or
the date index), and ranks and sorts only those, with ts_rank_cd, in Python. The visitor's
words reach PostgreSQL only as parameters of plainto_tsquery and phraseto_tsquery, never as
tsquery syntax.
"""

import html
import re
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, time, timedelta
from functools import reduce
from operator import or_

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import BooleanField, Case, Exists, F, FloatField, OuterRef, Q, TextField, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.text import clean_text
from questions.models import TAG_NAME_PATTERN, Post, attach_tags
from questions.permissions import deleted_posts_visible

RESULTS_PER_PAGE = 15
SORTS = ("relevance", "newest", "votes", "active")
_ORDERINGS = {
    "newest": ("-created_at", "-id"),
    "votes": ("-score", "-id"),
    "active": ("-last_activity_at", "-id"),
}
SNIPPET_LENGTH = 240
# Characters before the first match that a snippet keeps, so the match reads in context.
SNIPPET_LEAD = 60
# ts_headline reads at most this much of a body: long posts must not slow a results page.
HEADLINE_SOURCE_LENGTH = 20_000
# Private-use characters mark the highlighted words in ts_headline's output; they are
# removed from the text first, so a post cannot fake a highlight.
_MARK_START, _MARK_STOP = "\ue000", "\ue001"

_TAG_NAME = re.compile(TAG_NAME_PATTERN)
_TOKEN = re.compile(
    r"""
    (?P<negated>-)?
    (?:
        "(?P<phrase>[^"]*)"?                       # an unclosed quote runs to the end
      | \[(?P<tag>[^\[\]\s]+)\]
      | (?P<operator>[a-z]+):(?:"(?P<quoted>[^"]*)"?|(?P<value>\S*))
      | (?P<word>\S+)
    )
    """,
    re.VERBOSE | re.IGNORECASE,
)
_NUMBER = re.compile(r"-?\d{1,9}")
_DAY = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_YES = {"yes", "true", "1", "ja"}
_NO = {"no", "false", "0", "nein"}
_POST_TYPES = {
    "question": Post.PostType.QUESTION,
    "q": Post.PostType.QUESTION,
    "answer": Post.PostType.ANSWER,
    "a": Post.PostType.ANSWER,
}


@dataclass
class SearchTerms:
    """A parsed query. Numeric bounds are (at least, at most) pairs, either end None;
    `created_from` and `created_before` are the first day in and the first day past."""

    # The query as read: cleaned of control characters, and cut if it was too long.
    query: str = ""
    words: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    title: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    excluded_tags: list[str] = field(default_factory=list)
    user: int | str | None = None
    score: tuple | None = None
    answers: tuple | None = None
    views: tuple | None = None
    is_accepted: bool | None = None
    has_accepted: bool | None = None
    post_type: int | None = None
    closed: bool | None = None
    deleted: bool | None = None
    created_from: date | None = None
    created_before: date | None = None
    in_question: int | None = None
    # What the visitor should know about how the query was read: translated sentences.
    notes: list[str] = field(default_factory=list)
    truncated: bool = False

    @property
    def has_text(self):
        """Whether anything must match the posts' text (exclusions alone only filter)."""
        return bool(self.words or self.phrases or self.title)

    @property
    def is_empty(self):
        """Whether there is nothing to search for (an empty query, or one of notes only)."""
        return all(
            getattr(self, each.name) in (None, [])
            for each in fields(self)
            if each.name not in {"query", "notes", "truncated"}
        )


def parse_query(text, *, max_length):
    """Reads a query in Stack Exchange's syntax. Never fails: what cannot be read becomes
    a note, and unknown operators are searched as words."""
    terms = SearchTerms()
    text = clean_text(text or "")
    if len(text) > max_length:
        text = text[:max_length]
        terms.truncated = True
    terms.query = text
    for match in _TOKEN.finditer(text):
        _read_token(terms, match)
    return terms


def _read_token(terms, match):
    negated = bool(match["negated"])
    if match["phrase"] is not None:
        phrase = " ".join(match["phrase"].split())
        if phrase:
            (terms.excluded if negated else terms.phrases).append(phrase)
    elif match["tag"] is not None:
        name = match["tag"].lower()
        if _TAG_NAME.match(name):
            (terms.excluded_tags if negated else terms.tags).append(name)
        else:
            terms.notes.append(_("“[%(tag)s]” cannot be a tag name and was ignored.") % {"tag": name})
    elif match["operator"] is not None and match["operator"].lower() in _OPERATORS:
        name = match["operator"].lower()
        value = match["quoted"] if match["quoted"] is not None else match["value"]
        if negated:
            terms.notes.append(_("Operators cannot be excluded: “-%(name)s:” was ignored.") % {"name": name})
        elif not _OPERATORS[name](terms, value.strip()):
            terms.notes.append(
                _("“%(name)s:%(value)s” is not a valid value for %(name)s: and was ignored.")
                % {"name": name, "value": value}
            )
    else:
        word = match[0].removeprefix("-") if negated else match[0]
        if match["operator"] is not None and match["value"] and not match["value"].startswith("//"):
            terms.notes.append(
                _("“%(name)s:” is not a search operator; “%(word)s” was searched as words.")
                % {"name": match["operator"], "word": word}
            )
        if word:
            (terms.excluded if negated else terms.words).append(word)


def _integer(value, *, minimum=None):
    if not _NUMBER.fullmatch(value):
        return None
    number = int(value)
    return None if minimum is not None and number < minimum else number


def _bounds(value, *, minimum=None):
    """"N" (at least N), "N..M", "N.." or "..M" as (at least, at most), or None."""
    low, dots, high = value.partition("..")
    if not dots:
        number = _integer(value, minimum=minimum)
        return None if number is None else (number, None)
    ends = [None if not end else _integer(end, minimum=minimum) for end in (low, high)]
    if (low and ends[0] is None) or (high and ends[1] is None) or ends == [None, None]:
        return None
    return tuple(ends)


def _yes_no(value):
    value = value.lower()
    return True if value in _YES else False if value in _NO else None


def _period(value):
    """A year, month or day as (first day, first day after), or None."""
    match = _DAY.fullmatch(value)
    if not match:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        start = date(year, month or 1, day or 1)
        if day:
            return start, start + timedelta(days=1)
        if month:
            return start, date(year + month // 12, month % 12 + 1, 1)
        return start, date(year + 1, 1, 1)
    except (ValueError, OverflowError):
        return None


def _read_user(terms, value):
    if value.lower() == "me":
        terms.user = "me"
        return True
    terms.user = _integer(value, minimum=1)
    return terms.user is not None


def _read_bounds(name, *, minimum=None):
    def read(terms, value):
        bounds = _bounds(value, minimum=minimum)
        setattr(terms, name, bounds)
        return bounds is not None

    return read


def _read_yes_no(name):
    def read(terms, value):
        answer = _yes_no(value)
        setattr(terms, name, answer)
        return answer is not None

    return read


def _read_post_type(terms, value):
    terms.post_type = _POST_TYPES.get(value.lower())
    return terms.post_type is not None


def _read_title(terms, value):
    text = " ".join(value.split())
    if text:
        terms.title.append(text)
    return bool(text)


def _read_created(terms, value):
    low, dots, high = value.partition("..")
    if not dots:
        period = _period(value)
        if period is None:
            return False
        terms.created_from, terms.created_before = period
        return True
    start = _period(low) if low else None
    end = _period(high) if high else None
    if (low and start is None) or (high and end is None) or not (low or high):
        return False
    terms.created_from = start[0] if start else None
    terms.created_before = end[1] if end else None
    return True


def _read_in_question(terms, value):
    terms.in_question = _integer(value, minimum=1)
    return terms.in_question is not None


_OPERATORS = {
    "user": _read_user,
    "score": _read_bounds("score"),
    "answers": _read_bounds("answers", minimum=0),
    "views": _read_bounds("views", minimum=0),
    "isaccepted": _read_yes_no("is_accepted"),
    "hasaccepted": _read_yes_no("has_accepted"),
    "closed": _read_yes_no("closed"),
    "deleted": _read_yes_no("deleted"),
    "is": _read_post_type,
    "title": _read_title,
    "created": _read_created,
    "inquestion": _read_in_question,
}

# Building the query


@dataclass
class SearchResults:
    page: object  # a Page of posts, each with `snippet` and `shown_tags`
    sort: str
    sorts: tuple
    notes: list[str]
    # True when the text matched more posts than are ranked: the newest ones are shown.
    capped: bool


def search(terms, *, viewer, sort, page_number):
    """One page of the visible posts that match `terms`, in `sort` order.

    Costs three queries (the matches, the page's rows, their tags), whatever the number
    of results.
    """
    notes = list(terms.notes)
    sorts = SORTS if terms.has_text else SORTS[1:]
    if sort not in sorts:
        sort = sorts[0]
    posts = _filtered(terms, viewer=viewer, notes=notes)
    capped = False
    if terms.has_text:
        limit = settings.FORUM_SEARCH_CANDIDATES
        candidates = list(
            posts.annotate(rank=_rank(terms))
            .order_by("-created_at", "-id")
            .values_list("pk", "rank", "score", "created_at", "last_activity_at")[:limit]
        )
        capped = len(candidates) == limit
        candidates.sort(key=_CANDIDATE_ORDER[sort])
        page = Paginator(candidates, RESULTS_PER_PAGE).get_page(page_number)
        ids = [candidate[0] for candidate in page.object_list]
        rows = {post.pk: post for post in _rows(Post.objects.filter(pk__in=ids), terms)} if ids else {}
        page.object_list = [rows[pk] for pk in ids]
    else:
        page = Paginator(_rows(posts, terms).order_by(*_ORDERINGS[sort]), RESULTS_PER_PAGE).get_page(page_number)
        page.object_list = list(page.object_list)
    attach_tags(page.object_list)
    for post in page.object_list:
        post.snippet = _snippet(post, terms)
    return SearchResults(page=page, sort=sort, sorts=sorts, notes=notes, capped=capped)


# Candidates are (pk, rank, score, created_at, last_activity_at); each order ends in the
# newest first, as the candidates came.
_CANDIDATE_ORDER = {
    "relevance": lambda c: (-c[1], -c[3].timestamp(), -c[0]),
    "newest": lambda c: (-c[3].timestamp(), -c[0]),
    "votes": lambda c: (-c[2], -c[0]),
    "active": lambda c: (-c[4].timestamp(), -c[0]),
}


def _filtered(terms, *, viewer, notes):
    """Visible posts (answers only on visible questions) that match every term. Questions
    that flags hid from the lists, and their answers, are not found either. With
    deleted:yes, the deleted posts the viewer may see instead."""
    if terms.deleted:
        visible = deleted_posts_visible(viewer)
        if visible is None:
            notes.append(_("Log in to search deleted posts: your own, or all of them as a moderator."))
            return Post.objects.none()
        posts = Post.objects.filter(visible, deleted_at__isnull=False)
    else:
        posts = Post.objects.visible().filter(
            Q(post_type=Post.PostType.QUESTION, hidden_at__isnull=True)
            | Q(post_type=Post.PostType.ANSWER, parent__deleted_at__isnull=True, parent__hidden_at__isnull=True)
        )
    types = {Post.PostType.QUESTION, Post.PostType.ANSWER}
    if terms.post_type:
        types &= {terms.post_type}
    # These operators describe only questions, or only answers, as on Stack Exchange.
    if terms.answers or terms.views or terms.has_accepted is not None or terms.closed is not None:
        types &= {Post.PostType.QUESTION}
    if terms.is_accepted is not None or terms.in_question:
        types &= {Post.PostType.ANSWER}
    if not types:
        notes.append(_("No post can be both a question and an answer."))
        return posts.none()
    posts = posts.filter(post_type__in=types)

    if terms.user == "me":
        if not viewer.is_authenticated:
            notes.append(_("Log in to search your own posts with user:me."))
            return posts.none()
        posts = posts.filter(author=viewer)
    elif terms.user:
        posts = posts.filter(author_id=terms.user)
    for name, column in (("score", "score"), ("answers", "answer_count"), ("views", "view_count")):
        if bounds := getattr(terms, name):
            low, high = bounds
            if low is not None:
                posts = posts.filter(**{f"{column}__gte": low})
            if high is not None:
                posts = posts.filter(**{f"{column}__lte": high})
    if terms.is_accepted is not None:
        accepted = Q(parent__accepted_answer=F("pk"))
        posts = posts.filter(accepted if terms.is_accepted else ~accepted)
    if terms.has_accepted is not None:
        posts = posts.filter(accepted_answer__isnull=not terms.has_accepted)
    if terms.closed is not None:
        posts = posts.filter(closed_at__isnull=not terms.closed)
    if terms.created_from:
        posts = posts.filter(created_at__gte=datetime.combine(terms.created_from, time.min, tzinfo=UTC))
    if terms.created_before:
        posts = posts.filter(created_at__lt=datetime.combine(terms.created_before, time.min, tzinfo=UTC))
    if terms.in_question:
        posts = posts.filter(parent_id=terms.in_question)
    for name in terms.tags:
        posts = posts.filter(_tagged(name))
    for name in terms.excluded_tags:
        posts = posts.filter(~_tagged(name))
    return _text_filtered(posts, terms)


def _tagged(name):
    """Whether a question, or an answer's question, has the tag."""
    return Exists(
        Post.tags.through.objects.filter(
            post_id=Coalesce(OuterRef("parent_id"), OuterRef("pk")), tag__name=name
        )
    )


def _is_postgresql():
    return connection.vendor == "postgresql"


def _positive_texts(terms):
    return [*terms.words, *terms.phrases, *terms.title]


# PostgreSQL: the stored vector


def _vector():
    return f"{connection.ops.quote_name(Post._meta.db_table)}.search_vector"


def _tsquery(terms):
    """The SQL and parameters of a tsquery that needs every positive term."""
    config = settings.FORUM_SEARCH_CONFIG
    parts, params = [], []
    for word in terms.words:
        parts.append("plainto_tsquery(%s::regconfig, %s)")
        params += [config, word]
    for phrase in [*terms.phrases, *terms.title]:
        parts.append("phraseto_tsquery(%s::regconfig, %s)")
        params += [config, phrase]
    return "(" + " && ".join(parts) + ")", params


def _text_filtered(posts, terms):
    if _is_postgresql():
        return _text_filtered_postgresql(posts, terms)
    return _text_filtered_sqlite(posts, terms)


def _text_filtered_postgresql(posts, terms):
    config = settings.FORUM_SEARCH_CONFIG
    vector = _vector()
    if terms.has_text:
        sql, params = _tsquery(terms)
        posts = posts.filter(RawSQL(f"{vector} @@ {sql}", params, output_field=BooleanField()))
    for text in terms.title:
        # The index finds the posts; only the title's lexemes (weight A) decide.
        posts = posts.filter(
            RawSQL(
                f"ts_filter({vector}, '{{a}}') @@ phraseto_tsquery(%s::regconfig, %s)",
                [config, text],
                output_field=BooleanField(),
            )
        )
    for text in terms.excluded:
        # A post without a vector has no text that could be excluded.
        posts = posts.filter(
            RawSQL(
                f"NOT coalesce({vector} @@ phraseto_tsquery(%s::regconfig, %s), false)",
                [config, text],
                output_field=BooleanField(),
            )
        )
    return posts


def _rank(terms):
    if not _is_postgresql():
        return _rank_sqlite(terms)
    sql, params = _tsquery(terms)
    return RawSQL(f"ts_rank_cd({_vector()}, {sql})", params, output_field=FloatField())


def _headline(terms):
    """The body as plain text, cut to the passages that match, the matches marked."""
    sql, params = _tsquery(terms)
    table = connection.ops.quote_name(Post._meta.db_table)
    plain = (
        f"translate(regexp_replace(left({table}.body_html, %s), '<[^>]*>', ' ', 'g'), %s, '')"
    )
    options = (
        f"StartSel={_MARK_START}, StopSel={_MARK_STOP}, MaxWords=28, MinWords=12, "
        'MaxFragments=2, FragmentDelimiter=" … "'
    )
    return RawSQL(
        f"ts_headline(%s::regconfig, {plain}, {sql}, %s)",
        [settings.FORUM_SEARCH_CONFIG, HEADLINE_SOURCE_LENGTH, _MARK_START + _MARK_STOP, *params, options],
        output_field=TextField(),
    )


def search_index_update(*, post_ids=None):
    """Recomputes the stored search vector of the posts `post_ids` (all posts if None).

    Nothing to do on SQLite, which has no index."""
    if not _is_postgresql():
        return
    if post_ids is not None and not post_ids:
        return
    post_table = connection.ops.quote_name(Post._meta.db_table)
    through = Post.tags.through
    through_table = connection.ops.quote_name(through._meta.db_table)
    tag_table = connection.ops.quote_name(through._meta.get_field("tag").related_model._meta.db_table)
    config = settings.FORUM_SEARCH_CONFIG
    sql = f"""
        UPDATE {post_table} AS post SET search_vector =
            setweight(to_tsvector(%s::regconfig, post.title), 'A')
            || setweight(to_tsvector(%s::regconfig, coalesce((
                SELECT string_agg(tag.name, ' ') FROM {through_table} AS post_tag
                JOIN {tag_table} AS tag ON tag.id = post_tag.tag_id
                WHERE post_tag.post_id = post.id), '')), 'B')
            || setweight(to_tsvector(%s::regconfig, post.body_html), 'C')
    """
    params = [config, config, config]
    if post_ids is not None:
        sql += " WHERE post.id = ANY(%s)"
        params.append(list(post_ids))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def title_has_any(words):
    """Whether a post's title holds one of `words` (runs of letters, digits and `_`), as a
    filter. On PostgreSQL the search index finds the posts and the title's lexemes (weight
    A) decide, so that "verbs" finds "verb" and a rare word costs no scan of every title."""
    if not _is_postgresql():
        return reduce(or_, (Q(title__icontains=word) for word in words))
    query = " | ".join(f"{word}:A" for word in words)
    return RawSQL(
        f"{_vector()} @@ to_tsquery(%s::regconfig, %s)",
        [settings.FORUM_SEARCH_CONFIG, query],
        output_field=BooleanField(),
    )


# SQLite: icontains


def _contains(text):
    """Whether the post's title, Markdown or (for a question) tags contain `text`."""
    return (
        Q(title__icontains=text)
        | Q(body_markdown__icontains=text)
        | Exists(Post.tags.through.objects.filter(post_id=OuterRef("pk"), tag__name__icontains=text))
    )


def _text_filtered_sqlite(posts, terms):
    for text in [*terms.words, *terms.phrases]:
        posts = posts.filter(_contains(text))
    for text in terms.title:
        posts = posts.filter(title__icontains=text)
    for text in terms.excluded:
        posts = posts.exclude(Q(title__icontains=text) | Q(body_markdown__icontains=text))
    return posts


def _rank_sqlite(terms):
    """A term in the title counts three times as much as one in the body."""
    rank = Value(0)
    for text in _positive_texts(terms):
        rank = rank + Case(When(title__icontains=text, then=Value(3)), default=Value(0))
        rank = rank + Case(When(body_markdown__icontains=text, then=Value(1)), default=Value(0))
    return rank


# The page's rows


def _rows(posts, terms):
    rows = posts.select_related("author", "parent").defer(
        "body_markdown",
        "author__about_markdown",
        "author__about_html",
        "parent__body_markdown",
        "parent__body_html",
    )
    if terms.has_text and _is_postgresql():
        rows = rows.defer("body_html").annotate(headline=_headline(terms))
    return rows


def _snippet(post, terms):
    """Escaped HTML: a passage of the post's text with the matching words in <mark>."""
    if hasattr(post, "headline"):
        pieces = re.split(f"({_MARK_START}[^{_MARK_STOP}]*{_MARK_STOP})", post.headline)
        return mark_safe(
            "".join(
                f"<mark>{escape(html.unescape(piece[1:-1]))}</mark>"
                if piece.startswith(_MARK_START)
                else escape(html.unescape(piece))
                for piece in pieces
            )
        )
    text = " ".join(html.unescape(strip_tags(post.body_html)).split())
    needles = sorted(set(_positive_texts(terms)), key=len, reverse=True)
    if not needles:
        return _highlighted(_clip(text, 0), None)
    pattern = re.compile("|".join(re.escape(needle) for needle in needles), re.IGNORECASE)
    first = pattern.search(text)
    start = max(0, first.start() - SNIPPET_LEAD) if first else 0
    return _highlighted(_clip(text, start), pattern)


def _clip(text, start):
    """SNIPPET_LENGTH characters from `start`, cut at word boundaries, with ellipses."""
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + SNIPPET_LEAD else start
    end = start + SNIPPET_LENGTH
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return ("… " if start else "") + text[start:end] + (" …" if end < len(text) else "")


def _highlighted(text, pattern):
    if pattern is None:
        return escape(text)
    pieces, position = [], 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[position : match.start()]))
        pieces.append(f"<mark>{escape(match[0])}</mark>")
        position = match.end()
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces))
