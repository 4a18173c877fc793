"""The moderators' panel as part of the site: the header's link with what waits there, the
panel in the site's look, readable labels (roles by name, plurals, translated alt text)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from moderation import services
from moderation.models import Flag, ModeratorAction
from tests import factories
from tests.clients import client_for, page_queries

pytestmark = pytest.mark.django_db

QUEUE = "/moderation/questions/post/"
AUDIT_LOG = "/moderation/moderation/moderatoraction/"


def flagged(times=1):
    post = factories.question(title="A flagged question")
    for _ in range(times):
        services.flag_create(reporter=factories.user(), reason=Flag.Reason.SPAM, post=post)
    return post


def nav_link(html):
    start = html.index('class="nav-moderation"')
    return html[start : html.index("</a>", start)]


def test_the_header_links_the_panel_for_moderators_with_the_pending_flags(moderator):
    flagged(times=2)

    html = client_for(moderator).get("/").content.decode()
    link = nav_link(html)

    # Among the main links, after Questions, Tags and Users.
    links = html[
        html.index('<ul class="site-links">') : html.index("</ul>", html.index("site-links"))
    ]
    assert 'class="nav-moderation"' in links
    assert 'href="/moderation/"' in link
    assert '<span class="nav-count"' in link
    assert ">2<" in link and "pending flags" in link
    # Escalations are the community managers' work.
    assert "escalation" not in link


def test_community_managers_see_the_unresolved_escalations_too(moderator):
    post = flagged()
    services.escalate(moderator=moderator, note="Please look", post=post)
    manager = factories.user(is_staff=True)

    link = nav_link(client_for(manager).get("/").content.decode())

    assert "1 open escalation" in link


def test_members_and_visitors_get_no_panel_link(member):
    flagged()

    for client in (client_for(member), client_for(None)):
        assert "nav-moderation" not in client.get("/").content.decode()


def test_with_nothing_pending_the_link_shows_no_count(moderator):
    link = nav_link(client_for(moderator).get("/").content.decode())

    assert "nav-count" not in link


def test_the_count_follows_flags_raised_and_settled_at_once(moderator):
    client = client_for(moderator)
    post = flagged()
    assert ">1<" in nav_link(client.get("/").content.decode())

    services.flag_create(reporter=factories.user(), reason=Flag.Reason.RUDE, post=post)
    assert ">2<" in nav_link(client.get("/").content.decode())

    services.flags_mark_helpful(flags=Flag.objects.all(), moderator=moderator)
    assert "nav-count" not in nav_link(client.get("/").content.decode())


def warm_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


def test_the_count_costs_a_moderator_one_query_then_none_and_members_nothing(moderator, member):
    flagged()
    moderators, members = client_for(moderator), client_for(member)
    members.get("/")
    moderators.get("/")

    # A first page: the inbox counts and the pending count are not cached yet.
    assert page_queries(moderators, "/") == page_queries(members, "/") + 1
    # Then the count is the cache's, and a moderator's page costs what a member's does.
    assert warm_queries(moderators, "/") == warm_queries(members, "/")


def test_the_panel_wears_the_sites_look_and_has_its_sections_as_tabs(moderator):
    flagged(times=3)

    html = client_for(moderator).get(QUEUE).content.decode()

    assert "stapel-panel" in html
    assert "/static/css/stapel.css" in html and "/static/moderation/panel.css" in html
    # Django's sidebar is gone; the sections are tabs in the header, the queue's marked.
    assert 'id="nav-sidebar"' not in html
    tabs = html[html.index('class="panel-nav"') : html.index("</nav>", html.index("panel-nav"))]
    assert f'href="{QUEUE}" aria-current="page"' in tabs
    assert "Audit log" in tabs and "3" in tabs
    # Each cell says which column it is in, for the cards on a phone.
    assert 'data-label="Reasons"' in html and 'data-label="Waiting since"' in html


def test_the_queue_shows_how_long_flags_have_waited_in_short_with_the_full_time_on_hover(
    moderator,
):
    flagged()

    html = client_for(moderator).get(QUEUE).content.decode()

    assert "<time datetime=" in html
    assert "now" in html or "minute" in html


def test_the_staff_admin_keeps_djangos_look(moderator):
    manager = factories.user(is_staff=True)

    html = client_for(manager).get("/admin/").content.decode()

    assert "stapel-panel" not in html
    assert "panel.css" not in html


def test_the_search_icons_text_is_translated(moderator):
    flagged()
    german = Client(headers={"accept-language": "de"})
    german.force_login(moderator)

    html = german.get(QUEUE).content.decode()

    assert 'alt="Suche"' in html
    assert 'alt="Search"' not in html


def test_the_audit_log_counts_entries_in_the_plural_and_names_roles(moderator):
    manager = factories.user(is_staff=True)
    services.role_set(user=factories.user(), role="moderator", actor=manager)
    services.role_set(user=factories.user(), role="community_manager", actor=manager)
    services.role_set(user=factories.moderator(), role="user", actor=manager)

    html = client_for(manager).get(AUDIT_LOG).content.decode()

    assert ModeratorAction.objects.count() == 3
    assert "<h1>Audit log</h1>" in html
    assert "3 audit log entries" in html
    assert "role: community manager" in html
    assert "role: moderator" in html and "role: member" in html
    assert "community_manager" not in html.replace('value="community_manager"', "")
