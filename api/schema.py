"""The OpenAPI schema describes this API only: Stack Exchange's (seapi, /api/2.3/) is
documented by Stack Exchange. The extensions name the API's ways to authenticate."""

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension

PREFIX = "/api/v1/"


def only_this_api(endpoints, **kwargs):
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(PREFIX)]


class AccessTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.AccessTokenAuthentication"
    name = "accessToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal access token from the Access tokens page.",
        }


class SiteSessionScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.SessionAuthentication"
    name = "session"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME}
