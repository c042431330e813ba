"""Rebuild the engine's Redis structures from the database, one structure or all of them.

Each structure the feeds read (``stores.STRUCTURES``) has one rebuilder here, and a
count of what the database says it should hold where that is cheap to tell. A rebuild
drops the structure's generation marker first (readers answer from the database while
it runs) and writes it again at the end, naming the Redis server it was built on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from content.cards import warm as warm_cards
from content.models import Event, Post
from feeds import stores
from feeds.engine.pools import lane_priority
from feeds.knobs import knob
from feeds.models import AccountWeight, HotEntry, PoolEntry
from feeds.services.coengagement import coengagement_recompute
from feeds.services.hot import hot_rebuild_redis
from feeds.services.nearby import geo_rebuild, placed_posts


def _active_pool_entries():
    return PoolEntry.objects.filter(
        state=PoolEntry.State.ACTIVE, post__status=Post.Status.PUBLISHED
    )


def pools_rebuild() -> int:
    """Write the pools' serving sets (all posts, per channel) from the active entries."""
    stores.delete_matching(f"{stores.PREFIX}:pool:*")
    pools: dict[str, dict[int, float]] = defaultdict(dict)
    active = _active_pool_entries().values_list(
        "post_id",
        "tier",
        "quota",
        "impressions_in_tier",
        "post__channel_id",
        "post__channel__parent_id",
    )
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
    return n_pool


def weights_rebuild() -> int:
    """Write every account weight from its row."""
    stores.redis().delete(stores.weight_key())
    weights = list(AccountWeight.objects.values_list("user_id", "weight"))
    for start in range(0, len(weights), 5000):
        stores.weights_set(dict(weights[start : start + 5000]))
    return len(weights)


def hot_rebuild() -> int:
    """Write the hot lists and trending topics from the last computed rows."""
    stores.delete_matching(stores.hot_key("*"))
    return hot_rebuild_redis()


def follow_rebuild() -> int:
    """Drop every inbox and outbox: each is built from the database on its next read."""
    return stores.delete_matching(stores.inbox_key("*")) + stores.delete_matching(
        stores.outbox_key("*")
    )


def coengagement_rebuild() -> int:
    """Write the co-engagement sets of the posts liked within ``COENGAGEMENT_DAYS``."""
    stores.delete_matching(stores.co_key("*"))
    stores.redis().delete(stores.co_at_key())
    return coengagement_recompute(post_ids=_recently_liked())


def unread_rebuild() -> int:
    """Drop every cached unread count: each is counted from the database on its next read."""
    return stores.delete_matching(stores.unread_key("*"))


# structure → its rebuilder
REBUILDERS: dict[str, Callable[[], int]] = {
    stores.GEO: geo_rebuild,
    stores.HOT: hot_rebuild,
    stores.POOLS: pools_rebuild,
    stores.WEIGHTS: weights_rebuild,
    stores.FOLLOW: follow_rebuild,
    stores.COENGAGEMENT: coengagement_rebuild,
    stores.UNREAD: unread_rebuild,
}


def _hot_held() -> int:
    client = stores.redis()
    keys = list(client.scan_iter(match=stores.hot_key("*"), count=1000))
    pipe = client.pipeline(transaction=False)
    for key in keys:
        pipe.zcard(key)
    return sum(pipe.execute()) if keys else 0


# structure → (what Redis holds, what the database says it should hold); structures
# without an entry (inboxes, co-engagement, weights) are judged by their marker alone.
COUNTS: dict[str, tuple[Callable[[], int], Callable[[], int]]] = {
    stores.GEO: (lambda: stores.redis().zcard(stores.geo_key()), lambda: placed_posts().count()),
    stores.POOLS: (
        lambda: stores.redis().zcard(stores.pool_all_key()),
        lambda: _active_pool_entries().count(),
    ),
    stores.HOT: (_hot_held, lambda: HotEntry.objects.count()),
}


def structure_rebuild(structure: str) -> dict:
    """Rebuild one structure and mark it complete; return what was written.

    The marker names the server the rebuild began on, and is not written if that server
    went away meanwhile (the next check then rebuilds again).
    """
    run_id = stores.server_run_id()
    stores.generation_clear([structure])
    written = REBUILDERS[structure]()
    marked = stores.generation_mark(structure, run_id)
    return {"written": written, "marked": marked}


def rebuild_redis() -> dict[str, int]:
    """Drop the engine's keys and write them again from the rows; return what was written.

    Follow inboxes and outboxes, and the notifications' unread counts, are dropped and
    rebuilt lazily from the database on each user's next read; seen sets and feed sessions are left alone (they are not derived
    from rows the engine owns, and losing them only costs a repeat). The API cards of
    the posts published within ``FEED_RECENT_DAYS`` are rendered again.
    """
    run_id = stores.server_run_id()
    stores.generation_clear(stores.STRUCTURES)
    stores.clear_engine_keys()
    written = {structure: REBUILDERS[structure]() for structure in stores.STRUCTURES}
    for structure in stores.STRUCTURES:
        stores.generation_mark(structure, run_id)
    return {
        "pool_posts": written[stores.POOLS],
        "hot_entries": written[stores.HOT],
        "weights": written[stores.WEIGHTS],
        "geo_posts": written[stores.GEO],
        "coengagement_sets": written[stores.COENGAGEMENT],
        "cards": warm_cards(),
    }


def _recently_liked() -> list[int]:
    since = timezone.now() - timedelta(days=knob("COENGAGEMENT_DAYS"))
    return list(
        Event.objects.filter(
            kind__in=[Event.Kind.LIKE, Event.Kind.FAVOURITE], created_at__gte=since
        )
        .values_list("post_id", flat=True)
        .distinct()
    )
