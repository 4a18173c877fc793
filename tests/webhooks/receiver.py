"""A webhook receiver for the tests: a real HTTP server on 127.0.0.1, in a thread, that
checks each request's signature as a subscriber's would and answers what the test asks."""

import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes
    signature_valid: bool

    @property
    def payload(self):
        return json.loads(self.body)


@dataclass
class Receiver:
    """`answers` are (status, body, headers) in turn, then `default`; `secret` is what the
    signature is checked with (set once the webhook exists)."""

    url: str = ""
    secret: str = ""
    received: list = field(default_factory=list)
    answers: list = field(default_factory=list)
    default: tuple = (200, b"ok", {})
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, *answers):
        self.answers.extend(
            (status, body, headers) for status, body, headers in (_full(a) for a in answers)
        )

    def verify(self, headers, body):
        timestamp = headers.get("X-Stapel-Timestamp", "")
        expected = hmac.new(
            self.secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
        ).hexdigest()
        return hmac.compare_digest(headers.get("X-Stapel-Signature", ""), f"sha256={expected}")

    def take(self, path, headers, body):
        with self.lock:
            self.received.append(
                Received(
                    path=path,
                    headers=headers,
                    body=body,
                    signature_valid=self.verify(headers, body),
                )
            )
            return self.answers.pop(0) if self.answers else self.default


def _full(answer):
    if isinstance(answer, int):
        return answer, b"", {}
    status, body, *rest = answer
    return status, body, rest[0] if rest else {}


def serve(tls=None):
    """Starts a receiver (behind TLS with the ssl.SSLContext `tls`); returns it and a
    function that stops it."""
    receiver = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            status, answer, headers = receiver.take(self.path, dict(self.headers), body)
            # "stall": seconds to wait after the answer's start, before its promised rest.
            stall = headers.pop("stall", None)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer) + (1000 if stall else 0)))
            self.end_headers()
            self.wfile.write(answer)
            if stall:
                self.wfile.flush()
                time.sleep(stall)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    scheme = "https" if tls is not None else "http"
    receiver.url = f"{scheme}://127.0.0.1:{server.server_address[1]}/hooks/stapel"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop():
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

    return receiver, stop
