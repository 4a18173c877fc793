"""https receivers: the certificate is verified against the webhook's host, though the
connection goes to the address checked before it."""

import ssl
import subprocess

import pytest
from django.utils import timezone

from questions import services as posting
from tests import factories
from tests.webhooks.receiver import serve
from webhooks.models import Delivery, Webhook

pytestmark = pytest.mark.django_db


@pytest.fixture
def tls_receiver(settings, tmp_path):
    """The receiver behind TLS, with a self-signed certificate for 127.0.0.1; yields it
    and the certificate's path."""
    settings.FORUM_WEBHOOK_ALLOW_PRIVATE = True
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    receiver, stop = serve(tls=context)
    yield receiver, cert
    stop()


def _hook(receiver, secret="a" * 64):
    receiver.secret = secret
    return Webhook.objects.create(
        url=receiver.url,
        kinds=["question.asked"],
        secret=secret,
        created_at=timezone.now(),
    )


def _ask():
    posting.question_create(
        author=factories.user(), title="Is this sent over TLS?", body="Yes.", tags=["tls"]
    )


def test_a_certificate_no_one_vouches_for_is_refused(tls_receiver):
    receiver, _cert = tls_receiver
    _hook(receiver)
    _ask()
    assert receiver.received == []
    [attempt] = Delivery.objects.get().log.all()
    assert not attempt.succeeded
    assert (attempt.error, attempt.error_params) == ("no_answer", {"error": "SSLError"})


def test_a_trusted_certificate_delivers_signed(tls_receiver, monkeypatch):
    receiver, cert = tls_receiver
    # OpenSSL reads the trusted certificates from here when a context is made.
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    _hook(receiver)
    _ask()
    [request] = receiver.received
    assert request.signature_valid
    assert Delivery.objects.get().status == "delivered"
