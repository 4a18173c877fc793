"""manage.py markdown_fidelity: our rendering of a dump's Markdown against the HTML Stack
Exchange rendered for it, on a small dump written here and on the conlang corpus."""

import time
from html import escape
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.questions.test_markdown import CORPORA, CORPORA_MISSING

DEMO_DATA = Path(__file__).resolve().parents[2] / "questions" / "demo_data"

# (id, post type, rendered Body, [(date, Markdown revision)], title)
POSTS = [
    (
        1,
        1,
        '<p>Use <a href="https://site.example/questions/tagged/toki-pona" class="post-tag">'
        "toki-pona</a>, see "
        '<a href="https://site.example/q/2">Where is it spoken?</a></p>\n',
        [
            ("2020-01-01T00:00:00", "old text"),
            ("2020-02-01T00:00:00", "Use [tag:toki-pona], see https://site.example/q/2"),
        ],
        "How to start?",
    ),
    (2, 1, "<h2>Heading</h2>\n", [("2020-01-01T00:00:00", "##Heading")], "Where is it spoken?"),
    (
        3,
        2,
        '<p>Read <a href="https://example.com/a">https://example.com/a</a></p>\n',
        [("2020-01-01T00:00:00", "Read https://example.com/a")],
        "",
    ),
    (
        4,
        2,
        "<p>It has <strong>one</strong> word.</p>\n",
        [("2020-01-01T00:00:00", "It has two words.")],
        "",
    ),
]


def write_dump(folder, rows=POSTS):
    posts, history = [], []
    number = 0
    for post_id, kind, body, revisions, title in rows:
        extra = f' Title="{escape(title)}"' if title else ' ParentId="1"'
        posts.append(
            f'  <row Id="{post_id}" PostTypeId="{kind}" Body="{escape(body)}"{extra} '
            'CreationDate="2020-01-01T00:00:00" />'
        )
        for date, text in revisions:
            number += 1
            history.append(
                f'  <row Id="{number}" PostHistoryTypeId="{2 if number == 1 else 5}" '
                f'PostId="{post_id}" CreationDate="{date}" Text="{escape(text)}" />'
            )
    (folder / "Posts.xml").write_text("<posts>\n" + "\n".join(posts) + "\n</posts>\n")
    (folder / "PostHistory.xml").write_text(
        "<posthistory>\n" + "\n".join(history) + "\n</posthistory>\n"
    )
    return folder


def fidelity(*args):
    from io import StringIO

    out = StringIO()
    call_command("markdown_fidelity", *map(str, args), stdout=out)
    return out.getvalue()


def test_the_command_counts_identical_posts_and_lists_what_differs(tmp_path):
    output = fidelity(write_dump(tmp_path), "--site-url", "https://site.example")
    assert "3 of 4 posts identical in visible text and link targets: 75.0%" in output
    assert "    1 | text (<strong>)" in output


def test_the_latest_revision_is_the_one_compared_and_differences_are_shown(tmp_path):
    output = fidelity(
        write_dump(tmp_path), "--site-url", "https://site.example", "--show-differences"
    )
    assert "--- post 4: text (<strong>)" in output
    assert "--- post 1" not in output


def test_without_titles_a_bare_question_link_is_a_difference(tmp_path):
    output = fidelity(write_dump(tmp_path), "--no-harvest")
    assert "2 of 4 posts identical" in output


def test_leaving_one_out_a_post_never_learns_a_title_from_its_own_expected_html(tmp_path):
    # Post 1's bare link to question 2 is titled only in post 1's own Body: harvesting
    # everything makes it identical, leaving it out does not.
    assert "3 of 4 posts identical" in fidelity(write_dump(tmp_path))
    assert "2 of 4 posts identical" in fidelity(write_dump(tmp_path), "--leave-one-out")


def test_leaving_one_out_a_post_learns_a_title_from_another_posts_html(tmp_path):
    quoting = (
        5,
        2,
        '<p>As <a href="https://site.example/q/2">Where is it spoken?</a> asks</p>\n',
        [("2020-01-01T00:00:00", "As https://site.example/q/2 asks")],
        "",
    )
    output = fidelity(write_dump(tmp_path, [*POSTS, quoting]), "--leave-one-out")
    assert "4 of 5 posts identical" in output


def test_a_folder_without_a_dump_is_refused(tmp_path):
    with pytest.raises(CommandError, match="holds no Posts.xml"):
        fidelity(tmp_path)


def test_the_demo_data_renders_as_stack_exchange_rendered_it():
    assert "21 of 21 posts identical" in fidelity(DEMO_DATA)


@pytest.mark.skipif(not CORPORA.is_dir(), reason=CORPORA_MISSING)
def test_the_conlang_corpus_reaches_97_percent_in_seconds_with_harvested_titles():
    started = time.monotonic()
    output = fidelity(
        CORPORA / "stackexchange-conlang", "--site-url", "https://conlang.meta.stackexchange.com"
    )
    assert time.monotonic() - started < 30
    first = output.splitlines()[0]
    identical, posts = int(first.split()[0]), int(first.split()[2])
    assert posts == 169
    assert identical / posts >= 0.97, output


@pytest.mark.skipif(not CORPORA.is_dir(), reason=CORPORA_MISSING)
@pytest.mark.parametrize("mode", ["--no-harvest", "--leave-one-out"])
def test_the_honest_conlang_figure_differs_only_in_titles_the_dump_does_not_hold(mode):
    # docs/MARKDOWN.md: the 14 posts left are bare links to questions of the main site;
    # each such title appears in one post's Body only, so leaving it out cannot learn it.
    # The figure must not fall; if it rises, update the document.
    output = fidelity(
        CORPORA / "stackexchange-conlang",
        "--site-url",
        "https://conlang.meta.stackexchange.com",
        mode,
        "--show-differences",
    )
    assert "155 of 169 posts identical" in output, output
    assert "link targets (" not in output
