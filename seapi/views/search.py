"""The search methods, through the site's own search, and similar questions."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _

from questions import search as site_search
from questions.models import Post
from questions.selectors import similar_questions
from seapi import selectors, shapes
from seapi.params import BadParameter
from seapi.quota import SEARCH_WINDOW_SECONDS, search_take
from seapi.views.method import Listing, Throttled, Total, method

# Stack Exchange's search sorts, as the site's search names them.
SEARCH_SORTS = {
    "activity": "active",
    "creation": "newest",
    "votes": "votes",
    "relevance": "relevance",
}


def _search_terms(params, query=""):
    terms = site_search.parse_query(query, max_length=settings.FORUM_SEARCH_MAX_QUERY_LENGTH)
    if title := params.get("intitle") or params.get("title"):
        terms.title.append(" ".join(title.split()))
    terms.tags.extend(params.tags("tagged"))
    terms.excluded_tags.extend(params.tags("nottagged"))
    return terms


def _searched(request, params, terms):
    """A page of the questions the site's search finds for `terms`, in the asked order;
    the search page's own limit per minute holds here too."""
    if params.order != "desc":
        raise BadParameter(_("order: searches are sorted in descending order only."))
    sort = params.get("sort") or "activity"
    if sort not in SEARCH_SORTS:
        raise BadParameter(
            _("sort: expected one of %(names)s.") % {"names": ", ".join(SEARCH_SORTS)}
        )
    searches_left = search_take(request)
    if searches_left < 0:
        raise Throttled(
            _("Too many searches from this address: at most %(limit)s a minute.")
            % {"limit": settings.FORUM_SEARCH_RATE_PER_MINUTE}
        )
    terms.post_type = Post.PostType.QUESTION
    if params.fromdate:
        terms.created_from = params.fromdate.date()
    if params.todate:
        terms.created_before = params.todate.date() + timedelta(days=1)
    results = site_search.search(
        terms,
        viewer=AnonymousUser(),
        sort=SEARCH_SORTS[sort],
        page_number=params.page,
        page_size=max(params.pagesize, 1),
    )
    page = results.page
    if params.total_only:
        return Total(page.paginator.count)
    if page.number != params.page:  # past the last page, which the search page would show
        return [], False
    ids = [post.pk for post in page.object_list][: params.pagesize]
    rows = {
        row.pk: row for row in selectors.questions(with_body=params.with_body).filter(pk__in=ids)
    }
    found = [rows[pk] for pk in ids if pk in rows]
    selectors.question_page_prepared(found)
    has_more = page.has_next() or len(page.object_list) > params.pagesize
    return Listing(
        [shapes.question(row, with_body=params.with_body) for row in found],
        has_more,
        backoff=SEARCH_WINDOW_SECONDS if searches_left == 0 else None,
    )


@method
def search(request, params):
    if not (params.get("tagged") or params.get("intitle")):
        raise BadParameter(_("tagged or intitle: one of them must be set."))
    return _searched(request, params, _search_terms(params))


@method
def search_advanced(request, params):
    terms = _search_terms(params, params.get("q", ""))
    if body := params.get("body"):
        terms.words.extend(body.split())
    if (accepted := params.boolean("accepted")) is not None:
        terms.has_accepted = accepted
    if (closed := params.boolean("closed")) is not None:
        terms.closed = closed
    if (answers := params.integer("answers")) is not None:
        terms.answers = (answers, None)
    if (views := params.integer("views")) is not None:
        terms.views = (views, None)
    if (user := params.integer("user")) is not None:
        terms.user = user
    return _searched(request, params, terms)


@method
def similar(request, params):
    title = " ".join(params.get("title", "").split())
    if not title:
        raise BadParameter(_("title: must be set."))
    limit = params.page * params.pagesize + 1
    found = similar_questions(title=title, limit=limit)
    ids = [row.pk for row in found][(params.page - 1) * params.pagesize :]
    rows = selectors.questions(with_body=params.with_body).filter(pk__in=ids[: params.pagesize])
    by_pk = {row.pk: row for row in selectors.with_tags(rows, params.tags("tagged"))}
    page = [by_pk[pk] for pk in ids[: params.pagesize] if pk in by_pk]
    selectors.question_page_prepared(page)
    return [shapes.question(row, with_body=params.with_body) for row in page], len(
        ids
    ) > params.pagesize
