"""A page of rows as a method lists them: the sorts each kind of row offers, the date
range, and the rows written as Stack Exchange's objects."""

from django.db.models import Q

from seapi import selectors, shapes
from seapi.params import Sort
from seapi.views.method import Total

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


def listing(params, rows, shape, sorts, default_sort, *, prepare=None, date_column="created_at"):
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


def questions_page(params, rows):
    rows = selectors.with_tags(rows, params.tags("tagged"))
    return listing(
        params,
        rows,
        shapes.question,
        POST_SORTS,
        "activity",
        prepare=selectors.question_page_prepared,
    )


def answers_page(params, rows):
    return listing(params, rows, shapes.answer, POST_SORTS, "activity")


def comments_page(params, rows):
    return listing(params, rows, shapes.comment, COMMENT_SORTS, "creation")


def users_page(params, rows):
    if name := params.get("inname"):
        rows = rows.filter(Q(display_name__icontains=name) | Q(username__icontains=name))
    return listing(params, rows, shapes.user, USER_SORTS, "reputation", date_column="date_joined")


def tags_page(params, rows):
    if name := params.get("inname"):
        rows = rows.filter(name__contains=name.lower())
    return listing(params, rows, shapes.tag, TAG_SORTS, "popular", date_column=None)
