import re

import pytest

from tests import factories
from tests.clients import client_for
from tests.webhooks.receiver import serve
from webhooks.models import Webhook


@pytest.fixture
def receiver(settings):
    """A receiver on 127.0.0.1, which the site may call: private addresses allowed."""
    settings.FORUM_WEBHOOK_ALLOW_PRIVATE = True
    receiver, stop = serve()
    yield receiver
    stop()


@pytest.fixture
def manager(db):
    """A community manager (staff), written to in English."""
    return factories.user(
        display_name="Manager", is_staff=True, email="manager@example.org", language="en"
    )


def hook_create(manager, url, kinds):
    """Makes a webhook through the managers' page; returns it and the secret shown once."""
    client = client_for(manager)
    response = client.post("/webhooks/new/", {"url": url, "kinds": kinds}, follow=True)
    assert response.status_code == 200, response.content
    secret = re.search(r'class="webhook-secret[^"]*">([0-9a-f]{64})<', response.text)
    assert secret, "the secret is shown on the page the new webhook leads to"
    return Webhook.objects.get(url=url), secret.group(1)


@pytest.fixture
def hook_for(manager, receiver):
    """`hook_for(*kinds)`: a webhook to the receiver for `kinds`, the receiver knowing its
    secret."""

    def make(*kinds):
        hook, secret = hook_create(manager, receiver.url, list(kinds))
        receiver.secret = secret
        return hook

    return make
