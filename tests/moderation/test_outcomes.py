import pytest
from django.test import Client

from moderation import services
from moderation.models import Escalation, Flag, ModeratorAction
from questions import services as question_services
from tests import factories
from tests.clients import client_for

pytestmark = pytest.mark.django_db


def flags_url(user):
    return f"/users/{user.pk}/{user.slug}/flags/"


def test_flaggers_see_each_flag_with_its_status_and_the_reason_if_declined(
    flagger, moderator, question
):
    answer = factories.answer(question)
    comment = factories.comment(question, body="A comment that was fine all along.")
    helpful = services.flag_create(reporter=flagger, reason="low_quality", post=question)
    declined = services.flag_create(reporter=flagger, reason="not_an_answer", post=answer)
    services.flag_create(reporter=flagger, reason="unfriendly", comment=comment)
    services.flags_mark_helpful(flags=Flag.objects.filter(pk=helpful.pk), moderator=moderator)
    services.flags_decline(
        flags=Flag.objects.filter(pk=declined.pk),
        moderator=moderator,
        note="It answers the question, tersely.",
    )

    html = client_for(flagger).get(flags_url(flagger)).content.decode()

    assert html.count('class="flag-row') == 3
    assert "flag-status-helpful" in html
    assert "flag-status-pending" in html
    assert "Declined because: It answers the question, tersely." in html
    assert f'href="{question.get_absolute_url()}#answer-{answer.pk}"' in html
    assert f'href="{question.get_absolute_url()}#comment-{comment.pk}"' in html


def test_moderators_see_anyones_flags(flagger, moderator, question):
    services.flag_create(reporter=flagger, reason="spam", post=question)

    response = client_for(moderator).get(flags_url(flagger))

    assert response.status_code == 200
    assert "flag-status-pending" in response.content.decode()


def test_other_members_may_not_see_someones_flags(flagger):
    response = client_for(factories.user()).get(flags_url(flagger))

    assert response.status_code == 403
    assert "Only Flagger and the moderators can see these flags." in response.content.decode()


def test_visitors_are_sent_to_log_in_for_flags(flagger):
    assert (
        Client().get(flags_url(flagger))["Location"] == f"/users/login/?next={flags_url(flagger)}"
    )


def test_a_stale_slug_redirects_permanently_to_the_flags_page(flagger):
    response = client_for(flagger).get(f"/users/{flagger.pk}/old-name/flags/")

    assert response.status_code == 301
    assert response["Location"] == flags_url(flagger)


def test_an_unknown_user_has_no_flags_page(flagger):
    assert client_for(flagger).get("/users/99999/nobody/flags/").status_code == 404


def test_the_flags_page_costs_a_fixed_number_of_queries(flagger, django_assert_num_queries):
    for _ in range(5):
        services.flag_create(
            reporter=flagger, reason="low_quality", post=factories.answer(factories.question())
        )
    client = client_for(flagger)

    # The session, the user, the unread messages, the inbox count, the member, the count
    # and the page.
    with django_assert_num_queries(7):
        client.get(flags_url(flagger))


# Appeals


def test_the_author_of_a_deleted_post_sees_why_and_appeals(author, moderator, question):
    services.post_delete(post=question, moderator=moderator, reason="Spam link.")
    client = client_for(author)

    page = client.get(f"/posts/{question.pk}/appeal/").content.decode()
    assert "Your post was deleted." in page
    assert "Reason: Spam link." in page

    response = client.post(
        f"/posts/{question.pk}/appeal/", {"note": "The link is the library's documentation."}
    )

    assert response.status_code == 302
    escalation = Escalation.objects.get()
    assert (escalation.kind, escalation.post_id, escalation.raised_by) == (
        Escalation.Kind.APPEAL,
        question.pk,
        author,
    )
    assert ModeratorAction.objects.filter(verb=ModeratorAction.Verb.APPEALED).count() == 1
    thread = client.get(question.get_absolute_url()).content.decode()
    assert "Your appeal is waiting for a community manager." in thread


def test_the_author_of_a_locked_post_may_appeal(author, moderator, question):
    services.post_lock(post=question, moderator=moderator, reason="Heated.")

    html = client_for(author).get(question.get_absolute_url()).content.decode()

    assert f'href="/posts/{question.pk}/appeal/"' in html
    assert "Reason: Heated." in html


def test_one_appeal_at_a_time(author, moderator, question):
    services.post_delete(post=question, moderator=moderator, reason="Spam link.")
    client = client_for(author)
    client.post(f"/posts/{question.pk}/appeal/", {"note": "Please look again at this."})

    response = client.post(f"/posts/{question.pk}/appeal/", {"note": "Please look again, really."})

    assert response.status_code == 403
    assert Escalation.objects.count() == 1


def test_only_the_author_may_appeal(moderator, question):
    services.post_lock(post=question, moderator=moderator, reason="Heated.")

    response = client_for(factories.user()).post(
        f"/posts/{question.pk}/appeal/", {"note": "Not mine, but still."}
    )

    assert response.status_code == 403
    assert not Escalation.objects.exists()


def test_what_the_author_deleted_themselves_is_undeleted_not_appealed(author, question):
    question_services.post_delete(post=question, user=author)

    response = client_for(author).get(f"/posts/{question.pk}/appeal/")

    assert response.status_code == 403
    assert "you can undelete it" in response.content.decode()


def test_others_cannot_learn_of_a_deleted_post_through_its_appeal_page(moderator, question):
    services.post_delete(post=question, moderator=moderator, reason="Spam link.")

    assert client_for(factories.user()).get(f"/posts/{question.pk}/appeal/").status_code == 404
