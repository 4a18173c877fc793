"""Stack Exchange's Markdown dialect, as markdown-it-py plugins on top of CommonMark.

Each plugin is a function of the MarkdownIt instance. Which legacy quirks are here was
decided by measuring against the HTML Stack Exchange rendered for a real dump
(`manage.py markdown_fidelity`, docs/MARKDOWN.md); quirks that changed no post of it are
left out.
"""

import re

from linkify_it import LinkifyIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_inline.linkify import linkify as _inline_linkify

from core.markdown_highlight import PRE_CLASS, highlighted
from core.markdown_sitelinks import site_links

TAG_CLASS = "post-tag"
META_TAG_CLASS = "meta-tag"
SPOILER_CLASS = "spoiler"
# Bootstrap's alignment classes: the CSP forbids the style attribute markdown-it writes.
# An env key: parse without asking the site for question titles.
NO_LOOKUPS = "no_site_lookups"
# Env keys for rendering several texts with one look-up (core.markdown.render_posts): a set
# that collects the bare links' URLs instead of looking them up, and the titles found.
COLLECT_LINKS = "collect_question_links"
FOUND_LINKS = "found_question_links"
ALIGNMENT_CLASSES = {"left": "text-start", "center": "text-center", "right": "text-end"}


def _starts_a_word(text, index):
    """Stack Exchange links a bare URL only where a word may start: a URL right after a
    quote or an equals sign is an attribute someone is showing, not a link."""
    return index == 0 or text[index - 1].isspace() or text[index - 1] in "(<"


class _WordLinkify(LinkifyIt):
    def match(self, text):
        links = [link for link in super().match(text) or [] if _starts_a_word(text, link.index)]
        return links or None


_SCHEME_BEFORE = re.compile(r"(?:^|[^a-z0-9.+-])([a-z][a-z0-9.+-]*)$", re.IGNORECASE)


def _linkify_after_space(state, silent):
    scheme = _SCHEME_BEFORE.search(state.pending)
    if scheme and not _starts_a_word(state.pending, scheme.start(1)):
        return False
    return _inline_linkify(state, silent)


def linkified(md):
    """Bare http(s) URLs become links, as on Stack Exchange; addresses without a scheme
    (example.com), e-mail addresses and other schemes stay text."""
    linkify = _WordLinkify()
    for schema in ("ftp:", "//", "mailto:"):
        linkify.add(schema, None)
    linkify.set({"fuzzy_link": False, "fuzzy_email": False, "fuzzy_ip": False})
    md.linkify = linkify
    md.options["linkify"] = True
    md.enable("linkify")
    md.inline.ruler.at("linkify", _linkify_after_space)


# [tag:name] and [meta-tag:name]: a tag's name is letters, digits and + # . - (as the
# site's tags are).
_TAG = re.compile(r"\[(meta-)?tag:([a-z0-9+#.\-]{1,35})\]", re.IGNORECASE)


def _tag_link(state, silent):
    if state.src[state.pos] != "[":
        return False
    match = _TAG.match(state.src, state.pos)
    if not match:
        return False
    # Stack Exchange drops what no tag name starts with: [tag:-language] is "language".
    meta, name = bool(match.group(1)), match.group(2).lower().lstrip("-")
    if not name:
        return False
    url = site_links().tag_url(name, meta=meta)
    if url is None:
        return False
    if not silent:
        classes = f"{TAG_CLASS} {META_TAG_CLASS}" if meta else TAG_CLASS
        link = state.push("link_open", "a", 1)
        link.attrs = {"href": url, "class": classes}
        link.markup = "tag"
        state.push("text", "", 0).content = name
        state.push("link_close", "a", -1).markup = "tag"
    state.pos = match.end()
    return True


def tag_links(md):
    """[tag:x] and [meta-tag:x] link to the tag's page, showing its name."""
    md.inline.ruler.before("link", "se_tag", _tag_link)


def _bare_links(tokens):
    """(link_open, its text token) of each link written as a bare URL."""
    for inline in tokens:
        children = inline.children or []
        for index, token in enumerate(children[:-2]):
            if (
                token.type == "link_open"
                and token.markup in {"linkify", "autolink"}
                and children[index + 1].type == "text"
                and children[index + 2].type == "link_close"
            ):
                yield token, children[index + 1]


def _question_titles(state):
    if state.env.get(NO_LOOKUPS):
        return
    bare = [(link, text) for link, text in _bare_links(state.tokens) if text.content]
    if not bare:
        return
    urls = {link.attrs["href"] for link, _ in bare}
    if (collected := state.env.get(COLLECT_LINKS)) is not None:
        collected.update(urls)
        return
    found = state.env.get(FOUND_LINKS)
    if found is None:
        found = site_links().question_links(urls)
    for link, text in bare:
        if (title_and_href := found.get(link.attrs["href"])) is not None:
            text.content, link.attrs["href"] = title_and_href


def question_titles(md):
    """A bare link to a question the site knows shows the question's title, as Stack
    Exchange shows it; one look-up for all the links of a text."""
    md.core.ruler.after("linkify", "se_question_titles", _question_titles)


_SPOILER_LINE = re.compile(r"^! ?", re.MULTILINE)


def _spoilers(state):
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "blockquote_open":
            continue
        first = next((t for t in tokens[index + 1 :] if t.type == "inline"), None)
        if first is None or not first.content.startswith("!"):
            continue
        token.attrs["class"] = SPOILER_CLASS
        token.attrs["tabindex"] = "0"
        for inner in tokens[index + 1 :]:
            if inner.type == "blockquote_close" and inner.level == token.level:
                break
            if inner.type == "inline" and inner.level == token.level + 2:
                inner.content = _SPOILER_LINE.sub("", inner.content)


def spoilers(md):
    """>! quotes are spoilers: hidden until hovered or focused (CSS, no script needed)."""
    md.core.ruler.after("block", "se_spoilers", _spoilers)


_LANGUAGE_HINT = re.compile(r"\s*<!--\s*language(-all)?:\s*([^\s>]*)\s*-->\s*", re.IGNORECASE)


def _language_hints(state):
    for_all = next_block = None
    for token in state.tokens:
        if token.type == "html_block" and (hint := _LANGUAGE_HINT.fullmatch(token.content)):
            if hint.group(1):
                for_all = hint.group(2)
            else:
                next_block = hint.group(2)
        elif token.type in {"code_block", "fence"}:
            hint = next_block or for_all
            next_block = None
            if hint and not token.info.strip():
                token.meta = {**(token.meta or {}), "language": hint}


def _code(self, tokens, index, options, env):
    token = tokens[index]
    hint = token.info.strip().split(maxsplit=1)[0] if token.info.strip() else ""
    hint = hint or (token.meta or {}).get("language", "")
    html = highlighted(token.content, hint)
    if html is None:
        return f"<pre><code>{escapeHtml(token.content)}</code></pre>\n"
    return f'<pre class="{PRE_CLASS}"><code>{html}</code></pre>\n'


def code_languages(md):
    """```lang fences and <!-- language: lang-x --> (the next code block) or
    <!-- language-all: lang-x --> (every later one) hints are highlighted server-side."""
    md.core.ruler.after("block", "se_language_hints", _language_hints)
    md.add_render_rule("fence", _code)
    md.add_render_rule("code_block", _code)


_ALIGNMENT = re.compile(r"text-align:\s*(left|center|right)")


def _table_alignment(state):
    for token in state.tokens:
        if token.type in {"th_open", "td_open"} and "style" in token.attrs:
            align = _ALIGNMENT.fullmatch(str(token.attrs.pop("style")))
            if align:
                token.attrs["class"] = ALIGNMENT_CLASSES[align.group(1)]


def table_alignment(md):
    """A table column's alignment is a class, never a style attribute."""
    md.core.ruler.push("se_table_alignment", _table_alignment)


def _last_reference_wins(state):
    references = state.env.get("references", {})
    for duplicate in state.env.pop("duplicate_refs", []):
        references[duplicate["label"]] = {
            "title": duplicate["title"],
            "href": duplicate["href"],
            "map": duplicate["map"],
        }


def last_reference_wins(md):
    """A label defined twice links to its last definition (CommonMark: the first)."""
    md.core.ruler.after("block", "se_last_reference", _last_reference_wins)


def _heading_without_space(state, start, end, silent):
    """ "##Heading": the old Markdown's heading, which needs no space after the hashes."""
    if state.is_code_block(start):
        return False
    line = state.src[state.bMarks[start] + state.tShift[start] : state.eMarks[start]]
    hashes = len(line) - len(line.lstrip("#"))
    # One hash stays CommonMark's: "#hashtag" or "#5" opening a line is rarely a heading.
    if not 2 <= hashes <= 6 or len(line) == hashes or line[hashes] in " \t#":
        return False
    if silent:
        return True
    content = line[hashes:].rstrip().rstrip("#").rstrip() or line[hashes:].strip()
    state.line = start + 1
    opening = state.push("heading_open", f"h{hashes}", 1)
    opening.markup = "#" * hashes
    opening.map = [start, state.line]
    inline = state.push("inline", "", 0)
    inline.content = content
    inline.map = [start, state.line]
    inline.children = []
    state.push("heading_close", f"h{hashes}", -1).markup = "#" * hashes
    return True


def headings_without_space(md):
    md.block.ruler.after(
        "heading",
        "se_heading_without_space",
        _heading_without_space,
        {"alt": ["paragraph", "reference", "blockquote"]},
    )


# A line that is nothing but <hr> or <br>: CommonMark makes it and the lines up to the next
# blank line one HTML block, so their Markdown is not rendered; Stack Exchange renders it.
_VOID_HTML_LINE = re.compile(r"\s{0,3}<(?:hr|br)\s*/?>\s*", re.IGNORECASE)


def _void_html_line(state, start, end, silent):
    if state.is_code_block(start):
        return False
    line = state.src[state.bMarks[start] : state.eMarks[start]]
    if not _VOID_HTML_LINE.fullmatch(line):
        return False
    if silent:
        return True
    state.line = start + 1
    token = state.push("html_block", "", 0)
    token.map = [start, state.line]
    token.content = line + "\n"
    return True


# "<!-- a note -->Text" on one line: CommonMark makes the whole line HTML, Stack Exchange
# renders the text after the comment as Markdown. Fenced code is left alone.
_COMMENT_THEN_TEXT = re.compile(r"^( {0,3}<!--(?:(?!-->).)*-->)[ \t]*(\S.*)$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def _split_comment_lines(state):
    lines = state.src.split("\n")
    fence = None
    for index, line in enumerate(lines):
        if opening := _FENCE.match(line):
            marker = opening.group(1)
            if fence is None:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence):
                fence = None
            continue
        if fence is None and (match := _COMMENT_THEN_TEXT.match(line)):
            lines[index] = f"{match.group(1)}\n\n{match.group(2)}"
    state.src = "\n".join(lines)


def markdown_after_html_lines(md):
    md.block.ruler.before("html_block", "se_void_html_line", _void_html_line)
    md.core.ruler.after("normalize", "se_comment_lines", _split_comment_lines)


# Stack Exchange's image host answers on https only; it rewrites the old http addresses.
_IMAGE_HOST = re.compile(r"^http://i\.stack\.imgur\.com/", re.IGNORECASE)


def _https_images(state):
    for inline in state.tokens:
        for token in inline.children or []:
            if token.type == "image" and _IMAGE_HOST.match(token.attrs.get("src", "")):
                token.attrs["src"] = _IMAGE_HOST.sub(
                    "https://i.stack.imgur.com/", token.attrs["src"]
                )


def https_images(md):
    md.core.ruler.push("se_https_images", _https_images)
