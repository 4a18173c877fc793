"""Tag wikis: each tag's excerpt (its description) and wiki body (its info page), from the
dump's tag wiki posts (PostTypeId 4 and 5, named by Tags.xml's ExcerptPostId and
WikiPostId), with their history.

Only tags this run creates take them, as only they take the excerpt. The two posts'
revisions (PostHistory.xml) are merged in time order into one list of TagRevision, each a
snapshot of both texts; changes to both at the same moment by the same person (Stack
Exchange creates the two posts together) are one revision. The wiki shows the Body Stack
Exchange rendered, through the posts' allowlist, as an unedited imported post does; its
Markdown from the history is what an edit here starts from."""

from dataclasses import dataclass

from questions.importers.stackexchange.html import shown_html
from questions.importers.stackexchange.rows import BATCH_SIZE, batched
from questions.models import Tag, TagRevision

EXCERPT, WIKI = "excerpt", "wiki"


@dataclass
class TagWikiPost:
    post_id: int
    tag_pk: int
    kind: str  # EXCERPT or WIKI
    body: str  # the Body of Posts.xml: plain text for an excerpt, HTML for a wiki


def tag_wiki_post(state, post_id, kind):
    """The tag wiki post `post_id` of a tag this run created, else None."""
    names = state.excerpt_posts if kind == EXCERPT else state.wiki_posts
    tag_pk = state.tags.get(names.get(post_id))
    if tag_pk is None or tag_pk not in state.new_tags:
        return None
    return tag_pk


def import_tag_wikis(state):
    posts = state.tag_wiki_posts
    tags, revisions = {}, []
    for batch in batched(posts):
        histories = state.history.histories([post.post_id for post in batch])
        user_ids = {
            snapshot.user_id for history in histories.values() for snapshot in history.revisions
        }
        names = state.user_names(user_ids)
        changes = {}
        for post in batch:
            tag = tags.setdefault(post.tag_pk, Tag(pk=post.tag_pk))
            history = histories.get(post.post_id)
            if post.kind == EXCERPT:
                tag.excerpt = post.body.strip()
            else:
                tag.wiki_html = shown_html(post.body)
                tag.wiki_markdown = (history.body if history else None) or ""
            for snapshot in history.revisions if history else []:
                changes.setdefault(post.tag_pk, []).append((snapshot, post.kind))
        for tag_pk, tag_changes in changes.items():
            revisions += _revisions(state, tag_pk, tag_changes, names)
    # Tag(pk=…) starts with empty texts: a new tag without a wiki post keeps an empty one.
    fields = ["excerpt", "wiki_markdown", "wiki_html"]
    Tag.objects.bulk_update(tags.values(), fields, batch_size=BATCH_SIZE)
    TagRevision.objects.bulk_create(revisions, batch_size=BATCH_SIZE)
    state.summary.created["tag revisions"] += len(revisions)
    wikis = sum(1 for post in posts if post.kind == WIKI)
    state.say(
        f"Tag wikis: {len(posts) - wikis} excerpts and {wikis} wiki bodies of "
        f"{len(tags)} tags, {len(revisions)} revisions"
    )


def _revisions(state, tag_pk, changes, names):
    """The TagRevisions of one tag from its excerpt's and wiki's snapshots."""
    changes.sort(key=lambda change: (change[0].created, change[1] == WIKI))
    revisions = []
    texts = {EXCERPT: "", WIKI: ""}
    for snapshot, kind in changes:
        if snapshot.body is not None:
            texts[kind] = snapshot.body.strip() if kind == EXCERPT else snapshot.body
        last = revisions[-1] if revisions else None
        if last is not None and (last.created_at, last.dump_user) == (
            snapshot.created,
            snapshot.user_id,
        ):
            last.excerpt, last.wiki_markdown = texts[EXCERPT], texts[WIKI]
            last.summary = last.summary or snapshot.summary[:300]
            continue
        author, author_name = state.person(
            snapshot.user_id, snapshot.user_name, names, of="revisions"
        )
        revision = TagRevision(
            tag_id=tag_pk,
            number=len(revisions) + 1,
            author_id=author,
            author_name=author_name,
            excerpt=texts[EXCERPT],
            wiki_markdown=texts[WIKI],
            summary=snapshot.summary[:300],
            created_at=snapshot.created,
            source_url=(
                ""
                if snapshot.guid.startswith("row-")
                else f"{state.site}/revisions/{snapshot.guid}"
            ),
        )
        revision.dump_user = snapshot.user_id
        revisions.append(revision)
    return revisions
