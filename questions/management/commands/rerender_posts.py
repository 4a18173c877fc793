from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from core.markdown import render_comment, render_post
from questions.caching import pages_changed
from questions.mentions import mention_links
from questions.models import Comment, Post, PostRevision, Tag, TagRevision

BATCH_SIZE = 500
# What the dialect may render differently in a comment: a bare URL or a tag link. Comments
# without them keep their HTML, and their mentions need no new look-up.
COMMENT_DIALECT = Q(body_markdown__contains="http") | Q(body_markdown__contains="tag:")


def _rendered_here():
    """The posts whose HTML our pipeline rendered: an imported post shows the Body Stack
    Exchange rendered (questions/importers/stackexchange/html.py) until it is edited here,
    which leaves a revision of our own (one without a source URL)."""
    edited_here = PostRevision.objects.filter(post=OuterRef("pk"), source_url="")
    return Post.objects.filter(Q(source_url="") | Exists(edited_here))


def _tags_rendered_here():
    """The tags whose wiki our pipeline rendered: those edited here (a revision without a
    source URL). An imported tag not edited since shows Stack Exchange's HTML."""
    return Tag.objects.filter(Exists(TagRevision.objects.filter(tag=OuterRef("pk"), source_url="")))


def _batches(queryset, fields):
    """The rows of `queryset` in primary-key order, a batch at a time (keyset paging)."""
    last = 0
    while True:
        batch = list(queryset.filter(pk__gt=last).order_by("pk").only("pk", *fields)[:BATCH_SIZE])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


class Command(BaseCommand):
    help = (
        "Renders every post's stored HTML again from its Markdown (except imported posts "
        "not edited here, which show Stack Exchange's HTML), and the comments whose "
        "Markdown holds a URL or a tag link, and the tag wikis edited here, after a change "
        "to the Markdown pipeline "
        "(core/markdown.py); only rows whose HTML changes are written, in batches of "
        f"{BATCH_SIZE}, and the anonymous page cache of their threads is renewed."
    )

    def handle(self, *args, **options):
        posts = self._posts()
        comments = self._comments()
        tags = self._tags()
        pages_changed()
        self.stdout.write(
            f"Rendered again: {posts} posts and {comments} comments changed; "
            f"{tags} tag wikis changed."
        )

    def _posts(self):
        changed = 0
        fields = ("body_markdown", "body_html", "parent_id")
        for batch in _batches(_rendered_here(), fields):
            fresh = []
            for post in batch:
                html = render_post(post.body_markdown)
                if html != post.body_html:
                    post.body_html = html
                    fresh.append(post)
            self._save(Post, fresh, (post.parent_id or post.pk for post in fresh))
            changed += len(fresh)
        return changed

    def _comments(self):
        changed = 0
        comments = Comment.objects.filter(COMMENT_DIALECT).select_related("post", "author")
        fields = ("body_markdown", "body_html", "post", "author")
        for batch in _batches(comments, fields):
            fresh = []
            for comment in batch:
                links = mention_links(
                    post=comment.post, text=comment.body_markdown, author=comment.author
                )
                html = render_comment(comment.body_markdown, mentions=links)
                if html != comment.body_html:
                    comment.body_html = html
                    fresh.append(comment)
            threads = (comment.post.parent_id or comment.post_id for comment in fresh)
            self._save(Comment, fresh, threads)
            changed += len(fresh)
        return changed

    def _tags(self):
        changed = 0
        for batch in _batches(_tags_rendered_here(), ("wiki_markdown", "wiki_html")):
            fresh = []
            for tag in batch:
                html = render_post(tag.wiki_markdown)
                if html != tag.wiki_html:
                    tag.wiki_html = html
                    fresh.append(tag)
            Tag.objects.bulk_update(fresh, ["wiki_html"])
            changed += len(fresh)
        return changed

    def _save(self, model, rows, question_ids):
        if not rows:
            return
        with transaction.atomic():
            model.objects.bulk_update(rows, ["body_html"])
            for question_id in set(question_ids):
                pages_changed(question_id=question_id, lists=False)
