"""From `SearchTerms` to one page of results: which posts the viewer may find, the
operators as filters, the text through the database's backend, the order and the page.

A text search takes the newest FORUM_SEARCH_CANDIDATES matches (one query that PostgreSQL
answers from the GIN or the date index), then ranks and sorts only those in Python: a word
as common as "the" can match most of the site.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, time

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from questions.models import Post, attach_tags
from questions.search import postgres, sqlite
from questions.search.snippets import snippet

RESULTS_PER_PAGE = 15
SORTS = ("relevance", "newest", "votes", "active")
_ORDERINGS = {
    "newest": ("-created_at", "-id"),
    "votes": ("-score", "-id"),
    "active": ("-last_activity_at", "-id"),
}
# Candidates are (pk, rank, score, created_at, last_activity_at); each order ends in the
# newest first, as the candidates came.
_CANDIDATE_ORDER = {
    "relevance": lambda c: (-c[1], -c[3].timestamp(), -c[0]),
    "newest": lambda c: (-c[3].timestamp(), -c[0]),
    "votes": lambda c: (-c[2], -c[0]),
    "active": lambda c: (-c[4].timestamp(), -c[0]),
}


@dataclass
class SearchResults:
    page: object  # a Page of posts, each with `snippet` and `shown_tags`
    sort: str
    sorts: tuple
    notes: list[str]
    # True when the text matched more posts than are ranked: the newest ones are shown.
    capped: bool


def _backend():
    return postgres if connection.vendor == "postgresql" else sqlite


def title_has_any(words):
    """Whether a post's title holds one of `words` (runs of letters, digits and `_`), as a
    filter; on PostgreSQL by the search index, stems included."""
    return _backend().title_has_any(words)


def title_matches(words):
    """How many of `words` (runs of letters, digits and `_`) a post's title holds, as an
    expression; on PostgreSQL by the title's lexemes, stems included."""
    return _backend().title_matches(words)


def search(terms, *, viewer, sort, page_number, page_size=RESULTS_PER_PAGE):
    """One page of the posts `viewer` may find that match `terms`, in `sort` order, of
    `page_size` posts (the search page's own, unless another surface asks for its own).

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
            posts.annotate(rank=_backend().rank(terms))
            .order_by("-created_at", "-id")
            .values_list("pk", "rank", "score", "created_at", "last_activity_at")[:limit]
        )
        capped = len(candidates) == limit
        candidates.sort(key=_CANDIDATE_ORDER[sort])
        page = Paginator(candidates, page_size).get_page(page_number)
        ids = [candidate[0] for candidate in page.object_list]
        rows = _rows(Post.objects.filter(pk__in=ids), terms) if ids else []
        by_pk = {post.pk: post for post in rows}
        page.object_list = [by_pk[pk] for pk in ids]
    else:
        rows = _rows(posts, terms).order_by(*_ORDERINGS[sort])
        page = Paginator(rows, page_size).get_page(page_number)
        page.object_list = list(page.object_list)
    attach_tags(page.object_list)
    for post in page.object_list:
        post.snippet = snippet(post, terms)
    return SearchResults(page=page, sort=sort, sorts=sorts, notes=notes, capped=capped)


def _findable(terms, *, viewer):
    """The posts a search may find, None if the viewer must log in first. Listed posts
    (answers only on listed questions), so that flags hide a question and its answers
    from search as from the lists; with deleted:yes, the deleted posts the viewer may see
    instead (a moderator all of them, a member their own)."""
    if terms.deleted:
        if not viewer.is_authenticated:
            return None
        return Post.objects.seen_by(viewer).filter(deleted_at__isnull=False)
    # One IN on the question (an answer's parent, or the question itself) rather than an
    # OR of questions and answers: PostgreSQL joins an IN, but under an OR it would read
    # every listed post on every search.
    return (
        Post.objects.listed()
        .alias(question_id=Coalesce("parent_id", "pk"))
        .filter(question_id__in=Post.objects.listed())
    )


def _post_types(terms):
    """The post types the operators allow: some describe only questions, or only answers,
    as on Stack Exchange."""
    types = {Post.PostType.QUESTION, Post.PostType.ANSWER}
    if terms.post_type:
        types &= {terms.post_type}
    if terms.answers or terms.views or terms.has_accepted is not None or terms.closed is not None:
        types &= {Post.PostType.QUESTION}
    if terms.is_accepted is not None or terms.in_question:
        types &= {Post.PostType.ANSWER}
    return types


def _filtered(terms, *, viewer, notes):
    """The posts `viewer` may find that match every term; `notes` gets why none can."""
    posts = _findable(terms, viewer=viewer)
    if posts is None:
        notes.append(_("Log in to search deleted posts: your own, or all of them as a moderator."))
        return Post.objects.none()
    types = _post_types(terms)
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
        posts = posts.filter(created_at__gte=_midnight(terms.created_from))
    if terms.created_before:
        posts = posts.filter(created_at__lt=_midnight(terms.created_before))
    if terms.in_question:
        posts = posts.filter(parent_id=terms.in_question)
    for name in terms.tags:
        posts = posts.filter(_tagged(name))
    for name in terms.excluded_tags:
        posts = posts.filter(~_tagged(name))
    return _backend().text_filtered(posts, terms)


def _midnight(day):
    return datetime.combine(day, time.min, tzinfo=UTC)


def _tagged(name):
    """Whether a question, or an answer's question, has the tag."""
    return Exists(
        Post.tags.through.objects.filter(
            post_id=Coalesce(OuterRef("parent_id"), OuterRef("pk")), tag__name=name
        )
    )


def _rows(posts, terms):
    """The columns a result shows."""
    rows = posts.select_related("author", "parent").defer(
        "body_markdown",
        "author__about_markdown",
        "author__about_html",
        "parent__body_markdown",
        "parent__body_html",
    )
    if terms.has_text and _backend() is postgres:
        # PostgreSQL cuts the snippet's passage by stems; elsewhere it is cut from body_html.
        rows = rows.defer("body_html").annotate(headline=postgres.headline(terms))
    return rows
