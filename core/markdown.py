"""The one Markdown pipeline: CommonMark (markdown-it-py) rendered, then sanitised (nh3).

Posts are rendered once, when they are saved; previews call the same functions, so a
preview never differs from the stored result.
"""

import re

import nh3
from markdown_it import MarkdownIt

LINK_REL = "nofollow ugc noopener"
URL_SCHEMES = {"http", "https", "mailto"}

POST_TAGS = {
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
}
POST_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
}

COMMENT_TAGS = {"a", "em", "strong", "code"}
COMMENT_ATTRIBUTES = {"a": {"href", "title"}}

_post_renderer = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
# Comments are one paragraph of inline Markdown: no headings, lists, quotes or images.
_comment_renderer = MarkdownIt("commonmark", {"html": False}).disable(["image"])


# nh3 reads a URL the way today's browsers do, so "java&#1;script:" is a harmless relative
# URL to it. Older browsers skipped control characters and spaces inside a scheme, so a URL
# that spells a foreign scheme once those are removed is dropped too.
_IGNORED_IN_SCHEME = re.compile(r"[\s\x00-\x1f\x7f]")
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):", re.IGNORECASE)


def _drop_disguised_schemes(tag, attribute, value):
    if attribute in {"href", "src"}:
        scheme = _SCHEME.match(_IGNORED_IN_SCHEME.sub("", value))
        if scheme and scheme.group(1).lower() not in URL_SCHEMES:
            return None
    return value


def _clean(html, *, tags, attributes):
    return nh3.clean(
        html,
        tags=tags,
        # Without a "*" entry nh3 allows lang and title on every element.
        attributes={"*": set(), **attributes},
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
        attribute_filter=_drop_disguised_schemes,
    )


def render_post(markdown_source: str) -> str:
    """Renders a post body (full CommonMark with tables and strikethrough) to safe HTML."""
    return _clean(
        _post_renderer.render(markdown_source), tags=POST_TAGS, attributes=POST_ATTRIBUTES
    ).strip()


def render_comment(markdown_source: str) -> str:
    """Renders a comment: bold, italic, code and links, on one line."""
    html = _comment_renderer.renderInline(" ".join(markdown_source.split()))
    return _clean(html, tags=COMMENT_TAGS, attributes=COMMENT_ATTRIBUTES).strip()
