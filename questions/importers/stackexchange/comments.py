"""Comments.xml: the comments on imported posts."""

from core.markdown import render_comment
from questions.importers.stackexchange.rows import BATCH_SIZE, batched
from questions.importers.stackexchange.state import existing_source_urls
from questions.models import Comment, CommentVote


def comment_votes_import(comments):
    """The saved `comments`' scores as anonymous upvotes, as the dumps give posts' votes:
    they do not say who voted on a comment, and a score is made of its votes (recount)."""
    CommentVote.objects.bulk_create(
        (
            CommentVote(comment_id=comment.pk, created_at=comment.created_at)
            for comment in comments
            for _ in range(comment.score)
        ),
        batch_size=BATCH_SIZE,
    )


def import_comments(state):
    created = present = skipped = 0
    for batch in batched(state.rows("Comments.xml")):
        wanted = {}
        for row in batch:
            comment_id, post_id = row.integer("Id"), row.integer("PostId")
            post_pk = state.post_pk(post_id)
            if post_pk is None and post_id not in state.unimported_posts:
                raise row.error(
                    f"comment {comment_id} refers to post {post_id}, which is not in the dump"
                )
            if post_pk is None:
                skipped += 1
                continue
            wanted[f"{state.site}/posts/comments/{comment_id}"] = (row, post_pk)
        existing = existing_source_urls(Comment.objects, wanted)
        fresh = [
            (url, row, post_pk) for url, (row, post_pk) in wanted.items() if url not in existing
        ]
        names = state.user_names(row.optional_integer("UserId") for _, row, _ in fresh)
        comments = []
        for url, row, post_pk in fresh:
            author, author_name = state.person(
                row.optional_integer("UserId"), row.get("UserDisplayName", ""), names, of="comments"
            )
            text = row.text("Text")
            comments.append(
                Comment(
                    post_id=post_pk,
                    author_id=author,
                    author_name=author_name,
                    body_markdown=text,
                    body_html=render_comment(text),
                    # Comments are only voted up; a dump's score is that many upvotes.
                    score=max(0, row.optional_integer("Score") or 0),
                    created_at=row.date("CreationDate"),
                    source_url=url,
                    licence=row.get("ContentLicense", "")[:50],
                )
            )
            state.comment_counts[post_pk] += 1
        Comment.objects.bulk_create(comments)
        state.new_comments.update(comment.pk for comment in comments)
        comment_votes_import(comments)
        created += len(comments)
        present += len(existing)
    state.summary.created["comments"] += created
    state.summary.already_present += present
    state.skip("Comments.xml: comments on posts that are not questions or answers", skipped)
    state.say(
        f"Comments.xml: {created} comments created, {present} already present, "
        f"{skipped} on posts that are not questions or answers skipped"
    )
