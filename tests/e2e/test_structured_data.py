"""In a browser, under the site's Content-Security-Policy: the thread's JSON-LD is data the
page keeps whole and readable (the policy, which forbids inline scripts, does not touch a
script element that is not JavaScript, and reports nothing), even when a post tries to
end it; and a page read in a language its URL names switches back to the visitor's
choice."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ATTACK = "</script><script>window.pwned = true</script>"
WATCH_VIOLATIONS = """
window.violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def test_the_json_ld_survives_the_csp_and_a_post_that_tries_to_end_it(live_server, page):
    question = factories.question(title=f"Can a title end a script? {ATTACK}")
    factories.answer(question, body=f"Perhaps: `{ATTACK}`", score=3)
    page.add_init_script(WATCH_VIOLATIONS)

    response = page.goto(live_server.url + question.get_absolute_url())

    assert "script-src 'self'" in response.headers["content-security-policy"]
    data = page.evaluate(
        """JSON.parse(document.querySelector('script[type="application/ld+json"]').textContent)"""
    )
    assert data["mainEntity"]["name"] == question.title
    assert ATTACK in data["mainEntity"]["suggestedAnswer"][0]["text"]
    assert page.locator('script[type="application/ld+json"]').count() == 1
    assert page.evaluate("window.pwned") is None
    assert page.evaluate("window.violations") == []


def test_a_page_read_in_english_by_its_url_switches_to_german(live_server, page):
    question = factories.question(title="Wie bildet man den Plural?")
    page.goto(f"{live_server.url}{question.get_absolute_url()}?lang=en")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_label("Language").select_option("de")

    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page).to_have_url(re.compile(rf"{re.escape(question.get_absolute_url())}$"))
