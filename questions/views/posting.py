"""Asking, answering and commenting."""

from django.http import Http404


def _not_yet(request, **kwargs):  # replaced by the real views of this module
    raise Http404


question_ask = markdown_preview = tag_autocomplete = answer_create = comment_create = _not_yet
