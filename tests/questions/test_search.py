"""The search page: operators, full-text matching, results, bad input, the rate limit."""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from questions import services
from questions.models import Post
from tests import factories
from tests.clients import client_for

pytestmark = pytest.mark.django_db

DEMO_DUMP = Path(__file__).resolve().parents[2] / "questions" / "demo_data"
BODY = "A body long enough to say something about the question at hand."

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="stemming and ranking need PostgreSQL's full-text search; SQLite matches substrings",
)


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    """Every test starts with a visitor who has not searched yet this minute."""
    cache.clear()
    yield
    cache.clear()


def ask(title, body=BODY, *, tags=("conlang",), author=None, **changes):
    """A question made as the site makes one (so that it is in the search index)."""
    question = services.question_create(
        author=author or factories.user(), title=title, body=body, tags=list(tags)
    )
    if changes:
        Post.objects.filter(pk=question.pk).update(**changes)
        question.refresh_from_db()
    return question


def answer(question, body, *, author=None):
    return services.answer_create(author=author or factories.user(), question=question, body=body)


def search(query, *, user=None, **params):
    response = client_for(user).get("/search/", {"q": query, **params})
    assert response.status_code == 200, response.status_code
    return response


def found(query, **kwargs):
    """The ids of the posts on the first page of results, in order."""
    return [post.pk for post in search(query, **kwargs).context["results"].page.object_list]


# Words, phrases and tags


def test_a_word_finds_questions_by_title_body_and_answers():
    by_title = ask("Ergative alignment for beginners")
    by_body = ask("Case systems", body="How does ergative marking interact with word order?")
    other = ask("Vowel harmony", body="Nothing about that here at all, only vowels.")
    reply = answer(other, "Some languages combine vowel harmony with ergative case.")

    assert set(found("ergative")) == {by_title.pk, by_body.pk, reply.pk}


def test_several_words_must_all_match():
    both = ask("Ergative vowels", body="Both words appear in this question, ergative and vowels.")
    ask("Ergative only", body="Only one of the two words is in this question.")

    assert found("ergative vowels") == [both.pk]


def test_a_phrase_matches_only_the_words_in_that_order():
    phrase = ask("Word order", body="Is free word order common in constructed languages?")
    ask("Order of words", body="The order of a word in a sentence is free in Latin.")

    assert found('"free word order"') == [phrase.pk]


def test_tags_must_all_be_on_the_question_and_answers_inherit_them():
    both = ask("Tagged twice", tags=["grammar", "syntax"])
    ask("Tagged once", tags=["grammar"])
    reply = answer(both, "An answer on a question with both tags.")

    assert set(found("[grammar] [syntax]")) == {both.pk, reply.pk}
    assert found("[grammar] [syntax] is:question") == [both.pk]


def test_a_minus_leaves_out_words_phrases_and_tags():
    kept = ask(
        "Grammar of verbs", tags=["grammar"], body="Verbs take suffixes for tense and aspect."
    )
    ask("Grammar of nouns", tags=["grammar"], body="Nouns take suffixes for case, never tense.")
    ask("Grammar of spam", tags=["grammar", "spam"], body="Verbs again, in a tag nobody wants.")

    assert found("[grammar] -nouns -[spam]") == [kept.pk]
    assert found('suffixes -"for case"') == [kept.pk]


def test_title_matches_only_the_title():
    in_title = ask("Phonotactics of Klingon", body="What consonant clusters are allowed?")
    ask("Consonant clusters", body="Phonotactics decides which clusters are allowed.")

    assert found("title:phonotactics") == [in_title.pk]


# Operators


def test_user_finds_a_users_posts_and_me_the_viewers_own():
    author = factories.user()
    mine = ask("My question", author=author)
    ask("Someone else's question")

    assert found(f"user:{author.pk}") == [mine.pk]
    assert found("user:me", user=author) == [mine.pk]


def test_user_me_asks_anonymous_visitors_to_log_in():
    ask("A question")

    response = search("user:me")

    assert list(response.context["results"].page.object_list) == []
    assert "Log in to search your own posts" in response.text


def test_score_answers_and_views_are_lower_bounds():
    popular = ask("Popular", view_count=500)
    quiet = ask("Quiet", view_count=3)
    for _ in range(3):
        factories.vote(popular)
    answer(popular, "A first answer to the popular question.")
    answer(popular, "A second answer to the popular question.")

    assert found("is:question score:3") == [popular.pk]
    assert set(found("is:question score:..0")) == {quiet.pk}
    assert found("answers:2") == [popular.pk]
    assert found("views:100") == [popular.pk]
    assert found("answers:..0") == [quiet.pk]


def test_accepted_answers_and_questions_with_one():
    settled = factories.question(title="Settled")
    accepted = factories.answer(settled, accepted=True)
    other = factories.answer(settled)
    open_question = factories.question(title="Open")

    assert found("isaccepted:yes") == [accepted.pk]
    assert found("isaccepted:no") == [other.pk]
    assert found("hasaccepted:yes") == [settled.pk]
    assert found("hasaccepted:no") == [open_question.pk]


def test_closed_and_type_operators():
    closed = ask("Closed one", closed_at=timezone.now(), close_reason="duplicate")
    still_open = ask("Open one")
    reply = answer(still_open, "An answer is neither closed nor open.")

    assert found("closed:yes") == [closed.pk]
    assert found("closed:no") == [still_open.pk]
    assert found("is:answer") == [reply.pk]
    assert set(found("is:question")) == {closed.pk, still_open.pk}


def test_created_takes_years_months_days_and_ranges():
    old = ask("From 2012", created_at=datetime(2012, 4, 11, 1, 8, tzinfo=UTC))
    middle = ask("From 2013", created_at=datetime(2013, 12, 31, 23, 59, tzinfo=UTC))
    new = ask("From 2020", created_at=datetime(2020, 1, 1, tzinfo=UTC))

    assert found("created:2012") == [old.pk]
    assert found("created:2012-04-11") == [old.pk]
    assert found("created:2012-05") == []
    assert found("created:2012..2013") == [middle.pk, old.pk]
    assert found("created:2013..") == [new.pk, middle.pk]
    assert found("created:..2012") == [old.pk]


def test_inquestion_finds_the_answers_of_one_question():
    question = ask("A question with answers")
    first = answer(question, "The first answer to this question.")
    ask("Another question")

    assert found(f"inquestion:{question.pk}") == [first.pk]


def test_contradictory_operators_find_nothing_and_say_why():
    ask("A question")

    response = search("is:question isaccepted:yes")

    assert list(response.context["results"].page.object_list) == []
    assert "both a question and an answer" in response.text


def test_deleted_posts_and_the_answers_of_deleted_questions_never_appear():
    moderator = factories.moderator()
    gone = ask("Deleted ergative question")
    orphan = answer(gone, "An answer about ergative case under a deleted question.")
    kept = ask("Kept ergative question")
    deleted_answer = answer(kept, "A deleted answer about ergative case.")
    services.post_delete(post=gone, user=moderator)
    services.post_delete(post=deleted_answer, user=moderator)

    assert found("ergative") == [kept.pk]
    assert orphan.pk not in found("is:answer", user=moderator)


def test_deleted_yes_finds_a_moderator_every_deleted_post_and_a_member_their_own():
    moderator = factories.moderator()
    member = factories.user()
    mine = ask("My deleted ergative question", author=member)
    theirs = ask("Someone else's deleted ergative question")
    kept = ask("Kept ergative question")
    deleted_answer = answer(kept, "A deleted answer about ergative case.", author=member)
    for post in (mine, theirs, deleted_answer):
        services.post_delete(post=post, user=moderator)

    assert set(found("ergative deleted:yes", user=moderator)) == {
        mine.pk,
        theirs.pk,
        deleted_answer.pk,
    }
    assert set(found("ergative deleted:yes", user=member)) == {mine.pk, deleted_answer.pk}
    assert found("ergative deleted:no", user=moderator) == [kept.pk]
    assert found("deleted:yes is:answer", user=moderator) == [deleted_answer.pk]
    html = search("ergative deleted:yes", user=member).content.decode()
    assert "[deleted]" in html
    assert f'href="{mine.get_absolute_url()}"' in html


def test_visitors_are_told_to_log_in_to_search_deleted_posts():
    gone = ask("Deleted ergative question")
    services.post_delete(post=gone, user=factories.moderator())

    response = search("ergative deleted:yes")

    assert list(response.context["results"].page.object_list) == []
    assert "Log in to search deleted posts" in response.content.decode()


# Results


def test_results_show_question_titles_links_to_answers_and_highlighted_words():
    question = ask(
        "Klingon verb prefixes", body="How are *verb* prefixes ordered?", tags=["klingon"]
    )
    reply = answer(question, "The prefixes mark subject and object.\n\n<script>alert(1)</script>")

    response = search("prefixes is:answer")

    html = response.text
    assert f'href="{question.get_absolute_url()}#answer-{reply.pk}"' in html
    assert "Klingon verb prefixes" in html
    assert re.search(r"<mark>prefixes</mark>", html, re.IGNORECASE)
    assert "<script>alert" not in html
    assert 'href="/questions/tagged/klingon/"' in html


def test_the_snippet_escapes_the_posts_text():
    ask("Markup in text", body="Use `<b>bold</b>` and & ampersands in code.")

    html = search("markup").text

    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "<b>bold</b>" not in html


def test_results_come_fifteen_to_a_page_with_a_count():
    for number in range(20):
        ask(f"Ergative question {number}")

    first = search("ergative")
    second = search("ergative", page=2)

    assert first.context["results"].page.paginator.count == 20
    assert "20 results" in first.text
    assert len(first.context["results"].page.object_list) == 15
    assert len(second.context["results"].page.object_list) == 5


def test_the_tabs_sort_by_newest_votes_and_activity():
    older = ask("Ergative older", created_at=datetime(2012, 1, 1, tzinfo=UTC))
    newer = ask("Ergative newer", created_at=datetime(2013, 1, 1, tzinfo=UTC))
    factories.vote(older)
    answer(older, "An answer makes the older question the active one.")

    assert found("ergative is:question", tab="newest") == [newer.pk, older.pk]
    assert found("ergative is:question", tab="votes") == [older.pk, newer.pk]
    assert found("ergative is:question", tab="active") == [older.pk, newer.pk]
    assert found("[conlang] is:question", tab="votes") == [older.pk, newer.pk]


def test_only_the_newest_candidates_are_ranked_and_the_page_says_so(settings):
    settings.FORUM_SEARCH_CANDIDATES = 3
    questions = [ask(f"Ergative question {number}") for number in range(5)]

    response = search("ergative", tab="newest")

    assert found("ergative", tab="newest") == [q.pk for q in reversed(questions)][:3]
    assert "More than 3 results" in response.text


def test_imported_posts_are_searchable():
    call_command(
        "import_stackexchange", str(DEMO_DUMP), site_url="https://demo.stapel.example", quiet=True
    )
    translated = Post.objects.questions().get(original_language="en")

    assert translated.pk in found("[moderation] Freundschaft")


# The search page's cost


@pytest.mark.parametrize("query", ["ergative", "[conlang] is:question"])
def test_the_search_page_costs_the_same_queries_whatever_the_number_of_results(
    query, django_assert_num_queries
):
    question = ask("Ergative first")
    answer(question, "An ergative answer.")
    client = client_for(None)
    # The matches, the page's rows, their tags; and the visitor's search counted by the
    # throttle, in the database as the tests run without Redis (with Redis: no query).
    with django_assert_num_queries(4):
        client.get("/search/", {"q": query})
    for number in range(20):
        ask(f"Ergative question {number}", tags=["conlang", f"tag{number}"])
    with django_assert_num_queries(4):
        response = client.get("/search/", {"q": query})
    assert len(response.context["results"].page.object_list) == 15


# Bad input


def test_an_empty_query_shows_tips_instead_of_results():
    response = search("")

    assert "results" not in response.context
    assert "A few examples" in response.text
    assert 'href="/search/help/"' in response.text


def test_a_very_long_query_is_shortened_with_a_note():
    ask("Ergative")

    response = search("ergative " + "x" * 10_000)

    assert "shortened to its first 500 characters" in response.text
    assert len(response.context["query"]) == 500


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced quote',
        'ergative"',
        "'; DROP TABLE questions_post; --",
        ".*[a-z]+(",
        "foo:bar",
        "score:abc",
        "created:2012-13-45",
        "!!! & | <-> :* ()",
        "[",
        "-",
        "title:",
        "-[",
        "the and or not",
        "ü" * 300,
    ],
)
def test_odd_queries_give_results_or_a_note_never_an_error(query):
    ask("Ergative question", body="Text with 'quotes', brackets [a-z] and a semicolon; too.")

    response = search(query)

    assert "results" in response.context or "A few examples" in response.text


def test_odd_queries_say_what_was_ignored():
    assert "not a valid value for score:" in search("score:abc").text
    assert "not a valid value for created:" in search("created:2012-13-45").text
    assert "is not a search operator" in search("foo:bar").text


def test_sql_in_a_query_is_only_text():
    ask("Ergative")

    search("'; DROP TABLE questions_post; --")

    assert Post.objects.count() == 1


# Rate limit


def test_the_thirty_first_search_in_a_minute_is_refused_with_a_clear_message():
    client = client_for(None)
    for _ in range(30):
        assert client.get("/search/", {"q": "ergative"}).status_code == 200

    response = client.get("/search/", {"q": "ergative"})

    assert response.status_code == 429
    assert "Too many searches" in response.text
    assert "Please wait a minute" in response.text


def test_the_rate_limit_counts_each_visitor_apart():
    for _ in range(30):
        client_for(None).get("/search/", {"q": "ergative"})
    user = factories.user()

    assert (
        client_for(None, REMOTE_ADDR="10.0.0.2").get("/search/", {"q": "ergative"}).status_code
        == 200
    )
    assert client_for(user).get("/search/", {"q": "ergative"}).status_code == 200
    assert client_for(None).get("/search/", {"q": "ergative"}).status_code == 429


def test_empty_searches_do_not_count_against_the_limit():
    client = client_for(None)
    for _ in range(40):
        client.get("/search/")

    assert client.get("/search/", {"q": "ergative"}).status_code == 200


# The search box and the help page


def test_every_page_has_a_search_box_that_works_without_javascript():
    html = client_for(None).get("/").text

    form = re.search(
        r'<form class="site-search" action="/search/" method="get".*?</form>', html, re.DOTALL
    )
    assert form
    assert 'name="q"' in form[0]
    assert re.search(r'<label[^>]*for="site-search-input"[^>]*>Search</label>', form[0])


def test_the_search_box_keeps_the_query_on_the_results_page():
    html = search('[conlang] "a & b"').text

    assert 'value="[conlang] &quot;a &amp; b&quot;"' in html


def test_the_help_page_explains_every_operator():
    html = client_for(None).get("/search/help/").text

    for operator in [
        "[tag]",
        "-word",
        "title:",
        "user:",
        "is:",
        "score:",
        "answers:",
        "views:",
        "hasaccepted:",
        "isaccepted:",
        "closed:",
        "created:",
        "inquestion:",
        '"…"',
    ]:
        assert f"<code>{operator}</code>" in html, operator
    assert "How to search" in html


def test_the_help_page_speaks_the_visitors_language(german_site):
    response = Client(headers={"accept-language": "de"}).get("/search/help/")

    assert response.status_code == 200
    assert 'lang="de"' in response.text
    assert '<a href="/search/?q=freundschaft%20moderator"><code>freundschaft moderator</code>' in (
        response.text
    )
    assert "<code>title:grammatik</code>" in response.text


def test_the_english_help_page_has_english_examples():
    html = Client(headers={"accept-language": "en"}).get("/search/help/").text

    assert '<a href="/search/?q=friendship%20moderator"><code>friendship moderator</code>' in html
    assert "<code>title:grammar</code>" in html
    assert "freundschaft" not in html


# PostgreSQL's full-text search


@postgresql_only
def test_german_stemming_finds_freundschaft_for_freundschaften(settings):
    settings.FORUM_SEARCH_CONFIG = "german"
    friendship = ask(
        "Freundschaft mit Moderatoren",
        body="Darf eine Community-Managerin mit Moderatoren befreundet sein?",
    )

    assert found("Freundschaften") == [friendship.pk]


@postgresql_only
def test_english_stemming_finds_friendship_for_friendships(settings):
    settings.FORUM_SEARCH_CONFIG = "english"
    friendship = ask(
        "Friendship with moderators", body="Is it unprofessional to be friends with users?"
    )

    assert found("friendships") == [friendship.pk]
    assert found("befriending users") == []
    assert found("user") == [friendship.pk]


@postgresql_only
def test_an_edit_through_the_edit_page_updates_the_index():
    author = factories.user(reputation=500)
    question = ask(
        "How does vowel harmony work?",
        body="An old body about vowels and their harmony.",
        author=author,
    )

    response = client_for(author).post(
        f"/posts/{question.pk}/edit/",
        {
            "title": "How does vowel harmony work?",
            "body": "A new body about consonant mutation instead of the former topic.",
            "tags": "conlang",
            "summary": "",
        },
    )

    assert response.status_code == 302, response.context["form"].errors
    assert found("mutation") == [question.pk]
    assert found("harmony vowel") == [question.pk]  # the title still matches
    assert found('"old body"') == []


@postgresql_only
def test_a_rollback_updates_the_index():
    author = factories.user(reputation=500)
    question = ask("Vowel harmony", body="The first body speaks of lenition.", author=author)
    services.post_edit(post=question, editor=author, body="The second body speaks of fortition.")

    services.post_rollback(post=question, revision=question.revisions.get(number=1), editor=author)

    assert found("lenition") == [question.pk]
    assert found("fortition") == []


@postgresql_only
def test_a_title_match_ranks_above_matches_in_the_text():
    in_body = ask(
        "Case systems", body="Ergative, ergative, ergative: this body says it three times."
    )
    in_title = ask("Ergative alignment", body="A body that names the topic only in the title.")
    in_answer = answer(ask("Another question"), "An answer that mentions ergative once.")

    ranked = found("ergative")

    assert ranked[0] == in_title.pk
    assert set(ranked) == {in_title.pk, in_body.pk, in_answer.pk}


@postgresql_only
def test_the_snippet_highlights_stemmed_matches(settings):
    settings.FORUM_SEARCH_CONFIG = "german"
    ask("Eine Frage", body="Über Freundschaften zwischen Moderatoren und dem Team.")

    html = search("Freundschaft").text

    assert "<mark>Freundschaften</mark>" in html


def test_no_navigation_tab_claims_the_search_page(english_client):
    html = english_client.get("/search/?q=grammar").content.decode()

    navigation = html[
        html.index('class="site-links"') : html.index("</ul>", html.index('class="site-links"'))
    ]
    assert 'aria-current="page"' not in navigation
