"""Export of the site as a Stack Exchange data dump: the XML files Stack Exchange publishes
(Users, Tags, Posts, PostHistory, Comments, Votes, PostLinks), which
`manage.py import_stackexchange` (and other tools that read the dumps) take back.

How it is written
- UTF-8 with a byte order mark, one `<row />` per line, every value an attribute, as in
  Stack Exchange's files: line breaks in values written as `&#xA;`, characters XML 1.0
  cannot hold left out, dates in UTC as 2020-02-01T12:00:00.000.
- Streamed: every table is read with `iterator()` in chunks and written row by row, so
  memory stays flat whatever the size of the site; the per-row lookups (a question's tags,
  a post's revisions) are read a chunk of posts at a time.
- Ids are our primary keys. Deleted posts (and their answers, comments, votes, links and
  history) are left out, as Stack Exchange leaves them out of its dumps; so are deleted
  comments.
- A post's Body is the HTML it shows, with links to this site's pages made absolute
  (`site_url`), so that importing the export with `--site-url` of this site points them
  at the imported posts again. Its Markdown, and that of every revision, is in
  PostHistory.xml.
"""

import json
import os
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from urllib.parse import urlsplit

from django.db.models import Exists, OuterRef, Q

from accounts.models import User
from questions.models import (
    Comment,
    Post,
    PostLink,
    PostRevision,
    PostTag,
    Tag,
    TagRevision,
    Vote,
)

CHUNK = 2000
PROGRESS_EVERY_ROWS = 100_000

# PostTypeId, PostHistoryTypeId, VoteTypeId, as the importer reads them.
QUESTION, ANSWER, TAG_WIKI_EXCERPT, TAG_WIKI = 1, 2, 4, 5
INITIAL = {"title": 1, "body": 2, "tags": 3}
EDITED = {"title": 4, "body": 5, "tags": 6}
CLOSED, LOCKED, COMMUNITY_OWNED, PROTECTED, MIGRATED_AWAY, MIGRATED_HERE = 10, 14, 16, 19, 35, 36
UP, DOWN = 2, 3
CLOSE_REASON_IDS = {
    Post.CloseReason.DUPLICATE: 101,
    Post.CloseReason.OFF_TOPIC: 102,
    Post.CloseReason.NEEDS_DETAILS: 103,
    Post.CloseReason.NEEDS_FOCUS: 104,
    Post.CloseReason.OPINION_BASED: 105,
    "exact-duplicate": 1,
    "subjective-and-argumentative": 3,
    "not-a-real-question": 4,
    "too-localized": 7,
    "general-reference": 10,
    "noise-or-pointless": 20,
}
FILES = ("Users", "Tags", "Posts", "PostHistory", "Comments", "Votes", "PostLinks")

# XML 1.0 allows tab, line feed, carriage return and these ranges only.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ESCAPES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "\n": "&#xA;",
    "\r": "&#xD;",
    "\t": "&#x9;",
}
_ESCAPED = re.compile('[&<>"\n\r\t]')
# A link to a question or answer of a Stack Exchange site, as comments hold them.
_SOURCE_POST_LINK = re.compile(
    r"https?://[^/\s()<>\]]+/(?:(?:q|questions)/(?P<question>\d+)(?:/[^\s()<>\]#?]*)?"
    r"(?:#(?P<answer>\d+))?|a/(?P<answer_only>\d+)(?:/\d+)?)"
)
_LOCAL_LINK = re.compile(r'href="/(?=(?:questions|q|a|users)/\d)')


# Files that apps above `questions` add to the export (Badges.xml from the badges app):
# {file stem: write(row)}, where `row(**attributes)` writes one <row />. Registered in the
# app's AppConfig.ready() with `export_file_register`.
_EXTRA_FILES = {}


def export_file_register(name, write):
    """Writes `name`.xml with `write(row)` after the dump's own files; `write` streams its
    rows (keyset_chunks) and formats dates with se_date."""
    _EXTRA_FILES[name] = write


class ExportError(Exception):
    """A target the export refuses, before it writes anything."""


@dataclass
class ExportSummary:
    folder: Path
    rows: dict = field(default_factory=dict)

    def __str__(self):
        counts = ", ".join(f"{count} in {name}.xml" for name, count in self.rows.items())
        return f"Exported to {self.folder}: {counts}."


def check_target(folder):
    """Refuses a folder that is not empty or cannot be written to, or a path that is not a
    folder; a folder that does not exist yet is made (its parent must be writable)."""
    folder = Path(folder)
    if folder.exists():
        if not folder.is_dir():
            raise ExportError(f"{folder} is not a folder")
        if any(folder.iterdir()):
            raise ExportError(f"{folder} is not empty: the export writes into an empty folder")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise ExportError(f"{folder} is not writable")
        return folder
    parent = folder.parent
    if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
        raise ExportError(f"cannot make {folder}: {parent} is not a writable folder")
    folder.mkdir()
    return folder


def export_stackexchange_dump(*, folder, site_url, progress=None):
    """Writes the site into the empty or new `folder` as a Stack Exchange dump. Returns an
    ExportSummary; raises ExportError, having written nothing, for a bad target."""
    folder = check_target(folder)
    writer = _Writer(folder=folder, site_url=site_url.rstrip("/"), progress=progress)
    summary = ExportSummary(folder=folder)
    for name in FILES:
        with writer.file(name) as rows:
            getattr(writer, f"write_{name.lower()}")(rows)
        summary.rows[name] = writer.counts[name]
    for name, write in _EXTRA_FILES.items():
        with writer.file(name) as rows:
            write(rows)
        summary.rows[name] = writer.counts[name]
    return summary


def se_date(moment):
    if moment is None:
        return None
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}"


def _attribute(value):
    text = _NOT_XML.sub("", str(value))
    return _ESCAPED.sub(lambda match: _ESCAPES[match[0]], text)


def keyset_chunks(queryset, key="pk"):
    """The queryset's rows in chunks of CHUNK, by ascending `key` (keyset pagination)."""
    last = None
    while True:
        page = queryset.order_by(key)
        if last is not None:
            page = page.filter(**{f"{key}__gt": last})
        rows = list(page[:CHUNK])
        if not rows:
            return
        yield rows
        last = getattr(rows[-1], key) if not isinstance(rows[-1], tuple) else rows[-1][0]


class _RowFile:
    def __init__(self, writer, name, stream):
        self.writer = writer
        self.name = name
        self.stream = stream

    def __call__(self, **attributes):
        self.stream.write(
            "  <row "
            + " ".join(
                f'{key}="{_attribute(value)}"'
                for key, value in attributes.items()
                if value is not None
            )
            + " />\n"
        )
        count = self.writer.counts[self.name] = self.writer.counts[self.name] + 1
        if count % PROGRESS_EVERY_ROWS == 0:
            self.writer.say(f"{self.name}.xml: {count} rows written …")


class _File:
    def __init__(self, writer, name):
        self.writer = writer
        self.name = name

    def __enter__(self):
        self.stream = (self.writer.folder / f"{self.name}.xml").open("w", encoding="utf-8")
        self.stream.write(f'\ufeff<?xml version="1.0" encoding="utf-8"?>\n<{self.name.lower()}>\n')
        self.writer.counts[self.name] = 0
        return _RowFile(self.writer, self.name, self.stream)

    def __exit__(self, *exc):
        self.stream.write(f"</{self.name.lower()}>\n")
        self.stream.close()
        self.writer.say(f"{self.name}.xml: {self.writer.counts[self.name]} rows")


def _exported_posts():
    """Posts as a dump holds them: not deleted, and no answer of a deleted question."""
    return Post.objects.filter(deleted_at__isnull=True).filter(
        Q(parent__isnull=True) | Q(parent__deleted_at__isnull=True)
    )


class _Writer:
    def __init__(self, *, folder, site_url, progress):
        self.folder = folder
        self.site = site_url
        self.progress = progress
        self.counts = {}
        self.history_id = 0

    def say(self, message):
        if self.progress:
            self.progress(message)

    def file(self, name):
        return _File(self, name)

    def absolute_links(self, html):
        return _LOCAL_LINK.sub(f'href="{self.site}/', html)

    def write_users(self, row):
        users = User.objects.only(
            "id",
            "reputation",
            "date_joined",
            "display_name",
            "username",
            "last_seen_at",
            "website",
            "location",
            "about_markdown",
        )
        for chunk in keyset_chunks(users):
            for user in chunk:
                row(
                    Id=user.pk,
                    Reputation=user.reputation,
                    CreationDate=se_date(user.date_joined),
                    DisplayName=user.name,
                    LastAccessDate=se_date(user.last_seen_at or user.date_joined),
                    WebsiteUrl=user.website,
                    Location=user.location,
                    AboutMe=user.about_markdown,
                )

    def write_tags(self, row):
        # A described tag's description and wiki go out as its two tag wiki posts (an
        # excerpt and a wiki body), whose ids follow the posts' ids; their revisions go to
        # PostHistory.xml. Only (tag pk, excerpt id, wiki id) is kept in memory.
        self.tag_wikis = []
        next_id = (Post.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        revised = TagRevision.objects.filter(tag=OuterRef("pk"))
        tags = Tag.objects.only("id", "name", "excerpt", "question_count", "wiki_html").annotate(
            revised=Exists(revised)
        )
        for chunk in keyset_chunks(tags):
            for tag in chunk:
                excerpt_id = wiki_id = None
                if tag.excerpt or tag.wiki_html or tag.revised:
                    excerpt_id = next_id + 2 * len(self.tag_wikis)
                    wiki_id = excerpt_id + 1
                    self.tag_wikis.append((tag.pk, excerpt_id, wiki_id))
                row(
                    Id=tag.pk,
                    TagName=tag.name,
                    Count=tag.question_count,
                    ExcerptPostId=excerpt_id,
                    WikiPostId=wiki_id,
                )

    def _described_tags(self, fields):
        """(tag, excerpt id, wiki id) of the tags write_tags gave wiki posts, in chunks."""
        for start in range(0, len(self.tag_wikis), CHUNK):
            ids = {tag_pk: (e, w) for tag_pk, e, w in self.tag_wikis[start : start + CHUNK]}
            tags = Tag.objects.filter(pk__in=ids).only(*fields).order_by("pk")
            yield [(tag, *ids[tag.pk]) for tag in tags]

    def write_posts(self, row):
        posts = _exported_posts().select_related("parent").defer("body_markdown")
        for chunk in keyset_chunks(posts):
            tags = _tags_of([post.pk for post in chunk if post.is_question])
            for post in chunk:
                row(
                    Id=post.pk,
                    PostTypeId=post.post_type,
                    ParentId=post.parent_id,
                    AcceptedAnswerId=_accepted(post),
                    CreationDate=se_date(post.created_at),
                    Score=post.score,
                    ViewCount=post.view_count if post.is_question else None,
                    Body=self.absolute_links(post.body_html),
                    OwnerUserId=post.author_id,
                    OwnerDisplayName=post.author_name if not post.author_id else None,
                    LastEditorUserId=post.last_editor_id,
                    LastEditorDisplayName=(
                        post.last_editor_name if not post.last_editor_id else None
                    ),
                    LastEditDate=se_date(post.last_edited_at),
                    LastActivityDate=se_date(post.last_activity_at),
                    Title=post.title if post.is_question else None,
                    Tags="".join(f"<{name}>" for name in tags.get(post.pk, [])) or None,
                    AnswerCount=post.answer_count if post.is_question else None,
                    CommentCount=post.comment_count,
                    ClosedDate=se_date(post.closed_at),
                    CommunityOwnedDate=se_date(post.wiki_at),
                    ContentLicense=post.licence,
                )
        for chunk in self._described_tags(["id", "excerpt", "wiki_html", "created_at"]):
            for tag, excerpt_id, wiki_id in chunk:
                for post_id, kind, body in (
                    (excerpt_id, TAG_WIKI_EXCERPT, tag.excerpt),
                    (wiki_id, TAG_WIKI, self.absolute_links(tag.wiki_html)),
                ):
                    row(
                        Id=post_id,
                        PostTypeId=kind,
                        CreationDate=se_date(tag.created_at),
                        Score=0,
                        Body=body,
                    )

    def write_posthistory(self, row):
        posts = _exported_posts().only(
            "id",
            "post_type",
            "title",
            "body_markdown",
            "author_id",
            "author_name",
            "created_at",
            "closed_at",
            "close_reason",
            "closers",
            "locked_at",
            "protected_at",
            "wiki_at",
            "migrated_from",
            "migrated_to",
            "migrated_at",
        )
        for chunk in keyset_chunks(posts):
            revisions = defaultdict(list)
            for revision in PostRevision.objects.filter(post__in=chunk).order_by(
                "post_id", "number"
            ):
                revisions[revision.post_id].append(revision)
            unrevised = [post for post in chunk if not revisions[post.pk]]
            tags = _tags_of([post.pk for post in unrevised if post.is_question])
            for post in unrevised:
                # A post made without the services (a generated one, say) has no history:
                # its own fields are its first revision, as the importer does the other way.
                revisions[post.pk] = [_first_revision(post, tags.get(post.pk, []))]
            for post in chunk:
                self._revision_rows(row, post, revisions[post.pk])
                self._state_rows(row, post)
        self._tag_wiki_rows(row)

    def _tag_wiki_rows(self, row):
        """Each tag revision as body rows of the tag's excerpt and wiki posts: a first
        revision sets both, a later one only what it changed."""
        fields = ["id", "excerpt", "wiki_markdown", "created_at"]
        for chunk in self._described_tags(fields):
            revisions = defaultdict(list)
            for revision in TagRevision.objects.filter(
                tag__in=[tag for tag, _, _ in chunk]
            ).order_by("tag_id", "number"):
                revisions[revision.tag_id].append(revision)
            for tag, excerpt_id, wiki_id in chunk:
                before = None
                # A tag described before it had revisions: its texts are its first one.
                for revision in revisions[tag.pk] or [
                    TagRevision(
                        tag=tag,
                        number=1,
                        excerpt=tag.excerpt,
                        wiki_markdown=tag.wiki_markdown,
                        created_at=tag.created_at,
                    )
                ]:
                    now = {excerpt_id: revision.excerpt, wiki_id: revision.wiki_markdown}
                    kind = EDITED["body"] if before else INITIAL["body"]
                    guid = _tag_guid(revision)
                    first = True
                    for post_id, text in now.items():
                        if before and before[post_id] == text:
                            continue
                        self._history(
                            row,
                            post_id,
                            kind,
                            revision.created_at,
                            guid,
                            UserId=revision.author_id,
                            UserDisplayName=(
                                revision.author_name if not revision.author_id else None
                            ),
                            Comment=revision.summary if first else None,
                            Text=text,
                        )
                        first = False
                    before = now

    def _history(self, row, post_id, kind, moment, guid, **attributes):
        self.history_id += 1
        row(
            Id=self.history_id,
            PostHistoryTypeId=kind,
            PostId=post_id,
            RevisionGUID=guid,
            CreationDate=se_date(moment),
            **attributes,
        )

    def _revision_rows(self, row, post, revisions):
        before = {}
        for revision in revisions:
            guid = _guid(revision)
            now = {"title": revision.title, "body": revision.body_markdown}
            if post.is_question:
                now["tags"] = "".join(f"<{name}>" for name in revision.tags.split())
            kinds = INITIAL if not before else EDITED
            first = True
            for part, value in now.items():
                if before and before.get(part) == value:
                    continue
                if part == "title" and not post.is_question:
                    continue
                self._history(
                    row,
                    post.pk,
                    kinds[part],
                    revision.created_at,
                    guid,
                    UserId=revision.author_id,
                    UserDisplayName=revision.author_name if not revision.author_id else None,
                    Comment=revision.summary if first else None,
                    Text=value,
                )
                first = False
            before = now

    def _state_rows(self, row, post):
        guid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{self.site}/posts/{post.pk}/state"))
        if post.wiki_at:
            self._history(row, post.pk, COMMUNITY_OWNED, post.wiki_at, guid + "-w")
        if post.protected_at:
            self._history(row, post.pk, PROTECTED, post.protected_at, guid + "-p")
        if post.locked_at:
            self._history(row, post.pk, LOCKED, post.locked_at, guid + "-l")
        if post.migrated_from:
            self._history(
                row,
                post.pk,
                MIGRATED_HERE,
                post.migrated_at,
                guid + "-mf",
                Comment=f"from {post.migrated_from}",
            )
        if post.migrated_to:
            self._history(
                row,
                post.pk,
                MIGRATED_AWAY,
                post.migrated_at,
                guid + "-mt",
                Comment=f"to {post.migrated_to}",
            )
        if post.closed_at:
            voters = [
                {"Id": closer.get("user"), "DisplayName": closer.get("name", "")}
                for closer in post.closers
            ]
            self._history(
                row,
                post.pk,
                CLOSED,
                post.closed_at,
                guid + "-c",
                Comment=CLOSE_REASON_IDS.get(post.close_reason, post.close_reason),
                Text=json.dumps({"Voters": voters}),
            )

    def write_comments(self, row):
        comments = Comment.objects.filter(deleted_at__isnull=True, post__in=_exported_posts()).only(
            "id",
            "post_id",
            "score",
            "body_markdown",
            "created_at",
            "author_id",
            "author_name",
            "licence",
            "source_url",
        )
        for chunk in keyset_chunks(comments):
            texts = self._texts_linking_here(chunk)
            for comment in chunk:
                row(
                    Id=comment.pk,
                    PostId=comment.post_id,
                    Score=comment.score,
                    Text=texts.get(comment.pk, comment.body_markdown),
                    CreationDate=se_date(comment.created_at),
                    UserId=comment.author_id,
                    UserDisplayName=comment.author_name if not comment.author_id else None,
                    ContentLicense=comment.licence,
                )

    def _texts_linking_here(self, comments):
        """{comment pk: its Markdown with links to imported posts made links to ours} for
        the imported comments whose Markdown links to posts of the site they came from.
        (Their stored HTML links to our pages already; the Markdown the export holds must
        too, since comments are rendered from it when imported.)"""
        found = {}
        for comment in comments:
            if not comment.source_url:
                continue
            site = "{0.scheme}://{0.netloc}".format(urlsplit(comment.source_url))
            links = [
                (match, _source_url(site, match))
                for match in _SOURCE_POST_LINK.finditer(comment.body_markdown)
                if urlsplit(match[0]).netloc == urlsplit(site).netloc
            ]
            if links:
                found[comment.pk] = links
        sources = {source for links in found.values() for _, source in links}
        sources |= {source.replace("/q/", "/a/") for source in sources}
        pks = dict(Post.objects.filter(source_url__in=sources).values_list("source_url", "pk"))
        texts = {}
        for comment in comments:
            text = comment.body_markdown
            for match, source in reversed(found.get(comment.pk, [])):
                pk = pks.get(source) or pks.get(source.replace("/q/", "/a/"))
                if pk is not None:
                    text = text[: match.start()] + f"{self.site}/q/{pk}" + text[match.end() :]
            if text != comment.body_markdown:
                texts[comment.pk] = text
        return texts

    def write_votes(self, row):
        votes = Vote.objects.filter(post__in=_exported_posts()).only(
            "id", "post_id", "value", "created_at"
        )
        for chunk in keyset_chunks(votes):
            for vote in chunk:
                row(
                    Id=vote.pk,
                    PostId=vote.post_id,
                    VoteTypeId=UP if vote.value > 0 else DOWN,
                    CreationDate=se_date(vote.created_at),
                )

    def write_postlinks(self, row):
        links = PostLink.objects.filter(post__in=_exported_posts(), related__in=_exported_posts())
        for chunk in keyset_chunks(links):
            for link in chunk:
                row(
                    Id=link.pk,
                    CreationDate=se_date(link.created_at),
                    PostId=link.post_id,
                    RelatedPostId=link.related_id,
                    LinkTypeId=link.kind,
                )


def _tags_of(question_ids):
    tags = defaultdict(list)
    for post_id, name in (
        PostTag.objects.filter(post_id__in=question_ids)
        .order_by("post_id", "position", "tag__name")
        .values_list("post_id", "tag__name")
    ):
        tags[post_id].append(name)
    return tags


def _source_url(site, match):
    """The source URL the importer gives the post a link names."""
    if answer := match["answer"] or match["answer_only"]:
        return f"{site}/a/{answer}"
    return f"{site}/q/{match['question']}"


def _first_revision(post, tags):
    return PostRevision(
        post_id=post.pk,
        number=1,
        author_id=post.author_id,
        author_name=post.author_name,
        title=post.title,
        tags=" ".join(tags),
        body_markdown=post.body_markdown,
        created_at=post.created_at,
    )


def _accepted(post):
    return post.accepted_answer_id if post.is_question else None


def _tag_guid(revision):
    if "/revisions/" in revision.source_url:
        return revision.source_url.rsplit("/", 1)[1]
    return str(
        uuid.uuid5(uuid.NAMESPACE_URL, f"stapel-tag-revision:{revision.tag_id}:{revision.number}")
    )


def _guid(revision):
    if "/revisions/" in revision.source_url:
        return revision.source_url.rsplit("/", 1)[1]
    return str(
        uuid.uuid5(uuid.NAMESPACE_URL, f"stapel-revision:{revision.post_id}:{revision.number}")
    )
