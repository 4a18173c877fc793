"""Uploading images for posts: the editor's upload (JSON, for the button, drag-and-drop
and paste) and the posting forms' own file field, which works without JavaScript: its
button posts the whole form, and the page comes back with everything typed and the
image's Markdown added to the body."""

import re

from django.contrib import messages
from django.http import JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import privileges
from core import throttling
from core.images import ImageRefused
from questions import post_images
from questions.permissions import image_upload_denial

# The posting forms' button that uploads the chosen file instead of posting.
UPLOAD_BUTTON = "upload_image"
FILE_FIELD = "image"
DESCRIPTION_FIELD = "image_description"

_IMAGE_TAG = re.compile(r"<img\b[^>]*>")


def _upload(request):
    """The stored PostImage for the request's file; raises ImageRefused with the reason."""
    if reason := image_upload_denial(request.user):
        raise ImageRefused(reason)
    if not throttling.image_upload_counted(user_id=request.user.pk):
        raise ImageRefused(
            _("You have uploaded many images in the last hour. Please wait a while.")
        )
    data = post_images.read_upload(request.FILES.get(FILE_FIELD))
    return post_images.image_upload(uploader=request.user, data=data)


@require_POST
def image_upload(request):
    """The editor's upload: {"url", "markdown"}, or {"error"} with the reason."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": _("You need to log in first.")}, status=403)
    try:
        image = _upload(request)
    except ImageRefused as refusal:
        return JsonResponse({"error": str(refusal.message)}, status=400)
    description = request.POST.get(DESCRIPTION_FIELD, "")
    return JsonResponse(
        {
            "url": post_images.image_url(image),
            "markdown": post_images.image_markdown(image, description),
        },
        status=201,
    )


def body_with_upload(request):
    """The form's body as typed, with the uploaded image's Markdown added when the upload
    is taken; the reason otherwise, as a message on the page that comes back."""
    body = request.POST.get("body", "")
    try:
        image = _upload(request)
    except ImageRefused as refusal:
        messages.error(
            request, _("The image was not uploaded: %(reason)s") % {"reason": refusal.message}
        )
        return body
    markdown = post_images.image_markdown(image, request.POST.get(DESCRIPTION_FIELD, ""))
    messages.success(request, _("The image was uploaded and added to the end of your text."))
    return post_images.body_with_image(body, markdown)


def images_withheld(html, user):
    """A preview's `html` as `user` will be allowed to post it: below the image privilege,
    each image is replaced by a note and the preview says why, instead of the image."""
    if not user.is_authenticated or not privileges.new_user_limited(user, "links"):
        return html
    # Outside the f-string: makemessages does not look inside one.
    withheld = escape(_("[image not shown]"))
    html, count = _IMAGE_TAG.subn(f'<span class="image-withheld">{withheld}</span>', html)
    if not count:
        return html
    note = _(
        "Images are not shown: you need %(reputation)s reputation to post images. "
        "Remove them to post this text."
    ) % {"reputation": privileges.threshold("links")}
    return f'<p class="alert alert-warning image-withheld-note">{escape(note)}</p>{html}'
