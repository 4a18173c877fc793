"""What Stack Exchange's methods read: the rows any visitor may see, by the rules of the
lists (`Post.objects.listed()`: not deleted, not hidden by flags; answers and comments
only where their question is listed; comments not deleted), with the columns the answer
writes and no more. A page of any method costs a fixed number of queries, whatever its
size: the owners come with their posts, the tags in one query for the page."""

from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.functions import Coalesce, NullIf

from accounts.models import User
from questions.models import Answer, Comment, Post, Question, Tag, attach_tags

_OWNER_COLUMNS = (
    "author_name",
    "author",
    "author__id",
    "author__username",
    "author__display_name",
    "author__reputation",
    "author__is_moderator",
)
_POST_COLUMNS = (
    "id",
    "post_type",
    "score",
    "created_at",
    "last_activity_at",
    "last_edited_at",
    "licence",
    *_OWNER_COLUMNS,
)
_QUESTION_COLUMNS = (
    *_POST_COLUMNS,
    "title",
    "slug",
    "answer_count",
    "view_count",
    "accepted_answer",
    "closed_at",
    "close_reason",
)
# What an answer's link and is_accepted need of its question.
_PARENT_COLUMNS = ("parent", "parent__id", "parent__post_type", "parent__slug")
_ANSWER_COLUMNS = (*_POST_COLUMNS, *_PARENT_COLUMNS, "parent__accepted_answer")
_USER_COLUMNS = (
    "id",
    "username",
    "display_name",
    "reputation",
    "is_moderator",
    "is_staff",
    "date_joined",
    "last_seen_at",
    "location",
    "website",
    "badges_gold",
    "badges_silver",
    "badges_bronze",
)


def _body(columns, with_body, body="body_html"):
    return (*columns, body) if with_body else columns


def listed_answers():
    """Listed answers whose questions are listed too."""
    return Answer.objects.listed().filter(
        parent__deleted_at__isnull=True, parent__hidden_at__isnull=True
    )


def _on_listed_question(parent):
    """Whether the post whose parent is at `parent` is a question, or answers a listed one:
    a join to the parent by its primary key, which the planner can follow row by row."""
    return Q(**{f"{parent}__isnull": True}) | Q(
        **{f"{parent}__deleted_at__isnull": True, f"{parent}__hidden_at__isnull": True}
    )


def _listed_posts():
    """Listed questions, and listed answers of listed questions."""
    return Post.objects.listed().filter(_on_listed_question("parent"))


def questions(*, with_body=False):
    """Listed questions with their owners. What a page of them says about their answers
    comes after, in one query for the page (question_page_prepared): as annotations,
    PostgreSQL's planner would hash every answer of the site for each page."""
    return (
        Question.objects.listed()
        .select_related("author")
        .only(*_body(_QUESTION_COLUMNS, with_body))
    )


def unanswered(rows):
    """Questions with neither an accepted nor an upvoted answer."""
    return rows.exclude(
        Exists(Answer.objects.listed().filter(parent=OuterRef("pk"), score__gt=0))
    ).exclude(Exists(Answer.objects.listed().filter(pk=OuterRef("accepted_answer_id"))))


def with_accepted_answer(rows):
    """Questions whose accepted answer anyone may see."""
    return rows.filter(
        accepted_answer__isnull=False,
        accepted_answer__deleted_at__isnull=True,
        accepted_answer__hidden_at__isnull=True,
    )


def with_tags(rows, names):
    """Questions that have every one of the tags `names`."""
    for name in names:
        rows = rows.filter(
            Exists(Post.tags.through.objects.filter(post_id=OuterRef("pk"), tag__name=name))
        )
    return rows


def answers(*, with_body=False):
    return (
        listed_answers().select_related("author", "parent").only(*_body(_ANSWER_COLUMNS, with_body))
    )


def posts(*, with_body=False):
    return (
        _listed_posts()
        .select_related("author", "parent")
        .only(*_body((*_POST_COLUMNS, "title", "slug", *_PARENT_COLUMNS), with_body))
    )


def comments(*, with_body=False):
    return (
        Comment.objects.visible()
        .filter(post__deleted_at__isnull=True, post__hidden_at__isnull=True)
        .filter(_on_listed_question("post__parent"))
        .select_related("author")
        .only(
            *_body(
                ("id", "post", "score", "created_at", "edited_at", "licence", *_OWNER_COLUMNS),
                with_body,
            )
        )
    )


def users(*, with_body=False):
    """Members, as the users page lists them; `shown_name` is the name they go by."""
    return User.objects.only(*_body(_USER_COLUMNS, with_body, "about_html")).annotate(
        shown_name=Coalesce(NullIf(F("display_name"), Value("")), F("username"))
    )


def tags():
    return Tag.objects.only("id", "name", "question_count")


def page_rows(rows, *, page, pagesize):
    """The page's rows, and whether there are more after them: one row more is read
    instead of counting the rest."""
    start = (page - 1) * pagesize
    found = list(rows[start : start + pagesize + 1])
    return found[:pagesize], len(found) > pagesize


def ordered(rows, sort, *, order, low, high):
    """`rows` in the order of `sort` (its column, then the id, the same way), within its
    min= and max=."""
    if low is not None:
        rows = rows.filter(**{f"{sort.column}__gte": low})
    if high is not None:
        rows = rows.filter(**{f"{sort.column}__lte": high})
    sign = "-" if order == "desc" else ""
    return rows.order_by(f"{sign}{sort.column}", f"{sign}pk")


def question_page_prepared(rows):
    """Gives a page of questions their tags, and says of each whether its accepted answer
    is one anyone may see (`accepted_shown`, else its id is not given) and whether it has
    an upvoted answer (`has_upvoted_answer`): two queries for the page."""
    attach_tags(rows)
    ids = [row.pk for row in rows]
    accepted = [row.accepted_answer_id for row in rows if row.accepted_answer_id]
    found = (
        Answer.objects.listed()
        .filter(Q(parent_id__in=ids, score__gt=0) | Q(pk__in=accepted))
        .values_list("pk", "parent_id", "score")
        if ids
        else []
    )
    shown, upvoted = set(), set()
    for pk, parent_id, score in found:
        shown.add(pk)
        if score > 0:
            upvoted.add(parent_id)
    for row in rows:
        row.accepted_shown = row.accepted_answer_id in shown
        row.has_upvoted_answer = row.pk in upvoted
    return rows
