"""Bring the engine's Redis structures in line with who may now see some posts.

Moderation (limit, remove, restore, approve, ban, unban) changes rows in the database;
the feeds re-check those rows when they build cards, but the Redis structures they pick
candidates from (pool sets, hot lists, the nearby map, follow inboxes and outboxes) would
keep stale members until the next recompute. ``sync_posts`` fixes them at once:

| the post now is …                     | pools | hot | nearby | follow inboxes |
|---------------------------------------|-------|-----|--------|----------------|
| published (recommendable)             | in if its pool entry is active | kept | in | in |
| limited 限流 (followers only)          | out   | out | out    | in             |
| pending, removed, or its author banned| out   | out | out    | out            |
"""

from __future__ import annotations

from collections.abc import Iterable

from content.models import Post
from feeds import stores
from feeds.engine.pools import lane_priority
from feeds.models import HotEntry, PoolEntry
from feeds.services.follow import fanout, followable, unfan
from feeds.services.nearby import geo_index
from feeds.services.serving import recommendable


def _channel_ids(channel_id: int, parent_id: int | None) -> list[int]:
    return [channel_id] + ([parent_id] if parent_id else [])


def sync_posts(post_ids: Iterable[int]) -> dict[str, int]:
    """Update pools, hot lists, the nearby map and inboxes for ``post_ids``; return counts."""
    ids = list(dict.fromkeys(post_ids))
    if not ids:
        return {"recommended": 0, "followers_only": 0, "hidden": 0}
    rows = {
        pk: (author_id, channel_id, parent_id)
        for pk, author_id, channel_id, parent_id in Post.objects.filter(pk__in=ids).values_list(
            "pk", "author_id", "channel_id", "channel__parent_id"
        )
    }
    recommended = set(Post.objects.filter(recommendable(), pk__in=ids).values_list("pk", flat=True))
    followed = set(Post.objects.filter(followable(), pk__in=ids).values_list("pk", flat=True))
    active = {
        entry.post_id: lane_priority(entry.tier, entry.quota, entry.impressions_in_tier)
        for entry in PoolEntry.objects.filter(post_id__in=recommended, state=PoolEntry.State.ACTIVE)
    }
    HotEntry.objects.filter(post_id__in=[pk for pk in ids if pk not in recommended]).delete()
    geo_index(ids)
    stores.hot_remove(pk for pk in rows if pk not in recommended)
    for pk, (author_id, channel_id, parent_id) in rows.items():
        channels = _channel_ids(channel_id, parent_id)
        if pk in active:
            stores.pool_set(pk, channels, active[pk])
        else:
            stores.pool_remove(pk, channels)
        if pk in followed:
            fanout(pk)
        else:
            unfan(pk, author_id)
    return {
        "recommended": len(recommended),
        "followers_only": len(followed - recommended),
        "hidden": len(rows) - len(followed),
    }
