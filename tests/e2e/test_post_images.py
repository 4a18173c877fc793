"""Images in the editor: a member chooses an image with the button, drops another onto the
text and pastes a third; each is uploaded, its Markdown put in at the caret and the preview
shows it; the posted question shows them all, served by the site. A newcomer's preview
says why images are not shown."""

import base64
import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import PASSWORD, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.FORUM_SERVE_MEDIA = True
    return tmp_path


def png(colour, size=(240, 160)):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def loaded_images(locator):
    """How many of the images in `locator` the browser has loaded and decoded."""
    return locator.evaluate_all(
        "(images) => images.filter((image) => image.complete && image.naturalWidth > 0).length"
    )


def test_a_member_uploads_images_by_button_drop_and_paste_and_posts_them(live_server, english_page):
    page = english_page
    factories.tag("grammar")
    factories.user(username="iris", password=PASSWORD, reputation=50)
    log_in(page, live_server.url, "iris")

    page.goto(live_server.url + "/questions/ask/")
    page.get_by_label("Title").fill("How do I show a case table in my question?")
    body = page.get_by_label("Body")
    body.fill("Here is the table of cases I made:")
    # The no-JavaScript button is hidden: choosing a file uploads it at once.
    expect(page.get_by_role("button", name="Upload image")).to_be_hidden()
    page.get_by_label("Description of the image").fill("Case table")
    page.get_by_label("Add an image").set_input_files(
        {"name": "cases.png", "mimeType": "image/png", "buffer": png((30, 90, 200))}
    )
    expect(page.get_by_role("status").filter(has_text="The image was uploaded")).to_be_visible()
    expect(body).to_have_value(re.compile(r"made:\n\n!\[Case table\]\(/media/posts/.+\.webp\)\n$"))
    preview = page.locator("[data-preview-output]")
    expect(preview.locator('img[alt="Case table"]')).to_be_visible()

    # An image dropped onto the text goes in at the caret, too.
    body.press("End")
    page.evaluate(
        """([selector, data]) => {
            const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], "drop.png", { type: "image/png" }));
            const target = document.querySelector(selector);
            const options = { dataTransfer: transfer, bubbles: true, cancelable: true };
            target.dispatchEvent(new DragEvent("drop", options));
        }""",
        ["#id_body", base64.b64encode(png((200, 60, 30))).decode()],
    )
    expect(preview.locator("img")).to_have_count(2)
    expect(body).to_have_value(re.compile(r"!\[image\]\(/media/posts/.+\.webp\)\n$"))

    # And so does one pasted into it.
    page.evaluate(
        """([selector, data]) => {
            const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], "paste.png", { type: "image/png" }));
            const target = document.querySelector(selector);
            const options = { clipboardData: transfer, bubbles: true, cancelable: true };
            target.dispatchEvent(new ClipboardEvent("paste", options));
        }""",
        ["#id_body", base64.b64encode(png((40, 160, 60))).decode()],
    )
    expect(preview.locator("img")).to_have_count(3)

    page.get_by_role("combobox", name=re.compile("^Tags")).fill("grammar")
    page.get_by_role("button", name="Post your question").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "How do I show a case table in my question?"
    )
    images = page.locator(".post-body img")
    expect(images).to_have_count(3)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.post-body img')]"
        ".every((image) => image.complete && image.naturalWidth === 240)"
    )
    assert loaded_images(images) == 3


def test_a_newcomers_preview_says_why_images_are_not_shown(live_server, english_page):
    page = english_page
    factories.user(username="nova", password=PASSWORD)
    log_in(page, live_server.url, "nova")

    page.goto(live_server.url + "/questions/ask/")
    expect(page.get_by_text("You need 10 reputation to post images.")).to_be_visible()
    expect(page.get_by_label("Add an image")).to_have_count(0)
    page.get_by_label("Body").fill("See ![my table](https://example.org/table.png) here.")

    preview = page.locator("[data-preview-output]")
    expect(preview.get_by_text("Images are not shown: you need 10 reputation")).to_be_visible()
    expect(preview.get_by_text("[image not shown]")).to_be_visible()
    expect(preview.locator("img")).to_have_count(0)
