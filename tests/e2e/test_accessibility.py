"""axe-core (from npm, node_modules/axe-core) in the browser over the site's pages: for a
visitor, a newcomer, a member, a moderator and a community manager, in German and English,
at desktop and phone widths, in the light and the dark theme (the core pages in every
combination, the others in fewer: see _widths). No serious or critical violation may be
left. The pages, by role, are tests/e2e/pages.py's, which every new page must join (see
tests/test_page_coverage.py)."""

import json
import os
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.verification import signup_token, verify_token
from api.tokens import token_create
from badges.models import Badge
from badges.services import award_grant, badges_sync
from bounties.models import Bounty
from bounties.services import bounty_start
from core.themes import COOKIE
from moderation.models import CloseVote, Flag, ModeratorAction
from moderation.services.escalations import appeal
from moderation.services.flags import flag_create
from moderation.services.people import message_send, user_suspend
from moderation.services.posts import close_vote_cast, post_delete, question_close
from notifications.models import Notification
from notifications.services import entries_add
from notifications.unsubscribe import token_make
from questions.models import Bookmark, Post, Tag
from questions.services import tag_describe
from reviews.models import ReviewBan, ReviewTask, SuggestedEdit
from reviews.services import task_open
from reviews.services.suggestions import latest_revision_number, suggestion_create
from spam.services import batch_start, spammer_destroy
from tests import factories
from tests.e2e.conftest import DEMO_DUMP, PASSWORD
from tests.e2e.pages import PAGES, ROLES
from webhooks.kinds import Kind as WebhookKind
from webhooks.services import webhook_create

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
    """Everything the pages can show: a thread with answers, comments with code and links,
    an accepted answer, revisions, a bounty, a closed question; an imported and translated
    thread; flags, an appeal, a suggested edit and review tasks; spammers destroyed one by
    one and in a batch; a moderator's message, a suspension, a review ban, a webhook, an API
    token, a badge; the links emails carry; and the roles' members."""
    call_command(
        "import_stackexchange", str(DEMO_DUMP), site_url="https://demo.stapel.example", quiet=True
    )
    now = timezone.now()
    member = factories.user(username="member", display_name="Mia Member", reputation=3500)
    moderator = factories.user(username="mod", display_name="Mo Moderator", is_moderator=True)
    manager = factories.user(username="manager", display_name="Cam Manager", is_staff=True)
    newcomer = factories.user(
        username="newcomer", display_name="Nia Newcomer", email="nia@example.org", password=PASSWORD
    )
    asker = factories.user(display_name="Asker")
    question = factories.question(
        author=asker,
        title="How do I pick between le and lo in Lojban?",
        body=QUESTION_BODY,
        tags=["lojban", "grammar"],
        score=3,
    )
    accepted = factories.answer(question, author=member, body=ANSWER_BODY, accepted=True, score=5)
    factories.revision(accepted)
    factories.revision(
        accepted, body=f"{ANSWER_BODY} Both are articles.", summary="Said what they are."
    )
    other = factories.answer(question, body="Ask on the mailing list.", score=-1)
    factories.comment(question, body="See `la` too, and [the FAQ](https://example.org/faq).")
    asker_comment = factories.comment(accepted, author=asker, body="Thanks, `lo` works.")
    comment = factories.comment(question, author=member, body="Which `le` do you mean?")
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
    newcomers_question = factories.question(title="My first question about Klingon")
    task_open(queue=ReviewTask.Queue.FIRST_QUESTIONS, post_id=newcomers_question.pk)
    suggestion_create(
        post=accepted,
        suggester=newcomer,
        base_revision=latest_revision_number(accepted.pk),
        body=f"{ANSWER_BODY} They differ in what they claim.",
        summary="Explained the difference.",
    )
    tag_describe(
        tag=Tag.objects.get(name="lojban"),
        description="Lojban, a constructed language built on predicate logic.",
        wiki="**Lojban** has [a reference grammar](https://example.org/grammar).",
        editor=member,
        summary="Described the tag.",
    )
    Bookmark.objects.create(user=member, question=question, created_at=now)

    # Old enough for a bounty: one has the member's, one may have one.
    old = now - timedelta(days=3)
    bountied = factories.question(
        title="Where can I hear spoken Lojban?", tags=["lojban"], created_at=old
    )
    bounty_start(question=bountied, user=member, amount=50, reason=Bounty.Reason.DRAW_ATTENTION)
    old_question = factories.question(
        title="Is there a Lojban dictionary app?", tags=["lojban"], created_at=old
    )
    close_vote_cast(
        question=old_question,
        user=member,
        kind=CloseVote.Kind.CLOSE,
        reason=Post.CloseReason.NEEDS_DETAILS,
    )
    closed = factories.question(title="Which conlang is best?", tags=["grammar"])
    question_close(question=closed, actor=moderator, reason=Post.CloseReason.OFF_TOPIC)

    # The newcomer's deleted answers: one they may appeal, one they have.
    deleted = factories.answer(question, author=newcomer, body="Just use Google Translate.")
    post_delete(post=deleted, moderator=moderator, reason="Not an answer.")
    appealed = factories.answer(bountied, author=newcomer, body="Try the podcasts.")
    post_delete(post=appealed, moderator=moderator, reason="Link only.")
    escalation = appeal(user=newcomer, post=appealed, note="The podcasts are the answer.")

    troll = factories.user(display_name="Trent Troll")
    suspension = user_suspend(user=troll, moderator=moderator, days=7, reason="Rude comments.")
    review_ban = ReviewBan.objects.create(
        user=troll,
        reason="Approved spam in the review queues.",
        created_at=now,
        until=now + timedelta(days=7),
        created_by=moderator,
    )
    message = message_send(
        recipient=member,
        sender=moderator,
        subject="About your comments",
        body="Please keep comments **kind**.",
    )

    def spammer(number):
        made = factories.user(
            display_name=f"Cheap Watches {number}", email=f"watches{number}@spam.example"
        )
        factories.question(
            author=made,
            title=f"Cheap watches for sale, offer {number}",
            body="Buy [cheap watches](https://spam.example/watches) now.",
        )
        return made

    destruction = spammer_destroy(user=spammer(1), moderator=moderator, reason="Spam links.")
    batch = batch_start(
        moderator=moderator,
        user_ids=[spammer(2).pk],
        criteria={"email_domain": "spam.example"},
        reason="A spam wave.",
    )
    webhook = webhook_create(
        url="https://hooks.example.org/stapel",
        kinds=[WebhookKind.QUESTION_ASKED, WebhookKind.ANSWER_POSTED],
        manager=manager,
    )
    token_create(user=member, name="My script", scopes=["read", "inbox"])
    badges_sync()
    badge = Badge.objects.order_by("pk").first()
    award_grant(badge=badge, user_id=member.pk)

    return SimpleNamespace(
        member=member,
        moderator=moderator,
        manager=manager,
        newcomer=newcomer,
        asker=asker,
        question=question,
        answer=accepted,
        flagged=other,
        comment=comment,
        asker_comment=asker_comment,
        imported=Post.objects.questions().filter(original_language="en").first(),
        bountied=bountied,
        old_question=old_question,
        closed=closed,
        deleted=deleted,
        task=ReviewTask.objects.get(post=newcomers_question),
        suggestion=SuggestedEdit.objects.get(post=accepted),
        suggestion_task=ReviewTask.objects.get(post=accepted),
        flag=Flag.objects.get(post=other),
        close_vote=CloseVote.objects.get(question=old_question),
        action=ModeratorAction.objects.order_by("pk").first(),
        escalation=escalation,
        suspension=suspension,
        review_ban=review_ban,
        message=message,
        spammer=spammer(3),
        destruction=destruction,
        batch=batch,
        webhook=webhook,
        badge=badge,
        unsubscribe=token_make(user_id=member.pk, kind="followed"),
        signup_token=signup_token(username="nova", email="nova@example.org", language="en"),
        verify_token=verify_token(newcomer),
        reset_uid=urlsafe_base64_encode(force_bytes(newcomer.pk)),
        reset_token=default_token_generator.make_token(newcomer),
    )


def _widths(page, index, language, theme):
    """The widths `page` (its role's `index`th) is scanned at in `language` and `theme`.
    The core pages: both widths in every language and theme. The others, to keep the run
    within CI's time: both languages at desktop width in the light theme, and phone width in
    the dark theme in one language (the other language for the role's next page)."""
    if page.full:
        return WIDTHS
    if theme == "light":
        return WIDTHS[:1]
    return WIDTHS[1:] if language == LANGUAGES[index % 2] else ()


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
    users = {role: getattr(site, role, None) for role in ROLES}
    failures = []
    wrong = []  # pages that answered with another status than the one expected
    report = []  # every violation, written to $AXE_REPORT when set
    scans = 0
    counts = {}
    for role, user in users.items():
        pages = [
            (page, reverse(page.name, kwargs=page.kwargs(site)) + page.query)
            for page in PAGES
            if page.role == role
        ]
        context = _context(browser, live_server, user)
        tab = context.new_page()
        tab.set_default_timeout(20_000)
        for language in LANGUAGES:
            for theme in THEMES:
                # The theme as the site's switch stores it, and as the system would ask
                # for it (the moderators' panel, Django's admin, follows the system).
                _cookies(
                    context, live_server, {settings.LANGUAGE_COOKIE_NAME: language, COOKIE: theme}
                )
                tab.emulate_media(color_scheme=theme)
                for index, (page, path) in enumerate(pages):
                    widths = _widths(page, index, language, theme)
                    if not widths:
                        continue
                    response = tab.goto(live_server.url + path)
                    if response.status != page.status:
                        wrong.append((role, path, response.status))
                        continue
                    if page.ready:
                        tab.wait_for_selector(page.ready)
                    # What folds away (moderators' tools, menus) is scanned open.
                    tab.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
                    for width, height in widths:
                        tab.set_viewport_size({"width": width, "height": height})
                        scans += 1
                        for violation in _scan(tab):
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
    assert wrong == [], sorted(set(wrong))
    assert failures == [], json.dumps(failures, indent=1, ensure_ascii=False)[:20000]
