import pytest
from django.test import Client

from api import tokens
from core import throttling
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


@pytest.fixture(autouse=True)
def no_counter_purge_while_counting(monkeypatch):
    """Without Redis every API request counts its quota in the database, and one count in
    core.throttling.PURGE_ONE_IN also deletes the expired counters: a query at random,
    which the pinned query counts would read as a regression now and then. What is
    measured here is the API's own queries, so the purge waits."""
    monkeypatch.setattr(throttling, "PURGE_ONE_IN", 2**62)
