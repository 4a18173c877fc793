"""PostLinks.xml: links between posts, and duplicates, which also mark the question as a
duplicate of the other."""

from collections import Counter

from questions.importers.stackexchange.rows import batched
from questions.models import Post, PostLink

# LinkTypeId
LINK_KINDS = {1: PostLink.Kind.LINKED, 3: PostLink.Kind.DUPLICATE}


def import_links(state):
    created = present = 0
    skipped = Counter()
    for batch in batched(state.rows("PostLinks.xml")):
        wanted = []
        for row in batch:
            kind = LINK_KINDS.get(row.integer("LinkTypeId"))
            if kind is None:
                skipped["of other types"] += 1
                continue
            ends = []
            absent = False
            for attribute in ("PostId", "RelatedPostId"):
                post_id = row.integer(attribute)
                ends.append(state.post_pk(post_id))
                if ends[-1] is None and post_id not in state.unimported_posts:
                    absent = True
            if None in ends:
                if absent:
                    skipped["to posts absent from the dump"] += 1
                else:
                    skipped["on posts that are not questions or answers"] += 1
                continue
            wanted.append((row, ends[0], ends[1], kind))
        seen = set(
            PostLink.objects.filter(
                post_id__in={post_pk for _, post_pk, _, _ in wanted}
            ).values_list("post_id", "related_id", "kind")
        )
        links = []
        duplicates = []
        for row, post_pk, related_pk, kind in wanted:
            if (post_pk, related_pk, kind) in seen:
                present += 1
                continue
            seen.add((post_pk, related_pk, kind))
            links.append(
                PostLink(
                    post_id=post_pk,
                    related_id=related_pk,
                    kind=kind,
                    created_at=row.date("CreationDate"),
                )
            )
            if kind == PostLink.Kind.DUPLICATE:
                duplicates.append(Post(pk=post_pk, duplicate_of_id=related_pk))
        PostLink.objects.bulk_create(links)
        Post.objects.bulk_update(duplicates, ["duplicate_of"])
        created += len(links)
    state.summary.created["links"] += created
    state.summary.already_present += present
    skipped_text = state.skip_all("PostLinks.xml: links ", skipped)
    state.say(
        f"PostLinks.xml: {created} links created, {present} already present; "
        f"skipped: {skipped_text or 'none'}"
    )
