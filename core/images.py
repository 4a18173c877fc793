"""Untrusted images in, clean images out: uploaded bytes are decoded by Pillow within
limits, and only pixels leave, re-encoded to one fixed format without metadata.

`image_decode` refuses (ImageRefused, with a message for the uploader) anything that is
not a picture in an allowed format once decoded: empty or oversize bytes, an SVG, an HTML
page renamed, a truncated or corrupt file, a format not allowed, more pixels or a longer
side than allowed (read from the header, before a pixel is decoded), and decompression
bombs (Pillow's own guard too: Image.MAX_IMAGE_PIXELS). What it returns holds pixels
only; `image_encode` writes them out without EXIF, ICC, XMP or text chunks, so nothing
that came with the file (a script appended to a PNG, a location in the EXIF) is stored.

Avatars use it (accounts.avatars); images in posts too (questions.post_images), with
their own limits, polyglots refused (ImageLimits.refuse_markup), and animations kept
within a frame and pixel budget (`animation_decode`, `animation_encode`: animated GIF,
WebP or PNG in, animated WebP out, each frame rebuilt from its pixels alone)."""

import io
import itertools
import re
import warnings
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow's own guard against decompression bombs, for every decode in the process: it
# warns above this many pixels and raises above twice as many. image_decode checks its
# own, lower limits before this one matters, and treats the warning as a refusal too.
Image.MAX_IMAGE_PIXELS = 50_000_000

DEFAULT_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
OUTPUT_FORMATS = {"WEBP": ("image/webp", "webp"), "PNG": ("image/png", "png")}


class ImageRefused(Exception):
    """An upload that is not an image this site takes; `message` says why, to the uploader."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ImageLimits:
    max_bytes: int = 5 * 1024 * 1024
    max_pixels: int = 25_000_000
    max_side: int = 8000
    formats: frozenset = DEFAULT_FORMATS
    # Refuse a file that carries a web page or script besides its picture (a polyglot: a
    # PNG with HTML appended, a JPEG comment holding <script>), rather than only dropping
    # what is not pixels: a file meant to be read as two things is no honest upload.
    refuse_markup: bool = False


# What a browser would take for a page or a script, anywhere in the bytes. Random
# compressed pixels spell one of these by chance about never; XMP metadata (<x:xmpmeta,
# <rdf:RDF, <?xpacket) spells none of them.
_MARKUP = re.compile(
    rb"<(?:script|html|body|head|iframe|object|embed|!doctype|\?php)\b|javascript:",
    re.IGNORECASE,
)


def _refuse_formats(formats):
    names = ", ".join(sorted(formats))
    return ImageRefused(
        _("This is not an image in one of the formats taken here (%(formats)s).")
        % {"formats": names}
    )


def image_decode(data, *, limits=ImageLimits()):
    """The image in `data` (bytes), decoded and checked against `limits`, as an RGB or
    RGBA Pillow image turned upright by its EXIF orientation (of an animated GIF or WebP,
    the first frame); raises ImageRefused."""
    if not data:
        raise ImageRefused(_("The file is empty."))
    if len(data) > limits.max_bytes:
        raise ImageRefused(
            _("The file is too large: at most %(megabytes)s MB.")
            % {"megabytes": round(limits.max_bytes / 1024 / 1024, 1)}
        )
    if limits.refuse_markup and _MARKUP.search(data):
        raise ImageRefused(
            _("The file holds a web page or a script besides the picture, so it is not taken.")
        )
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            # The header first: format and size, before any pixel is decoded.
            with Image.open(io.BytesIO(data), formats=sorted(limits.formats)) as probe:
                _check_header(probe, limits)
                probe.verify()
            with Image.open(io.BytesIO(data), formats=sorted(limits.formats)) as image:
                _check_header(image, limits)
                image.load()
                upright = ImageOps.exif_transpose(image)
                pixels = upright.convert("RGBA" if _has_alpha(upright) else "RGB")
        except ImageRefused:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageRefused(_("The image has too many pixels.")) from None
        except UnidentifiedImageError:
            raise _refuse_formats(limits.formats) from None
        except (OSError, SyntaxError, ValueError, EOFError):
            raise ImageRefused(_("The image is damaged or incomplete.")) from None
    # A fresh image made of the pixels alone: nothing of the file's metadata comes along.
    clean = Image.new(pixels.mode, pixels.size)
    clean.paste(pixels)
    return clean


@dataclass(frozen=True)
class Animation:
    """An animation's frames (clean RGB or RGBA images of one size), how long each shows
    in milliseconds, and how often it plays (0: for ever)."""

    frames: list
    durations: list
    loop: int

    @property
    def size(self):
        return self.frames[0].size


# Browsers show a GIF frame of less than 20 ms for 100 ms; the WebP keeps what they show.
_SHORTEST_FRAME, _BROWSERS_DEFAULT_FRAME = 20, 100
_EXIF_ORIENTATION = 0x0112


def _frame_duration(value):
    duration = int(value or 0)
    return duration if duration >= _SHORTEST_FRAME else _BROWSERS_DEFAULT_FRAME


def animation_decode(data, *, limits=ImageLimits(), max_frames, max_pixels, side):
    """The frames of the animated image in `data`, each scaled to fit within `side`, or
    None when it is not animated or is too much to keep moving: more than `max_frames`
    frames, or more than `max_pixels` decoded in all (each frame is a whole canvas), or
    turned by an EXIF orientation. The caller keeps the first frame then.

    Only for data that image_decode accepted with the same `limits` (the bytes, the
    format, the header, the markup are checked there); frames are decoded one at a time
    and the budget is checked before each, so a file of thousands of frames costs no more
    than the budget. A frame that fails to decode ends in None too."""
    frames, durations = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=sorted(limits.formats)) as image:
                if not getattr(image, "is_animated", False):
                    return None
                if image.getexif().get(_EXIF_ORIENTATION, 1) != 1:
                    return None
                width, height = image.size
                loop = image.info.get("loop")
                for index in itertools.count():
                    try:
                        image.seek(index)
                    except EOFError:
                        break
                    if index >= max_frames or (index + 1) * width * height > max_pixels:
                        return None
                    image.load()
                    pixels = image.convert("RGBA")
                    clean = Image.new("RGBA", pixels.size)
                    clean.paste(pixels)
                    frames.append(fit_within(clean, side=side))
                    durations.append(_frame_duration(image.info.get("duration")))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            return None
        except (OSError, SyntaxError, ValueError, UnidentifiedImageError):
            return None
    if len(frames) < 2:
        return None
    if all(frame.getextrema()[3] == (255, 255) for frame in frames):
        frames = [frame.convert("RGB") for frame in frames]
    # A GIF without a loop count plays once; Pillow reads the count as 0 for ever.
    return Animation(frames=frames, durations=durations, loop=1 if loop is None else loop)


def animation_encode(animation, *, quality=85):
    """`animation` as an animated WebP, with no metadata."""
    buffer = io.BytesIO()
    first, *rest = animation.frames
    first.save(
        buffer,
        format="WEBP",
        save_all=True,
        append_images=rest,
        duration=animation.durations,
        loop=animation.loop,
        quality=quality,
        method=4,
        exif=b"",
        icc_profile=None,
    )
    return buffer.getvalue()


def _check_header(image, limits):
    if image.format not in limits.formats:
        raise _refuse_formats(limits.formats)
    width, height = image.size
    if width < 1 or height < 1:
        raise ImageRefused(_("The image is damaged or incomplete."))
    if width * height > limits.max_pixels or max(width, height) > limits.max_side:
        raise ImageRefused(
            _("The image is too large: at most %(side)s pixels on a side.")
            % {"side": limits.max_side}
        )


def _has_alpha(image):
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def image_encode(image, *, output="WEBP", quality=85):
    """`image`'s pixels in the `output` format (OUTPUT_FORMATS), with no metadata."""
    buffer = io.BytesIO()
    if output == "WEBP":
        image.save(
            buffer,
            format="WEBP",
            quality=quality,
            method=4,
            exif=b"",
            icc_profile=None,
        )
    else:
        image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def fit_within(image, *, side):
    """`image`, scaled down (never up) so that neither side is longer than `side`."""
    if max(image.size) <= side:
        return image
    smaller = image.copy()
    smaller.thumbnail((side, side), Image.Resampling.LANCZOS)
    return smaller


def square(image, *, side):
    """`image` cut to a centred square and scaled to `side` pixels."""
    return ImageOps.fit(image, (side, side), method=Image.Resampling.LANCZOS)
