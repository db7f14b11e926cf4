"""Bearer tokens (RFC 6750 §2.1) made on the panel's API tokens page."""
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from mailcore.auth import api_tokens


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer hopthu_…`; request.user is the token's owner, request.auth the token."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("The Authorization header must be “Bearer <token>”.")
        try:
            token = api_tokens.authenticate(header[1].decode("ascii"))
        except (UnicodeDecodeError, api_tokens.InvalidToken):
            # One answer for unknown, revoked and expired tokens: no oracle for guessers.
            raise exceptions.AuthenticationFailed("The token is invalid, revoked or expired.") from None
        return token.user, token

    def authenticate_header(self, request):
        # RFC 6750 §3: a 401 names the scheme, so clients know to send a token.
        return f'{self.keyword} realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = BearerTokenAuthentication
    name = "bearerToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "A token made on the panel's API tokens page: hopthu_…"}
