"""The query parameters every Stack Exchange method shares, read and checked once: paging,
sorting, ranges, id lists and the filter. What cannot be read is a `BadParameter`, which
the method answers with Stack Exchange's error object, never a 500."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from django.utils.translation import gettext as _

from questions.models import TAG_NAME_PATTERN

MAX_IDS = 100
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 30
# Stack Exchange's epoch dates fit in 32 bits until 2038; 12 digits keep any date a
# client may mean and no number Python's datetime cannot hold.
_INTEGER = re.compile(r"-?\d{1,12}")
_ID = re.compile(r"\d{1,18}")
_TAG_NAME = re.compile(TAG_NAME_PATTERN)
# Stack Exchange's built-in filters: "withbody" adds the bodies, "total" gives only how
# many items there are. Other filters (a client's own "!…" strings) give the default fields.
WITH_BODY_FILTER = "withbody"
TOTAL_FILTER = "total"


# Counters and scores are 32-bit columns: a larger bound means the same as the largest,
# and PostgreSQL would refuse to compare such a column with it.
_SMALLEST, _LARGEST = -(2**31), 2**31 - 1


def _bounded(number):
    return max(_SMALLEST, min(number, _LARGEST))


class BadParameter(Exception):
    """A parameter the method cannot read; the message names it and says why."""


@dataclass(frozen=True)
class Sort:
    """A `sort=` value: the column it orders by, and how its min= and max= are read."""

    column: str
    kind: str  # "date" (Unix seconds), "number" or "text"


def _integer(value, name):
    if not _INTEGER.fullmatch(value.strip()):
        raise BadParameter(_("%(name)s: expected a whole number.") % {"name": name})
    return int(value)


def _date(value, name):
    try:
        return datetime.fromtimestamp(_integer(value, name), UTC)
    except (OverflowError, OSError, ValueError):
        raise BadParameter(_("%(name)s: not a date in Unix seconds.") % {"name": name}) from None


def ids_vector(text, name="ids"):
    """The ids of a `{ids}` path segment: 1 to 100 positive numbers separated by ";"."""
    parts = [part.strip() for part in text.split(";")]
    if not all(_ID.fullmatch(part) for part in parts) or not all(int(part) for part in parts):
        raise BadParameter(
            _("%(name)s: expected positive whole numbers separated by semicolons.") % {"name": name}
        )
    if len(parts) > MAX_IDS:
        raise BadParameter(
            _("%(name)s: at most %(limit)s ids in one request.") % {"name": name, "limit": MAX_IDS}
        )
    return list(dict.fromkeys(int(part) for part in parts))


def tag_vector(text, name="tags"):
    """Tag names separated by ";", as a `{tags}` segment or `tagged=` gives them."""
    names = [part.strip().lower() for part in text.split(";") if part.strip()]
    if len(names) > MAX_IDS or not all(_TAG_NAME.fullmatch(each) for each in names):
        raise BadParameter(
            _("%(name)s: expected tag names separated by semicolons.") % {"name": name}
        )
    return list(dict.fromkeys(names))


class Params:
    """The shared parameters of one request. `site`, `key` and `access_token` are accepted
    and not used: this server is one site, and its methods read what anyone may read."""

    def __init__(self, query):
        self.query = query
        self.page = self._positive("page", default=1)
        # Larger sizes are clamped rather than refused: clients ask the sites method
        # for 1000 at once.
        self.pagesize = min(
            self._positive("pagesize", default=DEFAULT_PAGE_SIZE, minimum=0), MAX_PAGE_SIZE
        )
        self.order = query.get("order", "desc")
        if self.order not in {"desc", "asc"}:
            raise BadParameter(_("order: expected desc or asc."))
        self.with_body = query.get("filter") == WITH_BODY_FILTER
        self.total_only = query.get("filter") == TOTAL_FILTER
        self.fromdate = self.date("fromdate")
        self.todate = self.date("todate")

    def _positive(self, name, *, default, minimum=1):
        value = self.query.get(name)
        if value is None or value == "":
            return default
        number = _integer(value, name)
        if number < minimum:
            raise BadParameter(
                _("%(name)s: must be %(minimum)s or more.") % {"name": name, "minimum": minimum}
            )
        return number

    def get(self, name, default=None):
        return self.query.get(name, default)

    def date(self, name):
        value = self.query.get(name)
        return _date(value, name) if value else None

    def integer(self, name):
        value = self.query.get(name)
        return _bounded(_integer(value, name)) if value else None

    def boolean(self, name):
        """True, False, or None when absent, as Stack Exchange's booleans are written."""
        value = self.query.get(name)
        if not value:
            return None
        if value.lower() in {"true", "1", "yes"}:
            return True
        if value.lower() in {"false", "0", "no"}:
            return False
        raise BadParameter(_("%(name)s: expected true or false.") % {"name": name})

    def tags(self, name):
        value = self.query.get(name)
        return tag_vector(value, name) if value else []

    def sort(self, sorts, default):
        """The `sort=` value among `sorts` ({name: Sort}), and its min= and max= read as
        its kind; None for an absent min or max."""
        name = self.query.get("sort") or default
        if name not in sorts:
            raise BadParameter(_("sort: expected one of %(names)s.") % {"names": ", ".join(sorts)})
        sort = sorts[name]
        bounds = []
        for end in ("min", "max"):
            value = self.query.get(end)
            if not value:
                bounds.append(None)
            elif sort.kind == "date":
                bounds.append(_date(value, end))
            elif sort.kind == "number":
                bounds.append(_bounded(_integer(value, end)))
            else:
                bounds.append(value)
        return sort, bounds[0], bounds[1]
