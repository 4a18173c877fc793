"""Server-side syntax highlighting of code blocks with Pygments: spans with short classes
(static/css/highlight.css colours them), never inline styles, which the CSP forbids.

A block is highlighted only when its author named the language (a fence's info string,
or Stack Exchange's <!-- language: lang-x --> hint); unknown names leave it plain.
"""

import re
from functools import lru_cache

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.token import STANDARD_TYPES
from pygments.util import ClassNotFound

# Every class Pygments' formatter writes: the sanitiser lets exactly these through on <span>.
TOKEN_CLASSES = frozenset(name for name in STANDARD_TYPES.values() if name)
PRE_CLASS = "highlight"

# Stack Exchange's hints say "lang-js", "lang-python", "js"; "none" and "default" mean
# no highlighting (Stack Exchange's "default" guesses, which we do not).
_HINT = re.compile(r"(?:lang-)?([a-z0-9][a-z0-9_+#.-]{0,40})", re.IGNORECASE)
_PLAIN = {"none", "default", "text", "plain", "plaintext"}
_FORMATTER = HtmlFormatter(nowrap=True)


@lru_cache(maxsize=256)
def lexer_for(hint: str):
    """The lexer a language hint names, None for none or an unknown name."""
    match = _HINT.fullmatch(hint.strip())
    if not match or match.group(1).lower() in _PLAIN:
        return None
    try:
        return get_lexer_by_name(match.group(1).lower(), stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


def highlighted(code: str, hint: str) -> str | None:
    """The HTML of `code`'s tokens (spans inside <code>), None if `hint` names no language."""
    lexer = lexer_for(hint) if hint else None
    if lexer is None:
        return None
    return highlight(code, lexer, _FORMATTER)
