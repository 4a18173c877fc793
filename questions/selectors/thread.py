"""The thread page: its question, answers and comments as the viewer may see them, a post's
revision history, and the permalinks. The thread costs a fixed number of queries, whatever
the number of answers and comments on it."""

import hashlib

from django.core.cache import cache
from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Value,
    When,
    prefetch_related_objects,
)
from django.http import Http404

from accounts.models import User
from accounts.roles import is_moderator
from core.markdown import render_posts
from questions.diffs import KEPT, tags_diff, text_diff
from questions.models import (
    Answer,
    Bookmark,
    Comment,
    Post,
    PostRevision,
    Question,
    attach_tags,
)
from questions.permissions import can_see, can_see_comment
from questions.voting import NO_VOTE, viewer_comment_vote, viewer_vote

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
    # The author card shows the member's badges per class (counts the badges app keeps).
    shown |= {"badges_gold", "badges_silver", "badges_bronze"}
    # And their picture (accounts/avatars.py).
    shown |= {"avatar_kind", "avatar_key"}
    return tuple(
        f"{relation}__{field.name}"
        for field in User._meta.concrete_fields
        if field.name not in shown
    )


_UNSHOWN_AUTHOR_FIELDS = _unshown_user_fields("author")
_UNSHOWN_DELETER_FIELDS = _unshown_user_fields("deleted_by")


class ThreadAddition:
    """What an app above questions adds to the rows of the thread page. questions may not
    import those apps, so each registers an instance with `thread_addition_register` in
    its AppConfig.ready(). The annotations join the thread's own queries: they cost no
    query of their own."""

    def question_annotations(self, viewer):
        """{name: expression} for the question's row, besides its post_annotations."""
        return {}

    def post_annotations(self, viewer):
        """{name: expression} for the rows of the question and of each answer."""
        return {}

    def comment_annotations(self, viewer):
        """{name: expression} for the row of each comment."""
        return {}

    def attach(self, posts):
        """Sets on the loaded `posts` (the question, or the answers) what else they show."""


_additions = []


def thread_addition_register(addition):
    _additions.append(addition)


def _added(annotations, viewer):
    """The annotations named `annotations` ("post_annotations" …) of every addition."""
    added = {}
    for addition in _additions:
        added.update(getattr(addition, annotations)(viewer))
    return added


def _attach_added(posts):
    for addition in _additions:
        addition.attach(posts)


def _comments_prefetch(viewer):
    """The comments of the thread's posts as `viewer` may see them (deleted ones only for
    moderators, with who deleted them), oldest first, with the viewer's upvote of each
    (`viewer_voted`) and what the apps above add, all in one query."""
    comments = Comment.objects.seen_by(viewer).select_related("author")
    # A member's own comments offer their text to edit for a few minutes; a visitor's
    # page needs only the HTML.
    unshown = _UNSHOWN_AUTHOR_FIELDS
    if viewer.is_authenticated:
        comments = comments.annotate(viewer_voted=viewer_comment_vote(viewer))
    else:
        unshown += ("body_markdown",)
    if is_moderator(viewer):
        comments = comments.select_related("deleted_by")
        unshown += _UNSHOWN_DELETER_FIELDS
    comments = (
        comments.defer(*unshown)
        .annotate(**_added("comment_annotations", viewer))
        .order_by("created_at", "id")
    )
    return Prefetch("comments", queryset=comments, to_attr="visible_comments")


def _viewer_vote(viewer):
    """The viewer's own vote on each post. For an anonymous visitor it is a constant:
    set in Python (_set_no_vote), it costs the query nothing."""
    return {"viewer_vote": viewer_vote(viewer)} if viewer.is_authenticated else {}


def _set_no_vote(posts, viewer):
    if not viewer.is_authenticated:
        for post in posts:
            post.viewer_vote = NO_VOTE


def question_for_thread(*, pk, viewer):
    """The question `pk` as `viewer` may see it, with its tags, or Http404. Its comments
    come with the answers' (thread_answers), in the same query.

    A signed-in viewer's question also carries what its menus ask: whether it has upvoted
    answers (for the author's Delete), whether the viewer saved it (`viewer_saved`, for
    the Save button), and what the apps above add (ThreadAddition), such as the live close
    and reopen votes. An anonymous visitor sees none of those menus, and the query is the
    cheaper for it.
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
            has_upvoted_answers=Exists(
                Answer.objects.visible().filter(parent=OuterRef("pk"), score__gt=0)
            ),
            viewer_saved=Exists(Bookmark.objects.filter(user=viewer, question=OuterRef("pk"))),
            **_viewer_vote(viewer),
        )
    questions = questions.annotate(
        **_added("question_annotations", viewer), **_added("post_annotations", viewer)
    )
    question = next(iter(questions.filter(pk=pk)[:1]), None)
    if question is None:
        raise Http404
    attach_tags([question])
    _set_no_vote([question], viewer)
    _attach_added([question])
    return question


def thread_answers(*, question, tab, viewer):
    """The question's answers that `viewer` may see, in `tab` order, with their comments
    and the question's (one query for all of them).

    As on Stack Exchange, the accepted answer leads the score order.
    """
    answers = (
        Answer.objects.filter(parent=question)
        .seen_by(viewer)
        .select_related("author", "deleted_by")
        .defer("body_markdown", *_UNSHOWN_AUTHOR_FIELDS, *_UNSHOWN_DELETER_FIELDS)
        .annotate(**_viewer_vote(viewer), **_added("post_annotations", viewer))
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
    _set_no_vote(answers, viewer)
    _attach_added(answers)
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


def comment_for_viewer(*, pk, viewer):
    """The comment `pk` with its post and question, if `viewer` may see it (a deleted one:
    the moderators), or Http404."""
    comment = (
        Comment.objects.select_related("post", "post__parent")
        .defer(
            "post__body_markdown",
            "post__body_html",
            "post__parent__body_markdown",
            "post__parent__body_html",
        )
        .filter(pk=pk)
        .first()
    )
    if comment is None or not can_see_comment(viewer, comment):
        raise Http404
    return comment


def revision_history(*, post):
    """The post's revisions, newest first, each with what it changed in the one before:
    `title_diff`, `tags_diff` and `body_diff` are lists of (change, text) pieces, or None
    where the revision left that part alone. The first revision is all kept text.
    `body_rendered` is the revision's own Markdown rendered as a post is today.

    One query, however many revisions there are (and one more for the titles behind bare
    links to questions, if a revision not rendered in the last hour has one).
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
                text_diff(previous.title, revision.title)
                if revision.title != previous.title
                else None
            )
            revision.tags_diff = tags_diff(old_tags, tags) if set(tags) != set(old_tags) else None
            revision.body_diff = (
                text_diff(previous.body_markdown, revision.body_markdown)
                if revision.body_markdown != previous.body_markdown
                else None
            )
        previous = revision
    rendered = revisions_rendered(revision.body_markdown for revision in revisions)
    for revision, html in zip(revisions, rendered, strict=True):
        revision.body_rendered = html
    revisions.reverse()
    return revisions


# A revision's text never changes, so its rendering is kept a while: a revisions page
# renders each text once an hour at most, however often it is read (Pygments makes a
# text with code cost milliseconds). Titles behind bare links may be an hour old.
REVISION_HTML_SECONDS = 3600


def revisions_rendered(markdown_sources):
    """Each text rendered as render_posts renders it (one look-up for all their bare
    links' titles), from the cache where it was rendered in the last hour."""
    sources = list(markdown_sources)
    keys = {
        source: "revision-html:" + hashlib.sha256(source.encode()).hexdigest() for source in sources
    }
    cached = cache.get_many(set(keys.values()))
    missing = [source for source in dict.fromkeys(sources) if keys[source] not in cached]
    if missing:
        fresh = dict(zip(missing, render_posts(missing), strict=True))
        cache.set_many(
            {keys[source]: html for source, html in fresh.items()}, REVISION_HTML_SECONDS
        )
        cached.update({keys[source]: html for source, html in fresh.items()})
    return [cached[keys[source]] for source in sources]


def question_for_permalink(*, pk, viewer):
    """Just enough of the question `pk` to build its URL, if `viewer` may see it, or Http404."""
    question = (
        Question.objects.seen_by(viewer).only("id", "post_type", "slug").filter(pk=pk).first()
    )
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
