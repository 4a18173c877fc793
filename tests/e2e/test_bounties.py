"""A member starts a bounty on a stuck question, another answers, the offerer votes the
answer up and awards it the bounty: the reputation moves on both profiles, the answerer
earns a badge and reads the award in their inbox."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from questions.models import Post
from tests import factories
from tests.e2e.conftest import PASSWORD, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_start_a_bounty_answer_award_it_and_see_reputation_and_badge_move(
    live_server, english_page, settings
):
    # The badges' subscribers are off in the other suites' settings (their tasks run
    # inside the request there); this journey sees a badge earned.
    settings.FORUM_BADGES_ON_EVENTS = True
    page = english_page
    base = live_server.url
    offerer = factories.user(
        username="olga", display_name="Olga", reputation=500, password=PASSWORD
    )
    answerer = factories.user(username="ari", display_name="Ari", password=PASSWORD)
    question = factories.question(
        title="Is there a canonical list of Lojban gismu frequencies?",
        created_at=timezone.now() - timedelta(days=3),
    )

    log_in(page, base, "olga")
    page.goto(base + question.get_absolute_url())
    page.get_by_text("Start a bounty", exact=True).click()
    page.get_by_label("Amount").select_option("100")
    page.get_by_label("Canonical answer required").check()
    page.get_by_role("button", name="Start the bounty").click()
    notice = page.locator(".bounty-notice")
    expect(notice).to_contain_text("This question has a bounty of +100 reputation.")
    expect(notice).to_contain_text("Canonical answer required")
    page.goto(base + offerer.get_absolute_url())
    expect(page.locator("dd .reputation")).to_have_text("400")
    page.goto(base + "/?tab=featured")
    expect(page.get_by_role("link", name=re.compile("^Featured"))).to_contain_text("1")
    expect(page.get_by_role("link", name=question.title)).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    log_in(page, base, "ari")
    page.goto(base + question.get_absolute_url())
    page.locator("#answer-form textarea").fill(
        "The Lojban wiki keeps a frequency list of the gismu taken from the corpus."
    )
    page.get_by_role("button", name="Post your answer").click()
    expect(page).to_have_url(re.compile(r"#answer-\d+$"))
    answer = Post.objects.answers().get(author=answerer)

    page.get_by_role("button", name="Log out").click()
    log_in(page, base, "olga")
    page.goto(base + question.get_absolute_url())
    post = page.locator(f"#answer-{answer.pk}")
    post.get_by_role("button", name="Vote up").click()
    expect(post.locator("[data-vote-score]")).to_have_text("+1")
    post.get_by_role("button", name="Award the bounty (+100)").click()
    expect(
        page.get_by_text("You awarded your bounty of 100 reputation to this answer.")
    ).to_be_visible()
    expect(page.locator(f"#answer-{answer.pk}")).to_contain_text("+100 bounty awarded")
    expect(page.locator(".bounty-notice")).to_have_count(0)

    page.get_by_role("button", name="Log out").click()
    log_in(page, base, "ari")
    page.goto(base + answerer.get_absolute_url())
    # 1 to start with, +10 for the upvote, +100 for the bounty.
    expect(page.locator("dd .reputation")).to_have_text("111")
    page.goto(base + f"/users/{answerer.pk}/{answerer.slug}/badges/")
    expect(page.get_by_role("main")).to_contain_text("Teacher")
    page.goto(base + "/inbox/")
    expect(page.get_by_text("Your answer was awarded a bounty")).to_be_visible()
    page.goto(base + f"/users/{answerer.pk}/{answerer.slug}/bounties/")
    expect(page.get_by_role("main")).to_contain_text("Awarded: +100")
