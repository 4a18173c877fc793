"""Tags.xml, and the tags posts name: a tag is created the first time a name is met."""

import re

from questions.importers.stackexchange.rows import batched
from questions.models import TAG_NAME_PATTERN, Tag

TAG_NAME = re.compile(TAG_NAME_PATTERN)


def parse_tags(value):
    """Tag names from either dump format: "<a><b>" (older) or "|a|b|" (since 2024)."""
    names = (
        re.findall(r"<([^<>]*)>", value) if value.startswith("<") else re.split(r"[|\s]+", value)
    )
    return list(dict.fromkeys(name.strip().lower() for name in names if name.strip()))


def import_tags(state):
    created_before = len(state.new_tags)
    rows = 0
    for batch in batched(state.rows("Tags.xml")):
        names = []
        for row in batch:
            name = tag_name(row, row.get("TagName", ""))
            if excerpt_post_id := row.optional_integer("ExcerptPostId"):
                state.excerpt_posts[excerpt_post_id] = name
            if wiki_post_id := row.optional_integer("WikiPostId"):
                state.wiki_posts[wiki_post_id] = name
            names.append(name)
        ensure_tags(state, names)
        rows += len(batch)
    created = len(state.new_tags) - created_before
    state.say(f"Tags.xml: {rows} tags, {created} created")


def tag_name(row, name):
    """The name as Stapel stores it; a DumpError at the row if it cannot be a Stapel tag."""
    name = name.strip().lower()
    if not TAG_NAME.match(name):
        raise row.error(
            f"the tag {name!r} cannot be a Stapel tag: 1 to 35 of a-z, 0-9, +, #, . and -"
        )
    return name


def ensure_tags(state, names):
    """Maps each name to its tag, creating the tags that do not exist yet."""
    missing = [name for name in dict.fromkeys(names) if name not in state.tags]
    if not missing:
        return
    state.tags.update(Tag.objects.filter(name__in=missing).values_list("name", "pk"))
    new = [Tag(name=name) for name in missing if name not in state.tags]
    Tag.objects.bulk_create(new)
    for tag in new:
        state.tags[tag.name] = tag.pk
        state.new_tags.add(tag.pk)
    state.summary.created["tags"] += len(new)
