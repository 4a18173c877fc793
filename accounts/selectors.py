"""The queries that build the member pages."""

from django.http import Http404

from accounts.models import User

# A list shows names, reputation and places, not the profile texts.
_LIST_FIELDS = ("id", "username", "display_name", "reputation", "location", "date_joined")


def user_list():
    """Members, highest reputation first."""
    return User.objects.only(*_LIST_FIELDS).order_by("-reputation", "id")


def user_for_profile(*, pk):
    user = User.objects.defer("about_markdown", "password").filter(pk=pk).first()
    if user is None:
        raise Http404
    return user
