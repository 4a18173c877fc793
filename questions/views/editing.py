"""Editing, revision history, rollback, deletion and undeletion."""

from django.http import Http404


def _not_yet(request, **kwargs):  # replaced by the real views of this module
    raise Http404


post_edit = revision_list = post_rollback = post_delete = post_undelete = _not_yet
