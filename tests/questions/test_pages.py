import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from questions.models import Tag
from tests import factories
from tests.clients import client_for, thread_queries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("german_site")]

START = datetime(2020, 1, 1, 12, 0, tzinfo=UTC)


def titles_in(response, titles):
    """The given titles in the order the page shows them."""
    html = response.content.decode()
    return sorted(titles, key=lambda title: html.index(title))


def answer_authors_in(response, names):
    html = response.content.decode()
    positions = {name: html.index(f">{name}</a>") for name in names}
    return sorted(names, key=positions.get)


@pytest.fixture
def four_questions(db):
    """Four questions whose orders differ in every tab."""
    return {
        "old but active": factories.question(
            title="Old but active",
            created_at=START,
            last_activity_at=START + timedelta(days=9),
            score=1,
        ),
        "newest": factories.question(
            title="Newest one", created_at=START + timedelta(days=5), score=0
        ),
        "top voted": factories.question(
            title="Top voted", created_at=START + timedelta(days=2), score=10
        ),
        "answered": factories.question(
            title="Already answered", created_at=START + timedelta(days=3), score=-1
        ),
    }


@pytest.fixture
def answered(four_questions):
    factories.answer(four_questions["answered"])
    return four_questions


# The question list


def test_home_page_lists_questions_with_score_answers_views_excerpt_tags_and_author(client):
    author = factories.user(display_name="Zamenhof", reputation=1887)
    question = factories.question(
        title="How do plurals work in Esperanto?",
        body="I am **learning** Esperanto & wonder how plurals work. " + "More words here. " * 30,
        tags=["esperanto", "grammar"],
        author=author,
        score=7,
        view_count=1234,
    )
    factories.answer(question, accepted=True)

    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/questions/{question.pk}/how-do-plurals-work-in-esperanto/"' in html
    assert "I am learning Esperanto &amp; wonder how plurals work." in html
    assert "<strong>" not in html.split("question-excerpt")[1].split("</p>")[0]
    assert 'href="/questions/tagged/esperanto/"' in html
    assert "Zamenhof" in html and "1.887" in html
    assert "<strong>7</strong> Stimmen" in html
    assert "<strong>1</strong> Antwort" in html
    assert "stat-accepted" in html
    assert "1.234 Aufrufe" in html


def test_excerpt_is_plain_text_of_about_two_hundred_characters(client):
    factories.question(body="word " * 400)

    html = client.get("/").content.decode()

    excerpt = re.search(r'<p class="question-excerpt">(.*?)</p>', html, re.S)[1]
    assert len(excerpt) <= 200
    assert excerpt.endswith("…")


def test_home_page_shows_only_questions_that_are_not_deleted(client):
    factories.question(title="Still here")
    factories.question(title="Gone for good", deleted_at=timezone.now())

    html = client.get("/").content.decode()

    assert "Still here" in html
    assert "Gone for good" not in html


def test_active_tab_is_the_default_and_orders_by_last_activity(client, four_questions):
    response = client.get("/")

    assert titles_in(
        response, ["Old but active", "Newest one", "Top voted", "Already answered"]
    ) == [
        "Old but active",
        "Newest one",
        "Already answered",
        "Top voted",
    ]
    assert re.search(r'href="\?tab=active"\s+aria-current="page"', response.content.decode())


def test_newest_tab_orders_by_creation(client, four_questions):
    response = client.get("/?tab=newest")

    assert titles_in(
        response, ["Old but active", "Newest one", "Top voted", "Already answered"]
    ) == [
        "Newest one",
        "Already answered",
        "Top voted",
        "Old but active",
    ]


def test_votes_tab_orders_by_score(client, four_questions):
    response = client.get("/?tab=votes")

    assert titles_in(
        response, ["Old but active", "Newest one", "Top voted", "Already answered"]
    ) == [
        "Top voted",
        "Old but active",
        "Newest one",
        "Already answered",
    ]


def test_unanswered_tab_shows_only_questions_without_answers_newest_first(client, answered):
    html = client.get("/?tab=unanswered").content.decode()

    assert "Already answered" not in html
    assert html.index("Newest one") < html.index("Top voted") < html.index("Old but active")


def test_unknown_tab_falls_back_to_active(client, four_questions):
    response = client.get("/?tab=bogus")

    assert response.status_code == 200
    assert titles_in(response, ["Old but active", "Newest one"]) == ["Old but active", "Newest one"]


@pytest.fixture
def forty_questions(db):
    author = factories.user()
    return [
        factories.question(
            title=f"Numbered question {n:02d}", author=author, created_at=START + timedelta(hours=n)
        )
        for n in range(40)
    ]


def shown_numbers(response):
    return re.findall(r"Numbered question (\d\d)", response.content.decode())


def test_list_shows_fifteen_questions_per_page_by_default(client, forty_questions):
    response = client.get("/?tab=newest")

    assert shown_numbers(response) == [f"{n:02d}" for n in range(39, 24, -1)]
    assert 'href="?tab=newest&amp;page=2"' in response.content.decode()


def test_second_page_continues_where_the_first_ended(client, forty_questions):
    response = client.get("/?tab=newest&page=2")

    assert shown_numbers(response) == [f"{n:02d}" for n in range(24, 9, -1)]
    assert 'aria-current="page">2</a>' in response.content.decode()


@pytest.mark.parametrize("size", [30, 50])
def test_list_offers_larger_page_sizes(client, forty_questions, size):
    response = client.get(f"/?tab=newest&pagesize={size}")

    assert len(shown_numbers(response)) == min(size, 40)


@pytest.mark.parametrize(
    "query", ["pagesize=7", "pagesize=abc", "pagesize=", "pagesize=-15", "page=abc", "page="]
)
def test_bad_paging_parameters_fall_back_to_defaults(client, forty_questions, query):
    response = client.get(f"/?tab=newest&{query}")

    assert response.status_code == 200
    assert len(shown_numbers(response)) == 15


@pytest.mark.parametrize("page", ["99", "0", "-1"])
def test_page_number_outside_the_pages_shows_the_last_page(client, forty_questions, page):
    response = client.get(f"/?tab=newest&page={page}")

    assert response.status_code == 200
    assert shown_numbers(response) == [f"{n:02d}" for n in range(9, -1, -1)]


def test_empty_list_says_so(client):
    response = client.get("/")

    assert response.status_code == 200
    assert "Hier gibt es noch keine Fragen." in response.content.decode()


def test_list_page_costs_the_same_few_queries_whatever_the_page_size(
    client, forty_questions, django_assert_num_queries
):
    for question in forty_questions[:5]:
        factories.answer(question)
    for size in (15, 50):
        cache.clear()  # each size cold: the count, the questions and their tags
        with django_assert_num_queries(3):
            client.get(f"/?pagesize={size}")


# Tag pages


def test_tag_page_shows_the_tags_excerpt_and_only_its_questions(client):
    factories.tag("phonology", excerpt="The sound system of a language.")
    factories.question(title="Vowel harmony in my conlang", tags=["phonology"])
    factories.question(title="Verb conjugation tables", tags=["grammar"])

    response = client.get("/questions/tagged/phonology/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "The sound system of a language." in html
    assert "Vowel harmony in my conlang" in html
    assert "Verb conjugation tables" not in html


def test_tag_page_has_the_same_tabs_and_paging_as_the_home_page(client):
    for n in range(3):
        factories.question(
            title=f"Tagged {n}", tags=["syntax"], score=n, created_at=START + timedelta(days=-n)
        )

    response = client.get("/questions/tagged/syntax/?tab=votes&pagesize=30")

    assert titles_in(response, ["Tagged 0", "Tagged 1", "Tagged 2"]) == [
        "Tagged 2",
        "Tagged 1",
        "Tagged 0",
    ]
    assert 'aria-current="true">30</a>' in response.content.decode()


def test_unknown_tag_answers_404(client):
    assert client.get("/questions/tagged/no-such-tag/").status_code == 404


def test_tag_page_costs_a_fixed_number_of_queries(client, django_assert_num_queries):
    for n in range(20):
        factories.question(tags=["syntax", f"extra{n}"])
    with django_assert_num_queries(4):
        client.get("/questions/tagged/syntax/")


@pytest.mark.drift
def test_tag_page_takes_its_total_from_the_tags_stored_count(client):
    # Counting a tag's questions would read all of them; the stored count (which `recount`
    # keeps true) costs nothing, so a drifted one shows.
    factories.question(title="The only one", tags=["syntax"])
    Tag.objects.filter(name="syntax").update(question_count=1500)

    html = client.get("/questions/tagged/syntax/").content.decode()

    assert '<p class="page-count">1.500 Fragen</p>' in html
    assert "The only one" in html


# Popular tags are made with their counts: a thousand questions would only slow the test.
@pytest.mark.drift
def test_tags_page_lists_tags_by_popularity_with_counts(client):
    factories.tag("rare", question_count=2, excerpt="Hardly used.")
    factories.tag("popular", question_count=1500)

    response = client.get("/tags/")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index(">popular</a>") < html.index(">rare</a>")
    assert "1.500 Fragen" in html
    assert "Hardly used." in html


def test_tags_page_costs_a_fixed_number_of_queries(client, django_assert_num_queries):
    for n in range(40):
        factories.tag(f"tag{n}")
    with django_assert_num_queries(2):
        client.get("/tags/")


# The thread


def test_thread_shows_question_answers_comments_and_authors(client, thread_with_answers):
    question = thread_with_answers.question

    response = client.get(question.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "Is it unprofessional to maintain personal relationships with users?" in html
    assert "4 Antworten" in html
    assert "gefragt" in html and "beantwortet" in html
    assert "Aarthi" in html and "2.500" in html
    for name in thread_with_answers.answers:
        assert f"Answer by {name}." in html
    assert "+1: It could be argued." in html
    assert 'href="/questions/tagged/community/"' in html
    assert f'id="answer-{thread_with_answers.answers["ChrisF"].pk}"' in html
    assert f'href="/a/{thread_with_answers.answers["ChrisF"].pk}"' in html
    assert f'href="/q/{question.pk}"' in html


def test_authors_link_to_their_profiles_with_reputation_and_moderators_their_diamond(
    english_client,
):
    moderator = factories.moderator(display_name="Tolkien", reputation=12345)
    question = factories.question(author=factories.user(display_name="Lúthien", reputation=7))
    factories.answer(question, author=moderator)
    factories.answer(question, author=None, author_name="Gone since")

    html = english_client.get(question.get_absolute_url()).content.decode()

    assert (
        f'<a class="author-name" href="{moderator.get_absolute_url()}">'
        'Tolkien<span class="moderator-mark"' in html
    )
    assert '<span class="visually-hidden">reputation</span>12,345</span>' in html
    assert (
        ">Lúthien</a>" in html and '<span class="visually-hidden">reputation</span>7</span>' in html
    )
    assert html.count("moderator-mark") == 1
    assert '<span class="author-name author-gone">Gone since</span>' in html


def test_an_authors_name_is_shown_as_text_not_markup(client):
    question = factories.question(
        author=factories.user(display_name='<b onclick="x()">Bold</b> & Co')
    )
    factories.comment(question, author=question.author)

    for url in ("/", question.get_absolute_url()):
        html = client.get(url).content.decode()
        assert '<b onclick="x()">' not in html
        assert "&lt;b onclick=&quot;x()&quot;&gt;Bold&lt;/b&gt; &amp; Co</a>" in html


def test_heading_says_one_answer_in_the_singular(client):
    question = factories.question()
    factories.answer(question)

    html = client.get(question.get_absolute_url()).content.decode()

    assert "1 Antwort<" in html


def test_times_are_time_elements_with_the_exact_utc_time(client, thread_with_answers):
    html = client.get(thread_with_answers.question.get_absolute_url()).content.decode()

    assert (
        '<time datetime="2012-04-11T01:08:26+00:00" title="2012-04-11 01:08:26 UTC">'
        "11. Apr 2012</time>" in html
    )


def test_recent_times_read_relative(english_client):
    question = factories.question(created_at=timezone.now() - timedelta(hours=3))

    html = english_client.get(question.get_absolute_url()).content.decode()

    assert ">3\xa0hours ago</time>" in html


def test_answers_are_ordered_by_score_with_the_accepted_one_first_and_ties_oldest_first(
    client, thread_with_answers
):
    response = client.get(thread_with_answers.question.get_absolute_url())

    assert answer_authors_in(response, list(thread_with_answers.answers)) == [
        "Karlson",
        "ChrisF",
        "Jasconius",
        "Rarity",
    ]
    assert "Akzeptierte Antwort" in response.content.decode()


def test_without_an_accepted_answer_the_score_order_is_plain(client):
    question = factories.question()
    for name, score in [("Low", 1), ("High", 9)]:
        factories.answer(question, author=factories.user(display_name=name), score=score)

    response = client.get(question.get_absolute_url())

    assert answer_authors_in(response, ["Low", "High"]) == ["High", "Low"]


def test_newest_answer_tab_puts_the_latest_answer_first(client, thread_with_answers):
    response = client.get(thread_with_answers.question.get_absolute_url() + "?answertab=newest")

    assert answer_authors_in(response, list(thread_with_answers.answers)) == [
        "Rarity",
        "Karlson",
        "ChrisF",
        "Jasconius",
    ]


def test_oldest_answer_tab_puts_the_first_answer_first(client, thread_with_answers):
    response = client.get(thread_with_answers.question.get_absolute_url() + "?answertab=oldest")

    assert answer_authors_in(response, list(thread_with_answers.answers)) == [
        "Jasconius",
        "ChrisF",
        "Karlson",
        "Rarity",
    ]


def test_unknown_answer_tab_falls_back_to_score(client, thread_with_answers):
    response = client.get(thread_with_answers.question.get_absolute_url() + "?answertab=bogus")

    assert answer_authors_in(response, ["Karlson", "ChrisF"]) == ["Karlson", "ChrisF"]


def test_deleted_answers_and_comments_are_not_shown(client):
    question = factories.question()
    factories.answer(question, body="Visible answer.")
    factories.answer(question, body="Deleted answer.", deleted_at=timezone.now())
    factories.comment(question, body="Deleted comment.", deleted_at=timezone.now())

    html = client.get(question.get_absolute_url()).content.decode()

    assert "Visible answer." in html
    assert "Deleted answer." not in html
    assert "Deleted comment." not in html


def test_posts_of_deleted_accounts_show_the_cached_author_name(client):
    question = factories.question(author=None, author_name="Former Member")
    factories.comment(question, author=None, author_name="Gone Commenter")

    html = client.get(question.get_absolute_url()).content.decode()

    assert "Former Member" in html
    assert "Gone Commenter" in html


def test_edited_posts_say_when(client):
    question = factories.question(last_edited_at=datetime(2013, 5, 6, 7, 8, 9, tzinfo=UTC))

    html = client.get(question.get_absolute_url()).content.decode()

    assert "bearbeitet" in html
    assert 'datetime="2013-05-06T07:08:09+00:00"' in html


def test_closed_question_shows_a_notice(client):
    original = factories.question(title="The original question")
    question = factories.question(
        closed_at=timezone.now(), close_reason="duplicate", duplicate_of=original
    )

    html = client.get(question.get_absolute_url()).content.decode()

    assert "Diese Frage ist geschlossen und nimmt keine neuen Antworten an." in html
    assert "Grund: Duplikat" in html
    assert f'href="{original.get_absolute_url()}"' in html


def test_translated_post_credits_the_original_and_its_licence(client):
    question = factories.question(
        source_url="https://meta.stackexchange.com/q/128421",
        licence="CC BY-SA 3.0",
        language="de",
        original_language="en",
    )

    html = client.get(question.get_absolute_url()).content.decode()

    assert "Automatisch aus dem Englischen übersetzt." in html
    assert 'Das Original ist auf <a href="https://meta.stackexchange.com/q/128421"' in html
    assert (
        '<a href="https://creativecommons.org/licenses/by-sa/3.0/" rel="license">CC BY-SA 3.0</a>'
        in html
    )


def test_imported_post_credits_its_source_and_licence(english_client):
    question = factories.question(
        source_url="https://conlang.stackexchange.com/q/42", licence="CC BY-SA 4.0"
    )

    html = english_client.get(question.get_absolute_url()).content.decode()

    assert 'Imported from <a href="https://conlang.stackexchange.com/q/42"' in html
    assert "conlang.stackexchange.com</a>, licence <a" in html
    assert "https://creativecommons.org/licenses/by-sa/4.0/" in html
    assert "translated" not in html


def test_posts_of_our_own_have_no_attribution(client):
    question = factories.question()

    html = client.get(question.get_absolute_url()).content.decode()

    assert 'class="attribution"' not in html


def test_stale_slug_redirects_permanently_to_the_canonical_url(client):
    question = factories.question(title="Current title")

    response = client.get(f"/questions/{question.pk}/old-title/?answertab=newest")

    assert response.status_code == 301
    assert response["Location"] == f"/questions/{question.pk}/current-title/?answertab=newest"


def test_missing_slug_redirects_permanently_to_the_canonical_url(client):
    question = factories.question(title="Current title")

    response = client.get(f"/questions/{question.pk}/")

    assert response.status_code == 301
    assert response["Location"] == f"/questions/{question.pk}/current-title/"


def test_unknown_question_answers_the_styled_404_page(client):
    response = client.get("/questions/999999/whatever/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Seite nicht gefunden" in html
    assert "css/stapel.css" in html


def test_deleted_question_answers_404(client):
    question = factories.question(deleted_at=timezone.now())

    assert client.get(question.get_absolute_url()).status_code == 404
    assert client.get(f"/q/{question.pk}").status_code == 404


def test_question_permalink_redirects_to_the_thread(client):
    question = factories.question(title="Short link")

    response = client.get(f"/q/{question.pk}")

    assert response.status_code == 301
    assert response["Location"] == f"/questions/{question.pk}/short-link/"


def test_answer_permalink_redirects_to_the_answer_in_its_thread(client):
    question = factories.question(title="Short link")
    answer = factories.answer(question)

    response = client.get(f"/a/{answer.pk}")

    assert response.status_code == 301
    assert response["Location"] == f"/questions/{question.pk}/short-link/#answer-{answer.pk}"


def test_answer_permalink_of_a_deleted_answer_or_question_answers_404(client):
    answer = factories.answer(factories.question(), deleted_at=timezone.now())
    orphan = factories.answer(factories.question(deleted_at=timezone.now()))

    assert client.get(f"/a/{answer.pk}").status_code == 404
    assert client.get(f"/a/{orphan.pk}").status_code == 404
    assert client.get("/a/999999").status_code == 404


def test_thread_costs_the_same_queries_for_one_answer_as_for_fifty_with_comments(client):
    people = [factories.user() for _ in range(5)]
    small = factories.question(tags=["a"])
    factories.answer(small, author=people[0])
    large = factories.question(tags=["a", "b", "c"])
    for n in range(50):
        answer = factories.answer(large, author=people[n % 5], accepted=n == 7)
        for m in range(5):
            factories.comment(answer, author=people[m])
    factories.comment(large, author=people[0])

    small_count = thread_queries(client, small)
    large_count = thread_queries(client, large)

    assert small_count == large_count
    assert large_count <= 10


def test_thread_page_query_count_is_pinned(client, thread_with_answers, django_assert_num_queries):
    # The question, its tags, the answers, the comments of all posts, the related questions,
    # the hot questions of its tags (kept then for every thread of those tags).
    with django_assert_num_queries(6):
        client.get(thread_with_answers.question.get_absolute_url())


def _current_sections(html):
    navigation = html[
        html.index('class="site-links"') : html.index("</ul>", html.index('class="site-links"'))
    ]
    return re.findall(r'aria-current="page">([^<]+)<', navigation)


@pytest.mark.parametrize(
    ("path", "sections"),
    [
        ("/", ["Questions"]),
        ("/questions/tagged/grammar/", ["Questions"]),
        ("{question}", ["Questions"]),
        ("/tags/", ["Tags"]),
        ("/tags/grammar/topusers/", ["Tags"]),
        ("/users/", ["Users"]),
        ("{profile}", ["Users"]),
        ("{profile}answers/", ["Users"]),
        ("{profile}reputation/", ["Users"]),
        ("/users/login/", []),
    ],
)
def test_the_header_marks_the_section_a_page_belongs_to(path, sections):
    member = factories.user(display_name="Section Reader")
    question = factories.question(title="Where am I", tags=["grammar"], author=member)
    path = path.format(question=question.get_absolute_url(), profile=member.get_absolute_url())

    response = client_for(None).get(path)

    assert response.status_code == 200
    assert _current_sections(response.content.decode()) == sections
