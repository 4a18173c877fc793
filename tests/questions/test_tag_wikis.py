"""Tag wikis (issue 19): a Stack Exchange dump's tag wiki posts become a new tag's
description and wiki with their history; the tag's info page shows the wiki and each
revision (diffs and the wiki rendered); edits here append revisions."""

import io
import re

import pytest
from django.conf import settings
from django.core.management import call_command

from questions.models import Question, Tag, TagRevision
from tests import factories
from tests.clients import client_for
from tests.questions.test_import_stackexchange import (
    CONLANG_DUMP,
    SITE,
    history_row,
    needs_conlang_dump,
    question_row,
    row,
    run_import,
    write_dump,
)

pytestmark = pytest.mark.django_db
__all__ = ["write_dump"]  # a fixture

T0, T1, T2 = "2020-01-01T00:00:00.000", "2020-01-05T00:00:00.000", "2020-01-09T00:00:00.000"


def wiki_post(post_id, kind, body):
    return row(Id=post_id, PostTypeId=kind, CreationDate=T0, Score=0, Body=body)


WIKI_BODY = '<p>Long <b>wiki</b></p><script>alert("x")</script>'


def grammar_dump(write_dump, wiki_body=WIKI_BODY, **files):
    return write_dump(
        Tags=[row(Id=1, TagName="grammar", Count=1, ExcerptPostId=10, WikiPostId=11)],
        Posts=[
            question_row(1),
            wiki_post(10, 4, "How words combine."),
            wiki_post(11, 5, wiki_body),
        ],
        PostHistory=[
            # Created together, empty, as Stack Exchange creates a tag's two wiki posts.
            history_row(1, 10, 2, "g1", "", CreationDate=T0),
            history_row(2, 11, 2, "g2", "", CreationDate=T0),
            history_row(3, 11, 5, "g3", "Long **wiki**", CreationDate=T1, Comment="explained"),
            history_row(4, 10, 5, "g4", "How words combine.", CreationDate=T2),
        ],
        **files,
    )


def info_page(tag_name, user=None):
    response = client_for(user).get(f"/tags/{tag_name}/info/")
    assert response.status_code == 200
    return response.content.decode()


def revision_item(html, number):
    item = rf'<li class="revision" id="tag-revision-{number}">(.*?)</li>'
    return re.search(item + r'\s*(?=<li class="revision"|</ol>)', html, re.S)[1]


def test_a_new_tag_takes_the_dumps_excerpt_wiki_and_their_merged_history(write_dump):
    output = run_import(grammar_dump(write_dump))

    tag = Tag.objects.get(name="grammar")
    assert tag.excerpt == "How words combine."
    # What Stack Exchange rendered, through the posts' allowlist; the Markdown for edits.
    assert tag.wiki_html == "<p>Long <b>wiki</b></p>"
    assert tag.wiki_markdown == "Long **wiki**"
    revisions = list(tag.revisions.order_by("number"))
    assert [(r.number, r.excerpt, r.wiki_markdown, r.summary) for r in revisions] == [
        (1, "", "", ""),
        (2, "", "Long **wiki**", "explained"),
        (3, "How words combine.", "Long **wiki**", ""),
    ]
    assert revisions[1].source_url == f"{SITE}/revisions/g3"
    assert {r.author.name for r in revisions} == {"Ada"}
    assert "3 tag revisions" in output
    assert "tag wiki" not in output.split("Skipped:")[-1]


def test_a_tag_that_existed_before_the_import_keeps_its_texts(write_dump):
    Tag.objects.create(name="grammar", excerpt="Ours.")

    output = run_import(grammar_dump(write_dump))

    tag = Tag.objects.get(name="grammar")
    assert (tag.excerpt, tag.wiki_html, tag.revisions.count()) == ("Ours.", "", 0)
    skipped = output.split("Skipped:")[-1]
    assert "1 Posts.xml: tag wiki excerpts" in skipped and "1 Posts.xml: tag wikis" in skipped
    assert "4 PostHistory.xml: rows on posts that are not questions or answers" in skipped


def test_the_info_page_shows_the_wiki_and_each_revision_with_its_diff_and_rendering(
    write_dump, django_assert_max_num_queries
):
    run_import(grammar_dump(write_dump))

    with django_assert_max_num_queries(4):
        html = info_page("grammar")

    assert '<div class="post-body tag-wiki"><p>Long <b>wiki</b></p></div>' in html
    assert '<p class="page-lead">How words combine.</p>' in html
    assert html.index('id="tag-revision-3"') < html.index('id="tag-revision-1"')
    second, third = revision_item(html, 2), revision_item(html, 3)
    assert "explained" in second and "Ada" in second
    assert "<ins>Long **wiki**</ins>" in second
    assert "<strong>wiki</strong>" in second  # the revision's wiki, rendered by our pipeline
    assert "<ins>How words combine.</ins>" in third
    assert 'class="diff diff-body"' not in third  # the wiki did not change
    assert f'href="{SITE}/revisions/g3"' in second


def test_the_tag_page_links_to_its_info_and_an_unknown_tag_has_none(write_dump):
    Tag.objects.create(name="grammar")

    assert (
        'href="/tags/grammar/info/"'
        in client_for(None).get("/questions/tagged/grammar/").content.decode()
    )
    assert "This tag has no wiki yet." in info_page("grammar")
    assert client_for(None).get("/tags/nothing/info/").status_code == 404


def test_an_edit_renders_the_wiki_and_appends_a_revision_after_one_of_the_old_texts():
    tag = Tag.objects.create(name="grammar", excerpt="Old words.")
    editor = factories.moderator(display_name="Editor")

    response = client_for(editor).post(
        "/tags/grammar/edit/",
        {
            "description": "How words combine.",
            "wiki": "See **this** <script>alert(1)</script>",
            "summary": "wrote the wiki",
        },
    )

    assert response.status_code == 302
    tag.refresh_from_db()
    assert tag.wiki_markdown == "See **this** <script>alert(1)</script>"
    assert tag.wiki_html == "<p>See <strong>this</strong> </p>"
    revisions = list(tag.revisions.order_by("number"))
    assert [(r.number, r.excerpt, r.author) for r in revisions] == [
        (1, "Old words.", None),
        (2, "How words combine.", editor),
    ]
    assert revisions[1].summary == "wrote the wiki"
    html = info_page("grammar")
    assert "wrote the wiki" in revision_item(html, 2)
    assert "<script>alert" not in html


def test_the_edit_form_shows_the_wiki_and_saving_it_unchanged_adds_no_revision(write_dump):
    run_import(grammar_dump(write_dump))
    editor = factories.moderator()

    form = client_for(editor).get("/tags/grammar/edit/").content.decode()
    assert "Long **wiki**" in form
    client_for(editor).post(
        "/tags/grammar/edit/",
        {"description": "How words combine.", "wiki": "Long **wiki**", "summary": ""},
    )

    tag = Tag.objects.get(name="grammar")
    assert tag.revisions.count() == 3
    # An imported wiki keeps Stack Exchange's HTML until the tag is edited here, as a post.
    assert tag.wiki_html == "<p>Long <b>wiki</b></p>"

    client_for(editor).post(
        "/tags/grammar/edit/",
        {"description": "How words go together.", "wiki": "Long **wiki**", "summary": ""},
    )

    tag.refresh_from_db()
    assert tag.revisions.count() == 4
    assert tag.wiki_html == "<p>Long <strong>wiki</strong></p>"


def test_only_those_who_may_edit_posts_of_others_may_edit_a_wiki():
    Tag.objects.create(name="grammar")
    newcomer = factories.user(reputation=1)

    response = client_for(newcomer).post(
        "/tags/grammar/edit/", {"description": "x", "wiki": "y", "summary": ""}
    )

    assert response.status_code == 403
    assert TagRevision.objects.count() == 0


@needs_conlang_dump
def test_the_conlang_dumps_tag_wikis_come_with_their_history():
    run_import(CONLANG_DUMP, "--site-url", "https://conlang.meta.stackexchange.com")

    tag = Tag.objects.get(name="product-discovery")
    assert tag.wiki_html.startswith("<p>This tag is used by staff when sharing concepts")
    assert tag.wiki_markdown.startswith("This tag is used by staff when sharing concepts")
    assert tag.excerpt.startswith("Indicates that the post shares product")
    revisions = list(tag.revisions.order_by("number"))
    assert len(revisions) == 2
    assert revisions[0].wiki_markdown.startswith("This tag will be used by staff")
    assert revisions[1].summary == "Moderator tag updated"
    badges = Tag.objects.get(name="badges")
    assert badges.revisions.count() == 2
    assert "incentivise" in info_page("badges")
    # Four tags: 1 + 2 + 3 (a suggested edit and its approver's edit, apart) + 2 revisions.
    assert TagRevision.objects.count() == 8


def test_descriptions_and_wikis_written_here_round_trip_through_an_export(tmp_path):
    from tests.questions.test_export_stackexchange import _empty_the_site, export

    factories.question(tags=["grammar", "syntax"])
    Tag.objects.filter(name="syntax").update(excerpt="Word order.")  # from before revisions
    editor = factories.moderator(display_name="Editor")
    client_for(editor).post(
        "/tags/grammar/edit/",
        {"description": "How words combine.", "wiki": "See *this*", "summary": "begun"},
    )
    before = {
        tag.name: (tag.excerpt, tag.wiki_markdown, tag.wiki_html) for tag in Tag.objects.all()
    }
    assert before["grammar"] == ("How words combine.", "See *this*", "<p>See <em>this</em></p>")

    export(tmp_path / "export")
    _empty_the_site()
    run_import(tmp_path / "export", "--quiet", "--site-url", settings.FORUM_SITE_URL)

    after = {tag.name: (tag.excerpt, tag.wiki_markdown, tag.wiki_html) for tag in Tag.objects.all()}
    assert after == before
    grammar = Tag.objects.get(name="grammar")
    assert [
        (r.number, r.excerpt, r.wiki_markdown, r.author_name, r.summary)
        for r in grammar.revisions.order_by("number")
    ] == [(1, "How words combine.", "See *this*", "Editor", "begun")]
    assert [
        (r.excerpt, r.wiki_markdown) for r in Tag.objects.get(name="syntax").revisions.all()
    ] == [("Word order.", "")]


def test_a_wikis_links_to_the_imported_sites_questions_lead_here(write_dump):
    linking = f'<p>See <a href="{SITE}/questions/1/question-number-1">this</a></p>'

    run_import(grammar_dump(write_dump, wiki_body=linking), "--site-url", SITE)

    question = Question.objects.get()
    wiki = Tag.objects.get(name="grammar").wiki_html
    link = f'<a href="{question.get_absolute_url()}" rel="nofollow ugc noopener">'
    assert wiki == f"<p>See {link}this</a></p>"


def test_rerender_posts_renders_the_wikis_edited_here_and_keeps_imported_ones(write_dump):
    run_import(grammar_dump(write_dump))
    local = Tag.objects.create(name="syntax")
    client_for(factories.moderator()).post(
        "/tags/syntax/edit/", {"description": "", "wiki": "See https://example.com", "summary": ""}
    )
    Tag.objects.update(wiki_html="<p>older</p>")
    out = io.StringIO()

    call_command("rerender_posts", stdout=out)

    local.refresh_from_db()
    assert local.wiki_html.startswith('<p>See <a href="https://example.com"')
    assert Tag.objects.get(name="grammar").wiki_html == "<p>older</p>"  # Stack Exchange's
    assert "1 tag wikis changed" in out.getvalue()


def test_an_erased_members_tag_revisions_keep_the_placeholder_name_not_theirs():
    from privacy.services import account_erase, placeholder_name

    Tag.objects.create(name="grammar")
    zelda = factories.moderator(display_name="Zelda")
    client_for(zelda).post(
        "/tags/grammar/edit/", {"description": "Words.", "wiki": "", "summary": ""}
    )

    account_erase(user=zelda, actor=factories.moderator())

    [revision] = TagRevision.objects.all()
    assert revision.author_name == placeholder_name(zelda.pk)
    assert "Zelda" not in info_page("grammar")
