import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_pages_speak_german_by_default(client, german_site):
    html = client.get("/").content.decode()

    assert '<html lang="de">' in html
    assert ">Fragen</a>" in html


def test_browsers_asking_for_german_get_german(client, settings):
    settings.LANGUAGE_CODE = "en"

    html = client.get("/", headers={"accept-language": "de-DE,de;q=0.9"}).content.decode()

    assert '<html lang="de">' in html
    assert ">Fragen</a>" in html


def test_browsers_asking_for_english_get_english(english_client, german_site):
    html = english_client.get("/").content.decode()

    assert '<html lang="en">' in html
    assert ">Questions</a>" in html
    assert ">Fragen</a>" not in html


def test_the_language_form_switches_to_english_and_returns_to_the_page(client, german_site):
    question = factories.question(title="Language switch")

    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": question.get_absolute_url()}
    )

    assert response.status_code == 302
    assert response["Location"] == question.get_absolute_url()
    html = client.get(question.get_absolute_url()).content.decode()
    assert '<html lang="en">' in html
    assert "0 answers" in html


def test_every_page_offers_the_language_form_with_its_own_address_as_next(client, german_site):
    html = client.get("/tags/?page=1").content.decode()

    assert 'action="/i18n/setlang/" method="post"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<input type="hidden" name="next" value="/tags/?page=1">' in html
    assert '<option value="en" lang="en">English</option>' in html


def test_plurals_follow_the_count_in_both_languages(client, english_client, german_site):
    one, two = factories.question(), factories.question()
    factories.answer(one)
    factories.answer(two)
    factories.answer(two)

    assert "1 Antwort<" in client.get(one.get_absolute_url()).content.decode()
    assert "1 answer<" in english_client.get(one.get_absolute_url()).content.decode()
    assert "2 Antworten<" in client.get(two.get_absolute_url()).content.decode()
    assert "2 answers<" in english_client.get(two.get_absolute_url()).content.decode()


def test_dates_are_formatted_for_the_language(
    client, english_client, thread_with_answers, german_site
):
    url = thread_with_answers.question.get_absolute_url()

    assert ">11. Apr 2012</time>" in client.get(url).content.decode()
    assert ">Apr 11, 2012</time>" in english_client.get(url).content.decode()


def test_the_404_page_is_translated(client, english_client, german_site):
    assert "Seite nicht gefunden" in client.get("/no/such/page/").content.decode()
    assert "Page not found" in english_client.get("/no/such/page/").content.decode()
