"""Snippets: a passage of each result's text with the matching words in <mark>.

On PostgreSQL the passage is ts_headline's, which knows stems ("friendship" marks
"friendships"); elsewhere it is cut here from the body around the first literal match.
"""

import html
import re

from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

SNIPPET_LENGTH = 240
# Characters before the first match that a snippet keeps, so the match reads in context.
SNIPPET_LEAD = 60
# Private-use characters mark the highlighted words in ts_headline's output; they are
# removed from the text first, so a post cannot fake a highlight.
MARK_START, MARK_STOP = "\ue000", "\ue001"
_MARKED = re.compile(f"({MARK_START}[^{MARK_STOP}]*{MARK_STOP})")


def snippet(post, terms):
    """Escaped HTML: a passage of the post's text with the matching words in <mark>."""
    if hasattr(post, "headline"):
        return _from_headline(post.headline)
    text = " ".join(html.unescape(strip_tags(post.body_html)).split())
    needles = sorted(set(terms.positive_texts), key=len, reverse=True)
    if not needles:
        return _highlighted(_clip(text, 0), None)
    pattern = re.compile("|".join(re.escape(needle) for needle in needles), re.IGNORECASE)
    first = pattern.search(text)
    start = max(0, first.start() - SNIPPET_LEAD) if first else 0
    return _highlighted(_clip(text, start), pattern)


def _from_headline(headline):
    """ts_headline's plain text, with its marks turned into <mark>."""
    return mark_safe(
        "".join(
            f"<mark>{escape(html.unescape(piece[1:-1]))}</mark>"
            if piece.startswith(MARK_START)
            else escape(html.unescape(piece))
            for piece in _MARKED.split(headline)
        )
    )


def _clip(text, start):
    """SNIPPET_LENGTH characters from `start`, cut at word boundaries, with ellipses."""
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + SNIPPET_LEAD else start
    end = start + SNIPPET_LENGTH
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return ("… " if start else "") + text[start:end] + (" …" if end < len(text) else "")


def _highlighted(text, pattern):
    if pattern is None:
        return escape(text)
    pieces, position = [], 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[position : match.start()]))
        pieces.append(f"<mark>{escape(match[0])}</mark>")
        position = match.end()
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces))
