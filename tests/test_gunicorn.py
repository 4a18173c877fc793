"""gunicorn as configured for production (deploy/gunicorn.conf.py) keeps serving while
clients send their requests slowly (slowloris)."""

import socket
import urllib.request

import pytest

from tests.servers import ROOT, gunicorn, site_environment


@pytest.fixture
def production_server(tmp_path):
    """Two workers, as on a small machine, serving the health check from a scratch
    database: no test data is needed."""
    env = site_environment(
        DATABASE_URL=f"sqlite:///{tmp_path / 'gunicorn.sqlite3'}", GUNICORN_WORKERS="2"
    )
    with gunicorn("-c", "deploy/gunicorn.conf.py", env=env) as port:
        yield port


def test_half_sent_requests_do_not_stall_the_server(production_server):
    slow_clients = []
    for _ in range(4):
        client = socket.create_connection(("127.0.0.1", production_server))
        client.sendall(b"GET /health/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")  # and no more
        slow_clients.append(client)
    try:
        # With sync workers the health check waited for the slow requests' 30 s timeout.
        with urllib.request.urlopen(
            f"http://127.0.0.1:{production_server}/health/", timeout=10
        ) as response:
            assert response.status == 200
    finally:
        for client in slow_clients:
            client.close()


def test_the_configuration_uses_threaded_workers():
    config = {}
    exec((ROOT / "deploy" / "gunicorn.conf.py").read_text(), config)

    assert config["worker_class"] == "gthread"
    assert config["threads"] >= 4
    assert config["keepalive"] <= 5
