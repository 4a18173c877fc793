import pytest

from tests import factories

pytestmark = pytest.mark.django_db

EDIT = "/users/edit/"
PROFILE = {
    "display_name": "Grace Hopper",
    "about_markdown": "I wrote the first **compiler**.",
    "location": "Arlington",
    "website": "https://example.org/grace",
}


def test_editing_a_profile_needs_an_account(client):
    response = client.get(EDIT)

    assert response.status_code == 302
    assert response["Location"] == "/users/login/?next=/users/edit/"


def test_the_edit_page_shows_the_members_current_profile(english_client, member):
    member.display_name = "Grace"
    member.location = "New York"
    member.save()
    english_client.force_login(member)

    html = english_client.get(EDIT).content.decode()

    assert 'name="display_name" value="Grace"' in html
    assert 'value="New York"' in html
    assert "Markdown is supported." in html


def test_saving_the_profile_renders_the_markdown_and_shows_it(english_client, member):
    english_client.force_login(member)

    response = english_client.post(EDIT, PROFILE, follow=True)

    member.refresh_from_db()
    assert response.redirect_chain == [(member.get_absolute_url(), 302)]
    assert member.display_name == "Grace Hopper"
    assert member.about_html.strip() == "<p>I wrote the first <strong>compiler</strong>.</p>"
    html = response.content.decode()
    assert "Your profile has been saved." in html
    assert "<strong>compiler</strong>" in html
    assert "Arlington" in html
    assert 'href="https://example.org/grace"' in html


def test_scripts_in_about_me_do_not_survive(client, member):
    client.force_login(member)

    client.post(
        EDIT,
        {**PROFILE, "about_markdown": 'Hi <script>alert(1)</script><img src=x onerror="alert(2)">'},
    )

    member.refresh_from_db()
    assert "<script" not in member.about_html
    assert "onerror" not in member.about_html
    assert "<script>alert(1)" not in client.get(member.get_absolute_url()).content.decode()


def test_control_characters_are_removed_from_the_profile(client, member):
    client.force_login(member)

    client.post(EDIT, {**PROFILE, "display_name": "Gra\x07ce\x1b", "location": " Arling\x7fton "})

    member.refresh_from_db()
    assert member.display_name == "Grace"
    assert member.location == "Arlington"


def test_null_characters_are_refused(english_client, member):
    english_client.force_login(member)

    response = english_client.post(EDIT, {**PROFILE, "about_markdown": "Hi\x00there"})

    assert "Null characters are not allowed." in response.content.decode()
    member.refresh_from_db()
    assert member.about_markdown == ""


def test_errors_are_shown_next_to_the_field_with_the_text_kept(english_client, member):
    english_client.force_login(member)

    response = english_client.post(EDIT, {**PROFILE, "website": "javascript:alert(1)"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_website_error"' in html
    assert "Enter a valid URL." in html
    assert "I wrote the first **compiler**." in html
    assert 'value="Arlington"' in html
    member.refresh_from_db()
    assert member.location == ""


def test_about_me_has_a_length_limit(english_client, member):
    english_client.force_login(member)

    response = english_client.post(EDIT, {**PROFILE, "about_markdown": "x" * 5001})

    assert 'id="id_about_markdown_error"' in response.content.decode()


def test_the_edit_page_changes_only_the_signed_in_members_own_profile(client, member):
    other = factories.user(display_name="Someone Else")
    client.force_login(member)

    client.post(EDIT, {**PROFILE, "display_name": "Changed"})

    other.refresh_from_db()
    member.refresh_from_db()
    assert other.display_name == "Someone Else"
    assert member.display_name == "Changed"


def test_only_the_owner_sees_the_edit_link_on_a_profile(english_client, member):
    other = factories.user()
    english_client.force_login(member)

    assert (
        'href="/users/edit/">Edit profile</a>'
        in english_client.get(member.get_absolute_url()).content.decode()
    )
    assert "Edit profile" not in english_client.get(other.get_absolute_url()).content.decode()
