"""The stylesheets: every one a page links exists, every one in static/css is linked, and the
media queries use Bootstrap 5's breakpoints and nothing else."""

import re
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

CSS_DIR = Path(settings.BASE_DIR) / "static" / "css"
# Bootstrap 5's sm, md, lg, xl and xxl, as listed at the top of stapel.css.
BREAKPOINTS = (576, 768, 992, 1200, 1400)
# From a breakpoint up, or below it in Bootstrap's own form (.02px short of it).
ALLOWED_CONDITIONS = {f"min-width: {width}px" for width in BREAKPOINTS} | {
    f"max-width: {width - 0.02:g}px" for width in BREAKPOINTS
}
STYLESHEET_LINK = re.compile(r'<link rel="stylesheet" href="([^"]+)"[^>]*>')
MEDIA_QUERY = re.compile(r"@media([^{]*)\{")
SIZED_CONDITION = re.compile(r"\(([^()]*\d[^()]*)\)")


@pytest.fixture
def linked_stylesheets(client, db):
    """The paths below STATIC_URL of the stylesheets a page links, in order."""
    html = client.get(reverse("accounts:login")).content.decode()
    prefix = static("")
    hrefs = STYLESHEET_LINK.findall(html)
    assert hrefs and all(href.startswith(prefix) for href in hrefs)
    return [href.removeprefix(prefix) for href in hrefs]


def stylesheets():
    return sorted(CSS_DIR.glob("*.css"))


def test_every_stylesheet_a_page_links_is_found_by_the_staticfiles_finders(linked_stylesheets):
    missing = [path for path in linked_stylesheets if finders.find(path) is None]

    assert missing == []


def test_every_stylesheet_in_static_css_is_linked_once_after_bootstrap(linked_stylesheets):
    ours = [path for path in linked_stylesheets if path.startswith("css/")]

    assert sorted(ours) == [f"css/{path.name}" for path in stylesheets()]
    assert len(ours) == len(set(ours))
    assert linked_stylesheets.index(ours[0]) > linked_stylesheets.index(
        "vendor/bootstrap/css/bootstrap.min.css"
    )


@pytest.mark.parametrize("path", stylesheets(), ids=lambda path: path.name)
def test_media_queries_use_only_bootstrap_breakpoints(path):
    queries = MEDIA_QUERY.findall(path.read_text())
    conditions = [
        " ".join(condition.split())
        for query in queries
        for condition in SIZED_CONDITION.findall(query)
    ]

    assert set(conditions) <= ALLOWED_CONDITIONS


@pytest.mark.parametrize("path", stylesheets(), ids=lambda path: path.name)
def test_a_stylesheet_has_at_most_one_block_per_media_query(path):
    queries = Counter(" ".join(query.split()) for query in MEDIA_QUERY.findall(path.read_text()))

    assert [query for query, count in queries.items() if count > 1] == []


# Colours: named once, as custom properties, so that the dark theme can give each its value.
HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}\b")
CUSTOM_PROPERTY = re.compile(r"^\s*(--stapel-[\w-]+):", re.MULTILINE)
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


@pytest.mark.parametrize("path", stylesheets(), ids=lambda path: path.name)
def test_colours_are_written_only_as_values_of_custom_properties(path):
    loose = [
        line.strip()
        for line in CSS_COMMENT.sub("", path.read_text()).splitlines()
        if HEX_COLOUR.search(line) and not line.strip().startswith("--")
    ]

    assert loose == []


def test_the_dark_theme_gives_every_colour_of_the_light_one_a_value():
    light = {
        name
        for path in stylesheets()
        if path.name != "dark.css"
        for name in CUSTOM_PROPERTY.findall(path.read_text())
    }
    dark = set(CUSTOM_PROPERTY.findall((CSS_DIR / "dark.css").read_text()))

    assert light - dark == set()
    assert dark - light == set()
