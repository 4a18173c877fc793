import pytest


@pytest.fixture(autouse=True)
def badges_on_events(settings):
    """The events' subscribers evaluate badges here (the other suites leave them off: see
    forum/settings_test.py)."""
    settings.FORUM_BADGES_ON_EVENTS = True
