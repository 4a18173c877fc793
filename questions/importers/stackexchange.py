"""Import of a Stack Exchange data dump: the folder of XML files Stack Exchange publishes on
archive.org (Users, Tags, Posts, PostHistory, Comments, Votes, PostLinks; Badges is not used).

How it works
- Every file is streamed row by row with expat, which knows the line of each row, so a
  dump of many gigabytes never sits in memory and every error names its file and line.
  What is kept for the whole run are integer maps (dump id -> our primary key).
- PostHistory.xml is read first into a scratch SQLite file, indexed by post. Posts are then
  created in batches, each batch reading only its own posts' history from that file: the
  latest Markdown body, the revisions, the close and lock state. So each post is written
  once, and only one batch of histories is in memory at a time.
- The whole import is one transaction: a broken dump leaves the database as it was.
- Users, posts and comments are recognised by `source_url`; a row that already exists is
  left as it is, so a second run adds nothing. Revisions, votes, accepted answers, links
  and counter increments belong to the rows created in the same run. Votes in particular
  are anonymous and cannot be told apart, so they are imported only for new posts.

Rows that point at posts which are not imported
Stack Exchange leaves deleted posts out of its dumps but keeps some rows that point at
them; and a dump holds posts that are not questions or answers (tag wikis and their
excerpts, which fill `Tag.excerpt`, and rarer types). The policy:
- An answer whose question is not a question in the dump, and a comment or history row
  whose post is not in the dump at all, are errors: they mean a broken dump.
- Votes and post links that point at posts absent from the dump are skipped and counted:
  dumps leave deleted posts out but keep votes on them and links to them (27 of the 1119
  vote rows in the conlang.stackexchange.com dump point at absent posts; 18 of them are
  up or down votes, the rest deletion votes). So is an accepted answer that is absent.
- Comments, history rows, votes and links on posts that are in the dump but are not
  questions or answers (that dump has 23 history rows and 2 votes on tag wikis) are
  skipped and counted.
"""

import re
import sqlite3
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit
from xml.parsers import expat

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from core.markdown import render_comment, render_post
from questions.models import (
    TAG_NAME_PATTERN,
    Comment,
    Post,
    PostLink,
    PostRevision,
    ReputationEvent,
    Tag,
    Vote,
)
from questions.search import search_index_update
from questions.services import list_totals_recount

DUMP_FILES = (
    "Users.xml",
    "Tags.xml",
    "Posts.xml",
    "PostHistory.xml",
    "Comments.xml",
    "Votes.xml",
    "PostLinks.xml",
)
BATCH_SIZE = 1000
READ_CHUNK_BYTES = 1 << 20
PROGRESS_EVERY_ROWS = 100_000

# PostTypeId
QUESTION, ANSWER, TAG_WIKI_EXCERPT, TAG_WIKI = 1, 2, 4, 5

# PostHistoryTypeId: initial, edit and rollback of title, body and tags; close and lock.
TITLE_CHANGES = {1, 4, 7}
BODY_CHANGES = {2, 5, 8}
TAG_CHANGES = {3, 6, 9}
REVISION_CHANGES = TITLE_CHANGES | BODY_CHANGES | TAG_CHANGES
CLOSED, REOPENED, LOCKED, UNLOCKED = 10, 11, 14, 15

# The Comment of a "closed" history row is the close reason's id: 101-105 since 2013,
# 1-4 before (exact duplicate, off topic, subjective, not a real question).
CLOSE_REASONS = {
    "101": "duplicate",
    "102": "off-topic",
    "103": "needs-details",
    "104": "needs-focus",
    "105": "opinion-based",
    "1": "duplicate",
    "2": "off-topic",
    "3": "opinion-based",
    "4": "needs-details",
}
VOTE_VALUES = {2: Vote.Value.UP, 3: Vote.Value.DOWN}
LINK_KINDS = {1: PostLink.Kind.LINKED, 3: PostLink.Kind.DUPLICATE}

TAG_NAME = re.compile(TAG_NAME_PATTERN)
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,4})?", re.IGNORECASE)
STACK_EXCHANGE_FOLDER = re.compile(r"stackexchange-([a-z0-9-]+(?:\.meta)?)")
HOST_FOLDER = re.compile(r"(?:[a-z0-9-]+\.)+(?:com|net|org)")

SUMMARY_KINDS = ("users", "tags", "questions", "answers", "revisions", "comments", "votes", "links")


class DumpError(Exception):
    """A dump that cannot be imported. The message names the file and line at fault."""

    def __init__(self, message, *, file=None, line=None):
        where = ", ".join(part for part in (file, line and f"line {line}") if part)
        super().__init__(f"{where}: {message}" if where else message)


@dataclass
class ImportSummary:
    site_url: str
    created: Counter = field(default_factory=Counter)
    already_present: int = 0
    seconds: float = 0.0

    def __str__(self):
        created = ", ".join(f"{self.created[kind]} {kind}" for kind in SUMMARY_KINDS)
        return (
            f"Imported {self.site_url} in {self.seconds:.1f} s: {created}; "
            f"{self.already_present} rows were already present."
        )


def import_stackexchange_dump(*, folder, site_url=None, language="en", progress=None):
    """Imports the Stack Exchange dump in `folder`, all of it or (raising DumpError) nothing.

    `progress`, when given, is called with one line of text per file and now and then on
    long files. Returns an ImportSummary.
    """
    started = time.monotonic()
    folder = Path(folder)
    if not folder.is_dir():
        raise DumpError(f"{folder} is not a folder")
    site_url = _site_url(folder, site_url)
    if not LANGUAGE_CODE.fullmatch(language):
        raise DumpError(f"{language!r} is not a language code such as en or de")
    for name in DUMP_FILES:
        if not (folder / name).is_file():
            raise DumpError(f"missing from {folder}", file=name)

    with tempfile.TemporaryDirectory(prefix="stapel-import-") as scratch, transaction.atomic():
        dump_import = _DumpImport(
            folder=folder,
            site_url=site_url,
            language=language,
            progress=progress,
            scratch=Path(scratch),
        )
        try:
            dump_import.run()
        finally:
            dump_import.history.close()
    dump_import.summary.seconds = time.monotonic() - started
    return dump_import.summary


def _site_url(folder, site_url):
    if site_url:
        site_url = site_url.rstrip("/")
        try:
            URLValidator(schemes=["http", "https"])(site_url)
        except ValidationError:
            raise DumpError(f"the site URL {site_url!r} is not an http(s) address") from None
        return site_url
    name = folder.resolve().name.lower()
    if match := STACK_EXCHANGE_FOLDER.fullmatch(name):
        return f"https://{match[1]}.stackexchange.com"
    if HOST_FOLDER.fullmatch(name):
        return f"https://{name}"
    raise DumpError(
        f"cannot tell which site the folder {folder.name!r} comes from; "
        "give its address with --site-url, e.g. --site-url https://conlang.stackexchange.com"
    )


class Row(dict):
    """The attributes of one <row> element, and the file and line it stands on."""

    def __init__(self, attributes, *, file, line):
        super().__init__(attributes)
        self.file = file
        self.line = line

    def error(self, message):
        return DumpError(message, file=self.file, line=self.line)

    def text(self, name):
        # The dumps write line breaks as CRLF; Stapel stores plain newlines.
        return self.get(name, "").replace("\r\n", "\n")

    def integer(self, name):
        value = self.optional_integer(name)
        if value is None:
            raise self.error(f"the row has no {name}")
        return value

    def optional_integer(self, name):
        value = self.get(name, "")
        if not value:
            return None
        try:
            return int(value)
        except ValueError:
            raise self.error(f"{name} {value!r} is not a whole number") from None

    def date(self, name):
        value = self.optional_date(name)
        if value is None:
            raise self.error(f"the row has no {name}")
        return value

    def optional_date(self, name):
        value = self.get(name, "")
        if not value:
            return None
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise self.error(f"{name} {value!r} is not a date") from None
        # The dumps' times are UTC without saying so.
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def read_rows(path):
    """Yields the <row> elements of one dump file, one at a time, each with its line."""
    parser = expat.ParserCreate()
    rows = []
    depth = 0

    def start(tag, attributes):
        nonlocal depth
        depth += 1
        if depth == 2 and tag == "row":
            rows.append(Row(attributes, file=path.name, line=parser.CurrentLineNumber))

    def end(tag):
        nonlocal depth
        depth -= 1

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    with path.open("rb") as stream:
        while True:
            chunk = stream.read(READ_CHUNK_BYTES)
            try:
                parser.Parse(chunk, not chunk)
            except expat.ExpatError as error:
                raise DumpError(
                    f"malformed XML: {expat.ErrorString(error.code)} (column {error.offset + 1})",
                    file=path.name,
                    line=error.lineno,
                ) from None
            yield from rows
            rows.clear()
            if not chunk:
                return


def parse_tags(value):
    """Tag names from either dump format: "<a><b>" (older) or "|a|b|" (since 2024)."""
    names = (
        re.findall(r"<([^<>]*)>", value) if value.startswith("<") else re.split(r"[|\s]+", value)
    )
    return list(dict.fromkeys(name.strip().lower() for name in names if name.strip()))


def _batched(iterable, size):
    batch = []
    for item in iterable:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _add_to_counter(model, field_name, increments):
    """Adds each row's increment to its counter, one UPDATE per distinct increment and chunk."""
    pks_by_increment = defaultdict(list)
    for pk, increment in increments.items():
        pks_by_increment[increment].append(pk)
    for increment, pks in pks_by_increment.items():
        for chunk in _batched(pks, BATCH_SIZE):
            model.objects.filter(pk__in=chunk).update(**{field_name: F(field_name) + increment})


def _existing_source_urls(queryset, urls):
    # The explicit "not blank" lets PostgreSQL use the partial unique index on source_url,
    # which it cannot infer from an IN list of a thousand values.
    return dict(
        queryset.filter(source_url__in=urls).exclude(source_url="").values_list("source_url", "pk")
    )


class _Change(NamedTuple):
    """A PostHistory row, as staged in the scratch file."""

    kind: int
    guid: str
    created: datetime
    user_id: int | None
    user_name: str
    text: str | None
    comment: str


@dataclass
class _Snapshot:
    """A revision before its post exists: fields it never set are None."""

    guid: str
    created: datetime
    user_id: int | None
    user_name: str
    title: str | None
    tags: str | None
    body: str | None
    summary: str


class _History:
    """One post's history, in time order: its revisions, latest body, close and lock state."""

    def __init__(self, changes):
        self.revisions = []
        self.body = None
        self.close_reason = ""
        self.locked_at = None
        groups = {}
        for change in changes:
            if change.kind in REVISION_CHANGES:
                groups.setdefault(change.guid, []).append(change)
            elif change.kind == CLOSED:
                self.close_reason = CLOSE_REASONS.get(change.comment, "")
            elif change.kind == REOPENED:
                self.close_reason = ""
            elif change.kind == LOCKED:
                self.locked_at = change.created
            elif change.kind == UNLOCKED:
                self.locked_at = None

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
                _Snapshot(
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


class _DumpImport:
    def __init__(self, *, folder, site_url, language, progress, scratch):
        self.folder = folder
        self.site = site_url
        self.language = language
        self.progress = progress
        self.summary = ImportSummary(site_url=site_url)
        self.now = timezone.now()
        self.username_prefix = _username_prefix(site_url)

        # Dump id -> primary key, for rows created now or by an earlier run.
        self.users = {}
        self.questions = {}
        self.answers = {}
        self.tags = {}
        # What this run created, and what the dump holds but Stapel does not import.
        self.new_posts = set()
        self.new_tags = set()
        self.unimported_posts = set()
        self.excerpt_posts = {}
        self.accepted_answers = {}
        # Counter increments from this run's rows, applied at the end.
        self.answer_counts = Counter()
        self.comment_counts = Counter()
        self.tag_counts = Counter()
        self.revision_counts = Counter()

        self.history = sqlite3.connect(scratch / "history.sqlite3")

    def run(self):
        self._import_users()
        self._stage_history()
        self._import_tags()
        self._import_questions()
        self._import_answers()
        self._check_history()
        self._set_accepted_answers()
        self._import_comments()
        self._import_votes()
        self._import_links()
        _add_to_counter(Post, "answer_count", self.answer_counts)
        _add_to_counter(Post, "comment_count", self.comment_counts)
        _add_to_counter(Tag, "question_count", self.tag_counts)
        list_totals_recount()

    def _say(self, message):
        if self.progress:
            self.progress(message)

    def _rows(self, name):
        for number, row in enumerate(read_rows(self.folder / name), start=1):
            if number % PROGRESS_EVERY_ROWS == 0:
                self._say(f"{name}: {number} rows read …")
            yield row

    def _post_pk(self, post_id):
        return self.questions.get(post_id, self.answers.get(post_id))

    def _person(self, user_id, given_name, names):
        """(user pk or None, name to show) for a dump user id and the name the row gives."""
        pk = self.users.get(user_id)
        if pk is not None:
            return pk, (names.get(pk) or given_name)[:100]
        if given_name:
            return None, given_name[:100]
        return None, f"user{user_id}" if user_id is not None else ""

    def _user_names(self, user_ids):
        pks = {self.users[user_id] for user_id in user_ids if user_id in self.users}
        return dict(User.objects.filter(pk__in=pks).values_list("pk", "display_name"))

    # Users.xml

    def _import_users(self):
        created = present = 0
        for batch in _batched(self._rows("Users.xml"), BATCH_SIZE):
            by_url = {f"{self.site}/users/{row.integer('Id')}": row for row in batch}
            existing = _existing_source_urls(User.objects, by_url)
            for url, pk in existing.items():
                self.users[by_url[url].integer("Id")] = pk
            fresh = [
                (row, self._new_user(row, url))
                for url, row in by_url.items()
                if url not in existing
            ]
            self._make_usernames_unique([user for _, user in fresh])
            User.objects.bulk_create([user for _, user in fresh])
            # The dump's reputation is carried over as an opening balance on top of the
            # 1 every account starts with.
            ReputationEvent.objects.bulk_create(
                ReputationEvent(
                    user=user,
                    kind=ReputationEvent.Kind.OPENING_BALANCE,
                    delta=user.reputation - 1,
                    created_at=self.now,
                )
                for row, user in fresh
                if user.reputation > 1
            )
            for row, user in fresh:
                self.users[row.integer("Id")] = user.pk
            created += len(fresh)
            present += len(existing)
        self.summary.created["users"] += created
        self.summary.already_present += present
        self._say(f"Users.xml: {created} users created, {present} already present")

    def _new_user(self, row, url):
        about = row.text("AboutMe")
        website = row.text("WebsiteUrl")
        return User(
            username=f"{self.username_prefix}-user{row.integer('Id')}",
            display_name=row.text("DisplayName")[:100],
            password=make_password(None),
            date_joined=row.date("CreationDate"),
            last_seen_at=row.optional_date("LastAccessDate"),
            location=row.text("Location")[:100],
            website=(
                website
                if len(website) <= 200 and website.startswith(("http://", "https://"))
                else ""
            ),
            about_markdown=about,
            about_html=render_post(about),
            reputation=max(1, _reputation(row)),
            source_url=url,
        )

    def _make_usernames_unique(self, users):
        """Gives a suffix to a username that a local account already holds."""
        taken = set(
            User.objects.filter(username__in=[user.username for user in users]).values_list(
                "username", flat=True
            )
        )
        for user in users:
            if user.username not in taken:
                continue
            base, number = user.username, 2
            user.username = f"{base}-{number}"
            while User.objects.filter(username=user.username).exists():
                number += 1
                user.username = f"{base}-{number}"

    # PostHistory.xml, first pass: into the scratch file

    def _stage_history(self):
        self.history.executescript("""
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            CREATE TABLE history (
                post_id INTEGER NOT NULL, id INTEGER NOT NULL, kind INTEGER NOT NULL,
                guid TEXT NOT NULL, created TEXT NOT NULL, user_id INTEGER,
                user_name TEXT NOT NULL, text TEXT, comment TEXT NOT NULL, line INTEGER NOT NULL
            );
            CREATE TABLE dump_post (id INTEGER PRIMARY KEY, imported INTEGER NOT NULL);
            """)
        rows = 0
        for batch in _batched(self._rows("PostHistory.xml"), BATCH_SIZE):
            self.history.executemany(
                "INSERT INTO history VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [self._staged_change(row) for row in batch],
            )
            rows += len(batch)
        self.history.execute("CREATE INDEX history_post ON history (post_id, created, id)")
        self._say(f"PostHistory.xml: {rows} rows read")

    def _staged_change(self, row):
        history_id = row.integer("Id")
        kind = row.integer("PostHistoryTypeId")
        # Only title, body and tag changes need their text; a missing Text changes nothing.
        text = row.text("Text") if kind in REVISION_CHANGES and "Text" in row else None
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

    def _histories(self, post_ids):
        changes = defaultdict(list)
        placeholders = ", ".join("?" * len(post_ids))
        for post_id, *change in self.history.execute(
            "SELECT post_id, kind, guid, created, user_id, user_name, text, comment FROM history "
            f"WHERE post_id IN ({placeholders}) ORDER BY post_id, created, id",
            post_ids,
        ):
            change[2] = datetime.fromisoformat(change[2])
            changes[post_id].append(_Change(*change))
        return {post_id: _History(post_changes) for post_id, post_changes in changes.items()}

    def _check_history(self):
        orphan = self.history.execute(
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
        (skipped,) = self.history.execute(
            "SELECT count(*) FROM history JOIN dump_post ON dump_post.id = history.post_id "
            "WHERE dump_post.imported = 0"
        ).fetchone()
        from_history = self.revision_counts["history"]
        self.summary.created["revisions"] += from_history + self.revision_counts["post"]
        self._say(
            f"PostHistory.xml: {from_history} revisions created; "
            f"{self.revision_counts['post']} posts without history got a first revision from "
            f"Posts.xml; {skipped} rows on posts that are not questions or answers skipped"
        )

    # Tags.xml

    def _import_tags(self):
        created_before = len(self.new_tags)
        rows = 0
        for batch in _batched(self._rows("Tags.xml"), BATCH_SIZE):
            names = []
            for row in batch:
                name = self._tag_name(row, row.get("TagName", ""))
                if excerpt_post_id := row.optional_integer("ExcerptPostId"):
                    self.excerpt_posts[excerpt_post_id] = name
                names.append(name)
            self._ensure_tags(names)
            rows += len(batch)
        created = len(self.new_tags) - created_before
        self._say(f"Tags.xml: {rows} tags, {created} created")

    def _tag_name(self, row, name):
        name = name.strip().lower()
        if not TAG_NAME.match(name):
            raise row.error(
                f"the tag {name!r} cannot be a Stapel tag: 1 to 35 of a-z, 0-9, +, #, . and -"
            )
        return name

    def _ensure_tags(self, names):
        missing = [name for name in dict.fromkeys(names) if name not in self.tags]
        if not missing:
            return
        self.tags.update(Tag.objects.filter(name__in=missing).values_list("name", "pk"))
        new = [Tag(name=name) for name in missing if name not in self.tags]
        Tag.objects.bulk_create(new)
        for tag in new:
            self.tags[tag.name] = tag.pk
            self.new_tags.add(tag.pk)
        self.summary.created["tags"] += len(new)

    # Posts.xml: questions (and what is not imported), then answers in a second pass,
    # so that every answer's question exists whatever order the file is in.

    def _import_questions(self):
        not_imported = Counter()
        excerpts = []
        for batch in _batched(self._rows("Posts.xml"), BATCH_SIZE):
            questions = []
            dump_posts = []
            for row in batch:
                post_id = row.integer("Id")
                post_type = row.integer("PostTypeId")
                dump_posts.append((post_id, post_type in (QUESTION, ANSWER)))
                if post_type == QUESTION:
                    questions.append(row)
                elif post_type != ANSWER:
                    self.unimported_posts.add(post_id)
                    if post_type == TAG_WIKI_EXCERPT:
                        not_imported["tag wiki excerpts"] += 1
                        tag_pk = self.tags.get(self.excerpt_posts.get(post_id))
                        if tag_pk in self.new_tags:
                            excerpts.append(Tag(pk=tag_pk, excerpt=row.text("Body").strip()))
                    elif post_type == TAG_WIKI:
                        not_imported["tag wikis"] += 1
                    else:
                        not_imported["posts of other types"] += 1
            self.history.executemany("INSERT OR IGNORE INTO dump_post VALUES (?, ?)", dump_posts)
            self._create_posts(questions, Post.PostType.QUESTION)
        Tag.objects.bulk_update(excerpts, ["excerpt"], batch_size=BATCH_SIZE)
        skipped = ", ".join(f"{count} {kind}" for kind, count in sorted(not_imported.items()))
        self._say(
            f"Posts.xml: {self.summary.created['questions']} questions created; "
            f"not imported as posts: {skipped or 'nothing'} "
            f"({len(excerpts)} excerpts became tag descriptions)"
        )

    def _import_answers(self):
        answers = (row for row in self._rows("Posts.xml") if row.integer("PostTypeId") == ANSWER)
        for batch in _batched(answers, BATCH_SIZE):
            self._create_posts(batch, Post.PostType.ANSWER)
        self._say(f"Posts.xml: {self.summary.created['answers']} answers created")

    def _create_posts(self, rows, post_type):
        is_question = post_type == Post.PostType.QUESTION
        known = self.questions if is_question else self.answers
        by_url = {}
        for row in rows:
            post_id = row.integer("Id")
            url = f"{self.site}/{'q' if is_question else 'a'}/{post_id}"
            if post_id in known or url in by_url:
                raise row.error(f"post {post_id} appears twice in the dump")
            if not is_question:
                self._check_question(row, row.optional_integer("ParentId"))
            by_url[url] = row
        existing = _existing_source_urls(Post.objects, by_url)
        for url, pk in existing.items():
            known[by_url[url].integer("Id")] = pk
        self.summary.already_present += len(existing)
        fresh = [(url, row) for url, row in by_url.items() if url not in existing]
        if not fresh:
            return

        histories = self._histories([row.integer("Id") for _, row in fresh])
        user_ids = {
            user_id
            for _, row in fresh
            for user_id in (
                row.optional_integer("OwnerUserId"),
                row.optional_integer("LastEditorUserId"),
            )
        }
        user_ids.update(
            snapshot.user_id for history in histories.values() for snapshot in history.revisions
        )
        names = self._user_names(user_ids)
        tag_names = {url: parse_tags(row.get("Tags", "")) for url, row in fresh}
        for url, row in fresh:
            for name in tag_names[url]:
                self._tag_name(row, name)
        self._ensure_tags([name for names_of_post in tag_names.values() for name in names_of_post])

        posts = []
        for url, row in fresh:
            history = histories.get(row.integer("Id"))
            posts.append(self._new_post(row, post_type, url, history, names))
        Post.objects.bulk_create(posts)

        post_tags = []
        revisions = []
        for (url, row), post in zip(fresh, posts, strict=True):
            post_id = row.integer("Id")
            known[post_id] = post.pk
            self.new_posts.add(post_id)
            if is_question:
                if accepted := row.optional_integer("AcceptedAnswerId"):
                    self.accepted_answers[post_id] = accepted
            else:
                self.answer_counts[post.parent_id] += 1
            for name in tag_names[url]:
                post_tags.append(Post.tags.through(post_id=post.pk, tag_id=self.tags[name]))
                self.tag_counts[self.tags[name]] += 1
            revisions.extend(
                self._revisions(post, " ".join(tag_names[url]), histories.get(post_id), names)
            )
        Post.tags.through.objects.bulk_create(post_tags, batch_size=BATCH_SIZE)
        # Imported posts are searchable too: one UPDATE for the batch, once its tags exist.
        search_index_update(post_ids=[post.pk for post in posts])
        PostRevision.objects.bulk_create(revisions, batch_size=BATCH_SIZE)
        self.summary.created["questions" if is_question else "answers"] += len(posts)

    def _check_question(self, row, parent_id):
        if parent_id in self.questions:
            return
        answer_id = row.integer("Id")
        if parent_id is None:
            raise row.error(f"answer {answer_id} has no ParentId")
        in_dump = self.history.execute(
            "SELECT 1 FROM dump_post WHERE id = ?", (parent_id,)
        ).fetchone()
        if in_dump:
            raise row.error(
                f"answer {answer_id} refers to post {parent_id}, which is not a question"
            )
        raise row.error(
            f"answer {answer_id} refers to question {parent_id}, which is not in the dump"
        )

    def _new_post(self, row, post_type, url, history, names):
        is_question = post_type == Post.PostType.QUESTION
        # Stack Exchange keeps the Markdown source only in the history; the HTML body is
        # the fallback, and is valid CommonMark as it stands.
        body = history.body if history and history.body is not None else row.text("Body")
        title = row.text("Title")[:250]
        author, author_name = self._person(
            row.optional_integer("OwnerUserId"), row.get("OwnerDisplayName", ""), names
        )
        editor_id = row.optional_integer("LastEditorUserId")
        last_editor, last_editor_name = (None, "")
        if editor_id is not None or row.get("LastEditorDisplayName"):
            last_editor, last_editor_name = self._person(
                editor_id, row.get("LastEditorDisplayName", ""), names
            )
        created_at = row.date("CreationDate")
        closed_at = row.optional_date("ClosedDate")
        language = row.get("Language") or self.language
        original_language = row.get("OriginalLanguage", "")
        for code in filter(None, (language, original_language)):
            if not LANGUAGE_CODE.fullmatch(code):
                raise row.error(f"{code!r} is not a language code such as en or de")
        return Post(
            post_type=post_type,
            parent_id=None if is_question else self.questions[row.integer("ParentId")],
            title=title,
            slug=(slugify(title)[:250].strip("-") or "question") if is_question else "",
            body_markdown=body,
            body_html=render_post(body),
            author_id=author,
            author_name=author_name,
            score=row.optional_integer("Score") or 0,
            view_count=max(0, row.optional_integer("ViewCount") or 0),
            created_at=created_at,
            last_activity_at=row.optional_date("LastActivityDate") or created_at,
            last_edited_at=row.optional_date("LastEditDate"),
            last_editor_id=last_editor,
            last_editor_name=last_editor_name,
            closed_at=closed_at,
            close_reason=history.close_reason if closed_at and history else "",
            locked_at=history.locked_at if history else None,
            source_url=url,
            licence=row.get("ContentLicense", "")[:50],
            language=language,
            original_language=original_language,
        )

    def _revisions(self, post, tags, history, names):
        if not history or not history.revisions:
            # Every post has a history in Stapel, even when the dump kept none for it.
            self.revision_counts["post"] += 1
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
            author, author_name = self._person(snapshot.user_id, snapshot.user_name, names)
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
                        else f"{self.site}/revisions/{snapshot.guid}"
                    ),
                )
            )
        self.revision_counts["history"] += len(revisions)
        return revisions

    def _set_accepted_answers(self):
        updates = []
        absent = 0
        for question_id, answer_id in self.accepted_answers.items():
            answer_pk = self.answers.get(answer_id)
            if answer_pk is None:
                absent += 1
            else:
                updates.append(Post(pk=self.questions[question_id], accepted_answer_id=answer_pk))
        Post.objects.bulk_update(updates, ["accepted_answer"], batch_size=BATCH_SIZE)
        self._say(
            f"Posts.xml: {len(updates)} accepted answers set, "
            f"{absent} accepted answers absent from the dump skipped"
        )

    # Comments.xml

    def _import_comments(self):
        created = present = skipped = 0
        for batch in _batched(self._rows("Comments.xml"), BATCH_SIZE):
            wanted = {}
            for row in batch:
                comment_id, post_id = row.integer("Id"), row.integer("PostId")
                post_pk = self._post_pk(post_id)
                if post_pk is None:
                    if post_id not in self.unimported_posts:
                        raise row.error(
                            f"comment {comment_id} refers to post {post_id}, which is not in the dump"
                        )
                    skipped += 1
                    continue
                wanted[f"{self.site}/posts/comments/{comment_id}"] = (row, post_pk)
            existing = _existing_source_urls(Comment.objects, wanted)
            fresh = [
                (url, row, post_pk) for url, (row, post_pk) in wanted.items() if url not in existing
            ]
            names = self._user_names(row.optional_integer("UserId") for _, row, _ in fresh)
            comments = []
            for url, row, post_pk in fresh:
                author, author_name = self._person(
                    row.optional_integer("UserId"), row.get("UserDisplayName", ""), names
                )
                text = row.text("Text")
                comments.append(
                    Comment(
                        post_id=post_pk,
                        author_id=author,
                        author_name=author_name,
                        body_markdown=text,
                        body_html=render_comment(text),
                        score=row.optional_integer("Score") or 0,
                        created_at=row.date("CreationDate"),
                        source_url=url,
                        licence=row.get("ContentLicense", "")[:50],
                    )
                )
                self.comment_counts[post_pk] += 1
            Comment.objects.bulk_create(comments)
            created += len(comments)
            present += len(existing)
        self.summary.created["comments"] += created
        self.summary.already_present += present
        self._say(
            f"Comments.xml: {created} comments created, {present} already present, "
            f"{skipped} on posts that are not questions or answers skipped"
        )

    # Votes.xml

    def _import_votes(self):
        skipped = Counter()
        votes = []
        created = 0
        for row in self._rows("Votes.xml"):
            value = VOTE_VALUES.get(row.integer("VoteTypeId"))
            if value is None:
                skipped["of other types (acceptances, favourites, close votes …)"] += 1
                continue
            post_id = row.integer("PostId")
            post_pk = self._post_pk(post_id)
            if post_pk is None:
                if post_id in self.unimported_posts:
                    skipped["on posts that are not questions or answers"] += 1
                else:
                    skipped["on posts absent from the dump"] += 1
            elif post_id not in self.new_posts:
                skipped["on posts imported by an earlier run"] += 1
            else:
                votes.append(
                    Vote(post_id=post_pk, value=value, created_at=row.date("CreationDate"))
                )
            if len(votes) == BATCH_SIZE:
                Vote.objects.bulk_create(votes)
                created += len(votes)
                votes = []
        Vote.objects.bulk_create(votes)
        created += len(votes)
        filled = self._fill_in_missing_votes()
        self.summary.created["votes"] += created + filled
        skipped_text = "; ".join(f"{count} {reason}" for reason, count in sorted(skipped.items()))
        self._say(
            f"Votes.xml: {created} votes created, {filled} added where the dump's score counts "
            f"votes it does not list; skipped: {skipped_text or 'none'}"
        )

    def _fill_in_missing_votes(self):
        """The dump's Score is what the site showed, but Votes.xml can lack votes (those of
        deleted accounts, say). Anonymous votes make up the difference, so that a post's
        score is always the sum of its votes, as `recount` checks."""
        new_pks = sorted(self._post_pk(post_id) for post_id in self.new_posts)
        filled = 0
        for batch in _batched(new_pks, BATCH_SIZE):
            short = (
                Post.objects.filter(pk__in=batch)
                .annotate(listed=Coalesce(Sum("votes__value"), 0))
                .exclude(score=F("listed"))
                .values_list("pk", "score", "listed", "created_at")
            )
            missing = [
                Vote(post_id=pk, value=1 if score > listed else -1, created_at=created_at)
                for pk, score, listed, created_at in short
                for _ in range(abs(score - listed))
            ]
            Vote.objects.bulk_create(missing, batch_size=BATCH_SIZE)
            filled += len(missing)
        return filled

    # PostLinks.xml

    def _import_links(self):
        created = present = 0
        skipped = Counter()
        for batch in _batched(self._rows("PostLinks.xml"), BATCH_SIZE):
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
                    ends.append(self._post_pk(post_id))
                    if ends[-1] is None and post_id not in self.unimported_posts:
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
        self.summary.created["links"] += created
        self.summary.already_present += present
        skipped_text = "; ".join(f"{count} {reason}" for reason, count in sorted(skipped.items()))
        self._say(
            f"PostLinks.xml: {created} links created, {present} already present; "
            f"skipped: {skipped_text or 'none'}"
        )


def _username_prefix(site_url):
    host = (urlsplit(site_url).hostname or "site").removeprefix("www.")
    if host.endswith(".stackexchange.com"):
        host = host.removesuffix(".stackexchange.com")
    elif "." in host:
        host = host.rsplit(".", 1)[0]
    # Django's username validator allows letters, digits and @ . + - _ only.
    return re.sub(r"[^\w.+-]", "-", host)


def _reputation(row):
    reputation = row.optional_integer("Reputation")
    return 1 if reputation is None else reputation
