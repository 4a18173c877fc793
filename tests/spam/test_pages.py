"""The spam pages through HTTP: one click from the thread's moderator menu, the
destruction's page with Undo and Destroy again, the bulk cleanup's search, preview,
batch and undo; none of it for members below moderator."""

import pytest
from django.urls import reverse

from accounts.roles import is_suspended
from questions.models import Post
from spam.models import Destruction, SpamBatch
from tests import factories
from tests.clients import client_for
from tests.spam.conftest import assert_same_pages, recount, thread_pages

pytestmark = pytest.mark.django_db

NO_DRIFT = "No drift."


def destroy_url(user):
    return reverse("moderation_admin:spam_destroy", args=[user.pk])


def test_a_moderator_destroys_from_the_thread_undoes_and_destroys_again(
    spammed, spammer, moderator, helper
):
    before = thread_pages(spammed, None, helper, moderator)
    client = client_for(moderator)
    thread = client.get(spammed["question"].get_absolute_url()).content.decode()
    assert f'action="{destroy_url(spammer)}"' in thread

    response = client.post(destroy_url(spammer))

    destruction = Destruction.objects.get(user=spammer)
    page_url = reverse("moderation_admin:spam_destruction_change", args=[destruction.pk])
    assert response.status_code == 302 and response.url == page_url
    assert Post.objects.filter(author=spammer, deleted_at__isnull=True).count() == 0
    page = client.get(page_url).content.decode()
    assert "was destroyed as a spammer" in page and 'value="Undo"' in page
    assert "seller@spam-shop.example" in page and "203.0.113.7" in page

    response = client.post(reverse("moderation_admin:spam_destruction_undo", args=[destruction.pk]))

    assert response.status_code == 302
    assert_same_pages(thread_pages(spammed, None, helper, moderator), before)
    assert NO_DRIFT in recount()
    page = client.get(page_url).content.decode()
    assert "everything it changed is back" in page and 'value="Destroy again"' in page

    client.post(destroy_url(spammer))

    assert Destruction.objects.filter(user=spammer, undone_at__isnull=True).count() == 1
    assert is_suspended(Destruction.objects.get(undone_at__isnull=True).user)
    assert NO_DRIFT in recount()


def test_members_below_moderator_see_neither_the_button_nor_the_pages(spammed, spammer, helper):
    client = client_for(helper)
    thread = client.get(spammed["question"].get_absolute_url()).content.decode()
    assert "Destroy spammer" not in thread

    for response in (
        client.post(destroy_url(spammer)),
        client.get(destroy_url(spammer)),
        client.get(
            reverse("moderation_admin:spam_spambatch_add") + "?email_domain=spam-shop.example"
        ),
    ):
        assert response.status_code == 302 and "/moderation/login/" in response.url
    assert not Destruction.objects.exists()


def test_a_moderator_cannot_be_destroyed(moderator):
    other = factories.moderator()

    response = client_for(moderator).post(destroy_url(other))

    assert response.status_code == 403
    assert "cannot be destroyed" in response.content.decode()
    assert not Destruction.objects.exists()


def test_undo_is_a_post(spammed, spammer, moderator):
    client = client_for(moderator)
    client.post(destroy_url(spammer))
    destruction = Destruction.objects.get()

    response = client.get(reverse("moderation_admin:spam_destruction_undo", args=[destruction.pk]))

    assert response.status_code == 405
    assert Destruction.objects.get().undone_at is None


def spam_account(number, *, domain="spam-shop.example", address="203.0.113.9"):
    from questions import services

    user = factories.user(email=f"bot{number}@{domain}", signup_address=address)
    question = services.question_create(
        author=user,
        title=f"Buy cheap watches number {number}",
        body=f"See https://{domain}/{number}",
        tags=["watches"],
    )
    return user, question


def test_the_cleanup_finds_previews_destroys_as_one_batch_and_undoes_it(moderator, asker):
    bots = [spam_account(number) for number in range(3)]
    bystander = factories.user(email="someone@elsewhere.example", signup_address="198.51.100.1")
    client = client_for(moderator)
    add = reverse("moderation_admin:spam_spambatch_add")

    preview = client.get(
        add, {"address_range": "203.0.113.0/24", "link_domain": "spam-shop.example"}
    )

    html = preview.content.decode()
    assert "3 accounts found" in html
    assert all(user.email in html for user, _ in bots) and bystander.email not in html

    response = client.post(
        add,
        {"address_range": "203.0.113.0/24", "link_domain": "spam-shop.example", "reason": "Bots"},
    )

    batch = SpamBatch.objects.get()
    assert response.status_code == 302
    assert batch.status == SpamBatch.Status.DONE and batch.processed == batch.total == 3
    assert not Post.objects.filter(author__in=[user for user, _ in bots], deleted_at=None).exists()
    assert NO_DRIFT in recount()
    page = client.get(response.url).content.decode()
    assert "3 of 3 accounts" in page and "Undo the whole cleanup" in page

    client.post(reverse("moderation_admin:spam_batch_undo", args=[batch.pk]))

    batch.refresh_from_db()
    assert batch.status == SpamBatch.Status.UNDONE
    assert Post.objects.filter(author__in=[user for user, _ in bots], deleted_at=None).count() == 3
    assert NO_DRIFT in recount()


@pytest.mark.parametrize(
    ("criteria", "found"),
    [
        ({"email_domain": "spam-shop.example"}, 2),
        ({"email_domain": "other.example"}, 1),
        ({"address_range": "203.0.113.9"}, 2),
        ({"address_range": "198.51.100.0/24"}, 1),
        ({"link_domain": "other.example"}, 1),
        ({"joined_after": "2000-01-01 00:00", "joined_before": "2001-01-01 00:00"}, 0),
    ],
)
def test_each_criterion_narrows_the_search(moderator, criteria, found):
    spam_account(1)
    spam_account(2)
    spam_account(3, domain="other.example", address="198.51.100.20")

    html = client_for(moderator).get(reverse("moderation_admin:spam_spambatch_add"), criteria)

    assert f"{found} account" in html.content.decode()


def test_a_bad_search_says_why_and_keeps_what_was_typed(moderator):
    response = client_for(moderator).get(
        reverse("moderation_admin:spam_spambatch_add"),
        {"address_range": "not-an-address", "email_domain": "spam-shop.example"},
    )

    html = response.content.decode()
    assert "Enter an address or a network" in html
    assert 'value="not-an-address"' in html and 'value="spam-shop.example"' in html
    assert not SpamBatch.objects.exists()


def test_a_search_without_criteria_finds_nothing_to_destroy(moderator):
    response = client_for(moderator).post(reverse("moderation_admin:spam_spambatch_add"), {})

    assert "Give at least one criterion." in response.content.decode()
    assert not SpamBatch.objects.exists()


def test_the_preview_costs_the_same_for_three_accounts_or_thirty(
    moderator, django_assert_max_num_queries
):
    client = client_for(moderator)
    url = reverse("moderation_admin:spam_spambatch_add") + "?email_domain=spam-shop.example"
    for number in range(3):
        spam_account(number)
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for number in range(3, 30):
        spam_account(number)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "30 accounts found" in client.get(url).content.decode()


def test_a_stopped_cleanup_resumes_where_it_stopped(moderator):
    bots = [spam_account(number)[0] for number in range(3)]
    batch = SpamBatch.objects.create(
        moderator=moderator, user_ids=[bot.pk for bot in bots], total=3, criteria={}
    )
    # The worker stopped after the first account.
    from spam import services

    services.spammer_destroy(user=bots[0], moderator=moderator, batch=batch)

    response = client_for(moderator).post(
        reverse("moderation_admin:spam_batch_resume", args=[batch.pk])
    )

    batch.refresh_from_db()
    assert response.status_code == 302
    assert (batch.status, batch.processed) == (SpamBatch.Status.DONE, 3)
    assert Destruction.objects.filter(batch=batch).count() == 3
    assert NO_DRIFT in recount()


def test_the_destruction_and_batch_pages_cost_a_fixed_number_of_queries(
    moderator, django_assert_max_num_queries
):
    client = client_for(moderator)
    bots = [spam_account(number)[0] for number in range(3)]
    client.post(
        reverse("moderation_admin:spam_spambatch_add"), {"email_domain": "spam-shop.example"}
    )
    batch = SpamBatch.objects.get()
    destruction = Destruction.objects.get(user=bots[0])
    pages = [
        reverse("moderation_admin:spam_spambatch_change", args=[batch.pk]),
        reverse("moderation_admin:spam_destruction_change", args=[destruction.pk]),
        reverse("moderation_admin:spam_destruction_changelist"),
        reverse("moderation_admin:spam_spambatch_changelist"),
    ]
    for url in pages:
        client.get(url)
    counts = {}
    for url in pages:
        with django_assert_max_num_queries(15) as queries:
            assert client.get(url).status_code == 200
        counts[url] = len(queries.captured_queries)
    for number in range(3, 10):
        spam_account(number)
    client.post(
        reverse("moderation_admin:spam_spambatch_add"), {"email_domain": "spam-shop.example"}
    )
    for url in pages:
        with django_assert_max_num_queries(counts[url]):
            client.get(url)


def test_a_moderator_destroys_a_member_from_their_profile_after_seeing_what_goes(
    spammed, spammer, moderator, helper
):
    client = client_for(moderator)
    profile = client.get(spammer.get_absolute_url()).content.decode()
    assert f'href="{destroy_url(spammer)}"' in profile
    assert (
        destroy_url(spammer)
        not in client_for(helper).get(spammer.get_absolute_url()).content.decode()
    )

    confirm = client.get(destroy_url(spammer)).content.decode()

    assert "(questions: 1, answers: 1, comments: 1)" in confirm
    assert not Destruction.objects.exists()

    client.post(destroy_url(spammer), {"reason": "Sells watches"})

    assert Destruction.objects.get().reason == "Sells watches"
