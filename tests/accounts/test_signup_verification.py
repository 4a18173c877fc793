"""Email verification: a member who signed up on the site may read but not post until
they follow the emailed link, on the pages and through the API alike; the link is signed,
for one address, expires, and is sent again on request a few times a day."""

import re

import pytest
from django.core import mail, signing
from django.test import Client

from accounts import verification
from accounts.models import User
from questions.models import Post
from tests import factories
from tests.api.conftest import api_client

pytestmark = pytest.mark.django_db

ASK = "/questions/ask/"
RESEND = "/users/verify-resend/"
REFUSAL = {
    "en": "Please confirm your email address first: follow the link we emailed you.",
    "de": "Bitte bestätige zuerst deine E-Mail-Adresse: Folge dem Link, den wir dir gemailt haben.",
}
BODY = "A body long enough to pass the form's own rule."


@pytest.fixture(autouse=True)
def defences(settings):
    settings.FORUM_SIGNUP_DEFENCES = True
    settings.FORUM_EMAIL_VERIFICATION = True


@pytest.fixture
def newcomer(db):
    return factories.user(username="newcomer", email="new@example.org", email_verified=False)


def client_of(user, language="en"):
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


def verification_path():
    return re.search(r"http://[^/\s]+(/users/verify/\S+/)", mail.outbox[-1].body).group(1)


def ask(client):
    factories.tag("python")
    return client.post(
        ASK, {"title": "How do I read a file line by line?", "body": BODY, "tags": "python"}
    )


@pytest.mark.parametrize("language", ["en", "de"])
def test_an_unverified_member_is_refused_posting_on_the_pages_with_the_reason(newcomer, language):
    client = client_of(newcomer, language)

    refused = client.get(ASK)
    posted = ask(client)

    assert refused.status_code == posted.status_code == 403
    assert REFUSAL[language] in refused.content.decode()
    assert not Post.objects.exists()


def test_an_unverified_member_is_refused_by_the_api_with_the_same_reason(newcomer, question):
    client = api_client(newcomer)

    asked = client.post(
        "/api/v1/questions/",
        {"title": "How do I read a file line by line?", "body": BODY, "tags": ["python"]},
        content_type="application/json",
    )
    answered = client.post(
        f"/api/v1/questions/{question.pk}/answers/", {"body": BODY}, content_type="application/json"
    )

    for response in (asked, answered):
        assert response.status_code == 403
        assert response.json()["detail"].startswith(REFUSAL["en"])
    assert Post.objects.count() == 1


@pytest.mark.parametrize(
    ("language", "notice"),
    [
        ("en", "Please confirm your email address: follow the link we sent to new@example.org."),
        ("de", "Bitte bestätige deine E-Mail-Adresse: Folge dem Link, den wir an new@example.org"),
    ],
)
def test_the_unverified_member_sees_a_notice_with_a_resend_button(
    newcomer, member, language, notice
):
    page = client_of(newcomer, language).get("/").content.decode()
    verified_page = client_of(member, language).get("/").content.decode()

    assert notice in page
    assert f'action="{RESEND}"' in page
    assert RESEND not in verified_page


def test_following_the_link_and_confirming_lets_the_member_post(newcomer):
    client = client_of(newcomer)
    client.post(RESEND)
    path = verification_path()

    shown = client.get(path)
    newcomer.refresh_from_db()
    assert shown.status_code == 200 and not newcomer.email_verified  # a GET changes nothing
    assert "Confirm my address" in shown.content.decode()
    confirmed = client.post(path, follow=True)

    newcomer.refresh_from_db()
    assert newcomer.email_verified
    assert "Thank you: your email address is confirmed." in confirmed.content.decode()
    assert ask(client).status_code == 302
    assert Post.objects.count() == 1


def test_the_link_works_without_being_logged_in(newcomer):
    client_of(newcomer).post(RESEND)

    Client().post(verification_path())

    newcomer.refresh_from_db()
    assert newcomer.email_verified


def test_a_link_for_an_address_since_changed_or_forged_or_expired_does_nothing(newcomer, settings):
    client = client_of(newcomer)
    client.post(RESEND)
    path = verification_path()
    User.objects.filter(pk=newcomer.pk).update(email="other@example.org")
    forged_token = signing.dumps({"user": newcomer.pk, "email": "other@example.org"}, salt="x")
    other_purpose = signing.dumps(
        {"username": "newcomer", "email": "other@example.org", "language": "en"},
        salt=verification.SIGNUP_SALT,
    )

    changed = client.post(path)
    forged = client.post(f"/users/verify/{forged_token}/")
    wrong_kind = client.post(f"/users/verify/{other_purpose}/")
    User.objects.filter(pk=newcomer.pk).update(email="new@example.org")
    settings.FORUM_VERIFICATION_LINK_SECONDS = -1
    expired = client.post(path)

    for response in (changed, forged, wrong_kind, expired):
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
    newcomer.refresh_from_db()
    assert not newcomer.email_verified


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "We have sent you several links today already."),
        ("de", "Wir haben dir heute schon mehrere Links geschickt."),
    ],
)
def test_resending_is_limited_per_address(newcomer, settings, language, message):
    settings.FORUM_VERIFICATION_EMAILS_PER_DAY = 2
    client = client_of(newcomer, language)

    client.post(RESEND)
    client.post(RESEND)
    refused = client.post(RESEND, follow=True)

    assert len(mail.outbox) == 2
    assert message in refused.content.decode()


def test_resending_is_a_post(newcomer):
    assert client_of(newcomer).get(RESEND).status_code == 405
    assert mail.outbox == []


def test_verification_turned_off_lets_unverified_members_post_and_shows_no_notice(
    newcomer, settings
):
    settings.FORUM_EMAIL_VERIFICATION = False
    client = client_of(newcomer)

    assert RESEND not in client.get("/").content.decode()
    assert ask(client).status_code == 302


def test_members_made_elsewhere_count_as_verified(member):
    assert User._meta.get_field("email_verified").default is True
    assert member.email_verified
    assert ask(client_of(member)).status_code == 302


def test_the_staff_admin_finds_unverified_members_and_superusers_may_confirm_them(newcomer, member):
    manager = factories.user(is_staff=True)
    client = client_of(manager)

    listed = client.get("/admin/accounts/user/?email_verified__exact=0").content.decode()
    # A superuser may confirm an address by hand, for a member whose mail never arrives.
    admin = client_of(factories.user(is_staff=True, is_superuser=True))
    form = admin.get(f"/admin/accounts/user/{newcomer.pk}/change/").content.decode()

    assert "newcomer" in listed and member.username not in listed
    assert 'name="email_verified"' in form
