"""Errors as RFC 9457 problem details: `application/problem+json` with `type`, `title`,
`status` and `detail` (the permission function's reason, as the page shows it), and for
invalid input `errors`, the messages per field."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response

PROBLEM_CONTENT_TYPE = "application/problem+json"

TITLES = {
    400: lambda: _("Bad request"),
    401: lambda: _("Authentication required"),
    403: lambda: _("Forbidden"),
    404: lambda: _("Not found"),
    405: lambda: _("Method not allowed"),
    406: lambda: _("Not acceptable"),
    409: lambda: _("Conflict"),
    415: lambda: _("Unsupported media type"),
    429: lambda: _("Too many requests"),
}


class Conflict(exceptions.APIException):
    """The action conflicts with the current state of what it acts on (a vote that can
    no longer change, a day's limit reached under the service's lock)."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class RateLimited(exceptions.APIException):
    """429: the client's quota is used up; `wait` seconds until it renews (Retry-After)."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "throttled"

    def __init__(self, detail, *, wait):
        super().__init__(detail)
        self.wait = wait


class InvalidInput(exceptions.ValidationError):
    """400 with a sentence for `detail` and the messages per field under `errors`."""

    def __init__(self, errors, detail=None):
        super().__init__(errors)
        self.summary = detail


def _flatten(errors):
    """DRF's nested error lists as {field: [message, …]}; a nested field is "a.b"."""
    flat = {}

    def walk(prefix, value):
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        elif isinstance(value, list) and value and not isinstance(value[0], str):
            for index, inner in enumerate(value):
                walk(f"{prefix}.{index}" if prefix else str(index), inner)
        else:
            messages = value if isinstance(value, list) else [value]
            flat.setdefault(prefix or "non_field_errors", []).extend(str(m) for m in messages)

    walk("", errors)
    return flat


def problem(status_code, detail, *, errors=None, headers=None):
    body = {
        "type": "about:blank",
        "title": str(TITLES.get(status_code, lambda: "")()),
        "status": status_code,
        "detail": str(detail),
    }
    if errors:
        body["errors"] = errors
    response = Response(body, status=status_code, headers=headers)
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def problem_exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("There is nothing here, or you may not see it."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    if not isinstance(exc, exceptions.APIException):
        return None
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        detail = getattr(exc, "summary", None)
        if detail is None:
            messages = [message for each in errors.values() for message in each]
            detail = (
                messages[0]
                if len(messages) == 1
                else _("The request has invalid fields; see errors.")
            )
        return problem(400, detail, errors=errors, headers=headers)
    detail = exc.detail
    if isinstance(detail, list | dict):
        detail = " ".join(str(each) for each in _flatten(detail).get("non_field_errors", []))
    return problem(exc.status_code, detail, headers=headers)
