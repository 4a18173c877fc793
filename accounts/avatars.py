"""Members' pictures: an identicon made here by default, an upload, or Gravatar by choice.

An identicon is an SVG drawn from a hash of the member's id: no file, no request to anyone.
An upload is decoded and checked by core.images and stored re-encoded (WebP, no metadata)
in AVATAR_SIZES through Django's storage API (the local disk, or an S3-compatible store:
forum/settings.py), under a random key, so a new upload gets new URLs that caches may keep
forever. Gravatar is asked for the picture only when the member chose it: the page then
links Gravatar's address for the hash of their email address."""

import hashlib
import secrets
from functools import lru_cache

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from accounts.models import AvatarKind, User
from core.images import ImageLimits, image_decode, image_encode, square

AVATAR_SIZES = (32, 64, 128, 256)
FORMAT, EXTENSION = "WEBP", "webp"
GRID = 5


def _path(user_id, key, side):
    return f"avatars/{user_id}/{key}-{side}.{EXTENSION}"


def _stored_side(size):
    """The smallest stored size at least `size` pixels (shown at twice for sharp screens)."""
    wanted = size * 2
    return next((side for side in AVATAR_SIZES if side >= wanted), AVATAR_SIZES[-1])


def avatar_limits():
    return ImageLimits(max_bytes=settings.FORUM_AVATAR_MAX_BYTES)


def _files_delete(user_id, key):
    for side in AVATAR_SIZES:
        default_storage.delete(_path(user_id, key, side))


def avatar_upload(*, user, data):
    """Makes `data` (the uploaded bytes) the member's picture. Raises
    core.images.ImageRefused, storing nothing, when it is not an image taken here."""
    image = image_decode(data, limits=avatar_limits())
    key = secrets.token_hex(8)
    files = {side: image_encode(square(image, side=side), output=FORMAT) for side in AVATAR_SIZES}
    for side, content in files.items():
        default_storage.save(_path(user.pk, key, side), ContentFile(content))
    _avatar_set(user=user, kind=AvatarKind.UPLOAD, key=key)


def avatar_choose(*, user, kind):
    """Makes the generated identicon or Gravatar the member's picture (an uploaded one is
    deleted)."""
    key = ""
    if kind == AvatarKind.GRAVATAR:
        key = hashlib.sha256(user.email.strip().lower().encode()).hexdigest()
    _avatar_set(user=user, kind=kind, key=key)


def _avatar_set(*, user, kind, key):
    old_kind, old_key = user.avatar_kind, user.avatar_key
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(avatar_kind=kind, avatar_key=key)
    user.avatar_kind, user.avatar_key = kind, key
    if old_kind == AvatarKind.UPLOAD and old_key and old_key != key:
        _files_delete(user.pk, old_key)


def avatar_url(user, size):
    """The address of the member's picture at `size` CSS pixels, or None for an identicon."""
    if user.avatar_kind == AvatarKind.UPLOAD and user.avatar_key:
        return default_storage.url(_path(user.pk, user.avatar_key, _stored_side(size)))
    if user.avatar_kind == AvatarKind.GRAVATAR and user.avatar_key:
        return f"https://www.gravatar.com/avatar/{user.avatar_key}?s={size * 2}&d=identicon"
    return None


@lru_cache(maxsize=4096)
def identicon_svg(user_id):
    """A symmetric 5×5 pattern in one colour, from a hash of the member's id."""
    digest = hashlib.sha256(f"stapel-identicon:{user_id}".encode()).digest()
    hue = int.from_bytes(digest[:2], "big") % 360
    cells = []
    for row in range(GRID):
        for column in range((GRID + 1) // 2):
            if digest[2 + row * 3 + column] % 2:
                for x in {column, GRID - 1 - column}:
                    cells.append(f'<rect x="{x}" y="{row}" width="1" height="1"/>')
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-0.5 -0.5 6 6" '
        f'class="identicon" aria-hidden="true" focusable="false">'
        f'<rect x="-0.5" y="-0.5" width="6" height="6" fill="hsl({hue} 30% 92%)"/>'
        f'<g fill="hsl({hue} 55% 42%)">{"".join(cells)}</g></svg>'
    )


def avatar_html(user, size_class=""):
    """The member's picture as markup: an <img> for an upload or Gravatar, the inline
    identicon otherwise."""
    css = f"avatar avatar-picture{' avatar-' + size_class if size_class else ''}"
    pixels = {"sm": 26, "lg": 44, "xl": 88}.get(size_class, 32)
    url = avatar_url(user, pixels)
    if url:
        return format_html(
            '<img class="{}" src="{}" width="{}" height="{}" alt="" loading="lazy">',
            css,
            url,
            pixels,
            pixels,
        )
    # Made here of numbers only (identicon_svg): no member's text is in it.
    identicon = mark_safe(identicon_svg(user.pk))  # noqa: S308
    return format_html('<span class="{}">{}</span>', css, identicon)
