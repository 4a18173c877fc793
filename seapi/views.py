"""Stack Exchange's API 2.3, its read methods, for the clients written against it: each
method answers with Stack Exchange's wrapper object (`items`, `has_more`, the quota) or
its error object. Every method reads as an anonymous visitor: `key` and `access_token`
are accepted and give no more than anyone may see."""

from datetime import timedelta
from functools import wraps
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.gzip import gzip_page

from accounts.models import User
from questions import search as site_search
from questions.models import ListTotal, Post, Vote
from questions.selectors import list_totals_counted, similar_questions
from seapi import selectors, shapes
from seapi.params import BadParameter, Params, Sort, ids_vector, tag_vector
from seapi.quota import SEARCH_WINDOW_SECONDS, quota_take, search_take

POST_SORTS = {
    "activity": Sort("last_activity_at", "date"),
    "creation": Sort("created_at", "date"),
    "votes": Sort("score", "number"),
}
COMMENT_SORTS = {"creation": Sort("created_at", "date"), "votes": Sort("score", "number")}
USER_SORTS = {
    "reputation": Sort("reputation", "number"),
    "creation": Sort("date_joined", "date"),
    "name": Sort("shown_name", "text"),
}
TAG_SORTS = {"popular": Sort("question_count", "number"), "name": Sort("name", "text")}
# Stack Exchange's search sorts, as the site's search names them.
SEARCH_SORTS = {
    "activity": "active",
    "creation": "newest",
    "votes": "votes",
    "relevance": "relevance",
}
INFO_CACHE_SECONDS = 300
API_REVISION = "2.3"


class Listing(NamedTuple):
    """A page of items; `backoff`, the seconds a client should wait before it calls the
    method again (Stack Exchange's field), when the next call would be refused."""

    items: list
    has_more: bool
    backoff: int | None = None


class Total(int):
    """How many items a method has in all, for filter=total, instead of a page of them."""


class Throttled(Exception):
    """The visitor has used up the minute's searches (the day's quota is the wrapper's)."""


def _error(error_id, name, message, *, status):
    return JsonResponse(
        {"error_id": error_id, "error_name": name, "error_message": message}, status=status
    )


def _throttled(message):
    # Stack Exchange's own status is 400; 429 says the same to HTTP clients and proxies,
    # and Stack Exchange's clients read the error object either way.
    return _error(502, "throttle_violation", message, status=429)


def method(view):
    """A read method: counts the request against the quota, reads the shared parameters,
    and turns what `view` returns, `(items, has_more)`, into the wrapper object (or a
    `Total`, for filter=total, into Stack Exchange's total object)."""

    @csrf_exempt  # nothing changes: every method is a read, and no cookie is read either
    @gzip_page
    @wraps(view)
    def answer(request, **kwargs):
        if request.method not in {"GET", "HEAD"}:
            response = _error(
                404, "no_method", _("This API has read methods only, asked with GET."), status=405
            )
            response["Allow"] = "GET, HEAD"
            return response
        quota = quota_take(request)
        if quota.exhausted:
            return _throttled(
                _("Too many requests from this address: the quota of %(quota)s a day is used up.")
                % {"quota": quota.maximum}
            )
        try:
            params = Params(request.GET)
            result = view(request, params, **kwargs)
        except BadParameter as error:
            return _error(400, "bad_parameter", str(error), status=400)
        except Throttled as error:
            return _throttled(str(error))
        if isinstance(result, Total):
            return JsonResponse({"total": result})
        listing = Listing(*result)
        if params.total_only:  # sites and info, whole; similar, as far as its page reads
            return JsonResponse({"total": len(listing.items)})
        wrapper = {
            "items": listing.items,
            "has_more": listing.has_more,
            "quota_max": quota.maximum,
            "quota_remaining": quota.remaining,
            "page": params.page,
            "pagesize": params.pagesize,
        }
        if listing.backoff:
            wrapper["backoff"] = listing.backoff
        return JsonResponse(wrapper)

    return answer


@csrf_exempt
@gzip_page
def no_method(request, path=""):
    return _error(404, "no_method", _("No method found with this name."), status=404)


def _listing(params, rows, shape, sorts, default_sort, *, prepare=None, date_column="created_at"):
    """A page of `rows` in the asked order, within fromdate= and todate= (on
    `date_column`), each written by `shape`."""
    sort, low, high = params.sort(sorts, default_sort)
    if date_column and params.fromdate:
        rows = rows.filter(**{f"{date_column}__gte": params.fromdate})
    if date_column and params.todate:
        rows = rows.filter(**{f"{date_column}__lte": params.todate})
    rows = selectors.ordered(rows, sort, order=params.order, low=low, high=high)
    if params.total_only:
        return Total(rows.count())
    found, has_more = selectors.page_rows(rows, page=params.page, pagesize=params.pagesize)
    if prepare:
        prepare(found)
    return [shape(row, with_body=params.with_body) for row in found], has_more


def _questions(params, rows):
    rows = selectors.with_tags(rows, params.tags("tagged"))
    return _listing(
        params,
        rows,
        shapes.question,
        POST_SORTS,
        "activity",
        prepare=selectors.question_page_prepared,
    )


def _answers(params, rows):
    return _listing(params, rows, shapes.answer, POST_SORTS, "activity")


def _comments(params, rows):
    return _listing(params, rows, shapes.comment, COMMENT_SORTS, "creation")


def _users(params, rows):
    if name := params.get("inname"):
        rows = rows.filter(Q(display_name__icontains=name) | Q(username__icontains=name))
    return _listing(params, rows, shapes.user, USER_SORTS, "reputation", date_column="date_joined")


def _tags(params, rows):
    if name := params.get("inname"):
        rows = rows.filter(name__contains=name.lower())
    return _listing(params, rows, shapes.tag, TAG_SORTS, "popular", date_column=None)


# Sites and info


@method
def sites(request, params):
    return [shapes.site()], False


def _info_counted():
    totals = dict(ListTotal.objects.values_list("name", "count"))
    if len(totals) < len(ListTotal.Name):
        totals = list_totals_counted()
    questions = selectors.questions()
    day_ago = timezone.now() - timedelta(days=1)
    users = User.objects.aggregate(
        total=Count("pk"),
        new=Count("pk", filter=Q(date_joined__gte=day_ago)),
        badges=Sum("badges_gold") + Sum("badges_silver") + Sum("badges_bronze"),
    )
    answers = selectors.listed_answers().aggregate(
        total=Count("pk"), recent=Count("pk", filter=Q(created_at__gte=day_ago))
    )
    return {
        "total_questions": totals[ListTotal.Name.LISTED],
        "total_unanswered": totals[ListTotal.Name.UNANSWERED],
        "total_accepted": selectors.with_accepted_answer(questions).count(),
        "total_answers": answers["total"],
        "total_comments": selectors.comments().count(),
        "total_votes": Vote.objects.count(),
        "total_badges": users["badges"] or 0,
        "total_users": users["total"],
        "new_active_users": users["new"],
        "questions_per_minute": round(
            questions.filter(created_at__gte=day_ago).count() / (24 * 60), 2
        ),
        "answers_per_minute": round(answers["recent"] / (24 * 60), 2),
        "badges_per_minute": 0,
        "api_revision": API_REVISION,
    }


@method
def info(request, params):
    # Counting the whole site is slow on a large one; Stack Exchange's figures lag too.
    figures = cache.get_or_set("seapi:info", _info_counted, INFO_CACHE_SECONDS)
    return [{**figures, "site": shapes.site()}], False


# Questions


@method
def questions(request, params):
    return _questions(params, selectors.questions(with_body=params.with_body))


@method
def questions_unanswered(request, params):
    return _questions(params, selectors.unanswered(selectors.questions(with_body=params.with_body)))


@method
def questions_no_answers(request, params):
    return _questions(params, selectors.questions(with_body=params.with_body).unanswered())


@method
def questions_featured(request, params):
    rows = selectors.questions(with_body=params.with_body).filter(
        bounty_amount__gt=0, bounty_ends_at__gt=timezone.now()
    )
    return _questions(params, rows)


@method
def questions_by_ids(request, params, ids):
    rows = selectors.questions(with_body=params.with_body).filter(pk__in=ids_vector(ids))
    return _questions(params, rows)


@method
def question_answers(request, params, ids):
    rows = selectors.answers(with_body=params.with_body).filter(parent_id__in=ids_vector(ids))
    return _answers(params, rows)


@method
def question_comments(request, params, ids):
    rows = selectors.comments(with_body=params.with_body).filter(
        post_id__in=ids_vector(ids), post__post_type=Post.PostType.QUESTION
    )
    return _comments(params, rows)


# Answers


@method
def answers(request, params):
    return _answers(params, selectors.answers(with_body=params.with_body))


@method
def answers_by_ids(request, params, ids):
    rows = selectors.answers(with_body=params.with_body).filter(pk__in=ids_vector(ids))
    return _answers(params, rows)


@method
def answer_comments(request, params, ids):
    rows = selectors.comments(with_body=params.with_body).filter(
        post_id__in=ids_vector(ids), post__post_type=Post.PostType.ANSWER
    )
    return _comments(params, rows)


@method
def answer_questions(request, params, ids):
    parents = selectors.listed_answers().filter(pk__in=ids_vector(ids)).values("parent_id")
    rows = selectors.questions(with_body=params.with_body).filter(pk__in=parents)
    return _questions(params, rows)


# Comments and posts


@method
def comments(request, params):
    return _comments(params, selectors.comments(with_body=params.with_body))


@method
def comments_by_ids(request, params, ids):
    rows = selectors.comments(with_body=params.with_body).filter(pk__in=ids_vector(ids))
    return _comments(params, rows)


@method
def posts(request, params):
    return _listing(
        params, selectors.posts(with_body=params.with_body), shapes.post, POST_SORTS, "activity"
    )


@method
def posts_by_ids(request, params, ids):
    rows = selectors.posts(with_body=params.with_body).filter(pk__in=ids_vector(ids))
    return _listing(params, rows, shapes.post, POST_SORTS, "activity")


@method
def post_comments(request, params, ids):
    rows = selectors.comments(with_body=params.with_body).filter(post_id__in=ids_vector(ids))
    return _comments(params, rows)


# Users


@method
def users(request, params):
    return _users(params, selectors.users(with_body=params.with_body))


@method
def users_by_ids(request, params, ids):
    rows = selectors.users(with_body=params.with_body).filter(pk__in=ids_vector(ids))
    return _users(params, rows)


@method
def user_questions(request, params, ids):
    rows = selectors.questions(with_body=params.with_body).filter(author_id__in=ids_vector(ids))
    return _questions(params, rows)


@method
def user_answers(request, params, ids):
    rows = selectors.answers(with_body=params.with_body).filter(author_id__in=ids_vector(ids))
    return _answers(params, rows)


@method
def user_comments(request, params, ids):
    rows = selectors.comments(with_body=params.with_body).filter(author_id__in=ids_vector(ids))
    return _comments(params, rows)


# Tags


@method
def tags(request, params):
    return _tags(params, selectors.tags())


@method
def tags_info(request, params, names):
    return _tags(params, selectors.tags().filter(name__in=tag_vector(names)))


# Search


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
