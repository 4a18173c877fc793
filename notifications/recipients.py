"""Who hears of what: the followers of a post, the watchers of a question's tags, the
people a comment mentions. Large groups are read in batches by user id, so a post with
a hundred thousand followers never holds them all in memory at once."""

from django.conf import settings

from accounts.roles import is_suspended
from core import throttling
from notifications.models import EmailSettings, Follow
from questions import mentions
from questions.models import Post
from questions.selectors.tag_preferences import watcher_ids


def _in_batches(queryset, column):
    """The values of `column` (an id, ascending) in the rows of `queryset`, read a batch
    at a time by keyset."""
    size = settings.FORUM_NOTIFICATION_BATCH
    last = 0
    while True:
        batch = list(
            queryset.filter(**{f"{column}__gt": last})
            .order_by(column)
            .values_list(column, flat=True)[:size]
        )
        yield from batch
        if len(batch) < size:
            return
        last = batch[-1]


def follower_ids(post_id):
    return _in_batches(Follow.objects.filter(post_id=post_id), "user_id")


def audience_ids(post):
    """The post's author, who hears of answers, comments and edits whether they follow it
    or not (imported posts have no follows), then its followers."""
    if post.author_id:
        yield post.author_id
    yield from follower_ids(post.pk)


def tag_watcher_ids(question_id):
    """The members who watch one of the question's tags (and ignore none of them) and
    want such questions in their inbox, each once."""
    tag_ids = Post.tags.through.objects.filter(post_id=question_id).values_list("tag_id", flat=True)
    for batch in watcher_ids(list(tag_ids)):
        yield from EmailSettings.objects.filter(
            user_id__in=batch, inbox_watched_tags=True
        ).values_list("user_id", flat=True)


def mentioned_ids(comment):
    """The ids of the people `comment` mentions and may notify: nobody when its author is
    suspended, and nobody the author has mentioned FORUM_MENTIONS_PER_HOUR times within
    the hour already."""
    author = comment.author
    if author is None or is_suspended(author):
        return set()
    people = mentions.mentioned_users(post=comment.post, text=comment.body_markdown, author=author)
    allowed = set()
    for user in people.values():
        made = throttling.count("mention", f"{author.pk}:{user.pk}", window=3600)
        if made <= settings.FORUM_MENTIONS_PER_HOUR:
            allowed.add(user.pk)
    return allowed
