"""The parser of Stack Exchange's query syntax: what a visitor typed becomes `SearchTerms`,
plain data that never touches the database."""

import re
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from functools import partial

from django.utils.translation import gettext as _

from core.text import clean_text
from questions.models import TAG_NAME_PATTERN, Post

_TAG_NAME = re.compile(TAG_NAME_PATTERN)
_TOKEN = re.compile(
    r"""
    (?P<negated>-)?
    (?:
        "(?P<phrase>[^"]*)"?                       # an unclosed quote runs to the end
      | \[(?P<tag>[^\[\]\s]+)\]
      | (?P<operator>[a-z]+):(?:"(?P<quoted>[^"]*)"?|(?P<value>\S*))
      | (?P<word>\S+)
    )
    """,
    re.VERBOSE | re.IGNORECASE,
)
_NUMBER = re.compile(r"-?\d{1,9}")
_DAY = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_YES = {"yes", "true", "1", "ja"}
_NO = {"no", "false", "0", "nein"}
_POST_TYPES = {
    "question": Post.PostType.QUESTION,
    "q": Post.PostType.QUESTION,
    "answer": Post.PostType.ANSWER,
    "a": Post.PostType.ANSWER,
}


@dataclass
class SearchTerms:
    """A parsed query. Numeric bounds are (at least, at most) pairs, either end None;
    `created_from` and `created_before` are the first day in and the first day past."""

    # The query as read: cleaned of control characters, and cut if it was too long.
    query: str = ""
    words: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    title: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    excluded_tags: list[str] = field(default_factory=list)
    user: int | str | None = None
    score: tuple | None = None
    answers: tuple | None = None
    views: tuple | None = None
    is_accepted: bool | None = None
    has_accepted: bool | None = None
    post_type: int | None = None
    closed: bool | None = None
    deleted: bool | None = None
    created_from: date | None = None
    created_before: date | None = None
    in_question: int | None = None
    # What the visitor should know about how the query was read: translated sentences.
    notes: list[str] = field(default_factory=list)
    truncated: bool = False

    @property
    def positive_texts(self):
        """The words, phrases and title texts that a post must contain."""
        return [*self.words, *self.phrases, *self.title]

    @property
    def has_text(self):
        """Whether anything must match the posts' text (exclusions alone only filter)."""
        return bool(self.positive_texts)

    @property
    def is_empty(self):
        """Whether there is nothing to search for (an empty query, or one of notes only)."""
        return all(
            getattr(self, each.name) in (None, [])
            for each in fields(self)
            if each.name not in {"query", "notes", "truncated"}
        )


def parse_query(text, *, max_length):
    """Reads a query in Stack Exchange's syntax. Never fails: what cannot be read becomes
    a note, and unknown operators are searched as words."""
    terms = SearchTerms()
    text = clean_text(text or "")
    if len(text) > max_length:
        text = text[:max_length]
        terms.truncated = True
    terms.query = text
    for match in _TOKEN.finditer(text):
        _read_token(terms, match)
    return terms


def _read_token(terms, match):
    negated = bool(match["negated"])
    if match["phrase"] is not None:
        phrase = " ".join(match["phrase"].split())
        if phrase:
            (terms.excluded if negated else terms.phrases).append(phrase)
    elif match["tag"] is not None:
        name = match["tag"].lower()
        if _TAG_NAME.match(name):
            (terms.excluded_tags if negated else terms.tags).append(name)
        else:
            terms.notes.append(
                _("“[%(tag)s]” cannot be a tag name and was ignored.") % {"tag": name}
            )
    elif match["operator"] is not None and match["operator"].lower() in _OPERATORS:
        name = match["operator"].lower()
        value = match["quoted"] if match["quoted"] is not None else match["value"]
        if negated:
            terms.notes.append(
                _("Operators cannot be excluded: “-%(name)s:” was ignored.") % {"name": name}
            )
        elif not _OPERATORS[name](terms, value.strip()):
            terms.notes.append(
                _("“%(name)s:%(value)s” is not a valid value for %(name)s: and was ignored.")
                % {"name": name, "value": value}
            )
    else:
        word = match[0].removeprefix("-") if negated else match[0]
        # "http://…" is a word, not an unknown operator worth a note.
        value = match["value"]
        if match["operator"] is not None and value and not value.startswith("//"):
            terms.notes.append(
                _("“%(name)s:” is not a search operator; “%(word)s” was searched as words.")
                % {"name": match["operator"], "word": word}
            )
        if word:
            (terms.excluded if negated else terms.words).append(word)


def _integer(value, *, minimum=None):
    if not _NUMBER.fullmatch(value):
        return None
    number = int(value)
    return None if minimum is not None and number < minimum else number


def _range(value, read, single):
    """ "X", "X..Y", "X.." or "..Y" with each end read by `read`: (X, Y) with an absent end
    None, `single(X)` for "X", or None if an end cannot be read or both are absent."""
    low, dots, high = value.partition("..")
    if not dots:
        one = read(value)
        return None if one is None else single(one)
    ends = [read(end) if end else None for end in (low, high)]
    if (low and ends[0] is None) or (high and ends[1] is None) or not (low or high):
        return None
    return tuple(ends)


def _bounds(value, *, minimum=None):
    """ "N" (at least N), "N..M", "N.." or "..M" as (at least, at most), or None."""
    return _range(value, partial(_integer, minimum=minimum), lambda number: (number, None))


def _yes_no(value):
    value = value.lower()
    return True if value in _YES else False if value in _NO else None


def _period(value):
    """A year, month or day as (first day, first day after), or None."""
    match = _DAY.fullmatch(value)
    if not match:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        start = date(year, month or 1, day or 1)
        if day:
            return start, start + timedelta(days=1)
        if month:
            return start, date(year + month // 12, month % 12 + 1, 1)
        return start, date(year + 1, 1, 1)
    except (ValueError, OverflowError):
        return None


def _user(value):
    return "me" if value.lower() == "me" else _integer(value, minimum=1)


def _post_type(value):
    return _POST_TYPES.get(value.lower())


def _read_into(name, parse):
    """An operator that sets the terms' `name` to what `parse` makes of the value, valid
    unless that is None."""

    def read(terms, value):
        parsed = parse(value)
        setattr(terms, name, parsed)
        return parsed is not None

    return read


def _read_title(terms, value):
    text = " ".join(value.split())
    if text:
        terms.title.append(text)
    return bool(text)


def _read_created(terms, value):
    # A single period is both ends of the range.
    periods = _range(value, _period, lambda period: (period, period))
    if periods is None:
        return False
    start, end = periods
    terms.created_from = start[0] if start else None
    terms.created_before = end[1] if end else None
    return True


_OPERATORS = {
    "user": _read_into("user", _user),
    "score": _read_into("score", _bounds),
    "answers": _read_into("answers", partial(_bounds, minimum=0)),
    "views": _read_into("views", partial(_bounds, minimum=0)),
    "isaccepted": _read_into("is_accepted", _yes_no),
    "hasaccepted": _read_into("has_accepted", _yes_no),
    "closed": _read_into("closed", _yes_no),
    "deleted": _read_into("deleted", _yes_no),
    "is": _read_into("post_type", _post_type),
    "title": _read_title,
    "created": _read_created,
    "inquestion": _read_into("in_question", partial(_integer, minimum=1)),
}
