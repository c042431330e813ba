"""DRF token authentication that refuses banned accounts (a ban also deletes the token).

The header is ``Authorization: Bearer <key>``, the scheme OpenAPI can state (``http`` /
``bearer``) and generated clients send by default; DRF's ``Token <key>`` is still taken.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from accounts.backends import banned_message


class TokenAuthentication(authentication.TokenAuthentication):
    keywords = ("bearer", "token")

    def authenticate(self, request):
        words = authentication.get_authorization_header(request).split()
        if not words or words[0].decode(errors="replace").lower() not in self.keywords:
            return None
        self.keyword = words[0].decode()  # DRF's check compares the first word with it
        return super().authenticate(request)

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if user.is_banned:
            raise exceptions.AuthenticationFailed(banned_message(user))
        return user, token


class TokenScheme(OpenApiAuthenticationExtension):
    """The token as the schema states it: an HTTP bearer scheme, prefix included."""

    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "`Authorization: Bearer <key>`, the key from `POST /api/v1/auth/token/` "
            "or `POST /api/v1/auth/signup/` (`Token <key>` is accepted too).",
        }
