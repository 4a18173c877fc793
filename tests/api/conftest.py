import pytest
from django.test import Client

from api import tokens
from tests import factories


def api_client(user=None, *, scopes=("read", "write", "inbox"), language="en", **kwargs):
    """A client of the API that speaks `language`, with a token of `user`'s (None: anonymous)."""
    headers = {"accept-language": language}
    if user is not None:
        _token, secret = tokens.token_create(user=user, name="test", scopes=scopes)
        headers["authorization"] = f"Bearer {secret}"
    return Client(headers=headers, **kwargs)


@pytest.fixture
def anonymous(db):
    return api_client()


@pytest.fixture
def writer(db):
    """A member who may vote, comment everywhere and flag, with a write token."""
    return factories.user(display_name="Writer", reputation=200)
