import pytest

from tests import factories


@pytest.fixture
def suggester(db):
    """A newcomer with 1 reputation: below the edit privilege, so their edits are suggestions."""
    return factories.user(display_name="Suggester")


@pytest.fixture
def reviewer(db):
    """Holds the edit privilege (2,000): reviews suggested edits and low-quality posts."""
    return factories.user(display_name="Reviewer", reputation=2000)


@pytest.fixture
def second_reviewer(db):
    return factories.user(display_name="Second Reviewer", reputation=2000)


@pytest.fixture
def first_posts_reviewer(db):
    """Just holds the privilege of the first posts and late answers (500)."""
    return factories.user(display_name="Newish Reviewer", reputation=500)
