"""Keyset pagination: a page is the rows past the last one of the page before, named by
an opaque cursor (that row's ordering value and id). A deep page costs what the first
does, and a row written meanwhile neither repeats nor skips one."""

import base64
import binascii
import json
from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from api.errors import InvalidInput

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 30


def page_size(value):
    """The page size asked for, clamped to MAX_PAGE_SIZE (a larger one is no error)."""
    return min(value or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)


def _encode(value, pk):
    if isinstance(value, datetime):
        value = {"t": value.isoformat()}
    raw = json.dumps([value, pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor):
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, pk = json.loads(raw)
        if isinstance(value, dict):
            value = datetime.fromisoformat(value["t"])
        if not isinstance(pk, int) or isinstance(value, bool | list):
            raise ValueError
        return value, pk
    except (ValueError, TypeError, KeyError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput(
            {"cursor": [_("This is not a cursor the API gave out.")]},
            detail=_("This is not a cursor the API gave out."),
        ) from None


def keyset_page(queryset, *, column, size, cursor=None, descending=True):
    """Up to `size` rows of `queryset` ordered by `column` then id (both descending, or
    both ascending), past `cursor`; returns (rows, the next page's cursor or None)."""
    sign = "-" if descending else ""
    queryset = queryset.order_by(f"{sign}{column}", f"{sign}id")
    if cursor:
        value, pk = _decode(cursor)
        past, beyond = ("lt", "lte") if descending else ("gt", "gte")
        queryset = queryset.filter(
            Q(**{f"{column}__{beyond}": value}),
            Q(**{f"{column}__{past}": value}) | Q(**{f"pk__{past}": pk}),
        )
    rows = list(queryset[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    following = None
    if more:
        last = rows[-1]
        following = _encode(getattr(last, column), last.pk)
    return rows, following
