"""A member votes on an answer in place, the asker accepts it, and the answer's author
sees the reputation on their profile."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import PASSWORD, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_vote_changes_the_score_in_place_and_acceptance_shows_on_the_profile(
    live_server, english_page
):
    page = english_page
    asker = factories.user(reputation=20, username="asker", password=PASSWORD)
    voter = factories.user(reputation=20, username="voter", password=PASSWORD)
    author = factories.user(reputation=1, username="author", display_name="Author")
    question = factories.question(author=asker, title="Which conlang has the most speakers?")
    answer = factories.answer(
        question, author=author, body="Esperanto, by a wide margin, as far as we know."
    )
    assert voter.reputation == 20

    log_in(page, live_server.url, "voter")
    page.goto(live_server.url + question.get_absolute_url())
    post = page.locator(f"#answer-{answer.pk}")
    post.get_by_role("button", name="Vote up").click()
    expect(post.locator("[data-vote-score]")).to_have_text("+1")
    expect(post.get_by_role("button", name="Vote up")).to_have_attribute("aria-pressed", "true")
    # In place: the page did not reload, so the URL kept no fragment from a redirect.
    assert "#" not in page.url

    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server.url, "asker")
    page.goto(live_server.url + question.get_absolute_url())
    post = page.locator(f"#answer-{answer.pk}")
    post.get_by_role("button", name="Accept this answer").click()
    expect(post.get_by_role("button", name="Accept this answer")).to_have_attribute(
        "aria-pressed", "true"
    )

    page.goto(live_server.url + author.get_absolute_url())
    # 1 to start with, +10 for the upvote, +15 for the acceptance.
    expect(page.locator("dd .reputation")).to_have_text("26")
