"""Members' watched and ignored tags: what the lists mark, fade or leave out for a viewer,
what the settings page shows, and who watches a tag (for the fan-out of a new question and
for the digests).

The rule where a question has both: an ignored tag wins. A question in a tag the member
ignores is faded or left out, even if another of its tags is watched; and a member who
ignores one of a question's tags is not among the watchers of the question's tags."""

from dataclasses import dataclass, field

from questions.models import TagPreference

WATCHED = TagPreference.Kind.WATCHED
IGNORED = TagPreference.Kind.IGNORED

# Watchers per query and per batch: a batch of inbox entries is written with one insert.
WATCHER_BATCH = 1000


def _tag_ids(user, kind):
    return set(TagPreference.objects.filter(user=user, kind=kind).values_list("tag_id", flat=True))


def watched_tag_ids(user):
    """The ids of the tags `user` watches (one query)."""
    return _tag_ids(user, WATCHED)


def ignored_tag_ids(user):
    """The ids of the tags `user` ignores (one query)."""
    return _tag_ids(user, IGNORED)


def _watchers_after(tag_id, after, limit):
    return list(
        TagPreference.objects.filter(tag_id=tag_id, kind=WATCHED, user_id__gt=after)
        .order_by("user_id")
        .values_list("user_id", flat=True)[:limit]
    )


def watcher_ids(tag_ids, *, batch_size=WATCHER_BATCH):
    """The ids of the members who watch any of `tag_ids` and ignore none of them, each once,
    in ascending order, as lists of at most `batch_size` ids.

    Each batch reads on from the last id of the one before (a keyset, never an OFFSET):
    per tag one query from the index on (tag, kind, user), however many watch the tag,
    and for several tags one more for those of the batch who ignore one of them. A batch
    with all of its members ignoring a tag is skipped, not yielded empty.
    """
    tag_ids = sorted(set(tag_ids))
    after = 0
    while True:
        # Each tag's next `batch_size` watchers: the batch is the first `batch_size` of
        # their union, none of which a tag's later watchers could come before.
        candidates = set()
        for tag_id in tag_ids:
            candidates.update(_watchers_after(tag_id, after, batch_size))
        batch = sorted(candidates)[:batch_size]
        if not batch:
            return
        after = batch[-1]
        if len(tag_ids) > 1:
            # One member holds one preference per tag: only another tag can be ignored.
            ignoring = set(
                TagPreference.objects.filter(
                    user_id__in=batch, tag_id__in=tag_ids, kind=IGNORED
                ).values_list("user_id", flat=True)
            )
            batch = [user_id for user_id in batch if user_id not in ignoring]
        if batch:
            yield batch


@dataclass(frozen=True)
class ViewerTags:
    """A signed-in viewer's watched and ignored tags (ids), and whether the lists leave
    out the questions in the ignored ones (else they fade them)."""

    watched: frozenset = field(default_factory=frozenset)
    ignored: frozenset = field(default_factory=frozenset)
    hide_ignored: bool = False


def viewer_tags(viewer):
    """`viewer`'s ViewerTags, in one query; None for an anonymous visitor, whose lists
    stay as they are (and cached)."""
    if not viewer.is_authenticated:
        return None
    watched, ignored = set(), set()
    for tag_id, kind in TagPreference.objects.filter(user=viewer).values_list("tag_id", "kind"):
        (watched if kind == WATCHED else ignored).add(tag_id)
    return ViewerTags(
        watched=frozenset(watched),
        ignored=frozenset(ignored),
        hide_ignored=viewer.hide_ignored_tags,
    )


def mark_viewer_tags(questions, viewer_tags):
    """Marks `questions` (with their `shown_tags`, from attach_tags) for `viewer_tags`:
    `in_ignored_tag` when one of their tags is ignored, else `in_watched_tag` when one is
    watched; and each tag `watched` or `ignored`. Costs no query."""
    if not viewer_tags or not (viewer_tags.watched or viewer_tags.ignored):
        return
    for question in questions:
        tag_ids = set()
        for tag in question.shown_tags:
            tag.watched = tag.pk in viewer_tags.watched
            tag.ignored = tag.pk in viewer_tags.ignored
            tag_ids.add(tag.pk)
        question.in_ignored_tag = bool(tag_ids & viewer_tags.ignored)
        question.in_watched_tag = not question.in_ignored_tag and bool(
            tag_ids & viewer_tags.watched
        )


def tag_preference_names(user):
    """{kind: the names of the tags `user` holds that preference for, sorted}, one query."""
    names = {WATCHED: [], IGNORED: []}
    rows = (
        TagPreference.objects.filter(user=user)
        .order_by("tag__name")
        .values_list("kind", "tag__name")
    )
    for kind, name in rows:
        names[kind].append(name)
    return names
