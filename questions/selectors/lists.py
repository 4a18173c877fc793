"""The question lists (home page, tabs, tag pages) and the tags page: what a page of them
costs does not grow with the page number or the size of the site."""

import hashlib
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Substr
from django.utils.functional import cached_property

from questions import caching
from questions.models import ListTotal, Post, Question, Tag, attach_tags
from questions.selectors.tag_preferences import mark_viewer_tags

# Enough HTML for a ~200-character plain-text excerpt once the markup is stripped,
# without loading whole bodies for a list.
EXCERPT_SOURCE_LENGTH = 800

# Each ordering ends in the primary key so that pages are stable; the question list
# orderings match the partial indexes on Post.
QUESTION_TABS = {
    "active": ("-last_activity_at", "-id"),
    "newest": ("-created_at", "-id"),
    "votes": ("-score", "-id"),
    "unanswered": ("-created_at", "-id"),
    # Questions with an active bounty (the bounties app keeps it on the post), the latest
    # to end first: the partial index question_featured_idx, read backwards.
    "featured": ("-bounty_ends_at", "-id"),
}
DEFAULT_QUESTION_TAB = "active"

# What a row of a question list shows (includes/_question_row.html), and no more.
_LIST_COLUMNS = (
    "id",
    "post_type",
    "title",
    "slug",
    "score",
    "answer_count",
    "view_count",
    "accepted_answer",
    "bounty_amount",
    "created_at",
    "last_activity_at",
    "author_name",
    "author",
    "author__username",
    "author__display_name",
    "author__reputation",
    "author__is_moderator",
)


def question_list(*, tab, tag=None):
    """Visible questions for a list page, ordered by `tab`, optionally only those with `tag`.

    Rows carry `excerpt_source`, the start of the body's HTML, instead of whole bodies.
    """
    questions = Question.objects.listed()
    if tab == "unanswered":
        questions = questions.unanswered()
    elif tab == "featured":
        questions = questions.filter(bounty_amount__gt=0)
    if tag is not None:
        questions = questions.filter(tags=tag)
    return (
        questions.select_related("author")
        .only(*_LIST_COLUMNS)
        .annotate(excerpt_source=Substr("body_html", 1, EXCERPT_SOURCE_LENGTH))
        .order_by(*QUESTION_TABS[tab])
    )


class QuestionPaginator(Paginator):
    """Pages of a question list whose cost does not grow with the page number or the site.

    The first FORUM_LIST_OFFSET_PAGES pages are read with an OFFSET. A deeper page is read
    with a keyset seek past the last row of the page before it (every tab orders by one
    column descending, then the id descending, as its index does). That boundary is known
    when a visitor pages on from the page before; otherwise one query finds it reading only
    the ordering's two columns from the index, counting from the nearer end of the list.
    The total (from `total()`, by default a COUNT of the list) and the boundaries are
    cached under the lists' generation, so any write through the services renews them.
    """

    def __init__(self, questions, per_page, *, list_key, total=None):
        super().__init__(questions, per_page)
        self.list_key = list_key
        self.total = total or questions.count
        self.column = questions.query.order_by[0].lstrip("-")

    @cached_property
    def count(self):
        key = f"{self.list_key}:count"
        count = cache.get(key)
        if count is None:
            count = self.total()
            cache.set(key, count, settings.FORUM_LIST_CACHE_SECONDS)
        return count

    def _boundary_key(self, number):
        return f"{self.list_key}:{self.per_page}:{number}"

    def _boundary(self, number):
        key = self._boundary_key(number)
        boundary = cache.get(key)
        if boundary is None:
            # Counted from the nearer end of the list: the last pages cost as little as the first.
            before = (number - 1) * self.per_page - 1
            from_end = self.count - 1 - before
            keys = self.object_list.prefetch_related(None).values_list(self.column, "id")
            rows = (
                keys[before : before + 1]
                if before <= from_end
                else keys.reverse()[from_end : from_end + 1]
            )
            boundary = tuple(rows[0]) if rows else None
            cache.set(key, boundary, settings.FORUM_LIST_CACHE_SECONDS)
        return boundary

    def _after(self, boundary):
        if boundary is None:  # the total was a little out of date: the list ends earlier
            return self.object_list.none()
        value, pk = boundary
        return self.object_list.filter(
            Q(**{f"{self.column}__lte": value}), Q(**{f"{self.column}__lt": value}) | Q(pk__lt=pk)
        )

    def page(self, number):
        number = self.validate_number(number)
        if number <= settings.FORUM_LIST_OFFSET_PAGES:
            page = super().page(number)
        else:
            page = self._get_page(
                self._after(self._boundary(number))[: self.per_page], number, self
            )
        page.object_list = list(page.object_list)
        if number >= settings.FORUM_LIST_OFFSET_PAGES and len(page.object_list) == self.per_page:
            last = page.object_list[-1]
            cache.set(
                self._boundary_key(number + 1),
                (getattr(last, self.column), last.pk),
                settings.FORUM_LIST_CACHE_SECONDS,
            )
        return page


def question_page(*, tab, tag=None, number, page_size, viewer_tags=None, watched_only=False):
    """Page `number` of question_list(tab, tag), as Paginator.get_page reads it: a page
    number that is not one shows the first page, one past the end the last. Each
    question carries its `shown_tags`.

    For a member, `viewer_tags` (tag_preferences.viewer_tags) marks the questions in their
    watched and ignored tags, and leaves out those in ignored tags if they chose so (on a
    tag's own page, not that tag's: the member asked for it); `watched_only` lists only
    the questions in their watched tags. Those lists keep their totals and boundaries
    under keys of their own, named by the tags they keep or leave out."""
    questions = question_list(tab=tab, tag=tag)
    list_key = f"questions:{caching.generation(caching.LISTS)}:{tab}:{tag.pk if tag else ''}"
    if tab == "featured":
        total = partial(featured_count, tag)
    elif tag is None:
        total = partial(
            _stored_list_total,
            ListTotal.Name.UNANSWERED if tab == "unanswered" else ListTotal.Name.LISTED,
        )
    elif tab != "unanswered":
        total = partial(_tag_list_total, tag)
    else:
        total = None  # counted: a tag's unanswered questions are few and have no stored total
    if watched_only:
        questions = (
            questions.filter(_in_tags(viewer_tags.watched))
            if viewer_tags.watched
            else questions.none()
        )
        list_key += f":watched:{_tag_set_key(viewer_tags.watched)}"
        total = None  # counted: the list is the member's own
    hidden = _hidden_tags(viewer_tags, tag)
    if hidden:
        unwanted = questions.filter(_in_tags(hidden))
        questions = questions.exclude(_in_tags(hidden))
        list_key += f":without:{_tag_set_key(hidden)}"
        # The list's total less its questions in the hidden tags, which are as few as
        # those tags' questions: counting the rest could read the whole site.
        total = total and partial(_total_without, total, unwanted)
    paginator = QuestionPaginator(questions, page_size, list_key=list_key, total=total)
    page = paginator.get_page(number)
    attach_tags(page.object_list)
    mark_viewer_tags(page.object_list, viewer_tags)
    # For the Featured tab's count: read with the list's stored total and cached with it
    # (a list counted otherwise, a member's watched tags or a tag's unanswered questions,
    # counts it once per cache period from the partial index).
    page.featured_count = featured_count(tag)
    return page


def _in_tags(tag_ids):
    """Whether a question has one of the tags `tag_ids`: a filter that adds no rows."""
    return Exists(Post.tags.through.objects.filter(post_id=OuterRef("pk"), tag_id__in=tag_ids))


def _hidden_tags(viewer_tags, tag):
    if viewer_tags is None or not viewer_tags.hide_ignored:
        return frozenset()
    return viewer_tags.ignored - {tag.pk} if tag else viewer_tags.ignored


def _tag_set_key(tag_ids):
    """A short name for a set of tag ids, for cache keys: the lists that keep or leave out
    the same tags share their cached totals and page boundaries, whoever reads them."""
    text = ",".join(map(str, sorted(tag_ids)))
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def _total_without(total, unwanted):
    return max(total() - unwanted.count(), 0)


def list_totals_counted():
    """{list name: how many questions it holds}, counted from the questions."""
    listed = Question.objects.listed()
    return {
        ListTotal.Name.LISTED: listed.count(),
        ListTotal.Name.UNANSWERED: listed.unanswered().count(),
    }


def _featured(tag):
    """The listed questions with an active bounty (of `tag`): the few rows of the partial
    index question_featured_idx."""
    questions = Question.objects.listed().filter(bounty_amount__gt=0)
    return questions.filter(tags=tag) if tag is not None else questions


def _count_of(questions):
    """A subquery counting `questions`, to read along with another count in one query."""
    return Subquery(
        questions.order_by().annotate(counted=Func(F("pk"), function="COUNT")).values("counted"),
        output_field=IntegerField(),
    )


def _featured_key(tag):
    return f"questions:{caching.generation(caching.LISTS)}:featured:{tag.pk if tag else ''}"


def _featured_counted(tag, count):
    cache.set(_featured_key(tag), count, settings.FORUM_LIST_CACHE_SECONDS)
    return count


def featured_count(tag=None):
    """How many questions of the site's (or the tag's) list have an active bounty, for the
    Featured tab: cached under the lists' generation like the lists' totals, and read by
    the same query as the total of the tab shown (_stored_list_total, _tag_list_total), so
    that the tab's count costs the lists no query of its own."""
    count = cache.get(_featured_key(tag))
    if count is None:
        count = _featured_counted(tag, _featured(tag).count())
    return count


def _stored_list_total(name):
    """The list's total as the services keep it (a migration stores the first; `recount`
    stores it again where it is missing), or else counted."""
    row = (
        ListTotal.objects.filter(name=name)
        .annotate(featured=_count_of(_featured(None)))
        .values_list("count", "featured")
        .first()
    )
    if row is None:
        return list_totals_counted()[name]
    _featured_counted(None, row[1])
    return row[0]


def _tag_list_total(tag):
    """How many questions the tag's list holds, from the tag's stored count of its visible
    questions less the few that flags hid: counting the list itself would read every
    question of the tag, hundreds of thousands on a large site."""
    hidden, featured = (
        Tag.objects.filter(pk=tag.pk)
        .annotate(
            hidden=_count_of(Question.objects.hidden().filter(tags=tag)),
            featured=_count_of(_featured(tag)),
        )
        .values_list("hidden", "featured")
        .get()
    )
    _featured_counted(tag, featured)
    return max(tag.question_count - hidden, 0)


def tag_list():
    """Tags, most used first."""
    return Tag.objects.order_by("-question_count", "name")


# The tags page's orderings, each ending in a unique column so that pages are stable.
TAG_SORTS = {
    "popular": ("-question_count", "name"),
    "name": ("name",),
    "newest": ("-created_at", "-id"),
}
DEFAULT_TAG_SORT = "popular"


def tags_for_page(*, sort, name_filter=""):
    """Tags in `sort` order, only those whose name contains `name_filter` when it is given."""
    tags = Tag.objects.all()
    if name_filter:
        tags = tags.filter(name__contains=name_filter.lower())
    return tags.order_by(*TAG_SORTS[sort])
