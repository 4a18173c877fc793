"""The queries that build the question pages. Each page costs a fixed number of queries,
whatever the number of questions, answers and comments on it."""

import re
from functools import partial, reduce
from operator import add

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    BooleanField, Case, Count, Exists, IntegerField, Max, OuterRef, Prefetch, Q, Subquery, Value, When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, Substr
from django.http import Http404
from django.utils.functional import cached_property

from accounts.models import User
from moderation.models import CloseVote, Flag, ModeratorAction

from questions import caching
from questions.diffs import KEPT, tags_diff, text_diff
from questions.models import Answer, Comment, ListTotal, Post, PostLink, PostRevision, Question, Tag, attach_tags
from questions.permissions import can_see
from questions.search import title_has_any
from questions.voting import NO_VOTE, viewer_vote

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
}
DEFAULT_QUESTION_TAB = "active"

ANSWER_TABS = {
    "score": ("-score", "created_at", "id"),
    "newest": ("-created_at", "-id"),
    "oldest": ("created_at", "id"),
}
DEFAULT_ANSWER_TAB = "score"


def _unshown_user_fields(relation):
    """The columns of the user at `relation` that a post does not show, to defer: a post
    shows its author's name, link, reputation and moderator's diamond, not their
    password hash, e-mail address or profile text."""
    shown = {"id", "username", "display_name", "reputation", "is_moderator"}
    return tuple(f"{relation}__{field.name}" for field in User._meta.concrete_fields if field.name not in shown)


_UNSHOWN_AUTHOR_FIELDS = _unshown_user_fields("author")
_UNSHOWN_DELETER_FIELDS = _unshown_user_fields("deleted_by")


def _comments_prefetch(viewer):
    comments = (
        Comment.objects.filter(deleted_at__isnull=True)
        .select_related("author")
        .defer("body_markdown", *_UNSHOWN_AUTHOR_FIELDS)
        .order_by("created_at", "id")
    )
    if viewer.is_authenticated:
        comments = comments.annotate(viewer_flag_pending=_viewer_flag_pending(viewer, "comment"))
    return Prefetch("comments", queryset=comments, to_attr="visible_comments")


def _viewer_flag_pending(viewer, field):
    """Whether `viewer` has a pending flag on each post (or comment, by `field`), which
    the Flag link asks, as an expression."""
    if not viewer.is_authenticated:
        return Value(False, output_field=BooleanField())
    return Exists(Flag.objects.filter(reporter=viewer, status=Flag.Status.PENDING, **{field: OuterRef("pk")}))


def _attach_moderation_reasons(posts):
    """Sets `moderation_reason` on each of `posts`: for a deleted or locked one the reason
    of the latest deletion or lock in the audit log (by a moderator or the system), "" for
    the rest. One query, and only when one of them is deleted or locked: rarely."""
    removed = [post for post in posts if post.deleted_at or post.locked_at]
    reasons = {}
    if removed:
        actions = ModeratorAction.objects.filter(
            target_type__app_label="questions",
            target_type__model="post",
            target_id__in=[post.pk for post in removed],
            verb__in=[ModeratorAction.Verb.POST_DELETED, ModeratorAction.Verb.POST_LOCKED],
        ).order_by("created_at", "id")
        # Oldest first, so that the latest action of each post is the one that stays.
        reasons = dict(actions.values_list("target_id", "reason"))
    for post in posts:
        post.moderation_reason = reasons.get(post.pk, "")


def _viewer_annotations(viewer):
    """What the thread shows of `viewer`'s own votes and flags on each post. For an
    anonymous visitor these are constants: set in Python, they cost the query nothing."""
    if not viewer.is_authenticated:
        return {}
    return {"viewer_vote": viewer_vote(viewer), "viewer_flag_pending": _viewer_flag_pending(viewer, "post")}


def _set_anonymous_defaults(posts, viewer):
    if not viewer.is_authenticated:
        for post in posts:
            post.viewer_vote = NO_VOTE
            post.viewer_flag_pending = False


def _live_votes(kind):
    votes = CloseVote.objects.live().filter(question=OuterRef("pk"), kind=kind)
    return Coalesce(Subquery(votes.values("question").annotate(n=Count("*")).values("n")[:1]), Value(0))


# What a row of a question list shows (includes/_question_row.html), and no more.
_LIST_COLUMNS = (
    "id", "post_type", "title", "slug", "score", "answer_count", "view_count", "accepted_answer",
    "created_at", "last_activity_at", "author_name",
    "author", "author__username", "author__display_name", "author__reputation", "author__is_moderator",
)


def question_list(*, tab, tag=None):
    """Visible questions for a list page, ordered by `tab`, optionally only those with `tag`.

    Rows carry `excerpt_source`, the start of the body's HTML, instead of whole bodies.
    """
    questions = Question.objects.listed()
    if tab == "unanswered":
        questions = questions.unanswered()
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
            rows = keys[before : before + 1] if before <= from_end else keys.reverse()[from_end : from_end + 1]
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
            page = self._get_page(self._after(self._boundary(number))[: self.per_page], number, self)
        page.object_list = list(page.object_list)
        if number >= settings.FORUM_LIST_OFFSET_PAGES and len(page.object_list) == self.per_page:
            last = page.object_list[-1]
            cache.set(
                self._boundary_key(number + 1), (getattr(last, self.column), last.pk), settings.FORUM_LIST_CACHE_SECONDS
            )
        return page


def question_page(*, tab, tag=None, number, page_size):
    """Page `number` of question_list(tab, tag), as Paginator.get_page reads it: a page
    number that is not one shows the first page, one past the end the last. Each
    question carries its `shown_tags`."""
    list_key = f"questions:{caching.generation(caching.LISTS)}:{tab}:{tag.pk if tag else ''}"
    if tag is None:
        total = partial(_stored_list_total, ListTotal.Name.UNANSWERED if tab == "unanswered" else ListTotal.Name.LISTED)
    elif tab != "unanswered":
        total = partial(_tag_list_total, tag)
    else:
        total = None  # counted: a tag's unanswered questions are few and have no stored total
    paginator = QuestionPaginator(question_list(tab=tab, tag=tag), page_size, list_key=list_key, total=total)
    page = paginator.get_page(number)
    attach_tags(page.object_list)
    return page


def list_totals_counted():
    """{list name: how many questions it holds}, counted from the questions."""
    listed = Question.objects.listed()
    return {
        ListTotal.Name.LISTED: listed.count(),
        ListTotal.Name.UNANSWERED: listed.unanswered().count(),
    }


def _stored_list_total(name):
    """The list's total as the services keep it (a migration stores the first; `recount`
    stores it again where it is missing), or else counted."""
    count = ListTotal.objects.filter(name=name).values_list("count", flat=True).first()
    return list_totals_counted()[name] if count is None else count


def _tag_list_total(tag):
    """How many questions the tag's list holds, from the tag's stored count of its visible
    questions less the few that flags hid: counting the list itself would read every
    question of the tag, hundreds of thousands on a large site."""
    hidden = Question.objects.visible().filter(tags=tag, hidden_at__isnull=False).count()
    return max(tag.question_count - hidden, 0)


def question_for_thread(*, pk, viewer):
    """The question `pk` as `viewer` may see it, with its tags, or Http404. Its comments
    come with the answers' (thread_answers), in the same query.

    A signed-in viewer's question also carries what its menus ask: whether it has upvoted
    answers (for the author's Delete) and the live close and reopen votes. An anonymous
    visitor sees none of those menus, and the query is the cheaper for it.
    """
    questions = (
        Question.objects.seen_by(viewer)
        .select_related("author", "duplicate_of", "deleted_by")
        .defer(
            "body_markdown",
            "duplicate_of__body_markdown",
            "duplicate_of__body_html",
            *_UNSHOWN_AUTHOR_FIELDS,
            *_UNSHOWN_DELETER_FIELDS,
        )
    )
    if viewer.is_authenticated:
        questions = questions.annotate(
            has_upvoted_answers=Exists(Answer.objects.visible().filter(parent=OuterRef("pk"), score__gt=0)),
            close_vote_count=_live_votes(CloseVote.Kind.CLOSE),
            reopen_vote_count=_live_votes(CloseVote.Kind.REOPEN),
            **_viewer_annotations(viewer),
        )
    question = next(iter(questions.filter(pk=pk)[:1]), None)
    if question is None:
        raise Http404
    attach_tags([question])
    _set_anonymous_defaults([question], viewer)
    _attach_moderation_reasons([question])
    return question


def thread_answers(*, question, tab, viewer):
    """The question's answers that `viewer` may see, in `tab` order, with their comments
    and the question's (one query for all of them).

    As on Stack Exchange, the accepted answer leads the score order.
    """
    answers = (
        Answer.objects.filter(parent=question).seen_by(viewer)
        .select_related("author", "deleted_by")
        .defer("body_markdown", *_UNSHOWN_AUTHOR_FIELDS, *_UNSHOWN_DELETER_FIELDS)
        .annotate(**_viewer_annotations(viewer))
    )
    ordering = ANSWER_TABS[tab]
    if tab == "score" and question.accepted_answer_id:
        answers = answers.annotate(
            accepted_rank=Case(
                When(pk=question.accepted_answer_id, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        ordering = ("accepted_rank", *ordering)
    answers = list(answers.order_by(*ordering))
    prefetch_related_objects([question, *answers], _comments_prefetch(viewer))
    for answer in answers:
        # Permission checks ask an answer for its question; this saves a query per answer.
        answer.parent = question
    _set_anonymous_defaults(answers, viewer)
    _attach_moderation_reasons(answers)
    return answers


def post_for_viewer(*, pk, viewer):
    """The question or answer `pk`, with its question, if `viewer` may see it, or Http404."""
    post = (
        Post.objects.select_related("parent")
        .annotate(
            has_upvoted_answers=Exists(
                Answer.objects.visible().filter(parent=OuterRef("pk"), score__gt=0)
            )
        )
        .filter(pk=pk)
        .first()
    )
    if post is None or not can_see(viewer, post):
        raise Http404
    return post


def revision_history(*, post):
    """The post's revisions, newest first, each with what it changed in the one before:
    `title_diff`, `tags_diff` and `body_diff` are lists of (change, text) pieces, or None
    where the revision left that part alone. The first revision is all kept text.

    One query, however many revisions there are.
    """
    revisions = list(
        PostRevision.objects.filter(post=post)
        .select_related("author")
        .defer(*_UNSHOWN_AUTHOR_FIELDS)
        .order_by("number")
    )
    previous = None
    for revision in revisions:
        tags = revision.tags.split()
        if previous is None:
            revision.title_diff = [(KEPT, revision.title)] if revision.title else None
            revision.tags_diff = [(KEPT, name) for name in tags] or None
            revision.body_diff = [(KEPT, revision.body_markdown)]
        else:
            old_tags = previous.tags.split()
            revision.title_diff = (
                text_diff(previous.title, revision.title) if revision.title != previous.title else None
            )
            revision.tags_diff = tags_diff(old_tags, tags) if set(tags) != set(old_tags) else None
            revision.body_diff = (
                text_diff(previous.body_markdown, revision.body_markdown)
                if revision.body_markdown != previous.body_markdown
                else None
            )
        previous = revision
    revisions.reverse()
    return revisions


def question_for_permalink(*, pk, viewer):
    """Just enough of the question `pk` to build its URL, if `viewer` may see it, or Http404."""
    question = Question.objects.seen_by(viewer).only("id", "post_type", "slug").filter(pk=pk).first()
    if question is None:
        raise Http404
    return question


def answer_for_permalink(*, pk, viewer):
    """The answer `pk` with what its URL needs, if `viewer` may see it and its question,
    or Http404."""
    answer = (
        Answer.objects.seen_by(viewer)
        .filter(pk=pk, parent__in=Question.objects.seen_by(viewer))
        .select_related("parent")
        .only("id", "post_type", "parent__id", "parent__post_type", "parent__slug")
        .first()
    )
    if answer is None:
        raise Http404
    return answer


def tag_list():
    """Tags, most used first."""
    return Tag.objects.order_by("-question_count", "name")


def user_questions(*, user, limit):
    """The user's visible questions, best first, for their profile."""
    return list(
        Question.objects.visible()
        .filter(author=user)
        .only("id", "post_type", "title", "slug", "score", "answer_count", "accepted_answer", "created_at")
        .order_by("-score", "-created_at")[:limit]
    )


def user_answers(*, user, limit):
    """The user's visible answers on visible questions, best first, with the question's title."""
    return list(
        Answer.objects.visible()
        .filter(author=user, parent__deleted_at__isnull=True)
        .select_related("parent")
        .only(
            "id", "post_type", "score", "created_at",
            "parent__id", "parent__post_type", "parent__title", "parent__slug", "parent__accepted_answer",
        )
        .order_by("-score", "-created_at")[:limit]
    )


def user_post_counts(*, user):
    """How many visible questions and answers the user has written, in one query.

    Answers on deleted questions do not count. The deleted questions come from a small
    partial index and the user's posts from a covering one, so no row of the user's posts
    is read from the table, however many they wrote."""
    deleted_questions = Question.objects.filter(deleted_at__isnull=False).values("pk")
    return Post.objects.visible().filter(author=user).aggregate(
        # Counting a column the index lacks (such as the id) would read every row.
        questions=Count("post_type", filter=Q(post_type=Post.PostType.QUESTION)),
        answers=Count("post_type", filter=Q(post_type=Post.PostType.ANSWER) & ~Q(parent__in=deleted_questions)),
    )


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


# Similarity by title words: words of three letters or more, without the commonest words
# of the two languages the site speaks, which would match nearly every title.
_WORD = re.compile(r"\w{3,}")
_COMMON_WORDS = frozenset(
    """
    the and for are but not you all any can had has have her his how its may new now
    our out own she was who why what when where which with this that than then them they
    there their these those from into does doing about would could should will your
    der die das den dem des und oder aber ist sind war ein eine einen einem einer eines
    mit von für auf aus bei nach wie was wer warum wann wo ich sie wir ihr man kann
    können soll sollte nicht auch noch nur sich zum zur über unter dass wenn als hat haben
    """.split()
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


def _title_matches(words):
    """How many of `words` a title contains, as an expression."""
    return reduce(
        add,
        (Case(When(title__icontains=word, then=Value(1)), default=Value(0)) for word in words),
    )


def _titles_with_any(words):
    """The newest questions whose titles contain one of `words`: a bounded candidate set."""
    return _newest_with_any(words).values("pk")[:SIMILAR_CANDIDATES]


def _newest_with_any(words):
    """Visible questions with a title word of `words`, newest first (the order of a partial
    index, which skips the answers)."""
    return Question.objects.visible().filter(title_has_any(words)).order_by("-created_at", "-id")


def _related_columns(questions):
    return questions.only("id", "post_type", "title", "slug", "score", "answer_count", "accepted_answer")


def similar_questions(*, title, limit):
    """Visible questions whose titles share the most words with `title`, for the ask page."""
    words = title_words(title)
    if not words:
        return []
    return list(
        _related_columns(Question.objects.listed())
        .filter(pk__in=_titles_with_any(words))
        .annotate(matches=_title_matches(words))
        .order_by("-matches", "-score", "-id")[:limit]
    )


def _union_all(querysets):
    """The rows of several querysets, each ordered and sliced on its own, in one query.

    Django cannot slice the parts of a union on SQLite, but both databases take each part
    as a subquery of its own."""
    parts, params = [], []
    for number, queryset in enumerate(querysets):
        sql, part_params = queryset.query.sql_with_params()
        parts.append(f"SELECT * FROM ({sql}) AS part{number}")
        params.extend(part_params)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return cursor.fetchall()


def _related_candidates(question, tag_ids, words):
    """The ids of the questions worth ranking for `question`'s related questions, and which
    of them are linked to or from it, in one query of bounded parts: the links, the
    newest questions of each of its tags (from the (tag, post) index) and the newest with
    a title word in common."""
    marked = {"marker": Value(_LINKED)}
    parts = [
        PostLink.objects.filter(post=question).annotate(**marked).values_list("related_id", "marker"),
        PostLink.objects.filter(related=question).annotate(**marked).values_list("post_id", "marker"),
    ]
    tagging = Post.tags.through.objects.exclude(post_id=question.pk).annotate(marker=Value(_CANDIDATE))
    parts += [
        tagging.filter(tag_id=tag_id).order_by("-post_id").values_list("post_id", "marker")[:RELATED_TAG_CANDIDATES]
        for tag_id in tag_ids
    ]
    if words:
        parts.append(
            _newest_with_any(words).annotate(marker=Value(_CANDIDATE)).values_list("id", "marker")[
                :RELATED_TITLE_CANDIDATES
            ]
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
        cache.set(key, [(related.pk, related.linked) for related in related], settings.FORUM_RELATED_CACHE_SECONDS)
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
    similarity = Coalesce(Subquery(shared_tags), 0) + (_title_matches(words) if words else Value(0))
    ranking = ("-similarity", "-score", "-id")
    if linked:
        is_linked = Case(When(pk__in=linked, then=Value(1)), default=Value(0), output_field=IntegerField())
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


def feed_questions(*, tag=None, limit):
    """The newest listed questions (with `tag`, if given), with their tags, for a feed."""
    questions = Question.objects.listed()
    if tag is not None:
        questions = questions.filter(tags=tag)
    questions = list(questions.defer("body_markdown").order_by("-created_at", "-id")[:limit])
    attach_tags(questions)
    return questions


def visible_question(*, pk):
    """The question `pk` unless it is deleted, or Http404: what feeds may show."""
    question = Question.objects.visible().defer("body_markdown").filter(pk=pk).first()
    if question is None:
        raise Http404
    return question


def feed_answers(*, question, limit):
    """The question's newest visible answers, for its feed."""
    answers = list(
        Answer.objects.visible().filter(parent=question).defer("body_markdown").order_by("-created_at", "-id")[:limit]
    )
    for answer in answers:
        # Entries link into the thread; this saves a query per answer.
        answer.parent = question
    return answers


def sitemap_questions():
    """What the sitemap needs of the visible questions, oldest first, for stable pages."""
    return Question.objects.visible().only("id", "post_type", "slug", "last_activity_at").order_by("id")


def sitemap_questions_last_activity():
    return Question.objects.visible().aggregate(latest=Max("last_activity_at"))["latest"]


def sitemap_tags():
    """Tags that have questions: the others' pages are empty."""
    return Tag.objects.filter(question_count__gt=0).only("id", "name").order_by("name")
