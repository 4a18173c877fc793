"""The sitemap names each page's language versions (hreflang) as the page itself does:
`<xhtml:link rel="alternate" hreflang>` per address, matching the page's own
`<link rel="alternate" hreflang>` tags (questions.structured_data)."""

import re
import xml.etree.ElementTree as ET

import pytest

from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("german_site")]

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def sitemap_entries(client, url):
    """{address: [(hreflang, address)]} of a sitemap section, in the order it lists them."""
    response = client.get(url)
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == f"{SITEMAP}urlset"
    entries = {}
    for node in root.findall(f"{SITEMAP}url"):
        links = node.findall(f"{XHTML}link")
        assert all(link.get("rel") == "alternate" for link in links)
        entries[node.findtext(f"{SITEMAP}loc")] = [
            (link.get("hreflang"), link.get("href")) for link in links
        ]
    return entries


def page_alternates(client, url):
    """The page's own hreflang links, [(hreflang, address)]."""
    html = client.get(url).content.decode()
    head = html[: html.index("</head>")]
    return [
        (code, href.replace("&amp;", "&"))
        for code, href in re.findall(
            r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', head
        )
    ]


@pytest.mark.parametrize("section", ["/sitemap-questions.xml", "/sitemap-tags.xml"])
def test_each_sitemap_address_has_the_language_versions_its_page_links(client, section):
    factories.question(title="Wie bildet man den Plural?", tags=["grammatik", "c#"])
    factories.question(title="Second question", tags=["syntax"])

    entries = sitemap_entries(client, section)

    assert len(entries) >= 2
    for location, alternates in entries.items():
        assert alternates == page_alternates(client, location), location
        assert [code for code, _ in alternates] == ["de", "en", "x-default"]


def test_a_threads_sitemap_entry_names_its_german_english_and_default_addresses(client):
    question = factories.question(title="Plural im Esperanto")
    address = f"http://testserver{question.get_absolute_url()}"

    assert sitemap_entries(client, "/sitemap-questions.xml")[address] == [
        ("de", f"{address}?lang=de"),
        ("en", f"{address}?lang=en"),
        ("x-default", address),
    ]
