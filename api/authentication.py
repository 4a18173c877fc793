"""Who makes an API request: the owner of a personal access token, or a member logged in
to the site (its own scripts), whose requests must carry the CSRF token."""

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from api import tokens


class AccessTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <token>`. A revoked, expired or unknown token gets 401: a
    client that sends one expects to act as someone, and must not quietly act as nobody."""

    keyword = "bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the token as: Authorization: Bearer <token>.")
            )
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError:
            secret = ""
        token = tokens.token_for_secret(secret)
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("This token is unknown, revoked or expired."))
        tokens.token_used(token)
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class SessionAuthentication(authentication.SessionAuthentication):
    """The site's session, with Django's CSRF check on every unsafe method."""
