"""Fragments that differ from post to post only by the post's id, rendered once a page.

A thread shows the same forms under every post: the flag dialog, the comment box. Django
renders a form's widgets through templates, and for a signed-in member those forms were
the dearest part of the thread (on the 10-answer thread, 11 flag dialogs took about as
long as the whole page of an anonymous visitor). `stamp()` renders such a fragment once
per request and kind, with `STAND_IN` where the post's id goes, and gives every post a copy
with its own id. A `SUBMISSION_STAND_IN` in the fragment (the comment form's submission
token, which must differ between forms) becomes a new UUID in each copy.

The copy is the very text a render with the post's id gives, as long as the fragment
depends on the post through its id and the variant key only; `FORUM_STAMP_FRAGMENTS =
False` renders every copy in full, which the tests compare with. The memo lives on the
request, so the CSRF token and the language of the page are those of the request.

A fragment that depends on nothing of the viewer's (the flag dialog: the same reasons for
everyone) may be `shared`: then it is rendered once per process and language, with
`CSRF_STAND_IN` for the CSRF token, which each copy gets back as the request's. Never with
DEBUG, whose templates change under a running server.
"""

import uuid

from django.conf import settings
from django.utils import translation
from django.utils.safestring import mark_safe

# Digits no page prints otherwise: URL patterns take them as an id, and no id reaches them.
STAND_IN = "9081726354453627"
SUBMISSION_STAND_IN = "5f7a1e0c-0b6e-4f8a-9d3c-57a9d0e1c2b3"
CSRF_STAND_IN = "csrf-stand-in-7c1d9e2a"

_MEMO = "_stamped_fragments"
# Shared fragments, by key and language: a handful of small strings per process.
_SHARED = {}


def stamp(request, key, pk, render, *, shared=False, csrf_token=None):
    """The fragment `key` for the post `pk`. `render(pk, csrf)` renders it for an id, the
    real one when stamping is off or there is no request, else once with `STAND_IN`; `csrf`
    is None (the request's token) or, for a `shared` fragment, `CSRF_STAND_IN`, which
    becomes `csrf_token` in each copy."""
    if request is None or not settings.FORUM_STAMP_FRAGMENTS:
        return render(str(pk), None)
    if shared and csrf_token is not None and not settings.DEBUG:
        shared_key = (key, translation.get_language())
        html = _SHARED.get(shared_key)
        if html is None:
            html = _SHARED[shared_key] = str(render(STAND_IN, CSRF_STAND_IN))
        html = html.replace(CSRF_STAND_IN, str(csrf_token))
    else:
        memo = request.__dict__.setdefault(_MEMO, {})
        html = memo.get(key)
        if html is None:
            html = memo[key] = str(render(STAND_IN, None))
    html = html.replace(STAND_IN, str(pk))
    if SUBMISSION_STAND_IN in html:
        html = html.replace(SUBMISSION_STAND_IN, str(uuid.uuid4()))
    return mark_safe(html)
