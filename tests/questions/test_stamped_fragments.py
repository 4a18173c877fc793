"""The forms a thread repeats under every post (the flag dialog, the comment box) are
rendered once a page and copied with each post's id (core.stamping): the page must be the
very page a render of every copy gives, and no copy may carry another viewer's token,
language or text."""

import re
from datetime import UTC, datetime

import pytest
from django.test import Client

from moderation.models import Flag
from questions.models import Comment
from tests import factories
from tests.clients import client_for

pytestmark = pytest.mark.django_db

LONG_AGO = datetime(2020, 1, 1, 12, 0, tzinfo=UTC)
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def normalised(html):
    """The page without what differs from one request to the next anyway: the masked CSRF
    tokens, the comment forms' fresh submission tokens, the CSP nonce, the view count."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", html)
    html = re.sub(r"[\d.,]+-mal angesehen|Viewed [\d,]+ times?", "VIEWS", html)
    html = re.sub(_UUID, "UUID", html)
    return re.sub(r'nonce="[^"]+"', "NONCE", html)


@pytest.fixture
def thread(db):
    """Written long ago, so that the times read the same in every request."""
    question = factories.question(
        author=factories.user(display_name="Asker", reputation=500), created_at=LONG_AGO
    )
    answers = [
        factories.answer(
            question, author=factories.user(display_name=f"Answerer {n}"), created_at=LONG_AGO
        )
        for n in range(3)
    ]
    factories.comment(
        answers[0], body="A comment that the thread shows under the answer.", created_at=LONG_AGO
    )
    return question, answers


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("who", ["member", "moderator", "asker"])
def test_the_stamped_thread_is_the_thread_rendered_in_full(settings, thread, who, language):
    question, _ = thread
    viewer = {
        "member": lambda: factories.user(reputation=3000),
        "moderator": factories.moderator,
        "asker": lambda: question.author,
    }[who]()
    client = Client(headers={"accept-language": language})
    client.force_login(viewer)

    settings.FORUM_STAMP_FRAGMENTS = False
    full = client.get(question.get_absolute_url()).content.decode()
    settings.FORUM_STAMP_FRAGMENTS = True
    stamped = client.get(question.get_absolute_url()).content.decode()
    again = client.get(question.get_absolute_url()).content.decode()

    assert 'class="post-dialog flag-dialog"' in full
    assert '<details class="comment-compose"' in full
    assert normalised(stamped) == normalised(full)
    assert normalised(again) == normalised(full)


def test_every_post_gets_its_own_ids_and_submission_token(thread):
    question, answers = thread
    html = client_for(factories.user(reputation=3000)).get(question.get_absolute_url())
    html = html.content.decode()

    posts = [question, *answers]
    for post in posts:
        assert f'action="/posts/{post.pk}/flag/"' in html
        assert f'action="/posts/{post.pk}/comments/"' in html
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "an id attribute appears twice"
    tokens = re.findall(rf'name="submission_token" value="({_UUID})" id="id_comment_', html)
    assert len(tokens) == len(set(tokens)) == len(posts)


def test_a_comment_from_a_copied_box_lands_under_its_own_post(thread):
    question, answers = thread
    commenter = factories.user(reputation=50)
    client = client_for(commenter)
    html = client.get(question.get_absolute_url()).content.decode()
    target = answers[2]
    form = html[html.index(f'action="/posts/{target.pk}/comments/"') :]
    token = re.search(rf'name="submission_token" value="({_UUID})"', form).group(1)

    client.post(
        f"/posts/{target.pk}/comments/",
        {"body": "Which of the two grammars do you mean here?", "submission_token": token},
    )

    comment = Comment.objects.get(author=commenter)
    assert comment.post_id == target.pk


def test_a_box_kept_with_its_error_stays_under_its_post_only(thread):
    question, answers = thread
    client = client_for(factories.user(reputation=50))
    target = answers[1]

    client.post(f"/posts/{target.pk}/comments/", {"body": "Too short"})
    html = client.get(question.get_absolute_url()).content.decode()

    assert html.count("Too short</textarea>") == 1
    kept = html[html.index(f'id="comments-{target.pk}"') :]
    assert kept.index("Too short</textarea>") < kept.index('id="comments-', 1)
    assert html.count('<details class="comment-compose" open>') == 1
    assert html.count("invalid-feedback") == 1


def test_two_viewers_get_their_own_language_and_token_in_the_shared_flag_form(thread):
    """The flag dialog is rendered once per process and language: each viewer's copy has
    the viewer's language and CSRF token, which the flag's POST accepts only from them."""
    question, answers = thread
    german = factories.user(reputation=3000)
    english = factories.user(reputation=3000)
    clients = {}
    tokens = {}
    for person, language in ((german, "de"), (english, "en")):
        client = Client(enforce_csrf_checks=True, headers={"accept-language": language})
        client.force_login(person)
        html = client.get(question.get_absolute_url()).content.decode()
        dialog = html[html.index(f'action="/posts/{answers[0].pk}/flag/"') :]
        tokens[person] = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', dialog).group(1)
        clients[person] = client
        if language == "de":
            assert "Warum sollte sich ein Moderator das ansehen?" in dialog[:3000]
        else:
            assert "Why should a moderator look at this?" in dialog[:3000]
    flag = {"reason": Flag.Reason.SPAM}

    refused = clients[english].post(
        f"/posts/{answers[0].pk}/flag/", {**flag, "csrfmiddlewaretoken": tokens[german]}
    )
    accepted = clients[english].post(
        f"/posts/{answers[0].pk}/flag/", {**flag, "csrfmiddlewaretoken": tokens[english]}
    )

    assert refused.status_code == 403
    assert accepted.status_code == 302
    assert Flag.objects.get().reporter == english


def test_the_question_and_the_answers_each_get_their_own_flag_reasons(thread):
    """A question cannot be flagged "not an answer": the shared dialog is kept per kind."""
    question, answers = thread
    client = client_for(factories.user(reputation=3000))

    for _ in range(2):  # rendered, then copied from the process's memo
        html = client.get(question.get_absolute_url()).content.decode()
        dialogs = re.findall(
            r'<form class="flag-form" method="post" action="([^"]+)">(.*?)</form>', html, re.S
        )
        reasons = {
            action: re.findall(r'name="reason" value="(\w+)"', form) for action, form in dialogs
        }

        assert Flag.Reason.NOT_AN_ANSWER not in reasons[f"/posts/{question.pk}/flag/"]
        for answer in answers:
            assert Flag.Reason.NOT_AN_ANSWER in reasons[f"/posts/{answer.pk}/flag/"]
        assert Flag.Reason.SPAM in reasons[f"/posts/{question.pk}/flag/"]
