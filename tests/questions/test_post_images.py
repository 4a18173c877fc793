"""Images in posts (questions/post_images.py): an upload is decoded, checked and
re-encoded by core.images, stored through the storage API and inserted as Markdown; the
editor's upload answers JSON, the posting forms' file field works without JavaScript and
keeps what was typed; attacks are refused with the reason and store nothing; the image
privilege (10 reputation) and a per-member hourly limit hold on the server."""

import io
import struct
import uuid
import zlib

import pytest
from django.test import Client
from PIL import Image

from questions.models import PostImage, Question
from tests import factories
from tests.clients import client_for

pytestmark = pytest.mark.django_db

UPLOAD = "/questions/images/"
ASK = "/questions/ask/"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
DE = {"HTTP_ACCEPT_LANGUAGE": "de"}
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"
TYPED_BODY = "I tried the ablative here, and I expected -llo; what did I miss?"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.FORUM_SERVE_MEDIA = True
    return tmp_path


@pytest.fixture
def member(db):
    return factories.user(display_name="Painter", reputation=50)


@pytest.fixture
def newcomer(db):
    return factories.user(display_name="Newcomer", reputation=1)


def image_bytes(format_, size=(300, 200), mode="RGB", **options):
    buffer = io.BytesIO()
    Image.new(mode, size, (20, 120, 200)).save(buffer, format=format_, **options)
    return buffer.getvalue()


def png_claiming_size(width, height):
    """A tiny PNG whose header claims `width` × `height` pixels: a decompression bomb's
    shape without the memory to build one."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )


def file(data, name="picture.png"):
    upload = io.BytesIO(data)
    upload.name = name
    return upload


def stored_files(media):
    return sorted(path for path in media.rglob("*") if path.is_file())


def ask_data(**fields):
    return {
        "title": "Which case does Quenya use here?",
        "body": TYPED_BODY,
        "tags": "quenya grammar",
        "submission_token": str(uuid.uuid4()),
        **fields,
    }


# The editor's upload


@pytest.mark.parametrize("format_", ["PNG", "JPEG", "WEBP", "GIF"])
def test_an_upload_is_stored_re_encoded_and_answered_with_its_markdown(member, media, format_):
    response = client_for(member).post(
        UPLOAD, {"image": file(image_bytes(format_)), "image_description": "Case table"}, **EN
    )

    assert response.status_code == 201
    image = PostImage.objects.get()
    url = response.json()["url"]
    assert response.json()["markdown"] == f"![Case table]({url})"
    assert url == f"/media/{image.name}" and url.endswith(".webp")
    assert (image.uploader, image.width, image.height) == (member, 300, 200)
    [path] = stored_files(media)
    assert path.read_bytes()[8:12] == b"WEBP" and image.size == path.stat().st_size


def test_a_large_image_is_stored_scaled_down_to_the_stored_side(member, media):
    client_for(member).post(UPLOAD, {"image": file(image_bytes("PNG", size=(3000, 1000)))})

    image = PostImage.objects.get()
    [path] = stored_files(media)
    assert (image.width, image.height) == (2560, 853) == Image.open(path).size


def test_metadata_is_stripped(member, media):
    info = Image.Exif()
    info[0x010E] = "at home, 52.52N 13.40E"
    client_for(member).post(UPLOAD, {"image": file(image_bytes("JPEG", exif=info.tobytes()))})

    [path] = stored_files(media)
    assert b"52.52N" not in path.read_bytes()
    assert not Image.open(path).getexif()


def test_the_stored_image_is_served_as_webp_with_nosniff_and_a_sandboxing_policy(member):
    url = client_for(member).post(UPLOAD, {"image": file(image_bytes("PNG"))}).json()["url"]

    response = Client().get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_a_description_cannot_break_out_of_the_markdown(member):
    response = client_for(member).post(
        UPLOAD,
        {"image": file(image_bytes("PNG")), "image_description": "a](javascript:x)\n[b"},
        **EN,
    )

    markdown = response.json()["markdown"]
    assert markdown.startswith("![a (javascript:x) b](/media/posts/")
    assert markdown.count("](") == 1


def gif_polyglot():
    buffer = io.BytesIO()
    Image.new("P", (10, 10)).save(buffer, format="GIF")
    return buffer.getvalue() + b"/*" + HTML


def jpeg_with_script_comment():
    jpeg = image_bytes("JPEG")
    comment = b"<script>alert(1)</script>"
    segment = b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment
    return jpeg[:2] + segment + jpeg[2:]


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
PLAIN_SVG = b'<?xml version="1.0"?><svg:svg xmlns:svg="http://www.w3.org/2000/svg"/>'
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (SVG, "drawing.svg", "holds a web page or a script"),
        (SVG, "drawing.png", "holds a web page or a script"),
        (PLAIN_SVG, "plain.svg", "not an image in one of the formats"),
        (image_bytes("PNG") + HTML, "polyglot.png", "holds a web page or a script"),
        (gif_polyglot(), "polyglot.gif", "holds a web page or a script"),
        (jpeg_with_script_comment(), "comment.jpg", "holds a web page or a script"),
        (HTML, "page.png", "holds a web page or a script"),
        (png_claiming_size(30000, 30000), "bomb.png", "too many pixels"),
        (png_claiming_size(10000, 10000), "large.png", "too many pixels"),
        (png_claiming_size(6000, 6000), "36-megapixels.png", "too large"),
        (b"", "empty.png", "is empty"),
        (EXECUTABLE, "setup.png", "not an image in one of the formats"),
        (image_bytes("PNG")[:60], "cut.png", "damaged or incomplete"),
        (image_bytes("TIFF"), "scan.png", "not an image in one of the formats"),
    ],
    ids=[
        "svg-script",
        "svg-renamed",
        "svg-without-script",
        "png-html-polyglot",
        "gif-js-polyglot",
        "jpeg-comment-script",
        "html-renamed",
        "decompression-bomb",
        "100-megapixels",
        "36-megapixels",
        "zero-bytes",
        "renamed-executable",
        "truncated",
        "tiff",
    ],
)
def test_an_attack_is_refused_with_the_reason_and_nothing_is_stored(
    member, media, data, name, message
):
    response = client_for(member).post(UPLOAD, {"image": file(data, name)}, **EN)

    assert response.status_code == 400
    assert message in response.json()["error"]
    assert stored_files(media) == []
    assert not PostImage.objects.exists()


def test_an_oversize_file_is_refused_before_it_is_decoded(member, media, settings):
    settings.FORUM_POST_IMAGE_MAX_BYTES = 10_000
    noisy = Image.effect_noise((300, 300), 90).convert("RGB")
    buffer = io.BytesIO()
    noisy.save(buffer, format="PNG")
    assert len(buffer.getvalue()) > 10_000

    response = client_for(member).post(UPLOAD, {"image": file(buffer.getvalue())}, **EN)

    assert response.status_code == 400
    assert "The file is too large" in response.json()["error"]
    assert stored_files(media) == []


def test_no_file_is_refused_with_a_message(member):
    response = client_for(member).post(UPLOAD, {}, **EN)

    assert response.status_code == 400
    assert response.json()["error"] == "Choose an image file to upload."


def test_the_refusal_is_in_german_for_a_german_reader(member, media):
    response = client_for(member).post(UPLOAD, {"image": file(SVG, "x.svg")}, **DE)

    assert response.status_code == 400
    assert "Bild" in response.json()["error"]
    assert stored_files(media) == []


# Who may upload


def test_below_the_image_privilege_the_upload_is_refused_on_the_server(newcomer, media):
    response = client_for(newcomer).post(UPLOAD, {"image": file(image_bytes("PNG"))}, **EN)

    assert response.status_code == 400
    assert response.json()["error"] == "You need 10 reputation to post images."
    assert stored_files(media) == []


def test_a_visitor_must_log_in(media):
    response = Client().post(UPLOAD, {"image": file(image_bytes("PNG"))}, **EN)

    assert response.status_code == 403
    assert stored_files(media) == []


def test_a_suspended_member_may_not_upload(member, media):
    from datetime import timedelta

    from django.utils import timezone

    member.suspended_until = timezone.now() + timedelta(days=3)
    member.save()

    response = client_for(member).post(UPLOAD, {"image": file(image_bytes("PNG"))}, **EN)

    assert response.status_code == 400
    assert "suspended" in response.json()["error"]
    assert stored_files(media) == []


def test_the_upload_needs_the_csrf_token(member, media):
    client = client_for(member, enforce_csrf_checks=True)

    assert client.post(UPLOAD, {"image": file(image_bytes("PNG"))}).status_code == 403
    assert stored_files(media) == []


def test_the_upload_takes_only_posts(member):
    assert client_for(member).get(UPLOAD).status_code == 405


def test_uploads_past_the_hourly_limit_are_refused(member, media, settings):
    settings.FORUM_IMAGE_UPLOADS_PER_HOUR = 2
    client = client_for(member)
    statuses = [
        client.post(UPLOAD, {"image": file(image_bytes("PNG"))}, **EN).status_code for _ in range(3)
    ]

    refused = client.post(UPLOAD, {"image": file(image_bytes("PNG"))}, **EN)

    assert statuses == [201, 201, 400]
    assert "many images in the last hour" in refused.json()["error"]
    assert len(stored_files(media)) == 2
    # Another member has their own count.
    other = factories.user(reputation=50)
    assert client_for(other).post(UPLOAD, {"image": file(image_bytes("PNG"))}).status_code == 201


# Without JavaScript: the posting forms' file field


def test_the_ask_forms_upload_button_adds_the_markdown_and_keeps_everything_typed(member):
    factories.tag("quenya")
    client = client_for(member)

    response = client.post(
        ASK,
        ask_data(upload_image="1", image=file(image_bytes("PNG")), image_description="Table"),
        **EN,
    )

    html = response.content.decode()
    image = PostImage.objects.get()
    assert response.status_code == 200
    assert not Question.objects.exists()
    assert 'value="Which case does Quenya use here?"' in html
    assert 'value="quenya grammar"' in html
    assert f"{TYPED_BODY}\n\n![Table](/media/{image.name})\n</textarea>" in html
    assert "The image was uploaded and added to the end of your text." in html
    assert 'enctype="multipart/form-data"' in html


def test_a_refused_upload_in_the_form_keeps_the_text_and_says_why(member, media):
    response = client_for(member).post(
        ASK, ask_data(upload_image="1", image=file(EXECUTABLE, "x.png")), **EN
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert f"{TYPED_BODY}</textarea>" in html
    assert "The image was not uploaded: This is not an image in one of the formats" in html
    assert stored_files(media) == []


def test_the_answer_forms_upload_keeps_the_answer_typed(member):
    question = factories.question()

    response = client_for(member).post(
        f"/questions/{question.pk}/answer/",
        {"body": TYPED_BODY, "upload_image": "1", "image": file(image_bytes("JPEG"))},
        **EN,
    )

    html = response.content.decode()
    image = PostImage.objects.get()
    assert f"{TYPED_BODY}\n\n![image](/media/{image.name})\n</textarea>" in html
    assert not question.answers.exists()


def test_the_edit_forms_upload_keeps_the_edit_typed(member):
    question = factories.question(author=member)

    response = client_for(member).post(
        f"/posts/{question.pk}/edit/",
        {
            "title": question.title,
            "body": TYPED_BODY,
            "tags": "quenya",
            "summary": "a picture",
            "upload_image": "1",
            "image": file(image_bytes("PNG")),
        },
        **EN,
    )

    html = response.content.decode()
    image = PostImage.objects.get()
    assert f"![image](/media/{image.name})" in html
    assert 'value="a picture"' in html
    question.refresh_from_db()
    assert "![image]" not in question.body_markdown


def test_the_form_upload_in_german(member):
    response = client_for(member).post(
        ASK, ask_data(upload_image="1", image=file(image_bytes("PNG"))), **DE
    )

    html = response.content.decode()
    image = PostImage.objects.get()
    assert f"![Bild](/media/{image.name})" in html
    assert "Bild hinzufügen" in html


def test_a_question_with_an_uploaded_image_shows_it(member):
    factories.tag("quenya")
    client = client_for(member)
    markdown = client.post(UPLOAD, {"image": file(image_bytes("PNG"))}).json()["markdown"]

    client.post(ASK, ask_data(body=f"{TYPED_BODY}\n\n{markdown}", tags="quenya"))

    question = Question.objects.get()
    image = PostImage.objects.get()
    assert f'<img src="/media/{image.name}" alt="image">' in question.body_html
    assert f'src="/media/{image.name}"' in client.get(question.get_absolute_url()).content.decode()


# Below the privilege: the form and the preview say why


def test_below_the_privilege_the_form_says_so_instead_of_offering_the_upload(newcomer):
    html = client_for(newcomer).get(ASK, **EN).content.decode()

    assert "You need 10 reputation to post images." in html
    assert 'type="file"' not in html


def test_below_the_privilege_the_form_upload_is_refused_and_the_text_kept(newcomer, media):
    response = client_for(newcomer).post(
        ASK, ask_data(upload_image="1", image=file(image_bytes("PNG"))), **EN
    )

    html = response.content.decode()
    assert "The image was not uploaded: You need 10 reputation to post images." in html
    assert f"{TYPED_BODY}</textarea>" in html
    assert stored_files(media) == []


def test_below_the_privilege_the_preview_says_why_images_are_not_shown(newcomer, member):
    body = "Look at this:\n\n![the table](https://example.org/table.png)"

    withheld = client_for(newcomer).post("/questions/preview/", {"body": body}, **EN).json()
    shown = client_for(member).post("/questions/preview/", {"body": body}, **EN).json()

    assert "<img" not in withheld["html"]
    assert "![the table]" not in withheld["html"]
    assert "Images are not shown: you need 10 reputation to post images." in withheld["html"]
    assert "[image not shown]" in withheld["html"]
    assert '<img src="https://example.org/table.png" alt="the table">' in shown["html"]


def test_the_preview_says_in_german_that_an_image_is_not_shown(newcomer):
    body = "Schau:\n\n![die Tabelle](https://example.org/table.png)"

    withheld = client_for(newcomer).post("/questions/preview/", {"body": body}, **DE).json()

    assert "[Bild nicht angezeigt]" in withheld["html"]
    assert "[image not shown]" not in withheld["html"]


def test_below_the_privilege_the_page_preview_without_javascript_says_why(newcomer):
    body = "Look at this:\n\n![the table](https://example.org/table.png)"

    html = client_for(newcomer).post(ASK, ask_data(body=body, preview="1"), **DE).content.decode()

    assert '<img src="https://example.org/table.png"' not in html
    assert "Bilder werden nicht angezeigt" in html
