"""Names that only look like another member's are refused, with a clear message and what
was typed kept: Cyrillic letters, accents, invisible characters, case and full-width forms
make no new name; nor may anyone wear a moderator's diamond (issue 15, finding 7)."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from tests import factories
from tests.clients import client_for

pytestmark = pytest.mark.django_db

LOOKALIKE = "This name looks like the name of another member"


def sign_up(username):
    return client_for(None).post(
        reverse("accounts:signup"),
        {
            "username": username,
            "email": f"{abs(hash(username))}@example.org",
            "password1": "analytical-engine-1843",
            "password2": "analytical-engine-1843",
        },
    )


def edit_profile(user, display_name):
    return client_for(user).post(
        reverse("accounts:profile_edit"),
        {"display_name": display_name, "about_markdown": "", "location": "", "website": ""},
    )


TAKEN = "A user with that username already exists."


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("\u0430dmin", LOOKALIKE),  # Cyrillic а
        ("admi\u0301n", LOOKALIKE),  # a combining accent
        ("adm\u00edn", LOOKALIKE),  # í
        ("ad\u00admin", LOOKALIKE),  # a soft hyphen, invisible
        ("adm1n", LOOKALIKE),
        ("adrnin", LOOKALIKE),
        # The same name in another case or in full-width letters: Django's own check.
        ("ADMIN", TAKEN),
        ("\uff41\uff44\uff4d\uff49\uff4e", TAKEN),
    ],
)
def test_a_username_that_looks_like_an_existing_one_is_refused(username, message):
    factories.user(username="admin", display_name="")

    response = sign_up(username)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert User.objects.count() == 1


def test_the_refused_form_keeps_what_was_typed():
    factories.user(username="admin", display_name="")

    html = sign_up("\u0430dmin").content.decode()

    assert LOOKALIKE in html
    assert 'value="\u0430dmin"' in html
    assert "@example.org" in html


def test_a_username_that_looks_like_someones_shown_name_is_refused():
    factories.user(username="user7", display_name="Aarthi")

    response = sign_up("аarthi")

    assert LOOKALIKE in response.content.decode()
    assert not User.objects.filter(username="аarthi").exists()


def test_a_name_unlike_any_other_signs_up():
    factories.user(username="admin", display_name="")

    response = sign_up("adamant")

    assert response.status_code == 302
    assert User.objects.filter(username="adamant").exists()


@pytest.mark.parametrize("display_name", ["Moderator \u2666", "\u25c6 Ada", "Ada \U0001f48e"])
def test_the_diamond_and_its_lookalikes_are_refused_in_a_display_name(display_name):
    member = factories.user(display_name="Ada")

    response = edit_profile(member, display_name)

    assert response.status_code == 200
    assert "The diamond and similar marks stand for moderators" in response.content.decode()
    member.refresh_from_db()
    assert member.display_name == "Ada"


def test_a_display_name_that_looks_like_another_members_is_refused():
    factories.user(display_name="Grace Hopper")
    member = factories.user(display_name="Ada")

    response = edit_profile(member, "Gr\u0430ce H\u043epper")  # Cyrillic а and о

    assert LOOKALIKE in response.content.decode()
    assert 'value="Grace Hopper"' not in response.content.decode()
    member.refresh_from_db()
    assert member.display_name == "Ada"


def test_the_same_display_name_as_another_member_is_allowed_as_on_stack_exchange():
    factories.user(display_name="John Smith")
    member = factories.user(display_name="Ada")

    response = edit_profile(member, "John Smith")

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.display_name == "John Smith"


def test_no_one_may_take_a_moderators_name_not_even_exactly():
    factories.moderator(display_name="Aarthi")
    member = factories.user(display_name="Ada")

    assert LOOKALIKE in edit_profile(member, "Aarthi").content.decode()
    assert LOOKALIKE in edit_profile(member, "A\u0430rthi").content.decode()


def test_a_display_name_is_stored_normalised():
    member = factories.user(display_name="Ada")

    edit_profile(member, "\uff21\uff44\uff41 Lovelace")  # full-width Ada

    member.refresh_from_db()
    assert member.display_name == "Ada Lovelace"


def test_a_member_may_keep_their_own_name_in_another_case():
    member = factories.user(display_name="Ada")

    assert edit_profile(member, "ADA").status_code == 302


def test_a_superuser_made_on_the_command_line_is_protected_too():
    call_command("createsuperuser", username="root", email="root@example.org", interactive=False)

    assert LOOKALIKE in sign_up("r\u043e\u043et").content.decode()  # Cyrillic о
