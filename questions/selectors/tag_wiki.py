"""A tag's info page: its description, its wiki, and their history."""

from questions.diffs import KEPT, text_diff
from questions.models import TagRevision
from questions.selectors.thread import _UNSHOWN_AUTHOR_FIELDS, revisions_rendered


def tag_history(*, tag):
    """The tag's revisions, newest first, each with what it changed in the one before:
    `excerpt_diff` and `wiki_diff` are lists of (change, text) pieces, or None where the
    revision left that text alone (the first revision is all kept text), and
    `wiki_rendered` is the revision's wiki rendered as a post is today.

    One query (and one more for the titles behind bare links to questions, if a wiki
    not rendered in the last hour has one)."""
    revisions = list(
        TagRevision.objects.filter(tag=tag)
        .select_related("author")
        .defer(*_UNSHOWN_AUTHOR_FIELDS)
        .order_by("number")
    )
    previous = None
    for revision in revisions:
        if previous is None:
            revision.excerpt_diff = [(KEPT, revision.excerpt)] if revision.excerpt else None
            wiki = revision.wiki_markdown
            revision.wiki_diff = [(KEPT, wiki)] if wiki else None
        else:
            revision.excerpt_diff = (
                text_diff(previous.excerpt, revision.excerpt)
                if revision.excerpt != previous.excerpt
                else None
            )
            revision.wiki_diff = (
                text_diff(previous.wiki_markdown, revision.wiki_markdown)
                if revision.wiki_markdown != previous.wiki_markdown
                else None
            )
        previous = revision
    rendered = revisions_rendered(revision.wiki_markdown for revision in revisions)
    for revision, html in zip(revisions, rendered, strict=True):
        revision.wiki_rendered = html
    revisions.reverse()
    return revisions
