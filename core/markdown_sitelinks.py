"""What the Markdown dialect needs to know about the site: where a tag's page is, and the
titles of the questions that bare links point at.

core imports no app, so the questions app registers the site's answers in its
AppConfig.ready() with `site_links_register`; until then (and for a site without questions)
tags stay text and bare links stay URLs.
"""

from collections.abc import Iterable
from contextlib import contextmanager


class SiteLinks:
    """The answers of a site that knows nothing: subclasses override both."""

    def tag_url(self, name: str, *, meta: bool = False) -> str | None:
        """The URL of the tag `name`'s page ([meta-tag:name] when `meta`), None for text."""
        return None

    def question_links(self, urls: Iterable[str]) -> dict[str, tuple[str, str]]:
        """{url: (title, href)} for those of `urls` that lead to a question the site shows:
        the bare link is shown as the question's title, leading to href."""
        return {}


_site_links = SiteLinks()


def site_links() -> SiteLinks:
    return _site_links


def site_links_register(links: SiteLinks) -> None:
    global _site_links
    _site_links = links


@contextmanager
def site_links_using(links: SiteLinks):
    """Renders with `links` for a while (the fidelity measurement's view of a dump)."""
    previous = _site_links
    site_links_register(links)
    try:
        yield links
    finally:
        site_links_register(previous)
