"""DRF token authentication that refuses banned accounts (a ban also deletes the token)."""

from rest_framework import authentication, exceptions

from accounts.backends import banned_message


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if user.is_banned:
            raise exceptions.AuthenticationFailed(banned_message(user))
        return user, token
