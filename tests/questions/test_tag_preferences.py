"""Watched and ignored tags: the settings page, the buttons on a tag's page, and what the
question lists make of them (highlighted, faded or left out, and the watched filter),
while anonymous visitors keep the lists they had, from the page cache."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext, override

from questions.models import TagPreference
from questions.selectors.tag_preferences import watcher_ids
from tests import factories
from tests.clients import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("german_site")]

SETTINGS = "/users/tags/"


@pytest.fixture
def tags(db):
    return {name: factories.tag(name) for name in ("python", "django", "homework", "rust")}


@pytest.fixture
def reader(db):
    return factories.user(display_name="Reader")


@pytest.fixture
def reader_client(reader):
    return client_for(reader)


@pytest.fixture
def questions(tags):
    """One question per kind of row: in a watched tag, in an ignored one, in both, in neither."""
    return {
        "watched": factories.question(title="Decorators in Python explained", tags=["python"]),
        "ignored": factories.question(title="Please do my homework for me", tags=["homework"]),
        "both": factories.question(
            title="Python homework about loops", tags=["python", "homework"]
        ),
        "neither": factories.question(title="Borrowing rules in Rust", tags=["rust"]),
    }


def save_tags(client, *, watched="", ignored="", display="fade", **kwargs):
    return client.post(
        SETTINGS, {"watched": watched, "ignored": ignored, "ignored_display": display}, **kwargs
    )


def row_of(html, title):
    """The <li> of the question list that holds `title`."""
    for row in re.findall(
        r'<li class="question-row[^"]*">.*?</li>\s*(?=<li class="question-row|</ol>)', html, re.S
    ):
        if title in row:
            return row
    raise AssertionError(f"no row for {title!r}")


def held(user):
    return dict(
        TagPreference.objects.filter(user=user)
        .values_list("tag__name", "kind")
        .order_by("tag__name")
    )


# The settings page


def test_the_settings_page_sends_visitors_to_log_in(client):
    response = client.get(SETTINGS)

    assert response.status_code == 302
    assert response["Location"].startswith("/users/login/?next=/users/tags/")


def test_a_suspended_member_may_not_change_their_tags(tags):
    suspended = factories.user(suspended_until=timezone.now() + timedelta(days=3))

    response = save_tags(client_for(suspended), watched="python")

    assert response.status_code == 403
    assert held(suspended) == {}


def test_a_member_watches_and_ignores_tags_and_sees_them_on_the_page(reader, reader_client, tags):
    response = save_tags(reader_client, watched="python django", ignored="homework", follow=True)

    html = response.content.decode()
    assert response.redirect_chain == [(SETTINGS, 302)]
    assert "Your watched and ignored tags have been saved." in html
    assert re.search(r'name="watched" value="django python"', html)
    assert re.search(r'name="ignored" value="homework"', html)
    assert held(reader) == {"django": "watched", "homework": "ignored", "python": "watched"}


def test_removing_a_tag_from_its_field_stops_watching_it_and_moving_it_switches_it(
    reader, reader_client, tags
):
    save_tags(reader_client, watched="python django", ignored="homework")

    save_tags(reader_client, watched="python", ignored="homework django")

    assert held(reader) == {"django": "ignored", "homework": "ignored", "python": "watched"}
    response = save_tags(reader_client, watched="python", ignored="homework django", follow=True)
    assert "Your tags were not changed." in response.content.decode()


def test_unknown_tag_names_are_refused_with_a_message_and_the_typed_text_is_kept(
    reader, reader_client, tags
):
    response = save_tags(reader_client, watched="python pyhton no-such-tag", ignored="Homework")

    html = response.content.decode()
    assert response.status_code == 200
    assert "There are no tags named pyhton, no-such-tag" in html
    assert 'value="python pyhton no-such-tag"' in html
    assert "Your tags were not saved" in html
    assert held(reader) == {}


def test_one_unknown_name_is_named_in_the_singular(reader_client, tags):
    html = save_tags(reader_client, ignored="homwork").content.decode()

    assert "There is no tag named homwork: only existing tags can be watched or ignored." in html


def test_a_tag_cannot_be_watched_and_ignored_at_once(reader, reader_client, tags):
    html = save_tags(reader_client, watched="python rust", ignored="rust python").content.decode()

    assert "A tag is either watched or ignored, not both: python, rust" in html
    assert held(reader) == {}


def test_the_choice_to_hide_ignored_questions_is_kept(reader, reader_client, tags):
    save_tags(reader_client, ignored="homework", display="hide")

    reader.refresh_from_db()
    assert reader.hide_ignored_tags
    assert re.search(r'value="hide"[^>]*checked', reader_client.get(SETTINGS).content.decode())


def test_the_settings_page_checks_csrf(reader, tags):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)

    response = save_tags(client, watched="python")

    assert response.status_code == 403
    assert held(reader) == {}


def test_the_settings_page_speaks_english(reader_client):
    html = reader_client.get(SETTINGS).content.decode()

    assert '<h1 id="tag-preferences-title">Watched and ignored tags</h1>' in html
    assert "Fade them: they stay in the lists, paler" in html
    assert 'data-tag-autocomplete="/tags/autocomplete/"' in html


def test_the_settings_page_speaks_german(reader):
    client = Client()
    client.force_login(reader)

    html = client.get(SETTINGS).content.decode()

    assert '<html lang="de">' in html
    with override("de"):
        assert gettext("Watched and ignored tags") in html
        assert gettext("Hide them: they are left out of the lists") in html


def test_the_settings_page_costs_a_fixed_number_of_queries(
    reader, reader_client, tags, django_assert_max_num_queries
):
    save_tags(reader_client, watched="python django rust", ignored="homework")

    # Session, user, the member's tags by name, and what every page asks for a member.
    with django_assert_max_num_queries(6):
        reader_client.get(SETTINGS)


def test_the_profile_and_its_edit_page_link_to_the_settings(reader, reader_client):
    assert f'href="{SETTINGS}"' in reader_client.get(reader.get_absolute_url()).content.decode()
    assert f'href="{SETTINGS}"' in reader_client.get("/users/edit/").content.decode()
    assert f'href="{SETTINGS}"' not in Client().get(reader.get_absolute_url()).content.decode()


# A tag's page: Watch and Ignore


def test_the_watch_button_of_a_tags_page_watches_it_and_shows_it_pressed(
    reader, reader_client, questions
):
    response = reader_client.post("/tags/python/watch/", {"kind": "watched"}, follow=True)

    html = response.content.decode()
    assert response.redirect_chain == [("/questions/tagged/python/", 302)]
    assert "You watch [python]: its questions stand out in the lists." in html
    assert re.search(r'value=""[^>]*aria-pressed="true">Watch tag<', html)
    assert re.search(r'value="ignored"[^>]*aria-pressed="false">Ignore tag<', html)
    assert held(reader) == {"python": "watched"}


def test_ignoring_a_watched_tag_switches_it_and_the_pressed_button_releases_it(
    reader, reader_client, questions
):
    reader_client.post("/tags/python/watch/", {"kind": "watched"})
    reader_client.post("/tags/python/watch/", {"kind": "ignored"})
    assert held(reader) == {"python": "ignored"}

    html = reader_client.post("/tags/python/watch/", {"kind": ""}, follow=True).content.decode()

    assert "You no longer watch or ignore [python]." in html
    assert held(reader) == {}


def test_a_tags_page_changes_nothing_on_a_get_or_with_an_unknown_kind(reader, reader_client, tags):
    assert reader_client.get("/tags/python/watch/").status_code == 405
    reader_client.post("/tags/python/watch/", {"kind": "loved"})

    assert held(reader) == {}


def test_visitors_get_no_buttons_and_are_sent_to_log_in(client, questions):
    assert "tag-preference-form" not in client.get("/questions/tagged/python/").content.decode()

    response = client.post("/tags/python/watch/", {"kind": "watched"})

    assert response.status_code == 302
    assert response["Location"].startswith("/users/login/")
    assert not TagPreference.objects.exists()


# The lists


def test_the_list_highlights_watched_and_fades_ignored_questions(reader_client, questions):
    save_tags(reader_client, watched="python", ignored="homework")

    html = reader_client.get("/").content.decode()

    watched = row_of(html, "Decorators in Python explained")
    assert 'class="question-row question-watched"' in watched
    assert '<span class="visually-hidden">Watched tag:</span>' in watched
    assert 'class="tag tag-watched"' in watched
    ignored = row_of(html, "Please do my homework for me")
    assert 'class="question-row question-ignored"' in ignored
    assert 'aria-describedby="ignored-tags-note"' in ignored
    assert 'class="tag tag-ignored"' in ignored
    assert '<p id="ignored-tags-note" hidden>In one of your ignored tags</p>' in html
    # An ignored tag wins over a watched one.
    assert 'class="question-row question-ignored"' in row_of(html, "Python homework about loops")
    assert 'class="question-row"' in row_of(html, "Borrowing rules in Rust")


def test_a_member_who_chose_so_does_not_see_questions_in_ignored_tags(reader_client, questions):
    save_tags(reader_client, watched="python", ignored="homework", display="hide")

    html = reader_client.get("/").content.decode()

    assert "Decorators in Python explained" in html
    assert "Borrowing rules in Rust" in html
    assert "Please do my homework for me" not in html
    assert "Python homework about loops" not in html
    assert "2 questions" in html


def test_the_page_of_an_ignored_tag_still_shows_its_questions_faded(reader_client, questions):
    save_tags(reader_client, ignored="homework", display="hide")

    html = reader_client.get("/questions/tagged/homework/").content.decode()

    assert 'class="question-row question-ignored"' in row_of(html, "Please do my homework for me")
    assert "Python homework about loops" in html


def test_hidden_questions_leave_the_other_tag_pages_and_their_totals(reader_client, questions):
    save_tags(reader_client, ignored="homework", display="hide")

    html = reader_client.get("/questions/tagged/python/").content.decode()

    assert "Decorators in Python explained" in html
    assert "Python homework about loops" not in html
    assert "1 question" in html


def test_the_watched_filter_lists_only_questions_in_watched_tags(reader_client, questions):
    save_tags(reader_client, watched="python rust", ignored="homework")

    response = reader_client.get("/?filter=watched&tab=newest")

    html = response.content.decode()
    assert "<h1>Questions in your watched tags</h1>" in html
    assert "Decorators in Python explained" in html
    assert "Borrowing rules in Rust" in html
    assert "Please do my homework for me" not in html
    assert re.search(r'href="\?filter=watched&amp;tab=newest"\s+aria-current="page">My', html)
    # The tabs keep the filter.
    assert re.search(r'href="\?filter=watched&amp;tab=votes"', html)


def test_the_watched_filter_without_watched_tags_says_where_to_choose_them(
    reader_client, questions
):
    html = reader_client.get("/?filter=watched").content.decode()

    assert "You watch no tags yet." in html
    assert f'href="{SETTINGS}">Choose your watched tags</a>' in html


def test_the_lists_speak_german_to_a_member(reader, questions):
    client = Client()
    client.force_login(reader)
    save_tags(client, watched="python", ignored="homework")

    html = client.get("/").content.decode()

    assert "Alle Fragen" in html
    with override("de"):
        assert gettext("My watched tags") in html
        assert f'<span class="visually-hidden">{gettext("Watched tag:")}</span>' in html
        assert gettext("In one of your ignored tags") in html


@pytest.mark.parametrize(
    ("url", "display", "queries"),
    [
        # Session, user, their unread messages and inbox count, their watched and ignored
        # tags, then the list: its total, the questions, their tags.
        ("/", "fade", 8),
        # ... and, cold, how many of the list's questions are in the hidden tags.
        ("/", "hide", 9),
        ("/?filter=watched", "hide", 8),
        ("/questions/tagged/python/", "fade", 9),  # the tag first
    ],
)
def test_a_members_list_costs_the_same_few_queries_however_many_tags_and_questions(
    reader_client, tags, url, display, queries, django_assert_max_num_queries
):
    save_tags(reader_client, watched="python", ignored="homework", display=display)
    for n in range(3):
        factories.question(tags=["python", f"extra{n}"])
    with CaptureQueriesContext(connection) as few:
        reader_client.get(url)
    for n in range(30):
        factories.question(tags=["python", "homework" if n % 2 else "rust", f"more{n}"])
        factories.tag(f"watched{n}")
    save_tags(
        reader_client,
        watched="python " + " ".join(f"watched{n}" for n in range(30)),
        ignored="homework",
        display=display,
    )

    with django_assert_max_num_queries(queries) as many:
        reader_client.get(f"{url}{'&' if '?' in url else '?'}pagesize=50")

    assert len(many) == len(few)


# Anonymous visitors


def test_anonymous_visitors_get_the_list_as_before_from_the_cache(
    client, reader_client, questions, django_assert_num_queries
):
    save_tags(reader_client, watched="python", ignored="homework", display="hide")
    reader_client.get("/")  # a member's page, which is never cached
    reader_client.get("/?filter=watched")

    html = client.get("/").content.decode()
    with django_assert_num_queries(0):
        cached = Client().get("/").content.decode()
    filtered = client.get("/?filter=watched").content.decode()

    for page in (html, cached, filtered):
        assert "Please do my homework for me" in page
        assert "question-watched" not in page
        assert "question-ignored" not in page
        assert "tag-watched" not in page
        assert "ignored-tags-note" not in page
        assert "list-filters" not in page
        assert '<li class="question-row">' in page
    assert "Alle Fragen" in filtered


def test_a_cached_anonymous_page_is_not_served_to_a_member(client, reader_client, questions):
    client.get("/")  # cached for visitors
    save_tags(reader_client, watched="python")

    assert "question-watched" in reader_client.get("/").content.decode()


# Who watches a tag (for the fan-out of new questions and the digests)


def test_watcher_ids_come_once_each_in_batches_by_id_leaving_out_those_who_ignore_a_tag(tags):
    members = [factories.user() for _ in range(7)]
    for member in members[:5]:
        TagPreference.objects.create(
            user=member, tag=tags["python"], kind="watched", created_at=timezone.now()
        )
    for member in members[3:7]:
        TagPreference.objects.create(
            user=member, tag=tags["django"], kind="watched", created_at=timezone.now()
        )
    # Watches django but ignores python: a question in both is not for them.
    TagPreference.objects.filter(user=members[4], tag=tags["python"]).update(kind="ignored")

    batches = list(watcher_ids([tags["python"].pk, tags["django"].pk], batch_size=2))

    expected = [member.pk for member in members if member is not members[4]]
    assert [pk for batch in batches for pk in batch] == expected
    assert all(0 < len(batch) <= 2 for batch in batches)
    assert [pk for batch in watcher_ids([tags["rust"].pk]) for pk in batch] == []


def test_deep_pages_of_a_list_without_the_ignored_tags_hold_the_rest_in_order(
    reader_client, tags, settings
):
    settings.FORUM_LIST_OFFSET_PAGES = 1  # every page after the first read by a keyset
    for n in range(60):
        factories.question(
            title=f"Question {n:02d} of the list", tags=["homework" if n % 3 == 0 else "rust"]
        )
    save_tags(reader_client, ignored="homework", display="hide")

    shown = []
    for page in (3, 1, 2):  # the third first: its boundary found without the pages before
        html = reader_client.get(f"/?tab=newest&pagesize=15&page={page}").content.decode()
        shown.append(re.findall(r"Question (\d\d) of the list", html))

    kept = [f"{n:02d}" for n in range(59, -1, -1) if n % 3]
    assert [len(page) for page in shown] == [10, 15, 15]
    assert shown[1] + shown[2] + shown[0] == kept
    assert "40 questions" in html
