"""The one Markdown pipeline: CommonMark (markdown-it-py) rendered, then sanitised (nh3).

Posts are rendered once, when they are saved; previews call the same functions, so a
preview never differs from the stored result.
"""

import re

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

from core import markdown_dialect as dialect
from core.markdown_highlight import PRE_CLASS, TOKEN_CLASSES
from core.markdown_sitelinks import site_links

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
    # Stack Exchange's allowlist has these too: old posts strike with <strike>, bold with
    # <b>; <details> folds without a script.
    "strike",
    "b",
    "i",
    "details",
    "summary",
    # Highlighted code's tokens (their classes only).
    "span",
}
POST_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    # A spoiler is focusable, so that a keyboard reveals it as hovering does.
    "blockquote": {"tabindex"},
}
# Classes are the only styling a post carries (the CSP forbids style attributes): the
# dialect's tag links, spoilers, table alignment and highlighted code.
POST_CLASSES = {
    "a": {dialect.TAG_CLASS, dialect.META_TAG_CLASS},
    "blockquote": {dialect.SPOILER_CLASS},
    "th": set(dialect.ALIGNMENT_CLASSES.values()),
    "td": set(dialect.ALIGNMENT_CLASSES.values()),
    "pre": {PRE_CLASS},
    "span": set(TOKEN_CLASSES),
}

COMMENT_TAGS = {"a", "em", "strong", "code"}
COMMENT_ATTRIBUTES = {"a": {"href", "title"}}
# The classes a comment may hold, which only render_comment's mention and tag links
# carry: comments allow no HTML of their own.
COMMENT_CLASSES = {"a": {"mention", dialect.TAG_CLASS, dialect.META_TAG_CLASS}}

# "@word" in a comment: a letter or digit, then two or more letters, digits, dots, dashes or
# underscores; not in the middle of a word, so an email address mentions nobody. Dots and
# dashes that end the word end the sentence instead.
MENTION = re.compile(r"(?<![\w@])@([^\W_][\w.\-]{2,})")


def _post_markdown():
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    for plugin in (
        dialect.linkified,
        dialect.tag_links,
        dialect.question_titles,
        dialect.spoilers,
        dialect.code_languages,
        dialect.table_alignment,
        dialect.last_reference_wins,
        dialect.headings_without_space,
        dialect.markdown_after_html_lines,
        dialect.https_images,
    ):
        plugin(md)
    return md


def _comment_markdown():
    # Comments are one paragraph of inline Markdown: no headings, lists, quotes or images;
    # an image shows as a link to it, as on Stack Exchange.
    md = MarkdownIt("commonmark", {"html": False})
    for plugin in (dialect.linkified, dialect.tag_links, dialect.question_titles):
        plugin(md)
    md.add_render_rule("image", _image_as_link)
    return md


def _image_as_link(self, tokens, idx, options, env):
    """A comment's `![alt](url)`: a link to the image, named by its alt text (by its
    address without one); inside a link, the alt text alone (a link holds no link)."""
    token = tokens[idx]
    src = escapeHtml(token.attrGet("src") or "")
    text = self.renderInline(token.children or [], options, env) or src
    opened = sum(
        1 if other.type == "link_open" else -1
        for other in tokens[:idx]
        if other.type in {"link_open", "link_close"}
    )
    if opened > 0:
        return text
    title = token.attrGet("title")
    title = f' title="{escapeHtml(title)}"' if title else ""
    return f'<a href="{src}"{title}>{text}</a>'


_post_renderer = _post_markdown()
_comment_renderer = _comment_markdown()


# nh3 reads a URL the way today's browsers do, so "java&#1;script:" is a harmless relative
# URL to it. Older browsers skipped control characters and spaces inside a scheme, so a URL
# that spells a foreign scheme once those are removed is dropped too.
_IGNORED_IN_SCHEME = re.compile(r"[\s\x00-\x1f\x7f]")
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):", re.IGNORECASE)


def _attribute_filter(tag, attribute, value):
    # A spoiler takes its place in the tab order; no post may reorder the page's.
    if attribute == "tabindex":
        return "0" if value.strip() == "0" else None
    if attribute in {"href", "src"}:
        scheme = _SCHEME.match(_IGNORED_IN_SCHEME.sub("", value))
        if scheme and scheme.group(1).lower() not in URL_SCHEMES:
            return None
    return value


def _clean(html, *, tags, attributes, classes=None):
    return nh3.clean(
        html,
        tags=tags,
        # Without a "*" entry nh3 allows lang and title on every element.
        attributes={"*": set(), **attributes},
        allowed_classes=classes or {},
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
        attribute_filter=_attribute_filter,
    )


def render_post(markdown_source: str) -> str:
    """Renders a post body (CommonMark with tables, strikethrough and Stack Exchange's
    dialect: core.markdown_dialect) to safe HTML."""
    return clean_post_html(_post_renderer.render(markdown_source))


def render_posts(markdown_sources) -> list[str]:
    """Renders several post bodies as render_post does, asking the site for the titles
    behind all their bare links at once (a revisions page: one look-up, not one a text)."""
    sources = list(markdown_sources)
    # Revisions repeat their text when only a title or tags changed: each text once.
    distinct = list(dict.fromkeys(sources))
    urls = set()
    for source in distinct:
        # Only http(s) URLs are linked: a text without "http" has no bare link to ask about.
        if "http" in source.lower():
            _post_renderer.parse(source, {dialect.COLLECT_LINKS: urls})
    found = site_links().question_links(urls) if urls else {}
    rendered = {
        source: clean_post_html(_post_renderer.render(source, {dialect.FOUND_LINKS: found}))
        for source in distinct
    }
    return [rendered[source] for source in sources]


def clean_post_html(html: str) -> str:
    """HTML through the posts' allowlist, classes included: what render_post does to its
    own output, for HTML rendered elsewhere (a Stack Exchange dump's Body, whose tag links
    and spoilers carry the same classes)."""
    return _clean(html, tags=POST_TAGS, attributes=POST_ATTRIBUTES, classes=POST_CLASSES).strip()


def _comment_tokens(markdown_source):
    # Only where the text and the links are matters here: no question titles looked up.
    env = {dialect.NO_LOOKUPS: True}
    return _comment_renderer.parseInline(" ".join(markdown_source.split()), env)


def _plain_text(tokens):
    """The tokens of a comment's text outside links (code spans are tokens of their own),
    with their positions."""
    inside_link = 0
    for index, token in enumerate(tokens):
        if token.type == "link_open":
            inside_link += 1
        elif token.type == "link_close":
            inside_link -= 1
        elif token.type == "text" and not inside_link:
            yield index, token


def _mentions_in(text):
    """(start, end, word) of each "@word" in `text`; the span is the @ and the word."""
    for match in MENTION.finditer(text):
        word = match.group(1).rstrip(".-")
        yield match.start(), match.start() + 1 + len(word), word


def comment_mentions(markdown_source: str) -> list[str]:
    """The words after an "@" in a comment, as render_comment sees them (not in code or
    links), casefolded, in order, each once."""
    words = (
        word.casefold()
        for _, token in _plain_text(_comment_tokens(markdown_source)[0].children or [])
        for _, _, word in _mentions_in(token.content)
    )
    return list(dict.fromkeys(words))


def _text_token(content):
    return Token("text", "", 0, content=content)


def _with_mention_links(text, mentions):
    """The tokens of `text` with each "@word" whose casefolded word `mentions` maps to a
    URL made a link to it."""
    tokens = []
    done = 0
    for start, end, word in _mentions_in(text):
        url = mentions.get(word.casefold())
        if url is None:
            continue
        if start > done:
            tokens.append(_text_token(text[done:start]))
        tokens += [
            Token("link_open", "a", 1, attrs={"class": "mention", "href": url}),
            _text_token(text[start:end]),
            Token("link_close", "a", -1),
        ]
        done = end
    if done < len(text):
        tokens.append(_text_token(text[done:]))
    return tokens


def render_comment(markdown_source: str, *, mentions=None) -> str:
    """Renders a comment: bold, italic, code and links, on one line. `mentions` ({word,
    casefolded: URL}) links those "@word"s of its text (not in code or links) to their
    URLs; other "@word"s stay text."""
    env = {}
    tokens = _comment_renderer.parseInline(" ".join(markdown_source.split()), env)
    if mentions and (inline := tokens[0]).children:
        children = list(inline.children)
        for index, token in reversed(list(_plain_text(children))):
            children[index : index + 1] = _with_mention_links(token.content, mentions)
        inline.children = children
    html = _comment_renderer.renderer.render(tokens, _comment_renderer.options, env)
    return _clean(
        html, tags=COMMENT_TAGS, attributes=COMMENT_ATTRIBUTES, classes=COMMENT_CLASSES
    ).strip()
