"""The burst screen: many events from one account, or one client address, in a short time.

Every event a person's client causes (a like, a share, a comment, each view of a batch …)
is added to a sliding window per account and per address in Redis (``fd:burst:…``).
When a window holds more than ``ENGAGEMENT_BURST_ACCOUNT_EVENTS`` (an account) or
``ENGAGEMENT_BURST_ADDRESS_EVENTS`` (an address) events, an ``EngagementBurst`` row is
written and every event in the window, the ones before the limit was crossed included,
is marked with it; so is each later event of that account or address while it keeps
coming within the window. Marked events stay in the database (analytics, moderators'
evidence) and the traffic pools leave them out (``feeds.services.pools.tier_counts``).

A limit of 0, or a window of 0, turns that screen off (an offline replay of logs, where
one "client" sends a day of events at once, needs it off). Redis down: the screen lets
events through; each person still counts once per post (database constraints).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Count, Min

from content.models import EngagementBurst, Event
from feeds import stores
from feeds.knobs import knobs


def engagement_screen(
    *, user_id: int | None, address: str | None, event_ids: list[int], now: datetime
) -> EngagementBurst | None:
    """Count these new events against their account's and address's windows; mark
    them (and the window's earlier ones) when a window holds a burst. Return the burst."""
    k = knobs()
    window = k["ENGAGEMENT_BURST_WINDOW_SECONDS"]
    if not event_ids or window <= 0:
        return None
    screens = [
        (f"u:{user_id}", {"user_id": user_id}, k["ENGAGEMENT_BURST_ACCOUNT_EVENTS"]),
        (f"a:{address}", {"address": address}, k["ENGAGEMENT_BURST_ADDRESS_EVENTS"]),
    ]
    screens = [
        (who, owner, limit)
        for who, owner, limit in screens
        if limit > 0 and None not in owner.values()
    ]
    if not screens:
        return None
    held = stores.burst_windows_add(
        [who for who, _, _ in screens], event_ids, now.timestamp(), window
    )
    if held is None:
        return None
    found = None
    for (who, owner, limit), n in zip(screens, held, strict=True):
        if n > limit:
            found = _record(who, owner, event_ids, now, window) or found
    return found


def _record(
    who: str, owner: dict, event_ids: list[int], now: datetime, window: float
) -> EngagementBurst:
    """Mark the events with the account's (or address's) open burst, or open one and
    mark the whole window with it."""
    burst = (
        EngagementBurst.objects.filter(**owner, last_event_at__gte=now - timedelta(seconds=window))
        .order_by("-last_event_at")
        .first()
    )
    if burst is None:
        burst = EngagementBurst.objects.create(**owner, started_at=now, last_event_at=now)
        event_ids = sorted(set(event_ids) | set(stores.burst_window_ids(who)))
    Event.objects.filter(pk__in=event_ids, burst__isnull=True).update(burst=burst)
    seen = Event.objects.filter(burst=burst).aggregate(
        events=Count("id"),
        accounts=Count("user", distinct=True),
        posts=Count("post", distinct=True),
        first=Min("created_at"),
    )
    EngagementBurst.objects.filter(pk=burst.pk).update(
        started_at=min(seen["first"] or now, burst.started_at),
        last_event_at=now,
        events=seen["events"],
        accounts=seen["accounts"],
        posts=seen["posts"],
    )
    return burst
