"""Images in posts: a member's upload is decoded and checked by core.images (JPEG, PNG,
GIF, WebP; bytes, pixels and sides within FORUM_POST_IMAGE_*; a file that carries a page
or a script besides its picture refused), scaled down to STORED_SIDE, re-encoded as WebP
without metadata and stored through Django's storage API under a random name. The post
links it in Markdown.

An animated GIF (or WebP, or APNG) stays animated, as an animated WebP scaled to
ANIMATION_SIDE, when it has at most ANIMATION_FRAMES frames and ANIMATION_PIXELS pixels
decoded in all; a larger one is stored as its first frame, as a still picture.

The encoding is lossy for every source: lossless WebP of a noisy picture of a few million
pixels takes minutes of a CPU (measured: 118 s for 6 MP), which one upload must not cost;
lossy at QUALITY keeps screenshots' text readable and takes about a second or two."""

import re
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.images import (
    ImageLimits,
    ImageRefused,
    animation_decode,
    animation_encode,
    fit_within,
    image_decode,
    image_encode,
)
from questions.models import PostImage

FORMATS = frozenset({"JPEG", "PNG", "GIF", "WEBP"})
# A post shows an image at most some 700 pixels wide (and twice that on sharp screens);
# larger ones are stored at this size, which also bounds the encoder's work.
STORED_SIDE = 2560
QUALITY = 90
# An animation's budget: every frame is decoded whole and kept (scaled) until the encoder
# has them all, so these bound an upload's memory (about 4 bytes a pixel) and the encoder's
# time (measured: 13 million pixels of frames take about 2 s).
ANIMATION_FRAMES = 400
ANIMATION_PIXELS = 20_000_000
ANIMATION_SIDE = 1280
DESCRIPTION_LENGTH = 120
# Characters that would end the Markdown's [description] early or start a new line.
_DESCRIPTION_BREAKS = re.compile(r"[\[\]\\\r\n]+")


def image_limits():
    return ImageLimits(
        max_bytes=settings.FORUM_POST_IMAGE_MAX_BYTES,
        max_pixels=settings.FORUM_POST_IMAGE_MAX_PIXELS,
        max_side=settings.FORUM_POST_IMAGE_MAX_SIDE,
        formats=FORMATS,
        refuse_markup=True,
    )


def read_upload(upload):
    """The bytes of an uploaded file, refused before they are read when the upload is
    larger than the limit."""
    if upload is None:
        raise ImageRefused(_("Choose an image file to upload."))
    if upload.size > settings.FORUM_POST_IMAGE_MAX_BYTES:
        raise ImageRefused(
            _("The file is too large: at most %(megabytes)s MB.")
            % {"megabytes": round(settings.FORUM_POST_IMAGE_MAX_BYTES / 1024 / 1024, 1)}
        )
    return upload.read()


def image_upload(*, uploader, data):
    """Stores the image in `data` (bytes) for `uploader`'s posts; returns the PostImage.
    Raises core.images.ImageRefused, storing nothing, when it is not an image taken here."""
    limits = image_limits()
    image = fit_within(image_decode(data, limits=limits), side=STORED_SIDE)
    animation = animation_decode(
        data,
        limits=limits,
        max_frames=ANIMATION_FRAMES,
        max_pixels=ANIMATION_PIXELS,
        side=ANIMATION_SIDE,
    )
    if animation is not None:
        content = animation_encode(animation, quality=QUALITY)
        image = animation.frames[0]
    else:
        content = image_encode(image, output="WEBP", quality=QUALITY)
    now = timezone.now()
    name = f"posts/{now:%Y/%m}/{secrets.token_urlsafe(12)}.webp"
    stored = default_storage.save(name, ContentFile(content))
    try:
        with transaction.atomic():
            return PostImage.objects.create(
                uploader=uploader,
                name=stored,
                width=image.width,
                height=image.height,
                size=len(content),
            )
    except Exception:
        default_storage.delete(stored)
        raise


def image_url(post_image):
    return default_storage.url(post_image.name)


def image_markdown(post_image, description=""):
    """The Markdown that shows the image: `![description](url)`."""
    description = _DESCRIPTION_BREAKS.sub(" ", description).strip()[:DESCRIPTION_LENGTH]
    description = description or _("image")
    return f"![{description}]({image_url(post_image)})"


def body_with_image(body, markdown):
    """`body` with the image's Markdown appended as a paragraph of its own."""
    stripped = body.rstrip()
    return f"{stripped}\n\n{markdown}\n" if stripped else f"{markdown}\n"
