"""Serving uploads from MEDIA_ROOT when the application serves them itself (`make run`,
FORUM_SERVE_MEDIA): only the formats the site writes, with their own Content-Type and
X-Content-Type-Options: nosniff, so a browser never takes a stored file for anything else,
and a Content-Security-Policy that lets nothing in it run even if one did (MEDIA_POLICY).
In production nginx serves /media/ the same way (deploy/nginx/stapel.conf)."""

from pathlib import PurePosixPath

from django.conf import settings
from django.http import Http404
from django.views.static import serve

# A stored file loads nothing, runs nothing and is its own sandboxed origin when opened.
MEDIA_POLICY = "default-src 'none'; sandbox"
CONTENT_TYPES = {".webp": "image/webp", ".png": "image/png", ".jpg": "image/jpeg"}


def media_serve(request, path):
    if not settings.FORUM_SERVE_MEDIA:
        raise Http404
    content_type = CONTENT_TYPES.get(PurePosixPath(path).suffix.lower())
    if content_type is None:
        raise Http404
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = MEDIA_POLICY
    return response
