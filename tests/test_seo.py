"""What search engines read: robots.txt, the sitemap, and each page's canonical address
and description."""

import html
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from tests import factories
from tests.clients import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("german_site")]

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
START = datetime(2020, 1, 1, 12, 0, tzinfo=UTC)


# robots.txt


def test_robots_txt_allows_all_but_private_pages_and_forms_and_points_to_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for path in ["/admin/", "/users/login/", "/users/signup/", "/questions/ask/", "/search/"]:
        assert f"Disallow: {path}" in lines
    assert "Allow: /" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


# sitemap.xml


def locations(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    root = ET.fromstring(response.content)
    return {node.findtext(f"{SITEMAP}loc"): node.findtext(f"{SITEMAP}lastmod") for node in root}


@pytest.fixture
def indexed(db):
    """Two visible questions, a deleted one, a tag in use and one without questions."""
    factories.tag("unused")
    return {
        "old": factories.question(title="Old question", tags=["syntax"], last_activity_at=START),
        "new": factories.question(
            title="New question", created_at=START, last_activity_at=START + timedelta(days=3)
        ),
        "deleted": factories.question(title="Deleted question", deleted_at=timezone.now()),
    }


def test_sitemap_index_lists_the_questions_and_tags_sections(client, indexed):
    assert locations(client.get("/sitemap.xml")) == {
        "http://testserver/sitemap-questions.xml": "2020-01-04T12:00:00+00:00",
        "http://testserver/sitemap-tags.xml": None,
    }


def test_questions_sitemap_lists_visible_questions_with_their_last_activity(client, indexed):
    assert locations(client.get("/sitemap-questions.xml")) == {
        f"http://testserver{indexed['old'].get_absolute_url()}": "2020-01-01",
        f"http://testserver{indexed['new'].get_absolute_url()}": "2020-01-04",
    }


def test_questions_sitemap_leaves_out_a_question_that_flags_hid_from_the_lists(client, indexed):
    hidden = factories.question(
        title="Hidden question",
        hidden_at=timezone.now(),
        last_activity_at=START + timedelta(days=9),
    )

    sitemap = locations(client.get("/sitemap-questions.xml"))

    assert f"http://testserver{hidden.get_absolute_url()}" not in sitemap
    assert len(sitemap) == 2
    index = locations(client.get("/sitemap.xml"))
    assert index["http://testserver/sitemap-questions.xml"] == "2020-01-04T12:00:00+00:00"


def test_tags_sitemap_lists_the_pages_of_tags_in_use(client, indexed):
    assert locations(client.get("/sitemap-tags.xml")) == {
        "http://testserver/questions/tagged/syntax/": None
    }


def test_sitemap_pages_past_the_end_answer_404(client, indexed):
    assert client.get("/sitemap-questions.xml?p=2").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


@pytest.mark.parametrize(
    "url, queries", [("/sitemap.xml", 3), ("/sitemap-questions.xml", 2), ("/sitemap-tags.xml", 2)]
)
def test_sitemaps_cost_a_fixed_number_of_queries(client, url, queries, django_assert_num_queries):
    for n in range(20):
        factories.question(tags=[f"tag{n}"])
    with django_assert_num_queries(queries):
        client.get(url)


# Canonical addresses and descriptions


def canonical(response):
    links = re.findall(r'<link rel="canonical" href="([^"]*)">', response.content.decode())
    assert len(links) == 1, links
    return links[0]


def description(response):
    found = re.findall(r'<meta name="description" content="([^"]*)">', response.content.decode())
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/tags/",
        "/users/",
        "/users/login/",
        "/users/signup/",
        "/help/privileges/",
        "/questions/tagged/syntax/",
    ],
)
def test_every_page_has_one_canonical_link_and_one_description(client, url):
    factories.question(tags=["syntax"])

    response = client.get(url)

    assert response.status_code == 200
    assert canonical(response) == f"http://testserver{url}"
    assert description(response)


def test_pages_for_logged_in_users_have_them_too():
    response = client_for(factories.user()).get("/questions/ask/?draft=1")

    assert canonical(response) == "http://testserver/questions/ask/"
    assert description(response)


@pytest.fixture
def sixteen_questions(db):
    for n in range(16):
        factories.question(title=f"Question {n}", tags=["syntax"])


@pytest.mark.parametrize(
    "path, query, expected",
    [
        ("/", "?tab=votes&pagesize=30", "/"),
        ("/", "?tab=newest&pagesize=15&page=2", "/?page=2"),
        ("/", "?page=1", "/"),
        ("/questions/tagged/syntax/", "?tab=unanswered&page=2", "/questions/tagged/syntax/?page=2"),
        ("/tags/", "?sort=name&page=1", "/tags/"),
        ("/tags/", "?filter=syn&sort=newest", "/tags/"),
    ],
)
def test_list_pages_are_canonical_without_tabs_and_page_sizes_but_with_the_page_number(
    client, sixteen_questions, path, query, expected
):
    assert canonical(client.get(path + query)) == f"http://testserver{expected}"


def test_tag_page_describes_itself_with_the_tags_description(client):
    factories.tag("syntax", excerpt='How words "combine" <into> sentences.')
    factories.question(tags=["syntax"])

    response = client.get("/questions/tagged/syntax/")

    assert description(response) == "How words &quot;combine&quot; &lt;into&gt; sentences."


def test_canonical_address_of_a_tag_with_special_characters_is_encoded(client):
    tag = factories.tag("c#")
    factories.question(tags=[tag])

    response = client.get(tag.get_absolute_url())

    assert response.status_code == 200
    assert canonical(response) == "http://testserver/questions/tagged/c%23/"


def test_thread_is_canonical_at_its_own_address_whatever_the_answer_order(
    client, thread_with_answers
):
    question = thread_with_answers.question

    response = client.get(f"{question.get_absolute_url()}?answertab=newest&showcomments=1")

    assert canonical(response) == f"http://testserver{question.get_absolute_url()}"


def test_thread_describes_itself_with_the_plain_text_start_of_the_question(client):
    question = factories.question(
        body="How do I **stress** the *penultimate* syllable & why? " + "More words. " * 40
    )

    text = description(client.get(question.get_absolute_url()))

    assert text.startswith("How do I stress the penultimate syllable &amp; why? More words.")
    assert "<" not in text and len(html.unescape(text)) <= 200


def test_error_pages_name_no_canonical_address(client):
    html = client.get("/no/such/page/").content.decode()

    assert 'rel="canonical"' not in html
