"""Every Redis key of the engine and the feeds, and the operations on them.

Redis holds ids and scores only (rows stay in the database) and everything here can be
rebuilt from the database (``manage.py rebuild_redis``). A Redis outage never breaks a
request: reads return ``None`` ("unknown, use the database") and writes are skipped
with a warning, to be repaired by the next recompute or rebuild.

Key layout (prefix ``fd:``):

| key                         | type | holds                                              |
| --------------------------- | ---- | -------------------------------------------------- |
| fd:hot:{list}               | zset | hot list ("global" or a channel slug): post → rank score |
| fd:trending                 | zset | trending tags: tag id → score                      |
| fd:pool:all                 | zset | active pool posts: post → lane priority (`pools.lane_priority`: lower tiers, then least served, first) |
| fd:pool:ch:{channel_id}     | zset | the same, per channel                              |
| fd:weight                   | hash | author id → account weight                         |
| fd:lock:{name}              | str  | a recompute's lock (SET NX EX)                     |
| fd:seen:{user_id}           | zset | posts served to the user → when (kept FEED_SEEN_DAYS) |
| fd:sess:{session}           | list | a feed session's ranked items "post:author:channel:lane" |
| fd:inbox:{user_id}          | zset | 关注 inbox: followed authors' posts → published ts  |
| fd:outbox:{author_id}       | zset | an author's latest posts → published ts            |
| fd:geo                      | geo  | public posts at their place (or the author's home) |
| fd:co:{post_id}             | zset | posts liked by the people who liked this one → count |
| fd:card:…, fd:card-author:… | str  | rendered API feed cards (``content.cards``)         |
| fd:reach:{user}:{feed}:{src} | str  | how far back a reader's reach-back has walked (a published ts) |
| fd:excl:{user_id}           | hash | version → the user's exclusions (blocks, not-interested), JSON |
| fd:excl-v:{user_id}         | str  | that version, bumped by every block and not-interested change |

Sessions, seen sets, inboxes and co-engagement sets are caches of what the database
says (events, follows, likes): losing them costs a repeat or a slower page, never data.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime

from django_redis import get_redis_connection
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
PREFIX = "fd"


# ---------------------------------------------------------------- keys
def hot_key(list_key: str) -> str:
    return f"{PREFIX}:hot:{list_key}"


def trending_key() -> str:
    return f"{PREFIX}:trending"


def pool_all_key() -> str:
    return f"{PREFIX}:pool:all"


def pool_channel_key(channel_id: int) -> str:
    return f"{PREFIX}:pool:ch:{channel_id}"


def weight_key() -> str:
    return f"{PREFIX}:weight"


def lock_key(name: str) -> str:
    return f"{PREFIX}:lock:{name}"


def seen_key(user_id: int) -> str:
    return f"{PREFIX}:seen:{user_id}"


def session_key(session: str) -> str:
    return f"{PREFIX}:sess:{session}"


def inbox_key(user_id: int) -> str:
    return f"{PREFIX}:inbox:{user_id}"


def outbox_key(author_id: int) -> str:
    return f"{PREFIX}:outbox:{author_id}"


def geo_key() -> str:
    return f"{PREFIX}:geo"


def co_key(post_id: int) -> str:
    return f"{PREFIX}:co:{post_id}"


def reach_key(user_id: int, feed: str, source: str) -> str:
    return f"{PREFIX}:reach:{user_id}:{feed}:{source}"


REACH_SECONDS = 86400


def reach_get(key: str):
    """Return the datetime a reader's reach-back stopped at (None: unknown, start anew)."""
    try:
        raw = redis().get(key)
    except (RedisError, OSError):
        return None
    return datetime.fromtimestamp(float(raw), tz=UTC) if raw is not None else None


def reach_set(key: str, at) -> None:
    """Remember where a reader's reach-back stopped, for a day (then it starts anew)."""
    with tolerant("reach"):
        redis().set(key, f"{at.timestamp():.6f}", ex=REACH_SECONDS)


def exclusions_key(user_id: int) -> str:
    return f"{PREFIX}:excl:{user_id}"


def exclusions_version_key(user_id: int) -> str:
    return f"{PREFIX}:excl-v:{user_id}"


def exclusions_changed(user_ids: Iterable[int]) -> None:
    """Bump the exclusions version of these users (after a block or a not-interested
    change commits), so their cached exclusions are never read again."""
    with tolerant("exclusions version"):
        pipe = redis().pipeline(transaction=False)
        for uid in user_ids:
            pipe.incr(exclusions_version_key(uid))
            pipe.expire(exclusions_version_key(uid), 30 * 86400)
            pipe.delete(exclusions_key(uid))
        pipe.execute()


def engine_key_patterns() -> list[str]:
    """Return the patterns of every key ``rebuild_redis`` owns."""
    return [
        f"{PREFIX}:hot:*", trending_key(), f"{PREFIX}:pool:*", weight_key(),
        f"{PREFIX}:inbox:*", f"{PREFIX}:outbox:*", geo_key(), f"{PREFIX}:co:*",
        f"{PREFIX}:card-author:*",  # (cards themselves are named by their post's updated_at)
    ]


class Unavailable(Exception):
    """Redis could not answer a read: the caller uses its database fallback."""


@contextmanager
def reading():
    """Turn a Redis failure during a read into ``Unavailable``."""
    try:
        yield
    except (RedisError, OSError) as exc:
        log.warning("redis unavailable for a read: %s", exc)
        raise Unavailable(str(exc)) from exc


# ---------------------------------------------------------------- connection
def redis():
    """Return the shared Redis client (the one Django's cache uses)."""
    return get_redis_connection("default")


@contextmanager
def tolerant(action: str):
    """Swallow Redis errors of a write, logging them: the database stays the truth."""
    try:
        yield
    except (RedisError, OSError) as exc:
        log.warning("redis unavailable during %s: %s", action, exc)


# ---------------------------------------------------------------- locks
@contextmanager
def lock(name: str, seconds: int):
    """Hold ``fd:lock:{name}`` for at most ``seconds``; yield False if another run has it.

    If Redis is down the lock cannot be taken; the recomputes are still safe to run
    concurrently (conditional updates), so the body runs anyway.
    """
    import uuid

    token = uuid.uuid4().hex
    try:
        got = bool(redis().set(lock_key(name), token, nx=True, ex=max(1, int(seconds))))
    except (RedisError, OSError):
        got = True
        token = None
    try:
        yield got
    finally:
        if got and token:
            with tolerant("unlock"):
                client = redis()
                if client.get(lock_key(name)) == token.encode():
                    client.delete(lock_key(name))


# ---------------------------------------------------------------- sorted-set lists
def replace_zset(key: str, members: Mapping[int, float]) -> None:
    """Replace a sorted set atomically (write a temporary key, then rename)."""
    with tolerant(f"replace {key}"):
        client = redis()
        if not members:
            client.delete(key)
            return
        tmp = f"{key}:tmp"
        pipe = client.pipeline(transaction=True)
        pipe.delete(tmp)
        pipe.zadd(tmp, {str(m): s for m, s in members.items()})
        pipe.rename(tmp, key)
        pipe.execute()


def read_zset(key: str, limit: int, offset: int = 0) -> list[int] | None:
    """Return the members of a sorted set, highest first; None if Redis is unavailable."""
    try:
        raw = redis().zrevrange(key, offset, offset + limit - 1)
    except (RedisError, OSError):
        return None
    return [int(m) for m in raw]


def remove_from_zsets(member: int, keys: Iterable[str]) -> None:
    with tolerant("zrem"):
        pipe = redis().pipeline(transaction=False)
        for key in keys:
            pipe.zrem(key, str(member))
        pipe.execute()


def hot_remove(post_ids: Iterable[int]) -> None:
    """Take posts off every hot list (global and per channel) at once."""
    members = [str(pid) for pid in post_ids]
    if not members:
        return
    with tolerant("hot remove"):
        client = redis()
        pipe = client.pipeline(transaction=False)
        for key in client.scan_iter(match=hot_key("*"), count=100):
            pipe.zrem(key, *members)
        pipe.execute()


# ---------------------------------------------------------------- pools
def pool_set(post_id: int, channel_ids: Iterable[int], priority: float) -> None:
    """Put an active post in the pool sets at its ``pools.lane_priority``."""
    with tolerant("pool_set"):
        pipe = redis().pipeline(transaction=False)
        pipe.zadd(pool_all_key(), {str(post_id): priority})
        for channel_id in channel_ids:
            pipe.zadd(pool_channel_key(channel_id), {str(post_id): priority})
        pipe.execute()


def pool_remove(post_id: int, channel_ids: Iterable[int]) -> None:
    """Take a post out of the pool sets (stopped, hot, removed …)."""
    remove_from_zsets(post_id, [pool_all_key(), *(pool_channel_key(c) for c in channel_ids)])


# ---------------------------------------------------------------- weights
def weights_set(weights: Mapping[int, float]) -> None:
    if not weights:
        return
    with tolerant("weights_set"):
        redis().hset(weight_key(), mapping={str(u): w for u, w in weights.items()})


def weights_get(user_ids: Iterable[int]) -> dict[int, float] | None:
    ids = list(user_ids)
    if not ids:
        return {}
    try:
        values = redis().hmget(weight_key(), [str(u) for u in ids])
    except (RedisError, OSError):
        return None
    return {u: float(v) for u, v in zip(ids, values, strict=True) if v is not None}


def clear_engine_keys() -> int:
    """Delete every engine key (before a rebuild); return how many were deleted."""
    client = redis()
    deleted = 0
    for pattern in engine_key_patterns():
        keys = list(client.scan_iter(match=pattern, count=1000))
        if keys:
            deleted += client.delete(*keys)
    return deleted


# ---------------------------------------------------------------- learned stage
def learned_key() -> str:
    """The id of the learned model in use ("0": none trained), so a feed knows it without a query."""
    return f"{PREFIX}:learned"
