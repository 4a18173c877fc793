from django.test import Client


def client_for(user, **kwargs):
    """A test client that reads the site in English, logged in as `user` (None: a visitor)."""
    client = Client(headers={"accept-language": "en"}, **kwargs)
    if user is not None:
        client.force_login(user)
    return client
