"""Voting and accepting answers."""

from django.http import Http404


def _not_yet(request, **kwargs):  # replaced by the real views of this module
    raise Http404


post_vote = answer_accept = _not_yet
