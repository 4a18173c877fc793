"""A member finds the privacy page in the footer, asks for a copy of their data and
downloads it from their data settings, then asks to delete their account with their
password and changes their mind."""

import io
import json
import zipfile

import pytest
from playwright.sync_api import expect

from privacy.models import DeletionRequest
from tests import factories
from tests.e2e.conftest import PASSWORD, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_member_downloads_their_data_then_asks_to_delete_their_account_and_cancels(
    live_server, english_page, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.FORUM_SITE_URL = live_server.url
    page = english_page
    ada = factories.user(
        username="ada", display_name="Ada", email="ada@example.org", password=PASSWORD
    )
    factories.question(author=ada, title="How do I mark the dual number?")

    log_in(page, live_server.url, "ada")
    page.get_by_role("contentinfo").get_by_role("link", name="Privacy").click()
    expect(page.get_by_role("heading", name="Privacy: what we store and why")).to_be_visible()
    page.get_by_role("link", name="data settings").click()

    page.get_by_role("button", name="Ask for a copy of my data").click()
    download_link = page.get_by_role("link", name="Download your data (ZIP)")
    expect(download_link).to_be_visible()
    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    archive = zipfile.ZipFile(io.BytesIO(download.path().read_bytes()))
    posts = json.loads(archive.read("posts.json"))
    assert [post["title"] for post in posts] == ["How do I mark the dual number?"]
    assert json.loads(archive.read("profile.json"))["email"] == "ada@example.org"

    page.get_by_label("Your password").fill("not it")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("That is not your password.")).to_be_visible()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("Your account will be deleted on")).to_have_count(2)
    assert DeletionRequest.objects.filter(user=ada).exists()

    page.get_by_role("button", name="Keep my account").click()
    expect(page.get_by_text("Your account will not be deleted.")).to_be_visible()
    assert not DeletionRequest.objects.exists()
