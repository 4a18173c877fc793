"""The thread page's layout: what it says once for the whole thread, and where."""

import pytest

from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("german_site")]

LICENCE = "CC BY-SA 4.0"


def imported_thread(*, answer_overrides=None):
    question = factories.question(
        source_url="https://meta.stackexchange.com/q/1",
        licence=LICENCE,
        language="de",
        original_language="en",
    )
    for number in (2, 3):
        fields = {
            "source_url": f"https://meta.stackexchange.com/a/{number}",
            "licence": LICENCE,
            "language": "de",
            "original_language": "en",
        }
        if number == 3 and answer_overrides:
            fields.update(answer_overrides)
        factories.answer(question, **fields)
    return question


def test_a_thread_whose_posts_share_source_licence_and_translation_credits_them_once(client):
    question = imported_thread()

    html = client.get(question.get_absolute_url()).content.decode()

    assert html.count('class="attribution"') == 1
    assert html.count("Automatisch aus dem Englischen übersetzt.") == 1
    assert 'Das Original ist auf <a href="https://meta.stackexchange.com/q/1"' in html
    # Each post still links its own original.
    for path in ("/q/1", "/a/2", "/a/3"):
        link = f'<a href="https://meta.stackexchange.com{path}" rel="nofollow noopener">'
        assert f"{link}Original</a>" in html


def test_a_post_under_another_licence_keeps_every_post_its_own_note(client):
    question = imported_thread(answer_overrides={"licence": "CC BY-SA 3.0"})

    html = client.get(question.get_absolute_url()).content.decode()

    assert html.count('class="attribution"') == 3
    assert 'rel="nofollow noopener">Original</a>' not in html


def test_an_answer_written_here_keeps_the_imported_posts_their_own_notes(client):
    question = imported_thread()
    factories.answer(question, body="Written here, not imported.")

    html = client.get(question.get_absolute_url()).content.decode()

    assert html.count('class="attribution"') == 3


def test_an_untranslated_answer_in_a_translated_thread_keeps_its_own_note(english_client):
    question = imported_thread(answer_overrides={"language": "en"})

    html = english_client.get(question.get_absolute_url()).content.decode()

    assert html.count('class="attribution"') == 3
    assert html.count("Automatically translated from English.") == 2


def test_the_sidebar_follows_the_thread_with_its_facts_tags_and_related_questions(english_client):
    question = factories.question(title="Stress in Quenya", tags=["quenya"])
    factories.question(title="Vowel length in Quenya", tags=["quenya"])

    html = english_client.get(question.get_absolute_url()).content.decode()

    sidebar = html[html.index('<div class="thread-sidebar">') :]
    assert html.index("</article>") < html.index('<div class="thread-sidebar">')
    assert "About this question" in sidebar
    assert "Viewed 1 time<" in sidebar
    assert 'href="/questions/tagged/quenya/"' in sidebar
    assert html.count('<aside class="related-questions"') == 1
    assert "Vowel length in Quenya" in sidebar
