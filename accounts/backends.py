"""Authentication that refuses banned accounts, at login and on every later request.

Django's ``ModelBackend.get_user`` asks ``user_can_authenticate`` again for each request
of a logged-in session, so a ban takes effect on sessions at once without touching them.
Tokens are checked by ``accounts.authentication.TokenAuthentication``.
"""

from django.contrib.auth.backends import ModelBackend
from django.utils.translation import gettext as _


class PlatformBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and not getattr(user, "is_banned", False)


def banned_message(user) -> str:
    """Return what a banned person is told when they try to log in."""
    if user.ban_reason:
        return _("This account has been banned: {reason}").format(reason=user.ban_reason)
    return _("This account has been banned.")
