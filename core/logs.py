"""Structured logs: one JSON object a line (LOG_FORMAT=json, the default in production),
every record of a request carrying its id, and one line per request.

What a line may hold is chosen here, not by whoever logs: the request line has the method,
the path (with the secret parts of a password-reset or unsubscribe address blanked), the
status, the duration and the member's id, never a body, a query string, a cookie, a
password, a token or an email address.
"""

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from django.core.signals import request_finished

_request_id = ContextVar("request_id", default=None)
request_logger = logging.getLogger("stapel.requests")

# URL parts that work as a password: whoever reads them can use them.
SECRET_URL_PARTS = {"token", "uidb64"}
# An id a proxy in front made (nginx: $request_id) is kept, if it looks like one.
_REQUEST_ID = re.compile(r"[A-Za-z0-9-]{8,64}")
_PLAIN = (str, int, float, bool, type(None))
# The fields of a record that are its own, not extras a caller gave.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class RequestIdFilter(logging.Filter):
    """Gives every record the id of the request it was logged in (None outside one)."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            # Plain values only: Django's own records add the request object, whose
            # representation holds the query string.
            if key not in _STANDARD and key not in entry and isinstance(value, _PLAIN):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def _loggable_path(request):
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match:
        for name, value in match.kwargs.items():
            if name in SECRET_URL_PARTS and value:
                path = path.replace(str(value), "[redacted]")
    return path


class RequestLogMiddleware:
    """Names each request (X-Request-ID from the proxy, else a new one; echoed in the
    response) and logs one line when it is answered, on the logger "stapel.requests"."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        # Kept until the response is closed (request_finished): Django logs a 4xx or 5xx
        # after the middleware has returned.
        _request_id.set(request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        response.headers["X-Request-ID"] = request_id
        if not request_logger.isEnabledFor(logging.INFO):
            return response
        # The member as the request already loaded them: a page that never asked who is
        # there (a probe, /metrics) is not made to read the session and the user for the
        # log line.
        user = getattr(request, "_cached_user", None)
        path = _loggable_path(request)
        request_logger.info(
            "%s %s %s",
            request.method,
            path,
            response.status_code,
            extra={
                "method": request.method,
                "path": path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            },
        )
        return response


def _request_ended(**kwargs):
    _request_id.set(None)


request_finished.connect(_request_ended, dispatch_uid="core.logs.request_ended")
