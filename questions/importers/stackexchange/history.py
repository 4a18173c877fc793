"""PostHistory.xml: each post's revisions, its latest Markdown (Stack Exchange keeps the source
only in the history) and its close and lock state.

The file is read first into a scratch SQLite file, indexed by post. Posts are then created in
batches, each batch reading only its own posts' history from that file, so each post is
written once and only one batch of histories is in memory at a time. The scratch file also
records which posts the dump holds, to tell a broken reference from a post not imported."""

import json
import re
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from questions.importers.stackexchange.rows import DumpError, batched
from questions.importers.stackexchange.tags import parse_tags
from questions.models import Post, PostRevision

# PostHistoryTypeId: initial, edit and rollback of title, body and tags; close and lock;
# community wiki, protection, migration between sites.
TITLE_CHANGES = {1, 4, 7}
BODY_CHANGES = {2, 5, 8}
TAG_CHANGES = {3, 6, 9}
REVISION_CHANGES = TITLE_CHANGES | BODY_CHANGES | TAG_CHANGES
CLOSED, REOPENED, LOCKED, UNLOCKED = 10, 11, 14, 15
COMMUNITY_OWNED, MIGRATED, PROTECTED, UNPROTECTED = 16, 17, 19, 20
MIGRATED_AWAY, MIGRATED_HERE = 35, 36
STATE_CHANGES = {
    CLOSED,
    REOPENED,
    LOCKED,
    UNLOCKED,
    COMMUNITY_OWNED,
    MIGRATED,
    PROTECTED,
    UNPROTECTED,
    MIGRATED_AWAY,
    MIGRATED_HERE,
}
# The kinds whose Text the import reads: the revisions' and the closes' (who voted).
TEXT_CHANGES = REVISION_CHANGES | {CLOSED}
# What the other kinds are, for the summary's list of rows not imported.
UNIMPORTED_CHANGES = {
    12: "post deletions",
    13: "post undeletions",
    18: "question merges",
    21: "post disassociations",
    22: "question unmerges",
    24: "suggested edits applied",
    25: "posts tweeted",
    31: "comment discussions moved to chat",
    33: "post notices added",
    34: "post notices removed",
    37: "post merge sources",
    38: "post merge destinations",
    50: "bumps by the Community user",
    52: "questions that became hot",
    53: "questions removed from the hot list",
    66: "posts created from the Ask Wizard",
}

# The Comment of a "closed" history row is the close reason's id: 101-105 since June 2013,
# and before that the reasons Stack Exchange then had, kept under their old names.
CLOSE_REASONS = {
    "101": Post.CloseReason.DUPLICATE,
    "102": Post.CloseReason.OFF_TOPIC,
    "103": Post.CloseReason.NEEDS_DETAILS,
    "104": Post.CloseReason.NEEDS_FOCUS,
    "105": Post.CloseReason.OPINION_BASED,
    "1": "exact-duplicate",
    "2": Post.CloseReason.OFF_TOPIC,
    "3": "subjective-and-argumentative",
    "4": "not-a-real-question",
    "7": "too-localized",
    "10": "general-reference",
    "20": "noise-or-pointless",
}
URL = re.compile(r"https?://[^\s\"'<>]+")


def close_reason(comment):
    """Our code for a close reason id of the dump; an id we do not know is kept, named."""
    comment = comment.strip()
    if not comment:
        return ""
    return CLOSE_REASONS.get(comment, f"Stack Exchange close reason {comment}"[:50])


def closers(text):
    """[(dump user id or None, name)] of the voters a close row's Text lists."""
    try:
        voters = json.loads(text or "{}").get("Voters") or []
    except (ValueError, AttributeError):
        return []
    return [
        (voter.get("Id"), str(voter.get("DisplayName") or ""))
        for voter in voters
        if isinstance(voter, dict)
    ]


class Change(NamedTuple):
    """A PostHistory row, as staged in the scratch file."""

    kind: int
    guid: str
    created: datetime
    user_id: int | None
    user_name: str
    text: str | None
    comment: str


@dataclass
class Snapshot:
    """A revision before its post exists: fields it never set are None."""

    guid: str
    created: datetime
    user_id: int | None
    user_name: str
    title: str | None
    tags: str | None
    body: str | None
    summary: str


class History:
    """One post's history, in time order: its revisions, latest body, close and lock state."""

    def __init__(self, changes):
        self.revisions = []
        self.body = None
        self.close_reason = ""
        self.closers = []
        self.locked_at = None
        self.wiki_at = None
        self.protected_at = None
        self.migrated_from = self.migrated_to = ""
        self.migrated_at = None
        groups = {}
        for change in changes:
            if change.kind in REVISION_CHANGES:
                groups.setdefault(change.guid, []).append(change)
            else:
                self._state_change(change)

        # Each revision is a full snapshot: what it did not change carries forward.
        title = tags = body = None
        for guid, group in groups.items():
            for change in group:
                if change.text is None:
                    continue
                if change.kind in TITLE_CHANGES:
                    title = change.text
                elif change.kind in BODY_CHANGES:
                    body = change.text
                else:
                    tags = " ".join(parse_tags(change.text))
            first = group[0]
            self.revisions.append(
                Snapshot(
                    guid=guid,
                    created=first.created,
                    user_id=first.user_id,
                    user_name=first.user_name,
                    title=title,
                    tags=tags,
                    body=body,
                    summary=next((change.comment for change in group if change.comment), ""),
                )
            )
        self.body = body

    def _state_change(self, change):
        kind = change.kind
        if kind == CLOSED:
            self.close_reason = close_reason(change.comment)
            self.closers = closers(change.text)
        elif kind == REOPENED:
            self.close_reason = ""
            self.closers = []
        elif kind == LOCKED:
            self.locked_at = change.created
        elif kind == UNLOCKED:
            self.locked_at = None
        elif kind == COMMUNITY_OWNED:
            self.wiki_at = self.wiki_at or change.created
        elif kind == PROTECTED:
            self.protected_at = change.created
        elif kind == UNPROTECTED:
            self.protected_at = None
        elif kind in (MIGRATED, MIGRATED_AWAY, MIGRATED_HERE):
            # The Comment says "from <address>" or "to <address>".
            found = URL.search(change.comment or "")
            if not found:
                return
            address = found[0][:300]
            came = kind == MIGRATED_HERE or (
                kind == MIGRATED and change.comment.lstrip().lower().startswith("from")
            )
            if came:
                self.migrated_from = address
            else:
                self.migrated_to = address
            self.migrated_at = change.created


class ScratchHistory:
    """The scratch SQLite file: the history rows by post, and the posts the dump holds."""

    def __init__(self, path):
        self.connection = sqlite3.connect(path)
        self.connection.executescript("""
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            CREATE TABLE history (
                post_id INTEGER NOT NULL, id INTEGER NOT NULL, kind INTEGER NOT NULL,
                guid TEXT NOT NULL, created TEXT NOT NULL, user_id INTEGER,
                user_name TEXT NOT NULL, text TEXT, comment TEXT NOT NULL, line INTEGER NOT NULL
            );
            CREATE TABLE dump_post (id INTEGER PRIMARY KEY, imported INTEGER NOT NULL);
            """)

    def close(self):
        self.connection.close()

    def stage(self, rows):
        """Copies the rows of PostHistory.xml in; returns how many there were."""
        count = 0
        for batch in batched(rows):
            self.connection.executemany(
                "INSERT INTO history VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [_staged_change(row) for row in batch],
            )
            count += len(batch)
        self.connection.execute("CREATE INDEX history_post ON history (post_id, created, id)")
        return count

    def add_dump_posts(self, posts):
        """Records (dump post id, whether it is imported) pairs."""
        self.connection.executemany("INSERT OR IGNORE INTO dump_post VALUES (?, ?)", posts)

    def holds_post(self, post_id):
        return bool(
            self.connection.execute("SELECT 1 FROM dump_post WHERE id = ?", (post_id,)).fetchone()
        )

    def histories(self, post_ids):
        """The History of each of these dump posts that has any."""
        changes = defaultdict(list)
        placeholders = ", ".join("?" * len(post_ids))
        for post_id, *change in self.connection.execute(
            "SELECT post_id, kind, guid, created, user_id, user_name, text, comment FROM history "
            f"WHERE post_id IN ({placeholders}) ORDER BY post_id, created, id",
            post_ids,
        ):
            change[2] = datetime.fromisoformat(change[2])
            changes[post_id].append(Change(*change))
        return {post_id: History(post_changes) for post_id, post_changes in changes.items()}

    def check(self):
        """Raises DumpError at the first row on a post the dump lacks; returns the number of
        rows on posts that are in the dump but not imported."""
        orphan = self.connection.execute(
            "SELECT history.line, history.post_id FROM history "
            "LEFT JOIN dump_post ON dump_post.id = history.post_id "
            "WHERE dump_post.id IS NULL ORDER BY history.line LIMIT 1"
        ).fetchone()
        if orphan:
            raise DumpError(
                f"history row refers to post {orphan[1]}, which is not in the dump",
                file="PostHistory.xml",
                line=orphan[0],
            )
        (skipped,) = self.connection.execute(
            "SELECT count(*) FROM history JOIN dump_post ON dump_post.id = history.post_id "
            "WHERE dump_post.imported = 0"
        ).fetchone()
        return skipped

    def unimported_kinds(self):
        """{kind: rows} of the history rows on imported posts that the import does not
        turn into anything."""
        known = sorted(REVISION_CHANGES | STATE_CHANGES)
        placeholders = ", ".join("?" * len(known))
        return dict(
            self.connection.execute(
                "SELECT kind, count(*) FROM history "
                "JOIN dump_post ON dump_post.id = history.post_id "
                f"WHERE dump_post.imported = 1 AND kind NOT IN ({placeholders}) GROUP BY kind",
                known,
            ).fetchall()
        )


def _staged_change(row):
    history_id = row.integer("Id")
    kind = row.integer("PostHistoryTypeId")
    # Only revisions and closes need their text; a missing Text changes nothing.
    text = row.text("Text") if kind in TEXT_CHANGES and "Text" in row else None
    return (
        row.integer("PostId"),
        history_id,
        kind,
        row.get("RevisionGUID") or f"row-{history_id}",
        row.date("CreationDate").isoformat(timespec="microseconds"),
        row.optional_integer("UserId"),
        row.get("UserDisplayName", ""),
        text,
        row.get("Comment", ""),
        row.line,
    )


def stage_history(state):
    rows = state.history.stage(state.rows("PostHistory.xml"))
    state.say(f"PostHistory.xml: {rows} rows read")


def check_history(state):
    skipped = state.history.check()
    state.skip("PostHistory.xml: rows on posts that are not questions or answers", skipped)
    for kind, count in state.history.unimported_kinds().items():
        what = UNIMPORTED_CHANGES.get(kind, f"rows of type {kind}")
        state.skip(f"PostHistory.xml: {what} (not kept here)", count)
    from_history = state.revision_counts["history"]
    state.summary.created["revisions"] += from_history + state.revision_counts["post"]
    state.say(
        f"PostHistory.xml: {from_history} revisions created; "
        f"{state.revision_counts['post']} posts without history got a first revision from "
        f"Posts.xml; {skipped} rows on posts that are not questions or answers skipped"
    )


def post_revisions(state, post, tags, history, names):
    """The revisions of a new post: one per revision in its history, or, when the dump kept
    none, a first revision from the post itself, since every post has a history in Stapel."""
    if not history or not history.revisions:
        state.revision_counts["post"] += 1
        return [
            PostRevision(
                post=post,
                number=1,
                author_id=post.author_id,
                author_name=post.author_name,
                title=post.title,
                tags=tags[:200],
                body_markdown=post.body_markdown,
                created_at=post.created_at,
            )
        ]
    revisions = []
    for number, snapshot in enumerate(history.revisions, start=1):
        author, author_name = state.person(
            snapshot.user_id, snapshot.user_name, names, of="revisions"
        )
        revisions.append(
            PostRevision(
                post=post,
                number=number,
                author_id=author,
                author_name=author_name,
                title=(post.title if snapshot.title is None else snapshot.title)[:250],
                tags=(tags if snapshot.tags is None else snapshot.tags)[:200],
                body_markdown=post.body_markdown if snapshot.body is None else snapshot.body,
                summary=snapshot.summary[:300],
                created_at=snapshot.created,
                source_url=(
                    ""
                    if snapshot.guid.startswith("row-")
                    else f"{state.site}/revisions/{snapshot.guid}"
                ),
            )
        )
    state.revision_counts["history"] += len(revisions)
    return revisions
