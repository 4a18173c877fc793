"""What every endpoint of the API shares: the rate limit and its headers, CORS for the
configured origins, the token's scopes, the query's parameters checked strictly, and
refusals that say the permission function's reason."""

import re

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers
from rest_framework.views import APIView

from accounts.permissions import account_denial
from api import throttling
from api.errors import InvalidInput, RateLimited
from api.models import AccessToken
from api.pagination import MAX_ID

SCOPE_NAMES = {
    AccessToken.Scope.READ: "read",
    AccessToken.Scope.WRITE: "write",
    AccessToken.Scope.INBOX: "inbox",
}


class ApiView(APIView):
    # `scope` is what a token must grant: read for reads, write for the write methods,
    # inbox for the inbox.

    scope = AccessToken.Scope.READ
    write_methods = frozenset({"POST", "PUT", "PATCH", "DELETE"})

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method == "OPTIONS":
            return
        self.quota = throttling.quota_count(request)
        if self.quota.exceeded:
            raise RateLimited(
                _("You have used all %(limit)s requests of this period.")
                % {"limit": self.quota.limit},
                wait=self.quota.reset,
            )
        self.scope_check(request)

    def scope_check(self, request):
        token = request.auth
        if token is None:
            return
        needed = AccessToken.Scope.WRITE if request.method in self.write_methods else self.scope
        if needed not in token.scope_set:
            raise exceptions.PermissionDenied(
                _("This token lacks the “%(scope)s” scope.") % {"scope": SCOPE_NAMES[needed]}
            )

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        quota = getattr(self, "quota", None)
        if quota is not None:
            response["X-RateLimit-Limit"] = str(quota.limit)
            response["X-RateLimit-Remaining"] = str(max(0, quota.remaining))
            response["X-RateLimit-Reset"] = str(quota.reset)
        origin = request.headers.get("Origin")
        if origin and origin in settings.FORUM_API_CORS_ORIGINS:
            response["Access-Control-Allow-Origin"] = origin
            response["Access-Control-Allow-Headers"] = "Authorization, Content-Type"
            response["Access-Control-Allow-Methods"] = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
            response["Access-Control-Expose-Headers"] = (
                "X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After"
            )
            response["Access-Control-Max-Age"] = "600"
        if origin:
            response["Vary"] = ", ".join(filter(None, [response.get("Vary"), "Origin"]))
        return response

    def quota_fields(self):
        quota = getattr(self, "quota", None)
        if quota is None:
            return {}
        return {"quota_max": quota.limit, "quota_remaining": max(0, quota.remaining)}


def require(request, reason):
    """Refuses with `reason` (a permission function's) as 403. A visitor is first asked
    to log in (401), as the pages send them to the log-in page before anything else."""
    if not request.user.is_authenticated:
        raise exceptions.NotAuthenticated(account_denial(request.user))
    if reason:
        raise exceptions.PermissionDenied(reason)


def object_id(value):
    """An id from the URL: a positive number the database's bigint holds, else 400."""
    if not re.fullmatch(r"-?\d{1,25}", value) or not 0 < int(value) <= MAX_ID:
        raise InvalidInput(
            {"id": [_("An id is a positive whole number.")]},
            detail=_("“%(value)s” is not an id: an id is a positive whole number.")
            % {"value": value[:30]},
        )
    return int(value)


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know, by name, instead of ignoring them: a misspelt
    filter or field must not silently do nothing."""

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            unknown = sorted(set(data.keys()) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: [_("There is no such field here.")] for name in unknown}
                )
        return super().to_internal_value(data)


def query_params(request, serializer_class):
    """The query's parameters, read by `serializer_class`; unknown ones are a 400."""
    data = {key: request.query_params.getlist(key) for key in request.query_params}
    repeated = sorted(key for key, values in data.items() if len(values) > 1)
    if repeated:
        raise InvalidInput({key: [_("Give this parameter once.")] for key in repeated})
    serializer = serializer_class(data={key: values[0] for key, values in data.items()})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def request_body(request, serializer_class, **kwargs):
    """The request's JSON body, read by `serializer_class` (a StrictSerializer)."""
    if not isinstance(request.data, dict):
        raise InvalidInput(
            {"non_field_errors": [_("The body must be a JSON object.")]},
            detail=_("The body must be a JSON object."),
        )
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def form_errors(form):
    """A page's form's errors as the API's 400."""
    errors = {}
    for field, messages in form.errors.get_json_data().items():
        errors["non_field_errors" if field == "__all__" else field] = [
            message["message"] for message in messages
        ]
    detail = next(iter(errors.get("non_field_errors", [])), None)
    return InvalidInput(errors, detail=detail)


class NotFoundView(ApiView):
    """What no endpoint answers under the API's prefix."""

    schema = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise exceptions.NotFound(_("The API has no endpoint at this address."))

    def get(self, request):
        """Never reached: initial() refuses every method."""
