"""Writes on notifications: decide (in the action's transaction), deliver (the worker),
mark read, set mutes.

Deciding writes ``Outbox`` rows only, so the action that causes a notification (a like
request) pays one INSERT and queues one task on commit; who to tell and how to fold is
the worker's job. Delivering is idempotent: each row is claimed by deleting it, in the
same transaction that writes its notification, so a worker killed halfway leaves the
row to the next delivery (the task retried, the periodic sweep, or the sweep a worker
runs when it starts), and two workers never deliver one row twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Block, User
from feeds import stores
from feeds.knobs import knob
from notifications.models import (
    FOLDED,
    Category,
    Notification,
    NotificationSettings,
    Outbox,
    Verb,
    category_of,
)

log = logging.getLogger(__name__)

ACTORS_KEPT = 20  # distinct recent actors a folded line remembers (a repeat does not count twice)


# ---------------------------------------------------------------- deciding
@dataclass
class Notice:
    """One notification to decide: ``recipient_id`` is told that ``actor_id`` did ``verb``."""

    recipient_id: int
    verb: str
    actor_id: int | None = None
    post_id: int | None = None
    comment_id: int | None = None
    text: str = ""
    data: dict = field(default_factory=dict)


def notices_decide(notices: Iterable[Notice]) -> list[int]:
    """Write the outbox rows of these notices (none for one's own actions) in the caller's
    transaction and queue their delivery on commit; return the rows' ids."""
    rows = [
        Outbox(
            recipient_id=n.recipient_id,
            verb=n.verb,
            actor_id=n.actor_id,
            post_id=n.post_id,
            comment_id=n.comment_id,
            text=n.text[:300],
            data=n.data,
        )
        for n in notices
        if n.recipient_id and n.recipient_id != n.actor_id
    ]
    if not rows:
        return []
    created = Outbox.objects.bulk_create(rows)
    ids = [row.pk for row in created if row.pk is not None]
    if not ids:  # a backend that does not return ids: the sweep delivers them
        return []

    def enqueue() -> None:
        from notifications.tasks import deliver_notifications

        try:
            deliver_notifications.apply_async(args=[ids], retry=False)
        except Exception as exc:  # the broker is down: the sweep delivers them later
            log.warning("notification delivery not queued (%s); the sweep will deliver", exc)

    transaction.on_commit(enqueue)
    return ids


# ---------------------------------------------------------------- delivering
def _muted(recipient_id: int) -> set[str]:
    row = NotificationSettings.objects.filter(user_id=recipient_id).first()
    return row.muted() if row else set()


def _blocked(a_id: int, b_id: int) -> bool:
    return Block.objects.filter(
        Q(blocker_id=a_id, blocked_id=b_id) | Q(blocker_id=b_id, blocked_id=a_id)
    ).exists()


def _group_key(row: Outbox) -> str:
    if row.verb in FOLDED:
        return f"{row.verb}:{row.post_id or 0}:{row.comment_id or 0}"
    if row.verb == Verb.FOLLOW:
        return f"follow:{row.actor_id}"  # a follow, unfollow and follow again: one line
    return ""


NEEDS_COMMENT = {Verb.COMMENT, Verb.REPLY, Verb.MENTION, Verb.COMMENT_LIKE}


def _deliverable(row: Outbox) -> bool:
    """Return False when the row must create nothing (muted, blocked, gone)."""
    if category_of(row.verb) in _muted(row.recipient_id):
        return False
    if row.verb in NEEDS_COMMENT and row.comment_id is None:
        return False  # the comment was deleted before delivery
    if row.actor_id is not None:
        actor = User.objects.filter(pk=row.actor_id).values("is_active", "is_banned").first()
        if not actor or not actor["is_active"] or actor["is_banned"]:
            return False
        if _blocked(row.actor_id, row.recipient_id):
            return False
    return True


def _fold(row: Outbox, key: str, now) -> bool:
    """Fold the row into the recipient's unread line with ``key``; False if there is none."""
    line = (
        Notification.objects.select_for_update()
        .filter(recipient_id=row.recipient_id, group_key=key, read_at__isnull=True)
        .first()
    )
    if line is None:
        return False
    if row.actor_id in line.actor_ids:
        return True  # the same person again: nothing new to say
    line.actor_ids = [row.actor_id, *line.actor_ids][:ACTORS_KEPT]
    line.actor_id = row.actor_id
    line.actor_count += 1
    line.updated_at = now
    line.save(update_fields=["actor_ids", "actor", "actor_count", "updated_at"])
    return True


def _deliver_one(row_id: int) -> int | None:
    """Deliver one outbox row; return its recipient's id when something changed."""
    now = timezone.now()
    with transaction.atomic():
        row = Outbox.objects.select_for_update().filter(pk=row_id).first()
        if row is None:
            return None  # delivered by someone else
        Outbox.objects.filter(pk=row.pk).delete()
        if not _deliverable(row):
            return None
        key = _group_key(row)
        if key and _fold(row, key, now):
            return row.recipient_id
        try:
            with transaction.atomic():
                Notification.objects.create(
                    recipient_id=row.recipient_id,
                    category=category_of(row.verb),
                    verb=row.verb,
                    actor_id=row.actor_id,
                    actor_ids=[row.actor_id] if row.actor_id else [],
                    post_id=row.post_id,
                    comment_id=row.comment_id,
                    text=row.text,
                    data=row.data,
                    group_key=key,
                    created_at=row.created_at,
                    updated_at=now,
                )
        except IntegrityError:  # a concurrent delivery opened the line first: fold into it
            _fold(row, key, now)
    return row.recipient_id


def outbox_deliver(
    *, ids: Iterable[int] | None = None, grace_seconds: float | None = None, limit: int = 5000
) -> int:
    """Deliver outbox rows (these ``ids``, or the oldest waiting longer than
    ``grace_seconds``); bump the recipients' unread versions; return how many were read."""
    if ids is None:
        qs = Outbox.objects.order_by("created_at", "id")
        if grace_seconds:
            qs = qs.filter(created_at__lte=timezone.now() - timedelta(seconds=grace_seconds))
        ids = list(qs.values_list("pk", flat=True)[:limit])
    ids = sorted(ids)
    touched = {r for r in (_deliver_one(pk) for pk in ids) if r is not None}
    if touched:
        stores.unread_changed(touched)
    return len(ids)


def outbox_sweep(*, on_start: bool = False) -> int:
    """Deliver rows whose own delivery task was lost (all of them when a worker starts)."""
    return outbox_deliver(grace_seconds=None if on_start else knob("NOTIFY_SWEEP_GRACE_SECONDS"))


# ---------------------------------------------------------------- reading state
@transaction.atomic
def notifications_mark_read(
    *, user: User, ids: Iterable[int] | None = None, category: str | None = None
) -> int:
    """Mark the user's notifications read: these ``ids`` (every one must be theirs, or
    ``Notification.DoesNotExist`` is raised and nothing changes), else all of them (in
    ``category`` if given). Return how many were unread."""
    if category is not None and category not in Category.values:
        raise ValidationError({"category": _("Choose one of: {choices}.").format(choices=', '.join(Category.values))})
    mine = Notification.objects.filter(recipient=user)
    if ids is not None:
        ids = set(ids)
        if mine.filter(pk__in=ids).count() != len(ids):
            raise Notification.DoesNotExist(_("No such notification."))
        mine = mine.filter(pk__in=ids)
    elif category is not None:
        mine = mine.filter(category=category)
    marked = mine.filter(read_at__isnull=True).update(read_at=timezone.now())
    if marked:
        user_id = user.pk
        transaction.on_commit(lambda: stores.unread_changed([user_id]))
    return marked


def notification_settings_update(*, user: User, **mutes: bool) -> NotificationSettings:
    """Set some of the user's mute switches (``mute_likes`` …); return the settings."""
    allowed = {f"mute_{c}" for c in Category.values}
    unknown = set(mutes) - allowed
    if unknown:
        raise ValidationError({name: _("Unknown switch.") for name in unknown})
    row, _ = NotificationSettings.objects.get_or_create(user=user)
    for name, value in mutes.items():
        setattr(row, name, bool(value))
    if mutes:
        row.save(update_fields=list(mutes))
    return row
