"""Rebuild every Redis structure of the engine from the database."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.utils import timezone

from content.cards import warm as warm_cards
from content.models import Event, Post
from feeds import stores
from feeds.engine.pools import lane_priority
from feeds.knobs import knob
from feeds.models import AccountWeight, PoolEntry
from feeds.services.coengagement import coengagement_recompute
from feeds.services.hot import hot_rebuild_redis
from feeds.services.nearby import geo_rebuild


def rebuild_redis() -> dict[str, int]:
    """Drop the engine's keys and write them again from the rows; return what was written.

    Follow inboxes and outboxes are dropped and rebuilt lazily from the database on each
    user's next read; seen sets and feed sessions are left alone (they are not derived
    from rows the engine owns, and losing them only costs a repeat). The API cards of
    the posts published within ``FEED_RECENT_DAYS`` are rendered again.
    """
    stores.clear_engine_keys()
    pools: dict[str, dict[int, float]] = defaultdict(dict)
    active = PoolEntry.objects.filter(
        state=PoolEntry.State.ACTIVE, post__status=Post.Status.PUBLISHED
    ).values_list("post_id", "tier", "quota", "impressions_in_tier", "post__channel_id", "post__channel__parent_id")
    n_pool = 0
    for post_id, tier, quota, done, channel_id, parent_id in active.iterator(chunk_size=5000):
        priority = lane_priority(tier, quota, done)
        pools[stores.pool_all_key()][post_id] = priority
        for c in (channel_id, parent_id):
            if c:
                pools[stores.pool_channel_key(c)][post_id] = priority
        n_pool += 1
    for key, members in pools.items():
        stores.replace_zset(key, members)
    weights = dict(AccountWeight.objects.values_list("user_id", "weight"))
    for start in range(0, len(weights), 5000):
        chunk = dict(list(weights.items())[start : start + 5000])
        stores.weights_set(chunk)
    return {
        "pool_posts": n_pool,
        "hot_entries": hot_rebuild_redis(),
        "weights": len(weights),
        "geo_posts": geo_rebuild(),
        "coengagement_sets": coengagement_recompute(post_ids=_recently_liked()),
        "cards": warm_cards(),
    }


def _recently_liked() -> list[int]:
    since = timezone.now() - timedelta(days=knob("COENGAGEMENT_DAYS"))
    return list(
        Event.objects.filter(kind__in=[Event.Kind.LIKE, Event.Kind.FAVOURITE], created_at__gte=since)
        .values_list("post_id", flat=True)
        .distinct()
    )
