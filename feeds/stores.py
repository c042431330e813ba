"""Every Redis key of the engine and the feeds, and the operations on them.

Redis holds ids and scores only (rows stay in the database) and everything here can be
rebuilt from the database: by the worker, on its own, for a structure found missing or
incomplete (docs/operations.md), or all at once by ``manage.py rebuild_redis``. A Redis
outage never breaks a request: reads return ``None`` ("unknown, use the database") and
writes are skipped with a warning, to be repaired by the next recompute or rebuild.

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
| fd:co-at                    | zset | post → when its fd:co set was computed (the application's clock) |
| fd:card:…, fd:card-author:… | str  | rendered API feed cards (``content.cards``)         |
| fd:reach:{user}:{feed}:{src} | str  | how far back a reader's reach-back has walked: "{published ts}@{walk began}" |
| fd:excl:{user_id}           | hash | version → the user's exclusions (blocks, not-interested), JSON |
| fd:excl-v:{user_id}         | str  | that version, bumped by every block and not-interested change |
| fd:gen:{structure}          | str  | generation marker: "{redis run_id}:{built at}", written when a rebuild of that structure ends |
| fd:fanout:done              | zset | fan-out ledger: post → when its fan-out finished (kept FANOUT_REPAIR_MINUTES) |
| fd:burst:{who}              | zset | an account's (u:{id}) or address's (a:{ip}) recent event ids → when (ENGAGEMENT_BURST_WINDOW_SECONDS) |
| fd:unread:{user_id}         | hash | unread notifications per category (notifications/), plus "v": the version they were counted at |
| fd:unread-v:{user_id}       | str  | that version, bumped after every delivery and mark-read commits |

Each structure the feeds read (``STRUCTURES``) is complete only while its generation
marker is there and names the running server: a Redis that lost its data has no marker,
a restarted one has another run id. Readers then answer from the database
(``require``) and the worker rebuilds it (``feeds.services.healing``).

Sessions, seen sets, inboxes and co-engagement sets are caches of what the database
says (events, follows, likes): losing them costs a repeat or a slower page, never data.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import NamedTuple

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


def outlived(written_at: float | None, seconds: float) -> bool:
    """Whether something written at ``written_at`` is ``seconds`` old or more by the
    application's clock (``None``: its time is unknown, so it is left to its expiry).

    What the engine forgets after a while says when it was written and is checked here:
    a Redis expiry alone follows the server's clock, which a replay in simulated time
    never moves (the reach-back pointer, the co-engagement sets).
    """
    return written_at is not None and time.time() - written_at >= seconds


def co_key(post_id: int) -> str:
    return f"{PREFIX}:co:{post_id}"


def co_at_key() -> str:
    return f"{PREFIX}:co-at"


def co_sets_write(sets: Mapping[int, Mapping[int, int]], *, at: float, keep_seconds: int) -> int:
    """Replace the co-engagement sets of these posts, computed at ``at`` (the
    application's clock); return how many are not empty.

    Each written set is kept ``keep_seconds`` by its Redis expiry and named in
    ``fd:co-at`` with ``at``, so a reader can tell its age by the application's clock
    (``outlived``); the ledger drops what has outlived ``keep_seconds``.
    """
    pipe = redis().pipeline(transaction=False)
    written = 0
    for post_id, top in sets.items():
        key = co_key(post_id)
        pipe.delete(key)
        if top:
            pipe.zadd(key, {str(other): n for other, n in top.items()})
            pipe.expire(key, keep_seconds)
            pipe.zadd(co_at_key(), {str(post_id): at})
            written += 1
        else:
            pipe.zrem(co_at_key(), str(post_id))
    pipe.zremrangebyscore(co_at_key(), "-inf", f"({at - keep_seconds}")
    pipe.execute()
    return written


def reach_key(user_id: int, feed: str, source: str) -> str:
    return f"{PREFIX}:reach:{user_id}:{feed}:{source}"


REACH_SECONDS = 86400


class Reach(NamedTuple):
    """Where a reader's reach-back stopped (a published time) and when that walk began."""

    at: datetime
    began: float


def reach_get(key: str) -> Reach | None:
    """Return where a reader's reach-back stopped (None: unknown, start from the top).

    A walk that began ``REACH_SECONDS`` ago or more by the application's clock is over,
    so the posts it passed over unserved come back. The Redis expiry alone would not
    do: it follows the server's clock, which a replay in simulated time never moves.
    """
    try:
        raw = redis().get(key)
    except (RedisError, OSError):
        return None
    if raw is None:
        return None
    at, _, began = (raw.decode() if isinstance(raw, bytes) else raw).partition("@")
    began = float(began) if began else None
    if outlived(began, REACH_SECONDS):
        return None
    return Reach(datetime.fromtimestamp(float(at), tz=UTC), time.time() if began is None else began)


def reach_set(key: str, at: datetime, began: float | None = None) -> None:
    """Remember where a reader's reach-back stopped, in the walk that ``began`` then
    (None: a walk that begins now)."""
    began = time.time() if began is None else began
    with tolerant("reach"):
        redis().set(key, f"{at.timestamp():.6f}@{began:.6f}", ex=REACH_SECONDS)


def card_key(post_id: int, updated_at) -> str:
    """A post's rendered API card, named by its ``updated_at`` so an edit never reads a stale one."""
    return f"{PREFIX}:card:{post_id}:{updated_at.timestamp():.6f}"


def card_author_key(user_id: int) -> str:
    return f"{PREFIX}:card-author:{user_id}"


def boosts_version_key() -> str:
    """A token set anew whenever a boost is ordered: process-local copies of the live
    boosts (``boosts.delivery``) are good only under the token they were read with."""
    return f"{PREFIX}:boosts:ver"


def boosts_changed() -> None:
    """Mark every process's copy of the live boosts obsolete (call on commit)."""
    import uuid

    with tolerant("boosts version"):
        redis().set(boosts_version_key(), uuid.uuid4().hex.encode())


def boost_gap_key(user_id: int) -> str:
    """Organic items the viewer has seen since their last boosted one (boosts' spacing)."""
    return f"{PREFIX}:boost-gap:{user_id}"


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


# ---------------------------------------------------------------- unread notifications
# A person's unread counts are a cache of one grouped count over their notification rows
# (notifications.selectors.unread_counts). The version makes it race-free, as for the
# exclusions: a reader notes the version before counting in the database and files its
# count under it; a delivery or a mark-read bumps the version after it commits, so a
# count taken before the change is never read again. Counts are trusted only while the
# structure's generation marker (UNREAD) is there: a Redis restart or a lost key means
# one grouped query, not a wrong badge.
UNREAD_KEEP_SECONDS = 30 * 86400


def unread_key(user_id: int) -> str:
    return f"{PREFIX}:unread:{user_id}"


def unread_version_key(user_id: int) -> str:
    return f"{PREFIX}:unread-v:{user_id}"


def unread_get(user_id: int) -> tuple[dict[str, int] | None, str]:
    """Return the cached unread counts (None: count in the database) and the version to
    file a new count under, in one round trip; ``(None, "")`` when Redis is down."""
    try:
        pipe = redis().pipeline(transaction=False)
        pipe.get(generation_key(UNREAD))
        pipe.get(unread_version_key(user_id))
        pipe.hgetall(unread_key(user_id))
        marker, version, cached = pipe.execute()
    except (RedisError, OSError):
        return None, ""
    version = (version or b"0").decode()
    if marker is None or not cached or cached.get(b"v", b"").decode() != version:
        return None, version if marker is not None else ""
    return {k.decode(): int(n) for k, n in cached.items() if k != b"v"}, version


def unread_put(user_id: int, counts: Mapping[str, int], version: str) -> None:
    """File counts taken from the database under ``version`` (skipped without one)."""
    if not version:
        return
    with tolerant("unread counts"):
        pipe = redis().pipeline(transaction=False)
        pipe.delete(unread_key(user_id))
        pipe.hset(unread_key(user_id), mapping={"v": version, **{k: int(n) for k, n in counts.items()}})
        pipe.expire(unread_key(user_id), UNREAD_KEEP_SECONDS)
        pipe.execute()


def unread_changed(user_ids: Iterable[int]) -> None:
    """Bump these people's unread version (after a delivery or a mark-read commits)."""
    with tolerant("unread version"):
        pipe = redis().pipeline(transaction=False)
        for uid in user_ids:
            pipe.incr(unread_version_key(uid))
            pipe.expire(unread_version_key(uid), UNREAD_KEEP_SECONDS)
            pipe.delete(unread_key(uid))
        pipe.execute()


# ---------------------------------------------------------------- generations
# The structures the feeds read, each rebuilt as one piece (feeds.services.rebuild);
# UNREAD is the notifications' unread counts (dropped on a rebuild, counted again lazily).
GEO, HOT, POOLS, WEIGHTS, FOLLOW, COENGAGEMENT = "geo", "hot", "pools", "weights", "follow", "coengagement"
UNREAD = "unread"
STRUCTURES = (GEO, HOT, POOLS, WEIGHTS, FOLLOW, COENGAGEMENT, UNREAD)


def generation_key(structure: str) -> str:
    return f"{PREFIX}:gen:{structure}"


def fanout_done_key() -> str:
    return f"{PREFIX}:fanout:done"


def server_run_id() -> str:
    """Return the running Redis server's run id (a new one after every restart)."""
    return redis().info("server")["run_id"]


def generations() -> dict[str, str | None]:
    """Return each structure's marker, "{run_id}:{built at}", or None when missing."""
    values = redis().mget([generation_key(s) for s in STRUCTURES])
    return {s: (v.decode() if v is not None else None) for s, v in zip(STRUCTURES, values, strict=True)}


def generation_mark(structure: str, run_id: str) -> bool:
    """Mark ``structure`` complete for the server ``run_id``; False if it restarted since."""
    if server_run_id() != run_id:
        return False
    redis().set(generation_key(structure), f"{run_id}:{datetime.now(UTC).timestamp():.0f}")
    return True


def generation_clear(structures: Iterable[str]) -> None:
    """Drop the markers of these structures: readers use the database until rebuilt."""
    keys = [generation_key(s) for s in structures]
    if keys:
        redis().delete(*keys)


def require(*structures: str) -> None:
    """Raise ``Unavailable`` unless every one of ``structures`` is marked complete (or
    when Redis is down): the caller then answers from the database."""
    with reading():
        values = redis().mget([generation_key(s) for s in structures])
    missing = [s for s, v in zip(structures, values, strict=True) if v is None]
    if missing:
        raise Unavailable(f"being rebuilt: {', '.join(missing)}")


def built(*structures: str) -> bool:
    """Return True when every one of ``structures`` is marked complete (False if Redis is down)."""
    try:
        require(*structures)
    except Unavailable:
        return False
    return True


def fanout_done(post_id: int) -> None:
    """Record in the ledger that a post's fan-out finished."""
    with tolerant("fan-out ledger"):
        redis().zadd(fanout_done_key(), {str(post_id): datetime.now(UTC).timestamp()})


def fanout_done_among(post_ids: list[int], *, keep_seconds: int) -> set[int]:
    """Return which of ``post_ids`` the ledger holds; forget entries older than ``keep_seconds``."""
    client = redis()
    pipe = client.pipeline(transaction=False)
    pipe.zremrangebyscore(fanout_done_key(), "-inf", datetime.now(UTC).timestamp() - keep_seconds)
    for pid in post_ids:
        pipe.zscore(fanout_done_key(), str(pid))
    scores = pipe.execute()[1:]
    return {pid for pid, score in zip(post_ids, scores, strict=True) if score is not None}


def delete_matching(pattern: str) -> int:
    """Delete every key matching ``pattern``; return how many."""
    client = redis()
    deleted = 0
    keys = list(client.scan_iter(match=pattern, count=1000))
    for start in range(0, len(keys), 1000):
        deleted += client.delete(*keys[start : start + 1000])
    return deleted


def burst_key(who: str) -> str:
    """``who`` is ``u:{user_id}`` or ``a:{address}``."""
    return f"{PREFIX}:burst:{who}"


def burst_windows_add(whos: list[str], event_ids: list[int], at: float, window: float) -> list[int] | None:
    """Add events (ids, at a unix time) to each of ``whos``' windows; return how many
    events each window now holds.

    Atomic (MULTI): concurrent requests count each other's events. ``None`` when Redis
    is down: the burst screen then lets the events through (a person still counts once).
    """
    try:
        pipe = redis().pipeline(transaction=True)
        for who in whos:
            key = burst_key(who)
            pipe.zadd(key, {str(i): at for i in event_ids})
            pipe.zremrangebyscore(key, "-inf", at - window)
            pipe.zcard(key)
            pipe.expire(key, max(1, int(window) + 1))
        replies = pipe.execute()
    except (RedisError, OSError) as exc:
        log.warning("redis unavailable for the burst screen: %s", exc)
        return None
    return [int(n) for n in replies[2::4]]


def burst_window_ids(who: str) -> list[int]:
    """Return the ids of the events in ``who``'s window (empty when Redis is down)."""
    try:
        return [int(i) for i in redis().zrange(burst_key(who), 0, -1)]
    except (RedisError, OSError):
        return []


def engine_key_patterns() -> list[str]:
    """Return the patterns of every key ``rebuild_redis`` owns."""
    return [
        f"{PREFIX}:hot:*", trending_key(), f"{PREFIX}:pool:*", weight_key(),
        f"{PREFIX}:inbox:*", f"{PREFIX}:outbox:*", geo_key(), f"{PREFIX}:co:*",
        f"{PREFIX}:card-author:*",  # (cards themselves are named by their post's updated_at)
        f"{PREFIX}:unread:*",
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
    """Return the weights Redis holds for these users; None if Redis is down or the
    weights are being rebuilt (the caller reads the database)."""
    ids = list(user_ids)
    if not ids:
        return {}
    try:
        pipe = redis().pipeline(transaction=False)
        pipe.get(generation_key(WEIGHTS))
        pipe.hmget(weight_key(), [str(u) for u in ids])
        marker, values = pipe.execute()
    except (RedisError, OSError):
        return None
    if marker is None:
        return None
    return {u: float(v) for u, v in zip(ids, values, strict=True) if v is not None}


def clear_engine_keys() -> int:
    """Delete every engine key (before a rebuild); return how many were deleted."""
    return sum(delete_matching(pattern) for pattern in engine_key_patterns())


# ---------------------------------------------------------------- learned stage
def learned_key() -> str:
    """The id of the learned model in use ("0": none trained), so a feed knows it without a query."""
    return f"{PREFIX}:learned"
