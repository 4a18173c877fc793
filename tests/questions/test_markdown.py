"""The Markdown pipeline: safe against public XSS corpora, faithful to CommonMark where safe."""

import re
from html.parser import HTMLParser
from pathlib import Path

import nh3
import pytest
from pygments.token import STANDARD_TYPES

from core.markdown import (
    LINK_REL,
    POST_ATTRIBUTES,
    POST_TAGS,
    URL_SCHEMES,
    render_comment,
    render_post,
)

CORPORA = Path(__file__).resolve().parents[2].parent / "shared" / "corpora"
CORPORA_MISSING = f"the third-party test corpora are not checked out at {CORPORA}"

# The allowlists as DESIGN.md states them, written out here so that a widened allowlist in
# the code cannot quietly widen what these tests accept.
POST_ELEMENTS = {
    "p",
    "a",
    "em",
    "strong",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "br",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "kbd",
    "sup",
    "sub",
    "del",
    "s",
    "dl",
    "dt",
    "dd",
    "strike",
    "b",
    "i",
    "details",
    "summary",
    "span",
}
POST_ATTRIBUTE_NAMES = {
    *("href", "title", "src", "alt", "width", "height", "rel", "start"),
    *("class", "tabindex"),
}
COMMENT_ELEMENTS = {"a", "em", "strong", "code"}
COMMENT_ATTRIBUTE_NAMES = {"href", "title", "rel", "class"}
# The classes the dialect writes: tag links, spoilers, table alignment, highlighted code
# (Pygments' own short token classes on <span>), mentions in comments.
CLASSES = {
    "a": {"post-tag", "meta-tag", "mention"},
    "blockquote": {"spoiler"},
    "th": {"text-start", "text-center", "text-end"},
    "td": {"text-start", "text-center", "text-end"},
    "pre": {"highlight"},
    "span": {name for name in STANDARD_TYPES.values() if name},
}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
# Browsers drop these from URLs, and older ones skipped them inside a scheme as well.
IGNORED_IN_URLS = re.compile(r"[\s\x00-\x1f\x7f]")


class HtmlAudit(HTMLParser):
    """Parses rendered HTML the way a browser tokenises it and lists what must not be there."""

    def __init__(self, *, elements, attribute_names):
        super().__init__(convert_charrefs=True)
        self.elements = elements
        self.attribute_names = attribute_names
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.elements:
            self.problems.append(f"element <{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}={value!r}")
            elif name == "style":
                self.problems.append(f"style={value!r}")
            elif name not in self.attribute_names:
                self.problems.append(f"attribute {name} on <{tag}>")
            elif name == "class" and not set((value or "").split()) <= CLASSES.get(tag, set()):
                self.problems.append(f"class={value!r} on <{tag}>")
            elif name == "tabindex" and value != "0":
                self.problems.append(f"tabindex={value!r}")
            # HTMLParser has already decoded entities in the value, as a browser does.
            url = IGNORED_IN_URLS.sub("", value or "").lower()
            if url.startswith(DANGEROUS_SCHEMES):
                self.problems.append(f"{name}={value!r}")

    handle_startendtag = handle_starttag

    def handle_comment(self, data):
        self.problems.append(f"comment <!--{data}-->")


def problems_in(html, *, elements, attribute_names):
    audit = HtmlAudit(elements=elements, attribute_names=attribute_names)
    audit.feed(html)
    audit.close()
    if "<script" in html.lower():
        audit.problems.append("the text '<script'")
    return audit.problems


def post_problems(html):
    return problems_in(html, elements=POST_ELEMENTS, attribute_names=POST_ATTRIBUTE_NAMES)


def comment_problems(html):
    return problems_in(html, elements=COMMENT_ELEMENTS, attribute_names=COMMENT_ATTRIBUTE_NAMES)


def corpus_files(*patterns):
    if not CORPORA.is_dir():
        return [pytest.param(None, id="corpora", marks=pytest.mark.skip(reason=CORPORA_MISSING))]
    return [
        pytest.param(path, id=path.name)
        for pattern in patterns
        for path in sorted(CORPORA.glob(pattern))
    ]


def markdown_fixture_inputs(text):
    """The inputs of a markdown-it fixture file.

    Each case is a line ".", the Markdown, a line ".", the expected HTML, a line ".";
    prose may stand between cases.
    """
    lines = text.splitlines()
    inputs = []
    start = 0
    while "." in lines[start:]:
        opening = lines.index(".", start)
        middle = lines.index(".", opening + 1)
        closing = lines.index(".", middle + 1)
        inputs.append("\n".join(lines[opening + 1 : middle]))
        start = closing + 1
    return inputs


def payloads_in(path):
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        return markdown_fixture_inputs(text)
    return [line for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize(
    "path",
    corpus_files(
        "xss/payloadbox-xss-payload-list.txt",
        "xss/payloadsallthethings/*.txt",
        "xss/markdown-it-py-xss.md",
    ),
)
def test_no_xss_payload_survives_rendering_as_post_or_comment(path):
    payloads = payloads_in(path)
    assert payloads, f"no payloads read from {path}"
    failures = []
    for payload in payloads:
        for render, audit in ((render_post, post_problems), (render_comment, comment_problems)):
            html = render(payload)
            if problems := audit(html):
                failures.append(f"{render.__name__}({payload!r}) -> {html!r}: {problems}")
    assert not failures, (
        f"{len(failures)} of {len(payloads)} payloads from {path.name} got through:\n"
        + "\n".join(failures[:5])
    )


# CommonMark spec examples: 32 backticks and " example", the Markdown, a line ".", the
# expected HTML, 32 backticks; "→" stands for a tab.
SPEC_FENCE = "`" * 32
SPEC_EXAMPLE = re.compile(
    rf"^{SPEC_FENCE} example\n(.*?)^\.\n(.*?)^{SPEC_FENCE}$", re.MULTILINE | re.DOTALL
)

# Examples that markdown-it-py renders differently from the spec, checked to still differ.
KNOWN_DEVIATIONS = {
    220: "markdown-it-py renders an empty block quote as <blockquote></blockquote>, "
    "without the newline the spec puts inside",
    241: "the same empty block quote",
    242: "the same empty block quote",
    # Stack Exchange's dialect (core.markdown_dialect), on purpose:
    206: "a label defined twice links to its last definition, as on Stack Exchange",
    546: "the same duplicate label",
    604: "a bare URL is a link, even inside broken angle brackets",
    610: "the same bare URL",
    613: "the same bare URL",
}


def spec_examples():
    text = (CORPORA / "commonmark-spec.txt").read_text(encoding="utf-8")
    return [
        (number, markdown.replace("→", "\t"), html.replace("→", "\t"))
        for number, (markdown, html) in enumerate(SPEC_EXAMPLE.findall(text), start=1)
    ]


def sanitise(html, *, link_rel=LINK_REL):
    """The pipeline's own nh3 settings, applied to the spec's expected HTML."""
    return nh3.clean(
        html,
        tags=POST_TAGS,
        attributes={"*": set(), **POST_ATTRIBUTES},
        url_schemes=URL_SCHEMES,
        link_rel=link_rel,
        strip_comments=True,
    ).strip()


class MarkupInventory(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.attributes = {}
        self.url_schemes = set()

    def handle_starttag(self, tag, attrs):
        self.attributes.setdefault(tag, set()).update(name for name, _ in attrs)
        for name, value in attrs:
            scheme = re.match(r"([a-z][a-z0-9+.-]*):", value or "", re.IGNORECASE)
            if name in {"href", "src"} and scheme:
                self.url_schemes.add(scheme.group(1).lower())

    handle_startendtag = handle_starttag


def is_safe(html):
    """Whether the sanitiser keeps every element, attribute and URL of this HTML.

    The sanitiser also re-serialises (<br /> becomes <br>, &quot; in text becomes "), so it
    is compared with a sanitiser that allows everything the HTML contains, not with the
    HTML itself.
    """
    inventory = MarkupInventory()
    inventory.feed(html)
    inventory.close()
    keep_everything = nh3.clean(
        html,
        tags=set(inventory.attributes),
        attributes=inventory.attributes,
        url_schemes=URL_SCHEMES | inventory.url_schemes,
        link_rel=None,
        strip_comments=False,
        clean_content_tags=set(),
    ).strip()
    return sanitise(html, link_rel=None) == keep_everything


@pytest.mark.skipif(not CORPORA.is_dir(), reason=CORPORA_MISSING)
def test_safe_commonmark_spec_examples_render_as_the_spec_says():
    examples = spec_examples()
    assert len(examples) == 655
    safe = [example for example in examples if is_safe(example[2])]
    # Pinned so that a change to the allowlist, which changes what is compared, is noticed.
    assert len(safe) == 594
    failures = {
        number: (markdown, render_post(markdown), sanitise(html))
        for number, markdown, html in safe
        if render_post(markdown) != sanitise(html)
    }
    unexpected = [
        f"example {number}: {markdown!r} -> {got!r}, expected {expected!r}"
        for number, (markdown, got, expected) in failures.items()
        if number not in KNOWN_DEVIATIONS
    ]
    assert not unexpected, f"{len(unexpected)} safe examples differ:\n" + "\n".join(unexpected)
    assert set(failures) == set(KNOWN_DEVIATIONS), "known deviations now pass; drop them"


def test_links_get_rel_nofollow_ugc_noopener():
    expected = '<a href="https://example.com" rel="nofollow ugc noopener">site</a>'
    assert render_post("[site](https://example.com)") == f"<p>{expected}</p>"
    assert render_comment("[site](https://example.com)") == expected


def test_raw_html_links_get_the_same_rel_whatever_rel_they_bring():
    html = render_post('<a href="https://example.com" rel="me" target="_blank">site</a>')
    assert html == '<p><a href="https://example.com" rel="nofollow ugc noopener">site</a></p>'


@pytest.mark.parametrize(
    "source",
    [
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](javascript&#x3A;alert(1))",
        "[click](&#106;avascript:alert(1))",
        '<a href="javascript:alert(1)">click</a>',
        '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert(1)">click</a>',
        '<a href="java&#x09;script:alert(1)">click</a>',
        '<a href=" &#14;  javascript:alert(1)">click</a>',
        '<a href="java&#1;script:alert(1)">click</a>',
        '<a href="vbscript:msgbox(1)">click</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
    ],
)
def test_javascript_links_are_not_links(source):
    html = render_post(source)
    assert "href" not in html, html
    assert "click" in html


def test_tables_and_strikethrough_render():
    html = render_post("| a | b |\n|---|---|\n| 1 | ~~2~~ |")
    assert "<table>" in html
    assert "<th>a</th>" in html
    assert "<td><s>2</s></td>" in html


def test_images_keep_src_and_alt():
    html = render_post('![A cat](https://example.com/cat.png "Tom")')
    assert html == '<p><img src="https://example.com/cat.png" alt="A cat" title="Tom"></p>'


def test_images_lose_data_urls():
    html = render_post("![dot](data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAA7)")
    assert html == '<p><img alt="dot"></p>'


def test_attributes_outside_the_allowlist_go_even_harmless_ones():
    html = render_post('<p lang="de" title="t" class="c" id="i">text</p>')
    assert html == "<p>text</p>"


def test_inline_html_like_kbd_and_sup_survives():
    html = render_post("Press <kbd>Ctrl</kbd>, then x<sup>2</sup> and H<sub>2</sub>O.")
    assert html == "<p>Press <kbd>Ctrl</kbd>, then x<sup>2</sup> and H<sub>2</sub>O.</p>"


def test_script_iframe_and_style_attributes_go():
    html = render_post(
        '<script>alert(1)</script><iframe src="https://example.com"></iframe>'
        '<p style="color: red" onclick="alert(1)">text</p>'
    )
    assert html == "<p>text</p>"


def test_comments_render_bold_italic_code_and_links():
    html = render_comment("**bold** *italic* `code` [link](https://example.com)")
    assert html == (
        "<strong>bold</strong> <em>italic</em> <code>code</code> "
        '<a href="https://example.com" rel="nofollow ugc noopener">link</a>'
    )


def test_comments_do_not_render_headings_lists_images_or_raw_html():
    html = render_comment("# Heading\n- item\n![cat](https://example.com/cat.png) <b>raw</b>")
    assert comment_problems(html) == []
    assert "<img" not in html
    assert "<h1>" not in html
    assert "<li>" not in html
    assert "&lt;b&gt;raw&lt;/b&gt;" in html


@pytest.mark.parametrize("source", ["a\0b", "`a\0b`", "[a](b\0c)", "<kbd>\0</kbd>", "&#0;"])
def test_null_bytes_never_reach_the_output(source):
    assert "\0" not in render_post(source)
    assert "\0" not in render_comment(source)
