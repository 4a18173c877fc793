"""Uploads in production: nginx serves /media/ (deploy/nginx/stapel.conf) with the file's
image type, X-Content-Type-Options: nosniff and a policy that lets nothing in it load or
run, as core/media.py does when the application serves them itself."""

import os
import shutil
import socket
import ssl
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from core.media import MEDIA_POLICY

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def nginx(tmp_path):
    """deploy/nginx/stapel.conf run by nginx on free ports, with a self-signed certificate
    and MEDIA_ROOT in tmp_path/media; yields (https port, media folder)."""
    if not shutil.which("nginx") or not shutil.which("openssl"):
        pytest.skip("nginx or openssl is not installed (apt-get install -y nginx)")
    certificate, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=stapel.example.org", "-keyout", str(key), "-out", str(certificate)],
        check=True,
        capture_output=True,
    )
    media = tmp_path / "media"
    media.mkdir()
    plain, secure = free_port(), free_port()
    site = (ROOT / "deploy" / "nginx" / "stapel.conf").read_text()
    for old, new in [
        ("/etc/letsencrypt/live/stapel.example.org/fullchain.pem", str(certificate)),
        ("/etc/letsencrypt/live/stapel.example.org/privkey.pem", str(key)),
        ("/var/log/nginx/", f"{tmp_path}/"),
        ("/srv/stapel/media/", f"{media}/"),
        ("listen [::]:80;", ""),
        ("listen [::]:443 ssl http2;", ""),
        ("listen 80;", f"listen 127.0.0.1:{plain};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{secure} ssl;"),
    ]:
        site = site.replace(old, new)
    (tmp_path / "stapel.conf").write_text(site)
    main = tmp_path / "nginx.conf"
    # Run as root (a container), nginx's workers would be another user, who cannot read
    # pytest's private temporary folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    main.write_text(
        f"{user}pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        "daemon off;\nevents {}\n"
        f"http {{\n  include /etc/nginx/mime.types;\n  client_body_temp_path {tmp_path};\n"
        f"  include {tmp_path}/stapel.conf;\n}}\n"
    )
    process = subprocess.Popen(
        ["nginx", "-c", str(main), "-p", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", secure)) == 0:
                    break
            time.sleep(0.05)
        else:
            pytest.fail(f"nginx did not start: {process.stderr.read().decode()}")
        yield secure, media
    finally:
        process.terminate()
        process.wait(timeout=10)


def fetch(port, path):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    request = urllib.request.Request(
        f"https://127.0.0.1:{port}{path}", headers={"Host": "stapel.example.org"}
    )
    return urllib.request.urlopen(request, context=context, timeout=10)


def test_nginx_serves_an_upload_as_its_image_type_with_nosniff_and_the_sandboxing_policy(nginx):
    port, media = nginx
    (media / "posts").mkdir()
    (media / "posts" / "table.webp").write_bytes(b"RIFF\x00\x00\x00\x00WEBPVP8 ")

    with fetch(port, "/media/posts/table.webp") as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "image/webp"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Content-Security-Policy"] == MEDIA_POLICY


def test_nginx_serves_any_other_file_there_as_bytes_that_nothing_runs(nginx):
    port, media = nginx
    (media / "page.html").write_bytes(b"<html><script>alert(1)</script></html>")

    with fetch(port, "/media/page.html") as response:
        assert response.headers["Content-Type"] == "application/octet-stream"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Content-Security-Policy"] == MEDIA_POLICY
