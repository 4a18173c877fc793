"""A flag travels through moderation: a user flags a post, a moderator marks the flag
helpful and deletes the post, the flagger sees the outcome; a second flag is escalated to
the community managers, one resolves it, and the moderator reads the resolution."""

import pytest
from playwright.sync_api import expect

from moderation.models import Escalation, Flag, ModeratorAction
from tests import factories
from tests.e2e.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, url, username):
    """Logs in afresh, as another person at the same computer would after the last one left."""
    page.context.clear_cookies()
    page.goto(url)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    # The log-in form's own button: the footer's theme switch has submit buttons too.
    page.locator("#login-form [type=submit]").click()


def run_action(page, changelist_url, pk, action):
    page.goto(changelist_url)
    page.locator(f"input[name=_selected_action][value='{pk}']").check()
    page.locator("select[name=action]").select_option(action)
    page.locator("button[name=index]").click()


def test_a_flag_is_handled_and_another_is_escalated_and_resolved(live_server, english_page):
    page = english_page
    base = live_server.url
    flagger = factories.user(username="flagger", reputation=50, password=PASSWORD)
    factories.user(username="mod", is_moderator=True, password=PASSWORD)
    factories.user(username="manager", is_staff=True, password=PASSWORD)
    first = factories.question(title="Buy cheap watches here, best prices online")
    second = factories.question(title="Is this question rude to the other members?")

    log_in(page, base + "/users/login/", "flagger")
    for question in (first, second):
        page.goto(f"{base}/posts/{question.pk}/flag/")
        page.locator("input[name=reason][value=low_quality]").check()
        page.get_by_role("button", name="Flag").click()
    assert Flag.objects.filter(status=Flag.Status.PENDING).count() == 2

    log_in(page, base + "/moderation/login/", "mod")
    expect(page.locator("#pending-flags")).to_have_text("2")
    run_action(page, base + "/moderation/questions/post/", first.pk, "mark_helpful")
    expect(page.locator(".messagelist")).to_be_visible()
    page.goto(base + first.get_absolute_url())
    page.locator(".moderator-dialog summary").first.click()
    page.locator(f"#moderate-reason-{first.pk}").fill("Advertising.")
    page.locator(".moderator-dialog").first.get_by_role("button", name="Delete").click()
    expect(page.locator(".post-question")).to_contain_text("deleted")

    run_action(page, base + "/moderation/questions/post/", second.pk, "escalate_posts")
    page.locator("textarea[name=note]").fill("Unsure whether this crosses the line; please decide.")
    page.locator("input[type=submit]").click()
    expect(page.locator(".messagelist")).to_contain_text("escalated")

    log_in(page, base + "/admin/login/", "manager")
    escalation = Escalation.objects.get()
    run_action(page, base + "/admin/moderation/escalation/", escalation.pk, "assign_to_me")
    run_action(page, base + "/admin/moderation/escalation/", escalation.pk, "resolve")
    page.locator("textarea[name=resolution]").fill("Not rude; the question stays.")
    page.get_by_label("unfounded: decline them").check()
    page.locator("input[type=submit]").click()
    expect(page.locator(".messagelist")).to_be_visible()

    log_in(page, base + "/moderation/login/", "mod")
    page.goto(base + "/moderation/moderation/escalation/")
    expect(page.locator("body")).to_contain_text("Not rude; the question stays.")

    log_in(page, base + "/users/login/", "flagger")
    page.goto(f"{base}/users/{flagger.pk}/{flagger.slug}/flags/")
    # Both flags were acted on: the first was right; the escalated one was declined, with
    # the community manager's answer as the reason.
    expect(page.locator(".flag-status-helpful")).to_have_count(1)
    expect(page.locator(".flag-status-declined")).to_have_count(1)
    expect(page.locator(".flag-note")).to_contain_text("Not rude; the question stays.")

    verbs = set(ModeratorAction.objects.values_list("verb", flat=True))
    assert {
        "flag_helpful",
        "post_deleted",
        "escalated",
        "escalation_assigned",
        "escalation_resolved",
    } <= verbs
