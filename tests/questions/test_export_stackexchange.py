"""`manage.py export_stackexchange`: the site as a Stack Exchange data dump, which the
importer takes back whole."""

import re
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from accounts.models import User
from badges.models import Award, Badge
from questions.models import (
    Comment,
    Post,
    PostLink,
    PostRevision,
    PostTag,
    ReputationEvent,
    Tag,
    TagRevision,
    Vote,
)
from tests import factories
from tests.questions.test_import_stackexchange import CONLANG_DUMP, needs_conlang_dump, run_import

# And Badges.xml, which the badges app adds (badges/exporter.py).
FILES = ("Users", "Tags", "Posts", "PostHistory", "Comments", "Votes", "PostLinks", "Badges")


def export(folder, *options):
    call_command("export_stackexchange", str(folder), "--quiet", *options)


def rows(path):
    return [element.attrib for element in ElementTree.parse(path).getroot()]


# The target


@pytest.mark.django_db
def test_a_folder_that_is_not_empty_is_refused_and_nothing_is_written(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")

    with pytest.raises(CommandError, match="is not empty"):
        export(tmp_path)

    assert [path.name for path in tmp_path.iterdir()] == ["notes.txt"]


@pytest.mark.django_db
def test_a_target_that_is_a_file_or_under_one_is_refused(tmp_path):
    file = tmp_path / "file"
    file.write_text("x")

    with pytest.raises(CommandError, match="is not a folder"):
        export(file)
    with pytest.raises(CommandError, match="is not a writable folder"):
        export(file / "dump")

    assert file.read_text() == "x"


# The format


@pytest.mark.django_db
def test_the_files_are_utf8_xml_with_stack_exchanges_rows_escapes_and_dates(tmp_path):
    author = factories.user(display_name='Zoë <Ada> & "friends"')
    question = factories.question(
        author=author, title="Ünïcode & <tags>", body="Line one\n\nLine two\x01 ✓"
    )
    folder = tmp_path / "dump"

    export(folder)

    assert sorted(path.name for path in folder.iterdir()) == sorted(f"{f}.xml" for f in FILES)
    raw = (folder / "Posts.xml").read_bytes()
    assert raw.startswith(b'\xef\xbb\xbf<?xml version="1.0" encoding="utf-8"?>\n<posts>\n')
    history = (folder / "PostHistory.xml").read_text(encoding="utf-8-sig")
    assert "Line one&#xA;&#xA;Line two ✓" in history
    (post,) = rows(folder / "Posts.xml")
    assert post["Id"] == str(question.pk)
    assert post["Title"] == "Ünïcode & <tags>"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}", post["CreationDate"])
    users = {row["Id"]: row for row in rows(folder / "Users.xml")}
    assert users[str(author.pk)]["DisplayName"] == 'Zoë <Ada> & "friends"'
    bodies = [
        row["Text"] for row in rows(folder / "PostHistory.xml") if row["PostHistoryTypeId"] == "2"
    ]
    assert bodies == ["Line one\n\nLine two ✓"]


@pytest.mark.django_db
def test_deleted_posts_and_their_rows_are_left_out_as_stack_exchange_leaves_them_out(tmp_path):
    kept = factories.question(title="Kept question here")
    gone = factories.question(title="Deleted question here", deleted_at=timezone.now())
    factories.answer(question=gone)
    folder = tmp_path / "dump"

    export(folder)

    assert [row["Id"] for row in rows(folder / "Posts.xml")] == [str(kept.pk)]
    assert {row["PostId"] for row in rows(folder / "PostHistory.xml")} == {str(kept.pk)}


# The round trip


def _snapshot(*, exported):
    """What the site holds, keyed so that the site and the import of its export compare
    equal: posts and people by their primary keys on the exported site (which the import
    of the export has in its source URLs)."""
    posts = Post.objects.all()

    def ident(row):
        return int(row.source_url.rsplit("/", 1)[1]) if exported else row.pk

    key = {post.pk: ident(post) for post in posts}
    users = {user.pk: ident(user) for user in User.objects.all()}

    def normal(html):
        # Links to local pages name our primary keys; compare what they point at.
        html = re.sub(
            r'href="/questions/(\d+)/', lambda m: f'href="/questions/P{key[int(m[1])]}/', html
        )
        html = re.sub(r"#answer-(\d+)", lambda m: f"#answer-P{key[int(m[1])]}", html)
        return re.sub(r'href="/users/(\d+)/', lambda m: f'href="/users/U{users[int(m[1])]}/', html)

    return {
        "counts": {
            model.__name__: model.objects.count()
            for model in (
                *(User, Post, Comment, Vote, Tag, TagRevision),
                *(PostRevision, PostLink, PostTag, Award),
            )
        },
        "badges": sorted(Award.objects.values_list("badge__name", "user__display_name")),
        "reputation": sorted(User.objects.values_list("display_name", "reputation")),
        "posts": {
            key[post.pk]: (
                post.post_type,
                post.score,
                post.title,
                post.answer_count,
                post.comment_count,
                post.view_count,
                post.close_reason,
                bool(post.closed_at),
                bool(post.wiki_at),
                post.author_name,
                post.body_markdown,
                normal(post.body_html),
                key.get(post.accepted_answer_id),
                [tag.name for tag in post.tags.order_by("posttag__position", "name")],
            )
            for post in posts
        },
        "revisions": sorted(
            (key[revision.post_id], revision.number, revision.title, revision.tags)
            + (revision.body_markdown, revision.author_name, revision.summary)
            + (revision.created_at,)
            for revision in PostRevision.objects.all()
        ),
        "comments": sorted(
            (key[comment.post_id], comment.score, comment.author_name, normal(comment.body_html))
            for comment in Comment.objects.all()
        ),
        "links": sorted(
            (key[link.post_id], key[link.related_id], link.kind) for link in PostLink.objects.all()
        ),
        "tags": sorted(
            Tag.objects.annotate(tagged=Count("questions")).values_list(
                "name", "question_count", "tagged", "excerpt", "wiki_markdown", "wiki_html"
            )
        ),
        "tag revisions": sorted(
            TagRevision.objects.values_list(
                "tag__name",
                "number",
                "excerpt",
                "wiki_markdown",
                "author_name",
                "summary",
                "created_at",
            )
        ),
    }


def _empty_the_site():
    Award.objects.all().delete()
    Badge.objects.update(award_count=0)
    Post.objects.all().delete()
    Tag.objects.all().delete()
    ReputationEvent.objects.all().delete()
    User.objects.all().delete()


@needs_conlang_dump
@pytest.mark.django_db
def test_the_conlang_dump_round_trips_through_an_export(tmp_path):
    run_import(CONLANG_DUMP, "--quiet")
    before = _snapshot(exported=False)
    folder = tmp_path / "stapel-export"

    export(folder)
    _empty_the_site()
    run_import(folder, "--quiet", "--site-url", settings.FORUM_SITE_URL)

    after = _snapshot(exported=True)
    for part in before:
        assert after[part] == before[part], part
