"""Stack Exchange's Markdown dialect (core.markdown_dialect): each feature, what it leaves
alone, and the attacks aimed at it. Tag and question links ask the questions app
(questions.markdown_links, registered in its ready())."""

import uuid

import pytest
from django.urls import reverse

from core.markdown import clean_post_html, comment_mentions, render_comment, render_post
from questions.models import Comment
from tests import factories
from tests.clients import client_for
from tests.questions.test_markdown import comment_problems, post_problems

REL = 'rel="nofollow ugc noopener"'


# Bare URLs


def test_a_bare_url_in_a_post_is_a_link():
    html = render_post("See https://example.com/a_b_c for more.")
    link = f'<a href="https://example.com/a_b_c" {REL}>https://example.com/a_b_c</a>'
    assert html == f"<p>See {link} for more.</p>"


def test_a_bare_url_in_a_comment_is_a_link():
    html = render_comment("see http://example.com/x, then")
    assert html == f'see <a href="http://example.com/x" {REL}>http://example.com/x</a>, then'


@pytest.mark.parametrize(
    "text",
    [
        "example.com and www.example.com",
        "mail me at someone@example.com",
        "ftp://example.com/file",
        "`https://example.com` in code",
        'an attribute: href="https://example.com/x"',
        "a=https://example.com/x",
    ],
)
def test_what_stack_exchange_does_not_link_stays_text(text):
    assert "<a " not in render_post(text)
    assert "<a " not in render_comment(text)


@pytest.mark.parametrize(
    "text",
    [
        "javascript:alert(1)",
        "javascript://example.com/%0aalert(1)",
        "JaVaScRiPt://x%0Aalert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        'https://example.com/"onmouseover="alert(1)',
        "https://example.com/<script>alert(1)</script>",
        "https://example.com/'><img src=x onerror=alert(1)>",
    ],
)
def test_autolinks_never_carry_a_script(text):
    assert post_problems(render_post(text)) == []
    assert comment_problems(render_comment(text)) == []
    assert 'href="javascript' not in render_post(text).lower()


def test_a_comment_with_a_bare_url_posted_through_the_site_shows_it_as_a_link(question):
    commenter = factories.user(reputation=50)
    client = client_for(commenter)
    body = "Details are at https://example.com/grammar here."
    client.post(
        f"/posts/{question.pk}/comments/",
        {"body": body, "submission_token": str(uuid.uuid4())},
    )
    comment = Comment.objects.get(post=question)
    link = f'<a href="https://example.com/grammar" {REL}>https://example.com/grammar</a>'
    assert link in comment.body_html
    assert link in client.get(question.get_absolute_url()).content.decode()


# Tags


@pytest.mark.django_db
def test_tag_and_meta_tag_link_to_the_tags_page():
    html = render_post("Use [tag:Esperanto] or [meta-tag:discussion].")
    esperanto = reverse("questions:tagged", kwargs={"tag": "esperanto"})
    discussion = reverse("questions:tagged", kwargs={"tag": "discussion"})
    assert html == (
        f'<p>Use <a href="{esperanto}" class="post-tag" {REL}>esperanto</a> or '
        f'<a href="{discussion}" class="post-tag meta-tag" {REL}>discussion</a>.</p>'
    )


@pytest.mark.django_db
def test_a_tag_link_works_in_a_comment():
    html = render_comment("try [tag:toki-pona]")
    assert 'class="post-tag"' in html
    assert ">toki-pona</a>" in html


@pytest.mark.parametrize(
    "text",
    [
        "[tag:]",
        "[tag: spaced]",
        "[tag:a b]",
        "`[tag:code]`",
        "[tags:plural]",
        '[tag:x"onmouseover="alert(1)]',
        "[tag:x'><script>alert(1)</script>]",
        "[tag:<b>bold</b>]",
    ],
)
@pytest.mark.django_db
def test_what_is_not_a_tag_name_is_no_tag_link(text):
    html = render_post(text)
    assert "post-tag" not in html
    assert post_problems(html) == []


@pytest.mark.django_db
def test_a_tag_name_starting_with_a_dash_drops_it_as_stack_exchange_does():
    assert ">language</a>" in render_post("[tag:-language]")


@pytest.mark.django_db
def test_tag_names_with_hash_plus_and_dot_keep_them_and_their_url_is_escaped():
    html = render_post("[tag:c#] [tag:c++] [tag:.net]")
    assert '<a href="/questions/tagged/c%23/" class="post-tag"' in html
    assert ">c++</a>" in html
    assert ">.net</a>" in html


# Bare links to questions


@pytest.mark.django_db
def test_a_bare_link_to_a_question_of_this_site_shows_its_title(settings):
    settings.FORUM_SITE_URL = "https://stapel.example"
    asked = factories.question(title="How do I say <hello> in Sindarin?")
    html = render_post(f"Same as https://stapel.example/questions/{asked.pk}/whatever\n")
    assert html == (
        f'<p>Same as <a href="{asked.get_absolute_url()}" {REL}>'
        "How do I say &lt;hello&gt; in Sindarin?</a></p>"
    )
    assert ">How do I say &lt;hello&gt; in Sindarin?</a>" in render_post(
        f"https://stapel.example/q/{asked.pk}/7"
    )


@pytest.mark.django_db
def test_a_bare_link_to_the_original_of_an_imported_question_leads_here(settings):
    imported = factories.question(
        title="Is Tolkien's Dwarvish based on Hebrew?",
        source_url="https://conlang.stackexchange.com/q/122",
    )
    html = render_post(
        "https://conlang.stackexchange.com/questions/122/is-tolkiens-dwarvish-really-based"
    )
    assert html == (
        f'<p><a href="{imported.get_absolute_url()}" {REL}>'
        "Is Tolkien's Dwarvish based on Hebrew?</a></p>"
    )


@pytest.mark.django_db
def test_links_to_unknown_deleted_or_answer_urls_and_written_links_stay_as_they_are(settings):
    settings.FORUM_SITE_URL = "https://stapel.example"
    gone = factories.question(title="Gone", deleted_at=factories.timezone.now())
    kept = factories.question(title="Kept")
    for text in (
        f"https://stapel.example/questions/{gone.pk}/gone",
        "https://stapel.example/questions/999999/none",
        f"https://stapel.example/a/{kept.pk}",
        f"https://elsewhere.example/questions/{kept.pk}/kept",
    ):
        assert render_post(text) == f'<p><a href="{text}" {REL}>{text}</a></p>'
    written = f"[my words](https://stapel.example/questions/{kept.pk}/kept)"
    assert ">my words</a>" in render_post(written)


@pytest.mark.django_db
def test_all_bare_question_links_of_a_post_cost_one_query(settings, django_assert_num_queries):
    settings.FORUM_SITE_URL = "https://stapel.example"
    questions = [factories.question() for _ in range(5)]
    text = "\n\n".join(f"https://stapel.example/q/{q.pk}" for q in questions)
    with django_assert_num_queries(1):
        html = render_post(text)
    assert all(f">{q.title}</a>" in html for q in questions)


@pytest.mark.django_db
def test_a_text_without_bare_links_asks_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        render_post("No links here, just [a written one](https://example.com).")


# Raw HTML Stack Exchange allows


def test_strike_b_i_and_details_survive():
    html = render_post(
        "This question <strike>has</strike> <s>had</s> <b>bold</b> <i>it</i> <del>x</del>\n\n"
        "<details><summary>More</summary>\n\nHidden *text*\n\n</details>"
    )
    assert "<strike>has</strike> <s>had</s> <b>bold</b> <i>it</i> <del>x</del>" in html
    assert "<details><summary>More</summary>" in html
    assert "<em>text</em>" in html


@pytest.mark.parametrize(
    "text",
    [
        '<details open ontoggle="alert(1)"><summary>x</summary>y</details>',
        '<b onmouseover="alert(1)" style="color:red" class="post-tag">b</b>',
        '<span class="k" onclick="alert(1)" style="x">s</span>',
        '<blockquote tabindex="5" onfocus="alert(1)">q</blockquote>',
    ],
)
def test_the_allowed_elements_carry_no_handlers_styles_or_foreign_classes(text):
    html = render_post(text)
    assert post_problems(html) == []
    assert 'tabindex="5"' not in html


# Spoilers


def test_a_spoiler_quote_is_marked_and_loses_its_exclamation_marks():
    html = render_post(">! The butler\n>! did it.")
    assert (
        html
        == '<blockquote class="spoiler" tabindex="0">\n<p>The butler\ndid it.</p>\n</blockquote>'
    )


def test_an_ordinary_quote_and_one_starting_with_a_bang_in_text_are_no_spoilers():
    assert render_post("> quoted") == "<blockquote>\n<p>quoted</p>\n</blockquote>"
    assert 'class="spoiler"' not in render_post("Wow! >! not a spoiler")


# Code: languages and highlighting


def test_a_fence_language_is_highlighted_with_classes_only():
    html = render_post('```python\ndef f():\n    return "<b>"\n```')
    assert html.startswith('<pre class="highlight"><code><span class="k">def</span>')
    assert "&lt;b&gt;" in html
    assert "style=" not in html
    assert post_problems(html) == []


def test_a_language_hint_applies_to_the_next_code_block_only():
    html = render_post("<!-- language: lang-js -->\n\n    var a = 1;\n\ntext\n\n    var b = 2;")
    first, second = html.split("<p>text</p>")
    assert '<pre class="highlight">' in first
    assert second.strip() == "<pre><code>var b = 2;\n</code></pre>"


def test_language_all_applies_to_every_later_block_and_none_turns_it_off():
    html = render_post(
        "<!-- language-all: lang-python -->\n\n    x = 1\n\ntext\n\n    y = 2\n\n"
        "<!-- language: lang-none -->\n\n    plain = 3"
    )
    assert html.count('<pre class="highlight">') == 2
    assert "<pre><code>plain = 3\n</code></pre>" in html


@pytest.mark.parametrize(
    "text",
    [
        '```"><script>alert(1)</script>\ncode\n```',
        "```python onload=alert(1)\nx\n```",
        '<!-- language: lang-"><img src=x onerror=alert(1)> -->\n\n    code',
        "<!-- language: <script>alert(1)</script> -->\n\n    code",
        "```nosuchlanguage\n<img src=x onerror=alert(1)>\n```",
        "```html\n<script>alert(1)</script><img src=x onerror=alert(1)>\n```",
    ],
)
def test_language_hints_with_markup_stay_inert(text):
    html = render_post(text)
    assert post_problems(html) == []
    assert "onerror=alert" not in html.replace("&lt;", "<").split("<code>", 1)[0]


def test_an_unknown_language_leaves_the_block_plain():
    assert render_post("```nosuchlanguage\nx < y\n```") == "<pre><code>x &lt; y\n</code></pre>"


# Tables


def test_table_alignment_is_a_class_never_a_style():
    html = render_post("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |")
    assert '<th class="text-start">a</th>' in html
    assert '<th class="text-center">b</th>' in html
    assert '<td class="text-end">3</td>' in html
    assert "style" not in html


# Legacy quirks Stack Exchange still renders


def test_a_heading_without_a_space_after_two_or_more_hashes():
    assert render_post("##Heading") == "<h2>Heading</h2>"
    assert render_post("###Notes: ##") == "<h3>Notes:</h3>"


def test_one_hash_without_a_space_and_hashes_in_code_stay_commonmark():
    assert render_post("#hashtag") == "<p>#hashtag</p>"
    assert render_post("    ##not a heading") == "<pre><code>##not a heading\n</code></pre>"
    assert render_post("####### seven") == "<p>####### seven</p>"


def test_markdown_on_the_line_after_a_lone_hr_renders():
    html = render_post("<hr>\nFor the [record](https://example.com)")
    assert html == f'<hr>\n<p>For the <a href="https://example.com" {REL}>record</a></p>'


def test_markdown_after_a_comment_on_the_same_line_renders():
    html = render_post("<!-- editor's note -->It is *new*")
    assert html == "<p>It is <em>new</em></p>"


def test_a_comment_line_inside_a_fence_is_left_as_code():
    html = render_post("```\n<!-- x -->y\n```")
    assert html == "<pre><code>&lt;!-- x --&gt;y\n</code></pre>"


def test_other_html_blocks_keep_commonmark_rules():
    assert render_post("<div>\n*not emphasis*\n</div>") == "*not emphasis*"


def test_a_label_defined_twice_links_to_its_last_definition():
    html = render_post("[site][1]\n\n[1]: https://first.example\n[1]: https://second.example")
    assert 'href="https://second.example"' in html


def test_old_http_image_addresses_of_stack_exchange_become_https():
    html = render_post("![](http://i.stack.imgur.com/8Akvq.png) ![](http://example.com/a.png)")
    assert 'src="https://i.stack.imgur.com/8Akvq.png"' in html
    assert 'src="http://example.com/a.png"' in html


@pytest.mark.django_db
def test_finding_a_comments_mentions_looks_up_no_question(settings, django_assert_num_queries):
    settings.FORUM_SITE_URL = "https://stapel.example"
    asked = factories.question()
    with django_assert_num_queries(0):
        assert comment_mentions(f"@someone see https://stapel.example/q/{asked.pk}") == ["someone"]


def test_stack_exchanges_own_html_keeps_its_tag_and_spoiler_classes_through_the_allowlist():
    html = clean_post_html(
        '<p><a href="/questions/tagged/x" class="post-tag" title="show" rel="tag">x</a></p>'
        '<blockquote class="spoiler evil"><p>s</p></blockquote>'
        '<pre class="lang-js prettyprint-override"><code>1</code></pre>'
        '<table><tr><th style="text-align: right;">h</th></tr></table>'
    )
    assert f'<a href="/questions/tagged/x" class="post-tag" title="show" {REL}>x</a>' in html
    assert '<blockquote class="spoiler">' in html
    assert "lang-js" not in html
    assert "prettyprint" not in html
    assert "style" not in html


@pytest.mark.django_db
def test_a_bare_question_link_in_a_comment_shows_the_title(settings):
    settings.FORUM_SITE_URL = "https://stapel.example"
    asked = factories.question(title="Which script for Klingon?")
    html = render_comment(f"duplicate of https://stapel.example/q/{asked.pk}?")
    assert (
        html
        == f'duplicate of <a href="{asked.get_absolute_url()}" {REL}>Which script for Klingon?</a>?'
    )
