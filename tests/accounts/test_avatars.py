"""Members' pictures: the identicon by default (no request anywhere), Gravatar only by
choice, and uploads decoded, checked and re-encoded (core/images.py), refused with the
reason when they are not an image, and served with their own type and nosniff."""

import hashlib
import io
import struct
import zlib

import pytest
from django.test import Client
from PIL import Image

from accounts.models import AvatarKind, User
from tests import factories
from tests.clients import client_for

pytestmark = pytest.mark.django_db

HTML = b"<html><script>alert(document.cookie)</script></html>"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.FORUM_SERVE_MEDIA = True
    return tmp_path


@pytest.fixture
def uploader(db):
    return factories.user(display_name="Uploader", email="Uploader@Example.org ")


def image_bytes(format_, size=(300, 200), **options):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 60)).save(buffer, format=format_, **options)
    return buffer.getvalue()


def upload(client, data, name="me.png"):
    picture = io.BytesIO(data)
    picture.name = name
    return client.post("/users/edit/picture/", {"kind": "upload", "picture": picture})


def stored_files(media):
    return sorted(path for path in media.rglob("*") if path.is_file())


def png_claiming_size(width, height):
    """A tiny PNG whose header claims `width` × `height` pixels: a decompression bomb's
    shape, without the memory to build a real one."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


def test_a_member_shows_a_generated_identicon_and_nothing_is_asked_of_gravatar(client, uploader):
    html = client.get(uploader.get_absolute_url()).content.decode()

    assert 'class="identicon"' in html
    assert "gravatar.com" not in html


def test_identicons_differ_between_members_and_stay_the_same_for_one(client):
    first, second = factories.user(), factories.user()
    from accounts.avatars import identicon_svg

    assert identicon_svg(first.pk) == identicon_svg(first.pk)
    assert identicon_svg(first.pk) != identicon_svg(second.pk)


def test_gravatar_is_shown_only_after_the_member_chooses_it(uploader):
    client = client_for(uploader)

    response = client.post("/users/edit/picture/", {"kind": "gravatar"})

    assert response.status_code == 302
    digest = hashlib.sha256(b"uploader@example.org").hexdigest()
    html = client.get(uploader.get_absolute_url()).content.decode()
    assert f"https://www.gravatar.com/avatar/{digest}?s=176&amp;d=identicon" in html


def test_an_uploaded_png_is_stored_re_encoded_in_every_size_without_its_metadata(uploader, media):
    client = client_for(uploader)
    info = Image.Exif()
    info[0x010E] = "secret description"
    png = image_bytes("PNG", exif=info.tobytes()) + HTML  # a PNG with a page appended

    response = upload(client, png)

    assert response.status_code == 302
    uploader.refresh_from_db()
    assert uploader.avatar_kind == AvatarKind.UPLOAD
    files = stored_files(media)
    assert [Image.open(path).size for path in files] == [(s, s) for s in (128, 256, 32, 64)]
    for path in files:
        content = path.read_bytes()
        assert content[8:12] == b"WEBP"
        assert b"secret description" not in content and b"<html" not in content
        assert not Image.open(path).getexif()


def test_an_uploaded_picture_is_served_as_webp_with_nosniff(client, uploader, media):
    upload(client_for(uploader), image_bytes("JPEG"))
    uploader.refresh_from_db()
    html = client.get(uploader.get_absolute_url()).content.decode()
    url = html.split('class="avatar avatar-picture avatar-xl" src="')[1].split('"')[0]

    response = client.get(url)

    assert url.startswith(f"/media/avatars/{uploader.pk}/") and url.endswith("-256.webp")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_media_other_than_the_written_formats_and_media_when_not_served_are_404(
    client, settings, media
):
    (media / "page.html").write_bytes(HTML)
    (media / "a.webp").write_bytes(b"RIFF")

    assert client.get("/media/page.html").status_code == 404
    settings.FORUM_SERVE_MEDIA = False
    assert client.get("/media/a.webp").status_code == 404


def test_a_new_upload_replaces_the_old_files_and_choosing_the_identicon_deletes_them(
    uploader, media
):
    client = client_for(uploader)
    upload(client, image_bytes("PNG"))
    first = stored_files(media)
    upload(client, image_bytes("WEBP"))
    second = stored_files(media)

    client.post("/users/edit/picture/", {"kind": "identicon"})

    assert len(first) == len(second) == 4 and not set(first) & set(second)
    assert stored_files(media) == []
    assert User.objects.get(pk=uploader.pk).avatar_kind == AvatarKind.IDENTICON


def gif():
    buffer = io.BytesIO()
    Image.new("P", (10, 10)).save(buffer, format="GIF")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty."),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "not an image",
        ),
        (HTML, "not an image"),
        (gif() + b"/*" + HTML, "not an image"),  # a GIF and script polyglot: GIF is not taken
        (image_bytes("PNG")[:60], "damaged or incomplete"),
        (png_claiming_size(30000, 30000), "too many pixels"),
        (png_claiming_size(6000, 6000), "too large"),
        (png_claiming_size(8001, 10), "too large"),
    ],
    ids=[
        "empty",
        "svg",
        "html-renamed",
        "gif-polyglot",
        "truncated",
        "bomb",
        "many-pixels",
        "too-wide",
    ],
)
def test_an_upload_that_is_not_an_image_taken_here_is_refused_and_nothing_is_stored(
    uploader, media, data, message
):
    response = upload(client_for(uploader), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert stored_files(media) == []
    assert User.objects.get(pk=uploader.pk).avatar_kind == AvatarKind.IDENTICON


def test_an_upload_over_the_byte_limit_is_refused(uploader, media, settings):
    settings.FORUM_AVATAR_MAX_BYTES = 1000
    noisy = Image.effect_noise((400, 400), 90).convert("RGB")
    buffer = io.BytesIO()
    noisy.save(buffer, format="PNG")

    response = upload(client_for(uploader), buffer.getvalue())

    assert response.status_code == 400
    assert "too large: at most" in response.content.decode()
    assert stored_files(media) == []


def test_the_refusal_reads_in_german(uploader, media, german_site):
    client = Client(headers={"accept-language": "de"})
    client.force_login(uploader)

    response = upload(client, HTML)

    assert "Das ist kein Bild" in response.content.decode()


def test_choosing_an_upload_without_a_file_asks_for_one(uploader):
    response = client_for(uploader).post("/users/edit/picture/", {"kind": "upload"})

    assert response.status_code == 400
    assert "Choose a picture to upload." in response.content.decode()


def test_the_picture_form_needs_a_login_and_a_post(client):
    assert client.post("/users/edit/picture/", {"kind": "gravatar"}).status_code == 302
    assert client_for(factories.user()).get("/users/edit/picture/").status_code == 405
