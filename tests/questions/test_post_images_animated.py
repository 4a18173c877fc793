"""Animated images in posts (issue 19): an animated GIF made here with Pillow is stored as
an animated WebP with its frames, timings and loop count; alpha is kept; animations beyond
the frame or pixel budget are stored as their first frame; sides are scaled down."""

import io
import time

import pytest
from PIL import Image, ImageDraw

from questions import post_images
from questions.models import PostImage
from tests.clients import client_for
from tests.questions.test_post_images import UPLOAD, file, media, member, stored_files

pytestmark = pytest.mark.django_db
__all__ = ["media", "member"]  # fixtures

COLOURS = [(220, 20, 60), (30, 144, 255), (50, 205, 50), (255, 215, 0), (138, 43, 226)]


def animated_gif(*, size=(120, 80), colours=COLOURS, durations=None, transparent=False, **options):
    frames = []
    for index, colour in enumerate(colours):
        frame = Image.new("RGBA" if transparent else "RGB", size, colour + (255,))
        draw = ImageDraw.Draw(frame)
        draw.rectangle((index * 10, 10, index * 10 + 20, 30), fill=(0, 0, 0, 255))
        if transparent:
            draw.rectangle((0, 0, 9, 9), fill=(0, 0, 0, 0))
        frames.append(frame)
    buffer = io.BytesIO()
    options.setdefault("loop", 0)
    if options["loop"] is None:
        del options["loop"]
    frames[0].save(
        buffer,
        format="GIF",
        save_all=True,
        append_images=frames[1:],
        duration=durations or [80, 120, 160, 200, 240][: len(frames)],
        disposal=1,
        **options,
    )
    return buffer.getvalue()


def upload(member, data):
    response = client_for(member).post(UPLOAD, {"image": file(data, "moving.gif")})
    assert response.status_code == 201, response.content.decode()
    return response.json()


def stored(media):
    [path] = stored_files(media)
    return Image.open(path)


def frames_of(image):
    for index in range(image.n_frames):
        image.seek(index)
        yield index, image.convert("RGBA"), image.info.get("duration")


def test_an_animated_gif_is_stored_as_an_animated_webp_with_its_frames_and_timings(member, media):
    source = animated_gif()
    assert Image.open(io.BytesIO(source)).n_frames == 5

    answer = upload(member, source)

    image = stored(media)
    assert image.format == "WEBP" and image.is_animated and image.n_frames == 5
    assert image.info["loop"] == 0
    shown = list(frames_of(image))
    assert [duration for _, _, duration in shown] == [80, 120, 160, 200, 240]
    for (index, frame, _), colour in zip(shown, COLOURS, strict=True):
        red, green, blue, _ = frame.getpixel((100, 60))
        assert abs(red - colour[0]) + abs(green - colour[1]) + abs(blue - colour[2]) < 40, index
    assert PostImage.objects.get().width == 120 and answer["url"].endswith(".webp")


def test_a_gif_without_a_loop_count_plays_once(member, media):
    upload(member, animated_gif(loop=None))

    assert stored(media).info["loop"] == 1


def test_an_animation_keeps_its_transparency(member, media):
    upload(member, animated_gif(transparent=True))

    image = stored(media)
    assert image.n_frames == 5
    for _, frame, _ in frames_of(image):
        assert frame.getpixel((2, 2))[3] == 0
        assert frame.getpixel((100, 60))[3] == 255


def test_a_wide_animation_is_scaled_to_the_animation_side(member, media):
    upload(member, animated_gif(size=(2000, 100), colours=COLOURS[:2]))

    image = stored(media)
    assert image.n_frames == 2
    assert image.size == (post_images.ANIMATION_SIDE, 64)
    assert (PostImage.objects.get().width, PostImage.objects.get().height) == image.size


def test_more_frames_than_the_budget_are_stored_as_the_first_frame(member, media):
    colours = [(index % 256, 0, 0) for index in range(post_images.ANIMATION_FRAMES + 1)]
    upload(member, animated_gif(size=(4, 4), colours=colours, durations=[50] * len(colours)))

    image = stored(media)
    assert not getattr(image, "is_animated", False)
    assert image.convert("RGB").getpixel((3, 3)) == (0, 0, 0)


def test_more_pixels_than_the_budget_are_stored_as_the_first_frame_in_bounded_time(member, media):
    # Four frames of a 2,500-pixel square canvas: 25 million pixels decoded, over the
    # 20 million budget, though the file is small.
    side = 2500
    assert 4 * side * side > post_images.ANIMATION_PIXELS
    source = animated_gif(size=(side, side), colours=COLOURS[:4])
    assert len(source) < 1024 * 1024

    started = time.monotonic()
    upload(member, source)

    assert time.monotonic() - started < 20
    image = stored(media)
    assert not getattr(image, "is_animated", False)
    assert image.size == (side, side)


def test_a_still_gif_stays_a_still_webp(member, media):
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), (1, 2, 3)).save(buffer, format="GIF")
    upload(member, buffer.getvalue())

    assert not getattr(stored(media), "is_animated", False)
