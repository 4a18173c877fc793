"""Share links (/q/<question>/<member>): each distinct visitor address that follows a
member's link counts once for them, for Announcer (25), Booster (300) and Publicist
(1,000); the member's own visits and links to what may not be seen count nothing."""

import pytest
from django.urls import reverse
from django.utils import timezone

from badges.models import ShareVisit
from tests import factories
from tests.badges.helpers import held
from tests.clients import client_for

pytestmark = pytest.mark.django_db


def share_url(question, sharer):
    return reverse("badges:share", kwargs={"pk": question.pk, "user_id": sharer.pk})


def visit(question, sharer, address, *, client=None):
    client = client or client_for(None)
    return client.get(share_url(question, sharer), REMOTE_ADDR=address)


def earlier_visitors(question, sharer, count):
    ShareVisit.objects.bulk_create(
        ShareVisit(
            question=question, sharer=sharer, visitor=f"earlier-{n}", created_at=timezone.now()
        )
        for n in range(count)
    )


def test_a_share_link_leads_to_the_question(question, member):
    response = visit(question, member, "203.0.113.1")

    assert response.status_code == 302
    assert response["Location"] == reverse("questions:question_permalink", args=[question.pk])
    assert ShareVisit.objects.filter(sharer=member, question=question).count() == 1


def test_the_thread_offers_a_member_their_share_link(question, member):
    page = client_for(member).get(question.get_absolute_url()).content.decode()

    assert share_url(question, member) in page


def test_a_visitor_counts_once_per_link_and_no_address_is_stored(question, member):
    visit(question, member, "203.0.113.1")
    visit(question, member, "203.0.113.1")
    visit(question, member, "203.0.113.2")

    visitors = list(ShareVisit.objects.values_list("visitor", flat=True))
    assert len(visitors) == 2
    assert not any("203.0.113" in visitor for visitor in visitors)


def test_the_sharers_own_visits_count_nothing(question, member):
    visit(question, member, "203.0.113.1", client=client_for(member))

    assert not ShareVisit.objects.exists()


def test_a_link_to_a_deleted_question_counts_nothing(member):
    question = factories.question(deleted_at=timezone.now())

    response = visit(question, member, "203.0.113.1")

    assert not ShareVisit.objects.exists()
    assert response.status_code == 302


def test_a_link_of_an_unknown_member_counts_nothing(question):
    response = client_for(None).get(f"/q/{question.pk}/999999", REMOTE_ADDR="203.0.113.1")

    assert response.status_code == 302
    assert not ShareVisit.objects.exists()


@pytest.mark.parametrize(
    ("key", "threshold"), [("announcer", 25), ("booster", 300), ("publicist", 1000)]
)
def test_the_visitor_that_reaches_the_threshold_earns_the_sharer_the_badge(
    question, member, key, threshold
):
    earlier_visitors(question, member, threshold - 2)
    visit(question, member, "203.0.113.1")
    assert held(member, key) == 0

    visit(question, member, "203.0.113.2")

    assert held(member, key) == 1


def test_visitors_of_two_links_are_not_added_up(member):
    first, second = factories.question(), factories.question()
    earlier_visitors(first, member, 20)
    earlier_visitors(second, member, 4)

    visit(second, member, "203.0.113.9")

    assert held(member, "announcer") == 0
