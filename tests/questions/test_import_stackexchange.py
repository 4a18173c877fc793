"""`manage.py import_stackexchange`: a Stack Exchange data dump, imported whole or not at all."""

import io
import re
from collections import Counter, defaultdict
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import quoteattr

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Sum

from accounts.models import User
from questions.models import Comment, Post, PostLink, PostRevision, ReputationEvent, Tag, Vote

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CONLANG_DUMP = PROJECT_ROOT.parent / "shared" / "corpora" / "stackexchange-conlang"
CONLANG_SITE = "https://conlang.stackexchange.com"
DEMO_DUMP = PROJECT_ROOT / "questions" / "demo_data"
SITE = "https://example.stackexchange.com"

needs_conlang_dump = pytest.mark.skipif(
    not (CONLANG_DUMP / "Posts.xml").is_file(),
    reason=f"the conlang.stackexchange.com dump is not checked out at {CONLANG_DUMP}",
)

DUMP_FILES = ("Users", "Tags", "Posts", "PostHistory", "Comments", "Votes", "PostLinks")
# In a dump written by `write_dump`, the first row stands on line 3 of its file.
FIRST_ROW_LINE = 3


def run_import(folder, *options):
    out = io.StringIO()
    call_command("import_stackexchange", str(folder), *options, stdout=out)
    return out.getvalue()


def xml_rows(path):
    return [element.attrib for element in ElementTree.parse(path).getroot()]


def table_counts():
    """Every table the import writes to, and the counters it keeps, in one comparable dict."""
    counts = {
        model.__name__: model.objects.count()
        for model in (
            User,
            Post,
            Comment,
            Vote,
            Tag,
            PostRevision,
            PostLink,
            ReputationEvent,
            Post.tags.through,
        )
    }
    counts.update(Post.objects.aggregate(Sum("answer_count"), Sum("comment_count")))
    counts.update(Tag.objects.aggregate(Sum("question_count")))
    return counts


def row(**attributes):
    return (
        "<row "
        + " ".join(f"{name}={quoteattr(str(value))}" for name, value in attributes.items())
        + " />"
    )


def user_row(user_id, **attributes):
    return row(
        Id=user_id,
        Reputation=attributes.pop("Reputation", 101),
        CreationDate="2020-01-01T10:00:00.000",
        DisplayName=attributes.pop("DisplayName", f"Person {user_id}"),
        LastAccessDate="2021-06-01T10:00:00.000",
        **attributes,
    )


def question_row(post_id, **attributes):
    return row(
        Id=post_id,
        PostTypeId=1,
        CreationDate=attributes.pop("CreationDate", "2020-02-01T12:00:00.000"),
        Score=attributes.pop("Score", 3),
        ViewCount=40,
        Body=attributes.pop("Body", f"<p>Body of question {post_id}</p>\n"),
        OwnerUserId=attributes.pop("OwnerUserId", 1),
        Title=attributes.pop("Title", f"Question number {post_id}"),
        Tags=attributes.pop("Tags", "<grammar>"),
        ContentLicense="CC BY-SA 4.0",
        **attributes,
    )


def answer_row(post_id, parent_id, **attributes):
    return row(
        Id=post_id,
        PostTypeId=2,
        ParentId=parent_id,
        CreationDate="2020-02-02T12:00:00.000",
        Score=attributes.pop("Score", 1),
        Body=attributes.pop("Body", f"<p>Body of answer {post_id}</p>\n"),
        OwnerUserId=attributes.pop("OwnerUserId", 1),
        ContentLicense="CC BY-SA 4.0",
        **attributes,
    )


def comment_row(comment_id, post_id, **attributes):
    return row(
        Id=comment_id,
        PostId=post_id,
        Score=0,
        Text=attributes.pop("Text", "A *fine* comment"),
        CreationDate="2020-02-03T12:00:00.000",
        UserId=attributes.pop("UserId", 1),
        ContentLicense="CC BY-SA 4.0",
        **attributes,
    )


def history_row(history_id, post_id, kind, guid, text, **attributes):
    return row(
        Id=history_id,
        PostHistoryTypeId=kind,
        PostId=post_id,
        RevisionGUID=guid,
        CreationDate=attributes.pop("CreationDate", "2020-02-01T12:00:00.000"),
        UserId=attributes.pop("UserId", 1),
        Text=text,
        **attributes,
    )


@pytest.fixture
def write_dump(tmp_path):
    """Writes a small dump folder: each keyword names a file and gives its rows."""

    def write(name="stackexchange-example", **files):
        folder = tmp_path / name
        folder.mkdir()
        files.setdefault("Users", [user_row(1, DisplayName="Ada")])
        for stem in DUMP_FILES:
            rows = "\n".join(f"  {line}" for line in files.get(stem, []))
            root = stem.lower()
            (folder / f"{stem}.xml").write_text(
                f'\ufeff<?xml version="1.0" encoding="utf-8"?>\n<{root}>\n{rows}\n</{root}>\n',
                encoding="utf-8",
            )
        return folder

    return write


# The real dump of conlang.stackexchange.com


@needs_conlang_dump
@pytest.mark.django_db
def test_the_conlang_dump_imports_one_row_per_user_question_answer_and_comment_in_the_xml():
    run_import(CONLANG_DUMP, "--quiet")

    posts = xml_rows(CONLANG_DUMP / "Posts.xml")
    post_types = Counter(post["PostTypeId"] for post in posts)
    assert Post.objects.questions().count() == post_types["1"]
    assert Post.objects.answers().count() == post_types["2"]
    assert Comment.objects.count() == len(xml_rows(CONLANG_DUMP / "Comments.xml"))
    assert User.objects.count() == len(xml_rows(CONLANG_DUMP / "Users.xml"))
    assert set(Post.objects.values_list("source_url", flat=True)) == {
        f"{CONLANG_SITE}/{'q' if post['PostTypeId'] == '1' else 'a'}/{post['Id']}"
        for post in posts
        if post["PostTypeId"] in ("1", "2")
    }


@needs_conlang_dump
@pytest.mark.django_db
def test_an_imported_question_keeps_its_score_answers_accepted_answer_licence_author_and_address():
    run_import(CONLANG_DUMP, "--quiet")

    question = Post.objects.get(source_url=f"{CONLANG_SITE}/q/1")
    assert question.title == "Are questions asked in conlangs accepted on this site?"
    assert question.slug == "are-questions-asked-in-conlangs-accepted-on-this-site"
    assert question.score == 10
    assert question.view_count == 172
    assert question.answer_count == 3 == question.answers.count()
    assert question.accepted_answer.source_url == f"{CONLANG_SITE}/a/2"
    assert question.licence == "CC BY-SA 3.0"
    assert question.author.source_url == f"{CONLANG_SITE}/users/14"
    assert question.author_name == question.author.display_name == "bytebuster"
    assert sorted(question.tags.values_list("name", flat=True)) == ["discussion", "on-topic"]
    assert question.language == "en"
    assert question.original_language == ""


@needs_conlang_dump
@pytest.mark.django_db
def test_posts_by_people_missing_from_users_xml_keep_the_name_the_dump_gives():
    run_import(CONLANG_DUMP, "--quiet")

    answer = Post.objects.get(source_url=f"{CONLANG_SITE}/a/2")
    assert answer.author is None
    assert answer.author_name == "user23"
    assert not Post.objects.filter(author_name="").exists()


@needs_conlang_dump
@pytest.mark.django_db
def test_a_body_with_markdown_in_its_history_is_imported_as_its_latest_markdown():
    run_import(CONLANG_DUMP, "--quiet")

    latest_bodies = {}
    edited = set()
    for change in xml_rows(CONLANG_DUMP / "PostHistory.xml"):
        if change["PostHistoryTypeId"] in ("2", "5", "8"):
            latest_bodies[change["PostId"]] = change["Text"].replace("\r\n", "\n")
        if change["PostHistoryTypeId"] == "5":
            edited.add(change["PostId"])
    assert "5" in edited
    question = Post.objects.get(source_url=f"{CONLANG_SITE}/q/5")
    assert question.body_markdown == latest_bodies["5"]
    assert question.body_markdown != question.revisions.get(number=1).body_markdown
    assert question.revisions.order_by("-number").first().body_markdown == latest_bodies["5"]
    for post in Post.objects.all():
        post_id = post.source_url.rsplit("/", 1)[1]
        assert post.body_markdown == latest_bodies[post_id]


@needs_conlang_dump
@pytest.mark.django_db
def test_no_imported_html_holds_a_script_or_an_event_handler_attribute():
    run_import(CONLANG_DUMP, "--quiet")

    html = [
        *Post.objects.values_list("body_html", flat=True),
        *Comment.objects.values_list("body_html", flat=True),
        *User.objects.values_list("about_html", flat=True),
    ]
    assert len(html) > 600
    for fragment in html:
        assert "<script" not in fragment.lower()
        assert not re.search(r"<[^>]*\son[a-z]+\s*=", fragment, re.IGNORECASE)


@needs_conlang_dump
@pytest.mark.django_db
def test_tag_counts_are_the_numbers_of_imported_questions_and_agree_with_the_dump():
    run_import(CONLANG_DUMP, "--quiet")

    dump_counts = {tag["TagName"]: int(tag["Count"]) for tag in xml_rows(CONLANG_DUMP / "Tags.xml")}
    tags = Tag.objects.annotate(tagged=Count("questions"))
    assert {tag.name: tag.question_count for tag in tags} == dump_counts
    assert all(tag.question_count == tag.tagged for tag in tags)
    assert Tag.objects.get(name="badges").excerpt.startswith("Badges are awarded")


@needs_conlang_dump
@pytest.mark.django_db
def test_stored_answer_and_comment_counts_agree_with_a_recount():
    run_import(CONLANG_DUMP, "--quiet")

    for post in Post.objects.annotate(
        answers_found=Count("answers", distinct=True),
        comments_found=Count("comments", distinct=True),
    ):
        assert post.comment_count == post.comments_found
        if post.is_question:
            assert post.answer_count == post.answers_found


@needs_conlang_dump
@pytest.mark.django_db
def test_importing_the_conlang_dump_twice_adds_nothing_the_second_time():
    first_output = run_import(CONLANG_DUMP)
    after_first = table_counts()

    second_output = run_import(CONLANG_DUMP)

    assert table_counts() == after_first
    assert (
        "0 users, 0 tags, 0 questions, 0 answers, 0 revisions, 0 comments, 0 votes, 0 links"
        in second_output
    )
    assert "Users.xml: 272 users created" in first_output
    assert "Users.xml: 0 users created, 272 already present" in second_output


@needs_conlang_dump
@pytest.mark.django_db
def test_every_imported_post_has_revisions_numbered_from_one():
    run_import(CONLANG_DUMP, "--quiet")

    numbers = defaultdict(list)
    for post_id, number in PostRevision.objects.values_list("post_id", "number"):
        numbers[post_id].append(number)
    assert set(numbers) == set(Post.objects.values_list("pk", flat=True))
    assert all(sorted(found) == list(range(1, len(found) + 1)) for found in numbers.values())
    first = PostRevision.objects.get(post__source_url=f"{CONLANG_SITE}/q/1", number=1)
    assert first.title == "Are questions asked in conlangs accepted on this site?"
    assert first.tags == "discussion on-topic"
    assert first.author_name == "bytebuster"
    assert first.source_url == f"{CONLANG_SITE}/revisions/990d3fa1-a80c-4b14-9414-14b2ec0fd7ad"


@needs_conlang_dump
@pytest.mark.django_db
def test_a_question_closed_as_a_duplicate_keeps_its_reason_and_its_original():
    run_import(CONLANG_DUMP, "--quiet")

    question = Post.objects.get(source_url=f"{CONLANG_SITE}/q/79")
    assert question.closed_at is not None
    assert question.close_reason == "duplicate"
    assert question.duplicate_of.source_url == f"{CONLANG_SITE}/q/119"
    assert PostLink.objects.filter(post=question, kind=PostLink.Kind.DUPLICATE).count() == 1


@needs_conlang_dump
@pytest.mark.django_db
def test_votes_on_posts_the_dump_left_out_are_skipped_and_counted():
    output = run_import(CONLANG_DUMP)

    votes = xml_rows(CONLANG_DUMP / "Votes.xml")
    imported_posts = {
        post["Id"] for post in xml_rows(CONLANG_DUMP / "Posts.xml") if post["PostTypeId"] in "12"
    }
    up_and_down = [
        vote
        for vote in votes
        if vote["VoteTypeId"] in ("2", "3") and vote["PostId"] in imported_posts
    ]
    assert Vote.objects.count() == len(up_and_down)
    assert Vote.objects.filter(user__isnull=False).count() == 0
    assert "18 on posts absent from the dump" in output
    summary = output[output.index(f"Imported {CONLANG_SITE} in ") :]
    assert "18 Votes.xml: votes on posts absent from the dump" in summary


@needs_conlang_dump
@pytest.mark.django_db
def test_the_dumps_reputation_becomes_an_opening_balance_of_at_least_one():
    run_import(CONLANG_DUMP, "--quiet")

    community = User.objects.get(source_url=f"{CONLANG_SITE}/users/-1")
    assert community.display_name == "Community"
    assert community.reputation == 1
    assert not community.has_usable_password()
    top = User.objects.get(source_url=f"{CONLANG_SITE}/users/142")
    assert top.reputation == 7564
    # Every account starts with 1; the opening balance brings it to the dump's figure.
    assert list(top.reputation_events.values_list("kind", "delta")) == [
        (ReputationEvent.Kind.OPENING_BALANCE, 7563)
    ]
    assert not community.reputation_events.exists()
    assert User.objects.values("username").distinct().count() == User.objects.count()


# Small dumps written by the tests


@pytest.mark.django_db
def test_tags_in_the_angle_bracket_and_the_pipe_format_both_import(write_dump):
    folder = write_dump(
        Tags=[row(Id=1, TagName="grammar", Count=2)],
        Posts=[
            question_row(1, Tags="<grammar><Word-Order>"),
            question_row(2, Tags="|grammar|phonology|c++|"),
        ],
    )

    run_import(folder, "--quiet")

    assert sorted(
        Post.objects.get(source_url=f"{SITE}/q/1").tags.values_list("name", flat=True)
    ) == [
        "grammar",
        "word-order",
    ]
    assert sorted(
        Post.objects.get(source_url=f"{SITE}/q/2").tags.values_list("name", flat=True)
    ) == [
        "c++",
        "grammar",
        "phonology",
    ]
    assert dict(Tag.objects.values_list("name", "question_count")) == {
        "grammar": 2,
        "word-order": 1,
        "phonology": 1,
        "c++": 1,
    }


@pytest.mark.django_db
def test_a_tag_that_cannot_be_a_stapel_tag_stops_the_import_naming_file_and_line(write_dump):
    folder = write_dump(
        Posts=[question_row(1), question_row(2, Tags="<grammar><no spaces allowed>")]
    )

    with pytest.raises(
        CommandError, match=rf"^Posts\.xml, line {FIRST_ROW_LINE + 1}: the tag 'no spaces allowed'"
    ):
        run_import(folder)


@pytest.mark.django_db
def test_a_post_without_history_is_rendered_from_its_html_body_and_gets_a_first_revision(
    write_dump,
):
    folder = write_dump(
        Posts=[
            question_row(1, Body="<p>An <em>HTML</em> body</p>\n<pre><code>x &lt; y\n</code></pre>")
        ]
    )

    run_import(folder, "--quiet")

    question = Post.objects.get()
    assert question.body_html == "<p>An <em>HTML</em> body</p>\n<pre><code>x &lt; y\n</code></pre>"
    revision = question.revisions.get()
    assert revision.number == 1
    assert revision.body_markdown == question.body_markdown
    assert revision.title == "Question number 1"
    assert revision.tags == "grammar"
    assert revision.author_name == "Ada"


@pytest.mark.django_db
def test_scripts_and_event_handlers_in_a_dump_do_not_reach_the_stored_html(write_dump):
    folder = write_dump(
        Users=[user_row(1, AboutMe='<p onclick="steal()">Hi</p><script>alert(1)</script>')],
        Posts=[
            question_row(
                1,
                Body='<p>Look</p><script>alert("x")</script><img src="x.png" onerror="alert(1)">'
                '<a href="javascript:alert(1)">link</a>',
            )
        ],
        Comments=[comment_row(1, 1, Text="<script>alert(1)</script> [x](javascript:alert(1))")],
    )

    run_import(folder, "--quiet")

    for html in (
        Post.objects.get().body_html,
        Comment.objects.get().body_html,
        User.objects.get().about_html,
    ):
        assert "<script" not in html
        assert "onerror" not in html
        assert "onclick" not in html
        assert 'href="javascript:' not in html
    assert '<img src="x.png">' in Post.objects.get().body_html


@pytest.mark.django_db
def test_revisions_are_full_snapshots_that_carry_forward_what_an_edit_left_alone(write_dump):
    folder = write_dump(
        Users=[user_row(1, DisplayName="Ada"), user_row(2, DisplayName="Grace")],
        Posts=[
            question_row(
                1,
                Title="Final title",
                Tags="<grammar><syntax>",
                ClosedDate="2020-03-01T00:00:00.000",
                Body="<p>Second body</p>\n",
            )
        ],
        PostHistory=[
            history_row(1, 1, 2, "g1", "First **body**\r\nline two"),
            history_row(2, 1, 1, "g1", "First title"),
            history_row(3, 1, 3, "g1", "<grammar>"),
            history_row(
                4,
                1,
                4,
                "g2",
                "Final title",
                UserId=2,
                CreationDate="2020-02-05T00:00:00.000",
                Comment="better title",
            ),
            history_row(5, 1, 6, "g3", "<grammar><syntax>", CreationDate="2020-02-06T00:00:00.000"),
            history_row(6, 1, 5, "g4", "Second body", CreationDate="2020-02-07T00:00:00.000"),
            history_row(7, 1, 10, "g5", "", CreationDate="2020-03-01T00:00:00.000", Comment="104"),
            history_row(8, 1, 14, "g6", "", CreationDate="2020-03-02T00:00:00.000"),
        ],
    )

    run_import(folder, "--quiet")

    question = Post.objects.get()
    revisions = list(
        question.revisions.order_by("number").values_list(
            "number", "title", "tags", "body_markdown", "author_name", "summary"
        )
    )
    assert revisions == [
        (1, "First title", "grammar", "First **body**\nline two", "Ada", ""),
        (2, "Final title", "grammar", "First **body**\nline two", "Grace", "better title"),
        (3, "Final title", "grammar syntax", "First **body**\nline two", "Ada", ""),
        (4, "Final title", "grammar syntax", "Second body", "Ada", ""),
    ]
    assert question.body_markdown == "Second body"
    assert question.body_html == "<p>Second body</p>"
    assert question.close_reason == "needs-focus"
    assert question.locked_at is not None


@pytest.mark.django_db
def test_a_missing_file_stops_the_import_naming_the_file(write_dump):
    folder = write_dump()
    (folder / "Votes.xml").unlink()

    with pytest.raises(CommandError, match=r"^Votes\.xml: missing from "):
        run_import(folder)


@pytest.mark.django_db
def test_malformed_xml_stops_the_import_naming_file_and_line_and_changes_nothing(write_dump):
    folder = write_dump(
        Posts=[question_row(1), question_row(2)],
        Comments=[comment_row(1, 1), '<row Id="2" PostId="1" Text="Tom & Jerry" />'],
    )
    before = table_counts()

    with pytest.raises(
        CommandError, match=rf"^Comments\.xml, line {FIRST_ROW_LINE + 1}: malformed XML"
    ):
        run_import(folder)

    assert table_counts() == before


@pytest.mark.django_db
def test_an_answer_to_a_question_missing_from_the_dump_is_an_error_that_changes_nothing(
    write_dump, tmp_path
):
    run_import(
        write_dump("stackexchange-earlier", Posts=[question_row(1), answer_row(2, 1)]), "--quiet"
    )
    before = table_counts()
    folder = write_dump(Posts=[question_row(1), answer_row(7, 1), answer_row(8, 99)])

    with pytest.raises(CommandError) as error:
        run_import(folder)

    assert str(error.value) == (
        f"Posts.xml, line {FIRST_ROW_LINE + 2}: "
        "answer 8 refers to question 99, which is not in the dump"
    )
    assert table_counts() == before


@pytest.mark.django_db
def test_a_comment_on_a_post_missing_from_the_dump_is_an_error_that_changes_nothing(write_dump):
    run_import(write_dump("stackexchange-earlier", Posts=[question_row(1)]), "--quiet")
    before = table_counts()
    folder = write_dump(
        Posts=[question_row(1), answer_row(2, 1)], Comments=[comment_row(1, 2), comment_row(2, 55)]
    )

    with pytest.raises(CommandError) as error:
        run_import(folder)

    assert str(error.value) == (
        f"Comments.xml, line {FIRST_ROW_LINE + 1}: "
        "comment 2 refers to post 55, which is not in the dump"
    )
    assert table_counts() == before


@pytest.mark.django_db
def test_history_of_a_post_missing_from_the_dump_is_an_error_naming_file_and_line(write_dump):
    folder = write_dump(
        Posts=[question_row(1)],
        PostHistory=[history_row(1, 1, 2, "g1", "Body"), history_row(2, 42, 2, "g2", "Orphan")],
    )

    with pytest.raises(
        CommandError,
        match=rf"^PostHistory\.xml, line {FIRST_ROW_LINE + 1}: history row refers to post 42",
    ):
        run_import(folder)

    assert Post.objects.count() == 0


@pytest.mark.django_db
def test_a_new_tag_takes_its_wikis_excerpt_body_and_history_and_their_votes_are_skipped(write_dump):
    folder = write_dump(
        Tags=[row(Id=1, TagName="grammar", Count=1, ExcerptPostId=10, WikiPostId=11)],
        Posts=[
            question_row(1),
            row(
                Id=10,
                PostTypeId=4,
                CreationDate="2020-01-01T00:00:00.000",
                Score=0,
                Body="How words combine.",
            ),
            row(
                Id=11,
                PostTypeId=5,
                CreationDate="2020-01-01T00:00:00.000",
                Score=0,
                Body="<p>Long wiki</p>",
            ),
        ],
        PostHistory=[history_row(1, 10, 2, "g1", "How words combine.")],
        Votes=[row(Id=1, PostId=10, VoteTypeId=2, CreationDate="2020-01-01T00:00:00.000")],
    )

    output = run_import(folder)

    assert Post.objects.count() == 1
    tag = Tag.objects.get()
    assert (tag.excerpt, tag.wiki_html) == ("How words combine.", "<p>Long wiki</p>")
    [revision] = tag.revisions.all()
    assert revision.excerpt == "How words combine."
    assert "0 rows on posts that are not questions or answers skipped" in output
    assert "1 on posts that are not questions or answers" in output  # the vote
    assert "tag wikis" not in output.split("Skipped:")[-1]


@pytest.mark.django_db
def test_votes_count_only_up_and_down_votes_on_posts_this_run_created(write_dump):
    vote = "2020-02-10T00:00:00.000"
    folder = write_dump(
        Posts=[question_row(1, Score=1), answer_row(2, 1, Score=-1)],
        Votes=[
            row(Id=1, PostId=1, VoteTypeId=2, CreationDate=vote),
            row(Id=2, PostId=2, VoteTypeId=3, CreationDate=vote),
            row(Id=3, PostId=2, VoteTypeId=1, CreationDate=vote),
            row(Id=4, PostId=77, VoteTypeId=2, CreationDate=vote),
        ],
    )

    output = run_import(folder)
    run_import(folder, "--quiet")

    assert sorted(Vote.objects.values_list("post__post_type", "value")) == [(1, 1), (2, -1)]
    assert "1 on posts absent from the dump" in output


@pytest.mark.django_db
def test_votes_the_dump_does_not_list_are_made_up_so_that_scores_stay_as_the_dump_says(write_dump):
    vote = "2020-02-10T00:00:00.000"
    folder = write_dump(
        Posts=[question_row(1, Score=3), answer_row(2, 1, Score=-2)],
        Votes=[row(Id=1, PostId=1, VoteTypeId=2, CreationDate=vote)],
    )

    output = run_import(folder)

    assert "1 votes created, 4 added where the dump's score counts votes it does not list" in output
    scores = dict(Post.objects.values_list("post_type", "score"))
    assert scores == {1: 3, 2: -2}
    assert (
        sorted(Vote.objects.values_list("post__post_type", "value")) == [(1, 1)] * 3 + [(2, -1)] * 2
    )


@pytest.mark.django_db
def test_the_language_extension_attributes_mark_a_translated_thread(write_dump):
    folder = write_dump(
        Posts=[
            question_row(1, Language="de", OriginalLanguage="en"),
            answer_row(2, 1, Language="de", OriginalLanguage="en"),
            question_row(3),
        ]
    )

    run_import(folder, "--quiet", "--language", "fr")

    translated = Post.objects.get(source_url=f"{SITE}/q/1")
    assert (translated.language, translated.original_language, translated.is_translated) == (
        "de",
        "en",
        True,
    )
    assert Post.objects.get(source_url=f"{SITE}/a/2").original_language == "en"
    plain = Post.objects.get(source_url=f"{SITE}/q/3")
    assert (plain.language, plain.original_language, plain.is_translated) == ("fr", "", False)


@pytest.mark.django_db
def test_progress_lists_the_counts_per_file_and_quiet_prints_only_the_summary(write_dump):
    folder = write_dump(
        Users=[user_row(1), user_row(2)],
        Posts=[question_row(1), answer_row(2, 1), answer_row(3, 1, OwnerUserId=2)],
        Comments=[comment_row(1, 1)],
        PostLinks=[
            row(
                Id=1,
                CreationDate="2020-02-10T00:00:00.000",
                PostId=1,
                RelatedPostId=1,
                LinkTypeId=1,
            )
        ],
    )

    output = run_import(folder)

    assert "Users.xml: 2 users created" in output
    assert "Tags.xml: 0 tags" in output
    assert "Posts.xml: 1 questions created" in output
    assert "Posts.xml: 2 answers created" in output
    assert "PostHistory.xml: 0 rows read" in output
    assert "Comments.xml: 1 comments created" in output
    assert "Votes.xml: 0 votes created" in output
    assert "PostLinks.xml: 1 links created" in output
    assert output.splitlines()[-2].startswith(f"Imported {SITE} in ")
    assert output.splitlines()[-1] == "Skipped: nothing."

    quiet_output = run_import(folder, "--quiet")
    assert len(quiet_output.splitlines()) == 2  # the summary alone
    assert quiet_output.startswith(f"Imported {SITE} in ")


@pytest.mark.django_db
def test_the_site_url_comes_from_the_folder_name_unless_given(write_dump):
    run_import(write_dump("conlang.stackexchange.com", Posts=[question_row(1)]), "--quiet")
    run_import(write_dump("stackexchange-linguistics", Posts=[question_row(1)]), "--quiet")
    run_import(
        write_dump("demo_data", Posts=[question_row(1)]),
        "--quiet",
        "--site-url",
        "https://demo.example/",
    )

    assert sorted(Post.objects.values_list("source_url", flat=True)) == [
        "https://conlang.stackexchange.com/q/1",
        "https://demo.example/q/1",
        "https://linguistics.stackexchange.com/q/1",
    ]
    assert User.objects.filter(
        username="linguistics-user1", source_url="https://linguistics.stackexchange.com/users/1"
    ).exists()


@pytest.mark.django_db
def test_a_folder_name_that_names_no_site_asks_for_the_site_url(write_dump):
    folder = write_dump("my-dump")

    with pytest.raises(CommandError, match="--site-url"):
        run_import(folder)


@pytest.mark.skipif(
    not (DEMO_DUMP / "Posts.xml").is_file(), reason=f"the demo dump is not at {DEMO_DUMP}"
)
@pytest.mark.django_db
def test_the_demo_dump_imports_a_german_translation_of_an_english_question():
    run_import(DEMO_DUMP, "--quiet", "--site-url", "https://demo.stapel.example")

    translated = Post.objects.questions().filter(language="de", original_language="en")
    assert translated.exists()
    assert all(question.licence for question in translated)
    assert Post.objects.filter(licence="").count() == 0


@pytest.mark.django_db
def test_links_to_posts_the_dump_left_out_are_skipped_and_counted(write_dump):
    link = {"CreationDate": "2020-02-10T00:00:00.000", "LinkTypeId": 1}
    folder = write_dump(
        Posts=[question_row(1), question_row(2)],
        PostLinks=[
            row(Id=1, PostId=1, RelatedPostId=2, **link),
            row(Id=2, PostId=1, RelatedPostId=99, **link),
        ],
    )

    output = run_import(folder)

    assert "PostLinks.xml: 1 links created" in output
    assert "1 to posts absent from the dump" in output
    assert PostLink.objects.count() == 1


@pytest.mark.django_db
def test_the_summary_names_each_kind_of_row_left_out_and_each_kept_without_an_account(write_dump):
    vote = "2020-02-10T00:00:00.000"
    folder = write_dump(
        Posts=[
            question_row(1, AcceptedAnswerId=9),
            answer_row(2, 1, OwnerUserId=42, OwnerDisplayName="Gone"),
            row(Id=11, PostTypeId=5, CreationDate=vote, Score=0, Body="<p>Wiki</p>"),
        ],
        Comments=[comment_row(1, 2, UserId=43), comment_row(2, 11)],
        Votes=[
            row(Id=1, PostId=77, VoteTypeId=2, CreationDate=vote),
            row(Id=2, PostId=78, VoteTypeId=3, CreationDate=vote),
            row(Id=3, PostId=1, VoteTypeId=1, CreationDate=vote),
        ],
        PostLinks=[
            row(Id=1, CreationDate=vote, PostId=1, RelatedPostId=88, LinkTypeId=1),
        ],
    )

    summary = run_import(folder, "--quiet")

    assert summary.startswith(f"Imported {SITE} in ")
    assert (
        "Kept with the author's name, whose account is not in Users.xml: 1 comments, 1 posts."
        in summary
    )
    skipped = summary[summary.index("Skipped: ") :]
    for left_out in [
        "1 Comments.xml: comments on posts that are not questions or answers",
        "1 PostLinks.xml: links to posts absent from the dump",
        "1 Posts.xml: accepted answers absent from the dump",
        "1 Posts.xml: tag wikis",
        "2 Votes.xml: votes on posts absent from the dump",
        "1 Votes.xml: votes of other types (acceptances, favourites, close votes …)",
    ]:
        assert left_out in skipped
