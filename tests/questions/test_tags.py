import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from questions.models import Tag
from tests import factories
from tests.clients import client_for

pytestmark = pytest.mark.django_db

START = datetime(2020, 1, 1, 12, 0, tzinfo=UTC)


def tags_in(response):
    """Tag names in the order the tags page shows them."""
    return re.findall(
        r'<a class="tag" href="/questions/tagged/[^/]+/" rel="tag">([^<]+)</a>',
        response.content.decode(),
    )


@pytest.fixture
def three_tags(db):
    """Three tags whose orders differ by popularity, name and age."""
    for name, questions, days_old in [("grammar", 2, 1), ("phonology", 3, 9), ("vocabulary", 1, 5)]:
        for _ in range(questions):
            factories.question(tags=[name])
        Tag.objects.filter(name=name).update(created_at=START - timedelta(days=days_old))


# The tags page


def test_tags_page_lists_the_most_used_tags_first_by_default(client, three_tags):
    response = client.get("/tags/")

    assert response.status_code == 200
    assert tags_in(response) == ["phonology", "grammar", "vocabulary"]
    assert re.search(r'href="\?sort=popular"\s+aria-current="page"', response.content.decode())


def test_tags_page_sorts_by_name(client, three_tags):
    assert tags_in(client.get("/tags/?sort=name")) == ["grammar", "phonology", "vocabulary"]


def test_tags_page_sorts_newest_tags_first(client, three_tags):
    assert tags_in(client.get("/tags/?sort=newest")) == ["grammar", "vocabulary", "phonology"]


@pytest.mark.parametrize(
    "query", ["sort=bogus", "sort=", "sort=name&page=abc", "page=-3", "filter="]
)
def test_bad_tag_page_parameters_fall_back_to_defaults(client, three_tags, query):
    response = client.get(f"/tags/?{query}")

    assert response.status_code == 200
    assert set(tags_in(response)) == {"grammar", "phonology", "vocabulary"}


def test_filter_finds_tags_whose_names_contain_the_text_in_any_case(client, three_tags):
    factories.question(tags=["grammar-nouns"])

    assert tags_in(client.get("/tags/?filter=GRAM")) == ["grammar", "grammar-nouns"]
    assert tags_in(client.get("/tags/?filter=olog")) == ["phonology"]


def test_filter_keeps_the_chosen_order(client, three_tags):
    factories.question(tags=["grammar-nouns"])
    factories.question(tags=["grammar-nouns"])
    factories.question(tags=["grammar-nouns"])

    assert tags_in(client.get("/tags/?filter=gram&sort=popular")) == ["grammar-nouns", "grammar"]
    assert tags_in(client.get("/tags/?filter=gram&sort=name")) == ["grammar", "grammar-nouns"]


def test_filter_is_a_plain_form_that_works_without_javascript(english_client, three_tags):
    html = english_client.get("/tags/?sort=name&filter=pho").content.decode()

    form = re.search(
        r'<form class="tag-filter" method="get" action="/tags/".*?</form>', html, re.S
    )[0]
    assert 'name="filter" value="pho"' in form
    assert '<input type="hidden" name="sort" value="name">' in form
    assert 'type="submit"' in form
    # The sort links keep the filter.
    assert 'href="?sort=popular&amp;filter=pho"' in html


def test_filter_without_matches_says_so(english_client, three_tags):
    html = english_client.get("/tags/?filter=klingon").content.decode()

    assert "No tag name contains “klingon”." in html


def test_filter_text_is_shown_escaped(english_client, three_tags):
    html = english_client.get("/tags/?filter=<b>x").content.decode()

    assert "<b>x" not in html
    assert "&lt;b&gt;x" in html


@pytest.fixture
def forty_tags(db):
    for n in range(40):
        factories.tag(f"tag{n:02d}")


def test_tags_are_paginated_and_the_page_links_keep_order_and_filter(client, forty_tags):
    first = client.get("/tags/?sort=name&filter=tag")
    second = client.get("/tags/?sort=name&filter=tag&page=2")

    assert tags_in(first) == [f"tag{n:02d}" for n in range(36)]
    assert tags_in(second) == [f"tag{n:02d}" for n in range(36, 40)]
    assert 'href="?sort=name&amp;filter=tag&amp;page=2"' in first.content.decode()


@pytest.mark.parametrize("query", ["", "?sort=name", "?sort=newest&page=2", "?filter=tag1"])
def test_tags_page_costs_two_queries_whatever_the_order_and_filter(
    client, forty_tags, query, django_assert_num_queries
):
    with django_assert_num_queries(2):
        client.get(f"/tags/{query}")


# The tag's description


def test_tag_page_shows_the_description_escaped_above_the_questions(client):
    factories.tag("syntax", excerpt="How words <b>combine</b> into sentences.")
    factories.question(title="Word order in my conlang", tags=["syntax"])

    html = client.get("/questions/tagged/syntax/").content.decode()

    assert "How words &lt;b&gt;combine&lt;/b&gt; into sentences." in html
    assert html.index("How words") < html.index("Word order in my conlang")


@pytest.fixture
def syntax(db):
    tag = factories.tag("syntax", excerpt="How words combine.")
    factories.question(tags=[tag])
    return tag


@pytest.mark.parametrize(
    "who, sees_link",
    [("anonymous", False), ("other user", False), ("privileged editor", True), ("moderator", True)],
)
def test_edit_link_on_the_tag_page_is_shown_to_those_who_may_edit(people, syntax, who, sees_link):
    html = client_for(people[who]).get("/questions/tagged/syntax/").content.decode()

    assert ('href="/tags/syntax/edit/"' in html) is sees_link
    assert ("Edit description" in html) is sees_link


def test_a_tag_without_description_offers_to_add_one(people):
    factories.question(tags=["empty"])

    html = client_for(people["privileged editor"]).get("/questions/tagged/empty/").content.decode()

    assert "Add a description" in html


def test_showing_the_edit_link_costs_no_query(people, syntax, django_assert_num_queries):
    editor = client_for(people["privileged editor"])
    other = client_for(people["other user"])
    # Session, user, their unread moderator messages and their inbox count, then the tag,
    # the member's watched and ignored tags, the count (cached after the first visit), the
    # questions and their tags.
    for client, queries in ((editor, 9), (other, 8)):
        with django_assert_num_queries(queries):
            client.get("/questions/tagged/syntax/")


EDIT = "/tags/syntax/edit/"


def test_anonymous_visitors_are_sent_to_log_in_to_edit_a_description(client, syntax):
    response = client.get(EDIT)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={EDIT}"


def test_users_without_the_edit_privilege_are_refused_with_the_reason(people, syntax):
    client = client_for(people["other user"])

    for response in (client.get(EDIT), client.post(EDIT, {"description": "Vandalised."})):
        assert response.status_code == 403
        assert "You need 2000 reputation to edit tag descriptions." in response.content.decode()
    syntax.refresh_from_db()
    assert syntax.excerpt == "How words combine."


def test_suspended_users_may_not_edit_descriptions(syntax):
    suspended = factories.moderator(suspended_until=timezone.now() + timedelta(days=1))

    response = client_for(suspended).post(EDIT, {"description": "Changed."})

    assert response.status_code == 403
    assert "Your account is suspended until" in response.content.decode()


def test_edit_page_shows_the_current_description(people, syntax):
    html = client_for(people["privileged editor"]).get(EDIT).content.decode()

    assert re.search(r'<textarea name="description"[^>]*>\s*How words combine.</textarea>', html)
    assert 'maxlength="500"' in html


@pytest.mark.parametrize("who", ["privileged editor", "moderator"])
def test_saving_a_description_shows_it_on_the_tag_page_with_a_message(people, syntax, who):
    client = client_for(people[who])

    response = client.post(
        EDIT, {"description": "  How words\n\ncombine   into sentences. "}, follow=True
    )

    assert response.redirect_chain == [("/questions/tagged/syntax/", 302)]
    html = response.content.decode()
    assert "The description of the tag has been saved." in html
    assert "How words combine into sentences." in html
    syntax.refresh_from_db()
    assert syntax.excerpt == "How words combine into sentences."


def test_an_empty_description_removes_it(people, syntax):
    client_for(people["privileged editor"]).post(EDIT, {"description": ""})

    syntax.refresh_from_db()
    assert syntax.excerpt == ""


def test_saving_the_same_description_says_nothing_changed(people, syntax):
    response = client_for(people["privileged editor"]).post(
        EDIT, {"description": "How words combine."}, follow=True
    )

    assert "The description was not changed." in response.content.decode()


def test_a_description_longer_than_500_characters_is_refused_and_kept_in_the_form(people, syntax):
    response = client_for(people["privileged editor"]).post(EDIT, {"description": "x" * 501})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Ensure this value has at most 500 characters (it has 501)." in html
    assert "x" * 501 in html
    syntax.refresh_from_db()
    assert syntax.excerpt == "How words combine."


def test_editing_an_unknown_tag_answers_404(people):
    assert client_for(people["moderator"]).get("/tags/no-such-tag/edit/").status_code == 404
