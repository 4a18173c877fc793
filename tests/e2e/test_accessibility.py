"""axe-core (from npm, node_modules/axe-core) in the browser over the site's pages: for a
visitor, a member, a moderator and a community manager, in German and English, at desktop
and phone widths, in the light and the dark theme. No serious or critical violation may be
left; a new page joins its role's list in _pages to be held to the same."""

import json
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from core.themes import COOKIE
from moderation.models import Flag
from moderation.services.flags import flag_create
from notifications.models import Notification
from notifications.services import entries_add
from questions.models import Post
from reviews.models import ReviewTask
from reviews.services import task_open
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
LANGUAGES = ("de", "en")
WIDTHS = ((1366, 900), (390, 844))
THEMES = ("light", "dark")
FAILING = {"serious", "critical"}

QUESTION_BODY = """\
I read [the reference grammar](https://example.org/grammar) twice, and `le` still puzzles me.

> A quoted line, with **bold** text and a [link](https://example.org/quote).

- one point
- another point

```python
def parse(text):
    return text.split()  # a comment
```
"""
ANSWER_BODY = (
    "Read [this answer](https://example.org/answer) and try `lo` instead; "
    "the [wiki](https://example.org/wiki) lists both."
)


def _scan(page):
    """axe's violations on the page as it is now: every rule axe runs by default."""
    return page.evaluate(
        """async () => {
            const results = await axe.run(document, {resultTypes: ['violations']});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
            }));
        }"""
    )


def _site(live_server):
    """Everything a thread can show (answers, comments with code and links, an accepted
    answer, an imported and translated thread), a flag for the moderators, an inbox entry
    and a review task; the four roles' members."""
    from django.core.management import call_command

    from tests.e2e.conftest import DEMO_DUMP

    call_command(
        "import_stackexchange", str(DEMO_DUMP), site_url="https://demo.stapel.example", quiet=True
    )
    member = factories.user(username="member", display_name="Mia Member", reputation=3000)
    moderator = factories.user(username="mod", display_name="Mo Moderator", is_moderator=True)
    manager = factories.user(username="manager", display_name="Cam Manager", is_staff=True)
    asker = factories.user(display_name="Asker")
    question = factories.question(
        author=asker,
        title="How do I pick between le and lo in Lojban?",
        body=QUESTION_BODY,
        tags=["lojban", "grammar"],
        score=3,
    )
    accepted = factories.answer(question, author=member, body=ANSWER_BODY, accepted=True, score=5)
    other = factories.answer(question, body="Ask on the mailing list.", score=-1)
    factories.comment(question, body="See `la` too, and [the FAQ](https://example.org/faq).")
    factories.comment(accepted, author=asker, body="Thanks, `lo` works.")
    factories.comment(other, body="Not an answer.")
    flag_create(reporter=member, reason=Flag.Reason.LOW_QUALITY, post=other)
    entries_add(
        recipient_ids=[member.pk],
        kind=Notification.Kind.COMMENT,
        key=f"comment:{accepted.pk}",
        actor_id=asker.pk,
        question=question,
        post=accepted,
    )
    newcomer = factories.question(title="My first question about Klingon")
    task_open(queue=ReviewTask.Queue.FIRST_QUESTIONS, post_id=newcomer.pk)
    imported = Post.objects.questions().filter(original_language="en").first()
    return {
        "member": member,
        "moderator": moderator,
        "manager": manager,
        "question": question,
        "answer": accepted,
        "imported": imported,
    }


def _pages(site):
    """(role, path) pairs: each role's view of the pages that differ for it."""
    question = site["question"].get_absolute_url()
    imported = site["imported"].get_absolute_url()
    member = site["member"]
    profile = member.get_absolute_url()
    answer_pk = site["answer"].pk
    public = [
        "/",
        "/?tab=unanswered",
        question,
        imported,
        "/questions/tagged/lojban/",
        "/tags/",
        "/users/",
        profile,
        f"{profile}answers/",
        f"/users/{member.pk}/{member.slug}/tags/",
        "/search/?q=lojban",
        "/search/help/",
        "/help/badges/",
        "/help/privileges/",
    ]
    pages = [("anonymous", path) for path in public]
    pages += [("anonymous", "/users/login/"), ("anonymous", "/users/signup/")]
    pages += [
        ("member", path)
        for path in (
            question,
            "/questions/ask/",
            f"/posts/{answer_pk}/edit/",
            f"/posts/{answer_pk}/revisions/",
            f"/posts/{site['question'].pk}/flag/",
            "/inbox/",
            "/inbox/settings/",
            profile,
            f"/users/{member.pk}/{member.slug}/reputation/",
            f"/users/{member.pk}/{member.slug}/votes/",
            f"/users/{member.pk}/{member.slug}/flags/",
            "/users/edit/",
            "/review/",
            "/review/first-questions/",
        )
    ]
    pages += [
        ("moderator", path)
        for path in (
            question,
            "/moderation/",
            "/moderation/questions/post/",
            "/moderation/moderation/flag/",
            "/moderation/moderation/moderatoraction/",
            "/moderation/moderation/suspension/",
        )
    ]
    pages += [
        ("manager", path)
        for path in (
            question,
            "/moderation/moderation/escalation/",
            "/admin/",
            "/admin/accounts/user/",
        )
    ]
    return pages


def _context(browser, live_server, user):
    context = browser.new_context()
    context.add_init_script(path=str(AXE))
    if user is not None:
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
    return context


def _cookies(context, live_server, cookies):
    context.add_cookies(
        [{"name": name, "value": value, "url": live_server.url} for name, value in cookies.items()]
    )


def test_no_page_has_a_serious_or_critical_axe_violation(live_server, browser):
    site = _site(live_server)
    users = {
        "anonymous": None,
        "member": site["member"],
        "moderator": site["moderator"],
        "manager": site["manager"],
    }
    pages = _pages(site)
    failures = []
    report = []  # every violation, written to $AXE_REPORT when set
    scans = 0
    counts = {}
    for role, user in users.items():
        context = _context(browser, live_server, user)
        page = context.new_page()
        page.set_default_timeout(20_000)
        for language in LANGUAGES:
            for theme in THEMES:
                # The theme as the site's switch stores it, and as the system would ask
                # for it (the moderators' panel, Django's admin, follows the system).
                _cookies(
                    context, live_server, {settings.LANGUAGE_COOKIE_NAME: language, COOKIE: theme}
                )
                page.emulate_media(color_scheme=theme)
                for path in (path for who, path in pages if who == role):
                    response = page.goto(live_server.url + path)
                    assert response.status == 200, (role, path, response.status)
                    # What folds away (moderators' tools, menus) is scanned open.
                    page.evaluate(
                        "document.querySelectorAll('details').forEach(d => d.open = true)"
                    )
                    for width, height in WIDTHS:
                        page.set_viewport_size({"width": width, "height": height})
                        scans += 1
                        for violation in _scan(page):
                            counts[violation["impact"]] = counts.get(violation["impact"], 0) + 1
                            found = {
                                "where": f"{role} {language} {width}px {theme} {path}",
                                **violation,
                            }
                            report.append(found)
                            if violation["impact"] in FAILING:
                                failures.append(found)
        context.close()

    if os.environ.get("AXE_REPORT"):
        Path(os.environ["AXE_REPORT"]).write_text(json.dumps(report, indent=1, ensure_ascii=False))
    print(f"axe: {scans} scans, violations by impact: {counts}")
    assert failures == [], json.dumps(failures, indent=1, ensure_ascii=False)[:20000]
