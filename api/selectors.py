"""The API's own queries, where no page has one to reuse: each a fixed number of
queries, built on the models' rules of who may see what (`seen_by`, `listed`)."""

from django.db.models import Exists, Max, OuterRef, Q
from django.http import Http404

from accounts.models import User
from accounts.roles import is_moderator
from badges.models import Badge
from questions.models import Comment, Post, PostRevision, Tag

_OWNER_COLUMNS = (
    "author_name",
    "author__id",
    "author__username",
    "author__display_name",
    "author__reputation",
    "author__is_moderator",
)


def tagged_all(names):
    """Filters for questions that have every tag in `names`; none adds rows."""
    return [
        Exists(Post.tags.through.objects.filter(post_id=OuterRef("pk"), tag__name=name))
        for name in names
    ]


def post_comments(*, post, viewer):
    """The comments on `post` that `viewer` may see, oldest first, with their authors."""
    return (
        Comment.objects.seen_by(viewer)
        .filter(post=post)
        .select_related("author")
        .only(
            "id",
            "post_id",
            "body_html",
            "score",
            "created_at",
            "edited_at",
            "deleted_at",
            *_OWNER_COLUMNS,
        )
        .order_by("created_at", "id")
    )


def comment_with_author(*, comment):
    return Comment.objects.select_related("author").get(pk=comment.pk)


def users():
    """Active members, for a list ordered by reputation."""
    return User.objects.filter(is_active=True).only(
        "id",
        "username",
        "display_name",
        "reputation",
        "is_moderator",
        "date_joined",
        "badges_gold",
        "badges_silver",
        "badges_bronze",
    )


def user_posts(*, user, viewer):
    """`user`'s questions and answers that `viewer` may see (an answer only where its
    question may be seen too), each with what shows its question's title."""
    posts = Post.objects.seen_by(viewer).filter(author=user)
    if not is_moderator(viewer):
        question_seen = Q(parent__isnull=True) | Q(parent__deleted_at__isnull=True)
        if viewer.is_authenticated:
            question_seen |= Q(parent__author=viewer)
        posts = posts.filter(question_seen)
    return posts.select_related("author", "parent").only(
        "id",
        "post_type",
        "title",
        "slug",
        "score",
        "created_at",
        "parent__id",
        "parent__post_type",
        "parent__title",
        "parent__slug",
        *_OWNER_COLUMNS,
    )


def badges():
    return Badge.objects.all()


def tags():
    return Tag.objects.only("id", "name", "question_count", "excerpt")


def active_user(*, pk):
    user = User.objects.filter(pk=pk, is_active=True).defer("password", "about_markdown").first()
    if user is None:
        raise Http404
    return user


def post_with_author(*, post):
    """`post` again with its author and its question's acceptance, for its representation."""
    return (
        Post.objects.select_related("author", "parent")
        .defer("body_markdown", "parent__body_markdown", "parent__body_html")
        .get(pk=post.pk)
    )


def revision_number(*, post):
    """The number of the post's latest revision (None for a post without any)."""
    return PostRevision.objects.filter(post=post).aggregate(number=Max("number"))["number"]


def tag_names(*, question):
    return list(question.tags.order_by("name").values_list("name", flat=True))
