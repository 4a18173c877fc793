"""The badges' pages: the list with counts, a badge's recipients, a member's badges tab,
the author card's counts and the inbox's entry; in both languages, with pinned query
counts."""

import pytest
from django.test import Client
from django.urls import reverse

from badges.models import Award, Badge
from badges.services import award_grant
from notifications.models import Notification
from tests import factories
from tests.badges.helpers import upvote
from tests.clients import client_for, page_queries, thread_queries

pytestmark = pytest.mark.django_db


def badge(key):
    return Badge.objects.get(key=key)


def test_the_badges_page_lists_every_badge_of_the_table_with_how_many_hold_it(english_client):
    for _ in range(3):
        award_grant(badge=badge("supporter"), user_id=factories.user().pk)

    response = english_client.get("/help/badges/")

    page = response.content.decode()
    assert response.status_code == 200
    for name in ["Student", "Strunk &amp; White", "Vox Populi", "Publicist", "Steward"]:
        assert name in page
    assert page.count('class="badge-pill') >= 44
    supporter = page.index("First up vote.")
    assert ">3</td>" in page[supporter : supporter + 200]


def test_the_badges_page_costs_the_same_with_many_badges_awarded(django_assert_max_num_queries):
    client = client_for(None)
    few = page_queries(client, "/help/badges/")
    for _ in range(20):
        award_grant(badge=badge("teacher"), user_id=factories.user().pk)
    tag = factories.tag("grammar")
    award_grant(
        badge=Badge.objects.create(name="grammar", badge_class=3, tag=tag),
        user_id=factories.user().pk,
    )

    assert page_queries(client, "/help/badges/") == few


def test_the_badges_page_speaks_german(german_site):
    page = Client(headers={"accept-language": "de"}).get("/help/badges/")

    text = page.content.decode()
    assert "Abzeichen" in text
    assert "Erste positive Stimme." in text
    assert "Tag-Abzeichen" in text


def test_a_badges_page_lists_its_recipients_newest_first_with_the_post(question):
    answer = factories.answer(question, score=9)
    upvote(answer)
    nice = badge("nice_answer")

    response = client_for(None).get(nice.get_absolute_url())

    page = response.content.decode()
    assert answer.author.name in page
    assert reverse("questions:answer_permalink", args=[answer.pk]) in page
    assert "Awarded 1 time" in page


def test_a_badges_page_with_a_stale_slug_redirects_permanently():
    supporter = badge("supporter")

    response = client_for(None).get(f"/badges/{supporter.pk}/old-name/")

    assert response.status_code == 301
    assert response["Location"] == supporter.get_absolute_url()


def test_an_unknown_badge_is_not_found():
    assert client_for(None).get("/badges/999999/nothing/").status_code == 404


def test_the_recipients_are_paged_at_a_fixed_number_of_queries():
    client = client_for(None)
    teacher = badge("teacher")
    award_grant(badge=teacher, user_id=factories.user().pk)
    one = page_queries(client, teacher.get_absolute_url())
    for _ in range(70):
        award_grant(badge=teacher, user_id=factories.user().pk, post_id=factories.question().pk)

    assert page_queries(client, teacher.get_absolute_url()) == one
    second = client.get(teacher.get_absolute_url() + "?page=2")
    assert len(second.context["page_obj"].object_list) == 11


def test_a_members_badges_tab_lists_their_badges_with_how_many_times(member):
    for key in ["nice_answer", "nice_answer", "supporter"]:
        award_grant(badge=badge(key), user_id=member.pk, key=f"post:{Award.objects.count()}")
    url = reverse("badges:user", kwargs={"pk": member.pk, "slug": member.slug})

    response = client_for(None).get(url)

    page = response.content.decode()
    assert "Nice Answer" in page and "× 2" in page and "Supporter" in page
    assert 'aria-current="page">Badges</a>' in page
    assert "3 bronze badges" in page


def test_the_badges_tab_costs_the_same_with_many_badges(member):
    url = reverse("badges:user", kwargs={"pk": member.pk, "slug": member.slug})
    client = client_for(member)
    none = page_queries(client, url)
    for key in ["supporter", "critic", "teacher", "student", "guru", "marshal"]:
        award_grant(badge=badge(key), user_id=member.pk, key="post:1")

    assert page_queries(client, url) == none


def test_the_badges_tab_redirects_a_stale_slug(member):
    response = client_for(None).get(f"/users/{member.pk}/old/badges/")

    assert response.status_code == 301


def test_the_profile_shows_the_badges_tab(member):
    response = client_for(None).get(member.get_absolute_url())

    assert reverse("badges:user", kwargs={"pk": member.pk, "slug": member.slug}) in (
        response.content.decode()
    )


def test_the_author_card_shows_the_badge_counts_per_class_at_no_extra_query(question, member):
    # A member's page: a visitor's is the cached one.
    client = client_for(member)
    thread_queries(client, question)  # the first view of a thread is counted, once
    before = thread_queries(client, question)
    for key in ["great_question", "good_question", "nice_question", "student"]:
        award_grant(badge=badge(key), user_id=question.author_id, key="post:1")

    page = client.get(question.get_absolute_url()).content.decode()

    assert "1 gold badge" in page
    assert "1 silver badge" in page
    assert "2 bronze badges" in page
    assert thread_queries(client, question) == before


def test_the_inbox_says_which_badge_was_earned_and_leads_to_it(question):
    answer = factories.answer(question)
    upvote(answer)
    entry = Notification.objects.get(recipient=answer.author, kind=Notification.Kind.BADGE_EARNED)

    page = client_for(answer.author).get("/inbox/").content.decode()

    assert "You earned the badge “Teacher”" in page
    assert reverse("badges:award", args=[entry.object_id]) in page
    followed = client_for(answer.author).get(reverse("badges:award", args=[entry.object_id]))
    assert followed["Location"] == badge("teacher").get_absolute_url()


def test_the_inbox_says_it_in_german(question, german_site):
    answer = factories.answer(question)
    upvote(answer)

    client = Client(headers={"accept-language": "de"})
    client.force_login(answer.author)
    page = client.get("/inbox/").content.decode()

    assert "Du hast das Abzeichen „Lehrer“ erhalten" in page


def test_a_badge_earned_is_told_once_however_often_the_rule_is_evaluated(question):
    answer = factories.answer(question)
    upvote(answer)
    upvote(answer)

    assert (
        Notification.objects.filter(
            recipient=answer.author, kind=Notification.Kind.BADGE_EARNED
        ).count()
        == 1
    )


@pytest.mark.parametrize("model", ["badge", "award"])
def test_the_staff_admin_shows_badges_and_awards_read_only(member, model):
    manager = factories.user(is_staff=True)
    award_grant(badge=badge("supporter"), user_id=member.pk)
    client = client_for(manager)

    listing = client.get(f"/admin/badges/{model}/")
    adding = client.get(f"/admin/badges/{model}/add/")

    assert listing.status_code == 200
    assert adding.status_code == 403
    assert client_for(member).get(f"/admin/badges/{model}/").status_code == 302
