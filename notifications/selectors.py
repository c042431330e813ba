"""Reads on notifications: a page of one category, the unread counts, the mute switches.

Both the page and the counts cost a fixed number of queries whatever a person holds: a
page is one query (actors, posts and comments joined in), the counts are none while
Redis holds them for the current version (``feeds.stores.unread_get``) and one grouped
count otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from accounts.models import User
from feeds import cursor as cursors
from feeds import stores
from notifications.models import Category, Notification, NotificationSettings

PAGE_SIZE = 20
CURSOR_FEED = "notifications"


@dataclass
class Page:
    items: list[Notification]
    next_cursor: str | None


def notifications_page(
    *, user: User, category: str | None = None, cursor: str | None = None, size: int = PAGE_SIZE
) -> Page:
    """Return a page of the user's notifications, newest activity first (one query);
    raises ``cursors.BadCursor`` for a cursor that is not one of ours."""
    position = cursors.decode(CURSOR_FEED, cursor)
    qs = Notification.objects.filter(recipient=user).select_related("actor", "post", "comment")
    if category:
        qs = qs.filter(category=category)
    if position is not None:
        try:
            at, last_id = datetime.fromisoformat(position["at"]), int(position["id"])
        except (KeyError, TypeError, ValueError) as exc:
            raise cursors.BadCursor(_("This cursor is not valid; start again without one.")) from exc
        qs = qs.filter(Q(updated_at__lt=at) | Q(updated_at=at, id__lt=last_id))
    rows = list(qs.order_by("-updated_at", "-id")[: size + 1])
    items, more = rows[:size], len(rows) > size
    next_cursor = (
        cursors.encode(CURSOR_FEED, {"at": items[-1].updated_at.isoformat(), "id": items[-1].pk})
        if more
        else None
    )
    return Page(items=items, next_cursor=next_cursor)


def _count_unread(user_id: int) -> dict[str, int]:
    rows = (
        Notification.objects.filter(recipient_id=user_id, read_at__isnull=True)
        .values_list("category")
        .annotate(n=Count("id"))
    )
    counts = dict.fromkeys(Category.values, 0)
    counts.update(dict(rows))
    return counts


def unread_counts(*, user: User) -> dict[str, int]:
    """Return the user's unread lines per category and their ``total`` (cached in Redis)."""
    counts, version = stores.unread_get(user.pk)
    if counts is None:
        counts = _count_unread(user.pk)
        stores.unread_put(user.pk, counts, version)
    counts = {c: counts.get(c, 0) for c in Category.values}
    return {"total": sum(counts.values()), **counts}


def unread_counts_cached(*, user: User) -> dict[str, int] | None:
    """Return the unread counts if Redis holds them (no query at all), else None."""
    counts, _ = stores.unread_get(user.pk)
    if counts is None:
        return None
    counts = {c: counts.get(c, 0) for c in Category.values}
    return {"total": sum(counts.values()), **counts}


def notification_settings_of(*, user: User) -> NotificationSettings:
    """Return the user's mute switches (unsaved defaults when they never set one)."""
    return NotificationSettings.objects.filter(user=user).first() or NotificationSettings(user=user)
