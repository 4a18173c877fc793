import re

import pytest
from django.test import Client

from tests import factories
from tests.clients import client_for

pytestmark = pytest.mark.django_db


def row(html, key):
    return re.search(rf'<tr id="privilege-{key}".*?</tr>', html, re.DOTALL).group(0)


def test_privileges_page_lists_every_privilege_by_threshold_for_anonymous_visitors(english_client):
    html = english_client.get("/help/privileges/").content.decode()

    names = re.findall(r'<strong class="privilege-name">(.*?)</strong>', html)
    assert names == [
        "Vote up",
        "Flag posts",
        "Comment everywhere",
        "Set bounties",
        "Vote down",
        "Create tags",
        "Access review queues",
        "Edit others&#x27; posts",
        "Close and reopen",
        "Moderator tools",
        "Protect questions",
    ]
    assert '<td class="privilege-threshold">10,000</td>' in row(html, "moderator_tools")
    assert "Add new tags to the site." in html
    assert 'href="/users/signup/?next=/help/privileges/"' in html
    assert 'href="/users/login/?next=/help/privileges/"' in html
    assert "<progress" not in html and "Earned" not in html


def test_privileges_page_shows_a_member_what_they_hold_and_how_far_the_rest_are():
    member = factories.user(reputation=130)

    html = client_for(member).get("/help/privileges/").content.decode()

    assert "You have <strong>130</strong> reputation." in html
    assert "Earned" in row(html, "vote_down")
    create_tags = row(html, "create_tags")
    assert "170 more reputation needed" in create_tags
    assert '<progress class="privilege-progress" max="300" value="130"' in create_tags
    assert "9,870 more reputation needed" in row(html, "moderator_tools")
    assert "style=" not in html


def test_privileges_page_uses_the_beta_thresholds_when_the_site_is_in_beta(settings):
    settings.FORUM_PRIVILEGE_PROFILE = "beta"
    member = factories.user(reputation=130)

    html = client_for(member).get("/help/privileges/").content.decode()

    create_tags = row(html, "create_tags")
    assert '<td class="privilege-threshold">150</td>' in create_tags
    assert "20 more reputation needed" in create_tags
    assert html.index("privilege-close_reopen") < html.index("privilege-moderator_tools")
    assert "This site is in beta" in html


def test_privileges_page_tells_moderators_and_staff_that_they_hold_all():
    for holder in (factories.moderator(), factories.user(is_staff=True)):
        html = client_for(holder).get("/help/privileges/").content.decode()

        assert "you hold every privilege" in html
        assert html.count("Earned") == 11
        assert "more reputation needed" not in html


def test_privileges_page_is_linked_from_the_footer(client):
    html = client.get("/").content.decode()

    footer = html[html.index("<footer") :]
    assert 'href="/help/privileges/"' in footer


def test_privileges_page_costs_four_queries_signed_in_and_none_anonymous(
    django_assert_max_num_queries,
):
    client = client_for(factories.user(reputation=130))
    # The session, the signed-in user, their unread moderator messages and their inbox
    # count; the table itself is code, not data.
    with django_assert_max_num_queries(4):
        client.get("/help/privileges/")
    with django_assert_max_num_queries(0):
        Client().get("/help/privileges/")
