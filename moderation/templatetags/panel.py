"""For the admin's list (templates/admin/change_list_results.html): each cell labelled with
its column's name, which the moderators' panel shows above the value on narrow screens."""

import re

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst

register = template.Library()

# A cell as Django's admin renders it: "<td class=…>…" or "<th class=…>…".
_CELL_START = re.compile(r"^<(td|th)\b")


@register.simple_tag
def labelled_cells(result, headers):
    cells = []
    for cell, header in zip(result, headers, strict=False):
        if "action-checkbox" in header.get("class_attrib", ""):
            cells.append(str(cell))
            continue
        label = format_html(' data-label="{}"', capfirst(header["text"]))
        # The cells are Django's own HTML, built with format_html: only the label is added.
        html = str(cell)
        start = _CELL_START.match(html)
        cells.append(f"{html[: start.end()]}{label}{html[start.end() :]}" if start else html)
    return mark_safe("".join(cells))  # noqa: S308
