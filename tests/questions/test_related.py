import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from questions import services
from questions.models import Post, PostLink
from tests import factories
from tests.clients import client_for, sidebar_titles, thread_queries

pytestmark = pytest.mark.django_db


def related_titles(response):
    """The titles in the thread's "Related questions", in order."""
    return sidebar_titles(response, "related-questions")


@pytest.fixture
def thread(db):
    return factories.question(
        title="Stress patterns in Quenya", tags=["quenya", "phonology", "stress"]
    )


# Related questions on the thread page


def test_related_questions_share_tags_most_shared_first_then_best_scored(english_client, thread):
    factories.question(title="Alpha one tag, high score", tags=["quenya"], score=9)
    factories.question(title="Bravo two tags", tags=["quenya", "phonology"])
    factories.question(title="Charlie one tag, low score", tags=["stress"], score=1)
    factories.question(title="Delta unrelated", tags=["klingon"])

    response = english_client.get(thread.get_absolute_url())

    assert "Related questions" in response.content.decode()
    assert related_titles(response) == [
        "Bravo two tags",
        "Alpha one tag, high score",
        "Charlie one tag, low score",
    ]


def test_linked_questions_come_first_in_either_direction(english_client, thread):
    factories.question(title="Shares every tag", tags=["quenya", "phonology", "stress"], score=50)
    linking_here = factories.question(title="Links to the thread", tags=["klingon"])
    linked_from_here = factories.question(title="Linked from the thread", tags=["sindarin"])
    factories.link(linking_here, thread)
    factories.link(thread, linked_from_here, kind=PostLink.Kind.DUPLICATE)

    response = english_client.get(thread.get_absolute_url())

    titles = related_titles(response)
    assert set(titles[:2]) == {"Links to the thread", "Linked from the thread"}
    assert titles[2] == "Shares every tag"
    assert response.content.decode().count('<span class="related-linked">linked</span>') == 2


def test_questions_with_title_words_in_common_are_related_too(english_client, thread):
    factories.question(title="Quenya stress on long vowels", tags=["vowels"])
    factories.question(title="Patterns of weaving", tags=["crafts"], score=3)
    factories.question(title="Nothing in common at all", tags=["crafts"])

    titles = related_titles(english_client.get(thread.get_absolute_url()))

    assert titles == ["Quenya stress on long vowels", "Patterns of weaving"]


def test_shared_tags_and_shared_title_words_add_up(english_client, thread):
    factories.question(title="Two shared tags only", tags=["quenya", "phonology"], score=5)
    factories.question(title="Quenya stress patterns again", tags=["quenya"])

    titles = related_titles(english_client.get(thread.get_absolute_url()))

    assert titles == ["Quenya stress patterns again", "Two shared tags only"]


def test_related_questions_leave_out_the_question_itself_and_deleted_ones(english_client, thread):
    factories.question(title="Still here", tags=["quenya"])
    deleted = factories.question(title="Deleted one", tags=["quenya"], deleted_at=timezone.now())
    factories.link(thread, deleted)

    titles = related_titles(english_client.get(thread.get_absolute_url()))

    assert titles == ["Still here"]


def test_at_most_ten_related_questions_are_shown(english_client, thread):
    for n in range(12):
        factories.question(title=f"Related number {n}", tags=["quenya"], score=n)

    titles = related_titles(english_client.get(thread.get_absolute_url()))

    assert titles == [f"Related number {n}" for n in range(11, 1, -1)]


def test_a_thread_without_related_questions_shows_no_related_box(english_client, thread):
    html = english_client.get(thread.get_absolute_url()).content.decode()

    assert "related-questions" not in html


def test_related_questions_show_their_score_and_whether_they_are_answered(english_client, thread):
    accepted = factories.question(title="Answered and accepted", tags=["quenya"], score=4)
    factories.answer(accepted, accepted=True)

    html = english_client.get(thread.get_absolute_url()).content.decode()

    assert re.search(
        r'<span class="related-score related-accepted" title="4 votes">.*?4</span>', html
    )


# The ranking is kept a while; what it ranks is read fresh


def test_a_thread_viewed_again_reads_its_kept_ranking_in_one_query(client, thread, settings):
    settings.FORUM_PAGE_CACHE_SECONDS = 0
    factories.question(title="Shares a tag", tags=["quenya"])
    cold = thread_queries(client, thread)

    assert (
        thread_queries(client, thread) == cold - 1
    )  # the questions, not their candidates and ranking


def test_a_related_question_deleted_after_the_ranking_drops_out_at_once(
    english_client, thread, settings
):
    settings.FORUM_PAGE_CACHE_SECONDS = 0
    kept = factories.question(title="Kept", tags=["quenya"])
    removed = factories.question(title="Deleted later", tags=["quenya", "stress"])
    assert related_titles(english_client.get(thread.get_absolute_url())) == [
        "Deleted later",
        "Kept",
    ]

    services.post_delete(post=removed, user=factories.moderator())
    Post.objects.filter(pk=kept.pk).update(title="Kept, and retitled")

    assert related_titles(english_client.get(thread.get_absolute_url())) == ["Kept, and retitled"]


def test_a_new_question_joins_the_ranking_when_it_is_worked_out_again(
    english_client, thread, settings
):
    settings.FORUM_PAGE_CACHE_SECONDS = 0
    factories.question(title="First", tags=["quenya"])
    english_client.get(thread.get_absolute_url())
    factories.question(title="Second", tags=["quenya", "stress"])

    kept = related_titles(english_client.get(thread.get_absolute_url()))
    cache.clear()  # as when FORUM_RELATED_CACHE_SECONDS have passed
    renewed = related_titles(english_client.get(thread.get_absolute_url()))

    assert (kept, renewed) == (["First"], ["Second", "First"])


def test_related_questions_cost_the_same_queries_however_many_there_are(client, thread):
    few = factories.question(title="Few", tags=["klingon"])
    factories.link(few, factories.question(title="Only one", tags=["sindarin"]))
    for n in range(10):
        linked = factories.question(title=f"Linked {n}", tags=["quenya", "stress"])
        factories.link(thread, linked)
    for n in range(30):
        factories.question(title=f"Stress number {n}", tags=["quenya", "phonology"])

    assert thread_queries(client, few) == thread_queries(client, thread)


def test_a_thread_with_nothing_related_skips_the_ranking_query(client, thread):
    alone = factories.question(title="Alone", tags=["klingon"])
    factories.question(title="Shares a tag", tags=["quenya"])

    assert thread_queries(client, alone) == thread_queries(client, thread) - 1


# Similar questions while asking

SIMILAR = "/questions/similar/"


@pytest.fixture
def questions_to_find(db):
    best = factories.question(title="How are Quenya verbs conjugated in the past tense?", score=2)
    factories.answer(best, accepted=True)
    factories.question(title="Quenya verbs: an overview", score=9)
    factories.question(title="Sindarin nouns", score=20)
    factories.question(title="Deleted question about Quenya verbs", deleted_at=timezone.now())
    return best


def test_similar_titles_come_back_as_json_most_words_in_common_first(client, questions_to_find):
    response = client.get(SIMILAR, {"title": "Conjugating Quenya verbs in the past"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == [
        {
            "title": "How are Quenya verbs conjugated in the past tense?",
            "url": questions_to_find.get_absolute_url(),
            "answers": 1,
            "accepted": True,
        },
        {
            "title": "Quenya verbs: an overview",
            "url": response.json()[1]["url"],
            "answers": 0,
            "accepted": False,
        },
    ]


def test_a_similar_title_shares_at_least_half_of_the_telling_words(client):
    factories.question(title="Klingon phonology basics")
    factories.question(title="Why does my code block not show as code?")

    # Four telling words ("klingon", "verbs", "conjugated", "tenses"): one in common is
    # not enough; a possessive is not telling at all.
    assert (
        client.get(SIMILAR, {"title": "How are Klingon verbs conjugated in all tenses?"}).json()
        == []
    )
    assert client.get(SIMILAR, {"title": "Wie lösche ich mein Konto?"}).json() == []
    assert [
        found["title"] for found in client.get(SIMILAR, {"title": "Klingon phonology"}).json()
    ] == ["Klingon phonology basics"]


def test_a_title_word_matches_whole_words_from_their_start(client):
    factories.question(title="Why are downvotes anonymous?")
    factories.question(title="Votes on answers to closed questions")

    titles = [found["title"] for found in client.get(SIMILAR, {"title": "vote"}).json()]

    assert titles == ["Votes on answers to closed questions"]


def test_similar_questions_are_at_most_five(client):
    for n in range(8):
        factories.question(title=f"Klingon grammar question {n}")

    assert len(client.get(SIMILAR, {"title": "klingon grammar"}).json()) == 5


@pytest.mark.parametrize(
    "title",
    ["", "   ", "a b c", "the and how what", "%", "' OR 1=1 --", ".*(", "x" * 10_000],
)
def test_titles_without_words_worth_comparing_find_nothing_and_never_fail(
    client, questions_to_find, title
):
    response = client.get(SIMILAR, {"title": title})

    assert response.status_code == 200
    assert response.json() == []


def test_similar_questions_cost_one_query(client, questions_to_find, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get(SIMILAR, {"title": "quenya verbs past tense conjugation nouns overview"})


def test_similar_questions_answer_only_get(client):
    assert client.post(SIMILAR, {"title": "quenya"}).status_code == 405


def test_ask_page_offers_similar_questions_to_editor_js_in_a_live_region():
    html = client_for(factories.user()).get("/questions/ask/").content.decode()

    region = re.search(r'<div class="similar-questions"[^>]*>', html)[0]
    assert 'aria-live="polite"' in region
    assert 'data-similar-to="id_title"' in region
    assert f'data-similar-url="{SIMILAR}"' in region
    # Without JavaScript the region stays empty: the form is the form it was.
    assert f"{region}</div>" in html
