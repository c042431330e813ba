"""The header's 消息 badge on every page."""

from notifications.selectors import unread_counts_cached


def unread(request):
    """Return the signed-in person's unread counts when Redis holds them (no SQL: every
    page renders the header); otherwise the badge asks ``/api/v1/notifications/unread/``."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread": unread_counts_cached(user=user)}
