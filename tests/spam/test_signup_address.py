"""The address an account signed up from is kept for the moderators' cleanup, and shown
to nobody else: not on the profile, the users list, the APIs or the staff-only pages'
public twins."""

import pytest
from django.urls import reverse

from accounts.models import User
from tests import factories
from tests.clients import client_for

pytestmark = pytest.mark.django_db


def sign_up(**extra):
    return client_for(None).post(
        reverse("accounts:signup"),
        {
            "username": "newcomer",
            "email": "newcomer@example.org",
            "password1": "analytical-engine-1843",
            "password2": "analytical-engine-1843",
        },
        **extra,
    )


def test_a_sign_up_keeps_the_address_it_came_from():
    sign_up(REMOTE_ADDR="198.51.100.23")

    assert User.objects.get(username="newcomer").signup_address == "198.51.100.23"


def test_an_address_that_is_none_is_kept_as_none(settings):
    settings.FORUM_TRUSTED_PROXIES = ["127.0.0.1/32"]

    sign_up(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="not-an-address")

    assert User.objects.get(username="newcomer").signup_address is None


@pytest.mark.parametrize("viewer", ["anonymous", "member", "the member themselves"])
def test_nobody_below_moderator_sees_the_address_or_the_email(viewer):
    spammer = factories.user(
        display_name="Seller", email="seller@spam-shop.example", signup_address="203.0.113.77"
    )
    user = {"anonymous": None, "member": factories.user(), "the member themselves": spammer}
    client = client_for(user[viewer])
    pages = [
        spammer.get_absolute_url(),
        reverse("accounts:users"),
        reverse("api:user", args=[spammer.pk]),
        reverse("api:users"),
    ]

    for url in pages:
        html = client.get(url).content.decode()
        assert "203.0.113.77" not in html, url
        assert "spam-shop.example" not in html or viewer == "the member themselves", url
