import pytest
from django.test import Client


class StackExchangeClient:
    """Asks /api/2.3/ methods as a Stack Exchange client does, in English."""

    def __init__(self):
        self.client = Client(headers={"accept-language": "en"})

    def get(self, path, status=200, **params):
        response = self.client.get(f"/api/2.3/{path}", params)
        assert response.status_code == status, response.content
        assert response["Content-Type"] == "application/json"
        return response.json()


@pytest.fixture
def se(db):
    return StackExchangeClient()
