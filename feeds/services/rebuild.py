"""Rebuild every Redis structure of the engine from the database."""

from __future__ import annotations

from collections import defaultdict

from content.models import Post
from feeds import stores
from feeds.models import AccountWeight, PoolEntry
from feeds.services.hot import hot_rebuild_redis


def rebuild_redis() -> dict[str, int]:
    """Drop the engine's keys and write them again from the rows; return what was written."""
    stores.clear_engine_keys()
    pools: dict[str, dict[int, float]] = defaultdict(dict)
    active = PoolEntry.objects.filter(
        state=PoolEntry.State.ACTIVE, post__status=Post.Status.PUBLISHED
    ).values_list("post_id", "quota", "impressions_in_tier", "post__channel_id", "post__channel__parent_id")
    n_pool = 0
    for post_id, quota, done, channel_id, parent_id in active.iterator(chunk_size=5000):
        wanted = max(0, quota - done)
        pools[stores.pool_all_key()][post_id] = wanted
        for c in (channel_id, parent_id):
            if c:
                pools[stores.pool_channel_key(c)][post_id] = wanted
        n_pool += 1
    for key, members in pools.items():
        stores.replace_zset(key, members)
    weights = dict(AccountWeight.objects.values_list("user_id", "weight"))
    for start in range(0, len(weights), 5000):
        chunk = dict(list(weights.items())[start : start + 5000])
        stores.weights_set(chunk)
    return {"pool_posts": n_pool, "hot_entries": hot_rebuild_redis(), "weights": len(weights)}
