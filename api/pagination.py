"""Keyset pagination: a page is the rows past the last one of the page before, named by
an opaque cursor (that row's ordering value and id). A deep page costs what the first
does, and a row written meanwhile neither repeats nor skips one."""

import base64
import binascii
import json
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from api.errors import InvalidInput

MAX_PAGE_SIZE = 100
# The largest id, and the largest number an ordering column holds (scores, counts).
MAX_ID = 2**63 - 1
MAX_VALUE = 2**31 - 1
DEFAULT_PAGE_SIZE = 30


def page_size(value):
    """The page size asked for, clamped to MAX_PAGE_SIZE (a larger one is no error)."""
    return min(value or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)


def _encode(value, pk):
    if isinstance(value, datetime):
        value = {"t": value.isoformat()}
    raw = json.dumps([value, pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _invalid():
    return InvalidInput(
        {"cursor": [_("This is not a cursor the API gave out.")]},
        detail=_("This is not a cursor the API gave out."),
    )


def _decode(cursor, field):
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, pk = json.loads(raw)
        if isinstance(value, dict):
            value = datetime.fromisoformat(value["t"])
        # Only what a cursor of ours can hold: an id, and a value of the ordering column's
        # type and range (the database would refuse anything else with an error).
        if isinstance(pk, bool) or not isinstance(pk, int) or not 0 < pk <= MAX_ID:
            raise ValueError
        if isinstance(value, bool) or not isinstance(value, int | str | datetime):
            raise ValueError
        value = field.to_python(value)
        if isinstance(value, int) and abs(value) > (MAX_ID if field.primary_key else MAX_VALUE):
            raise ValueError
        if isinstance(field, models.DateTimeField) and (
            not isinstance(value, datetime) or timezone.is_naive(value)
        ):
            raise ValueError
        return value, pk
    except (
        ValueError,
        TypeError,
        KeyError,
        OverflowError,
        ValidationError,
        binascii.Error,
        UnicodeDecodeError,
    ):
        raise _invalid() from None


def keyset_page(queryset, *, column, size, cursor=None, descending=True):
    """Up to `size` rows of `queryset` ordered by `column` then id (both descending, or
    both ascending), past `cursor`; returns (rows, the next page's cursor or None)."""
    sign = "-" if descending else ""
    queryset = queryset.order_by(f"{sign}{column}", f"{sign}id")
    if cursor:
        value, pk = _decode(cursor, queryset.model._meta.get_field(column))
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
