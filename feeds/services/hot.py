"""Hot lists (global and per channel) and trending topics: compute, store, read."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from content.models import Channel, EngagementBurst, Event, Post, PostTag
from feeds import events as feeds_events
from feeds import stores
from feeds.engine import hot
from feeds.knobs import knobs
from feeds.models import HotEntry, HotOverride, PoolEntry, TrendingTag
from feeds.services.serving import recommendable

GLOBAL = "global"
EXCLUDED_STATES = [PoolEntry.State.NOT_ENTERED, PoolEntry.State.HELD]


def _candidates(now: datetime, k: dict) -> list[tuple[hot.HotCandidate, int]]:
    """Return recent published posts that may be hot, with their top-level channel id.

    Posts not entered into the pools (low quality) or held by moderation never are;
    nor are posts stopped by negative feedback (reports, skips, not interested).
    """
    since = now - timedelta(hours=k["HOT_WINDOW_HOURS"])
    rows = (
        Post.objects.filter(status=Post.Status.PUBLISHED, published_at__gte=since, author__is_active=True)
        .exclude(pool__state__in=EXCLUDED_STATES)
        .exclude(pool_transitions__action="negative_stop")
        .values_list(
            "pk", "author_id", "channel_id", "channel__parent_id", "published_at",
            "like_count", "comment_count", "favourite_count", "share_count",
        )
    )
    out = []
    burst = _burst_reactions(since)
    for pk, author, channel, parent, published, likes, comments, favourites, shares in rows:
        age = (now - published).total_seconds() / 3600
        if pk in burst:
            left_out = burst[pk]
            likes = max(0, likes - left_out.get(Event.Kind.LIKE, 0))
            comments = max(0, comments - left_out.get(Event.Kind.COMMENT, 0))
            favourites = max(0, favourites - left_out.get(Event.Kind.FAVOURITE, 0))
            shares = max(0, shares - left_out.get(Event.Kind.SHARE, 0))
        out.append(
            (
                hot.HotCandidate(pk, author, channel, age, likes, comments, favourites, shares),
                parent or channel,
            )
        )
    return out


def _burst_reactions(since: datetime) -> dict[int, dict[str, int]]:
    """Return, per post, the reactions since ``since`` that came in a burst
    (``content.services.bursts``), by kind: people for likes, saves and shares, rows for
    comments, as the counters count them. Hot lists leave them out, as the pools do."""
    kinds = [Event.Kind.LIKE, Event.Kind.FAVOURITE, Event.Kind.SHARE, Event.Kind.COMMENT]
    # Through the recent bursts' ids: the events' partial index on burst answers it at
    # once, where "burst is not null" alone lets SQLite walk the whole table.
    recent = EngagementBurst.objects.filter(last_event_at__gte=since).values("pk")
    rows = (
        Event.objects.filter(burst__in=recent, created_at__gte=since, kind__in=kinds)
        .values("post_id", "kind")
        .annotate(people=Count("user", distinct=True), events=Count("id"))
        .order_by()
    )
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for row in rows:
        out[row["post_id"]][row["kind"]] = row["events" if row["kind"] == Event.Kind.COMMENT else "people"]
    return out


def _overrides(list_key: str | None = None) -> tuple[dict[str, dict[int, int]], dict[str, set[int]]]:
    """Return moderators' pins (post → position) and removals per list; a pin of a post
    that may no longer be recommended (limited, removed, author banned) is ignored."""
    pins: dict[str, dict[int, int]] = defaultdict(dict)
    removed: dict[str, set[int]] = defaultdict(set)
    rows = HotOverride.objects.all() if list_key is None else HotOverride.objects.filter(list_key=list_key)
    pinnable = set(
        Post.objects.filter(recommendable(), pk__in=rows.filter(kind=HotOverride.Kind.PIN).values("post_id"))
        .values_list("pk", flat=True)
    )
    for o in rows:
        if o.kind == HotOverride.Kind.PIN and o.post_id not in pinnable:
            continue
        if o.kind == HotOverride.Kind.PIN:
            pins[o.list_key][o.post_id] = o.position
        else:
            removed[o.list_key].add(o.post_id)
    return pins, removed


def hot_recompute(*, now: datetime | None = None) -> dict[str, int]:
    """Recompute every hot list; store it in the database and Redis. Return list sizes."""
    k = knobs()
    now = now or timezone.now()
    candidates = _candidates(now, k)
    by_channel: dict[int, list[hot.HotCandidate]] = defaultdict(list)
    for c, top_id in candidates:
        by_channel[top_id].append(c)
    slugs = dict(Channel.objects.filter(parent__isnull=True).values_list("pk", "slug"))
    lists: dict[str, list[tuple[int, float]]] = {
        GLOBAL: [(c.post_id, s) for c, s in hot.rank_hot([c for c, _ in candidates], k)]
    }
    for top_id, slug in slugs.items():
        ranked = hot.rank_hot(by_channel.get(top_id, []), k, per_channel=True)
        lists[slug] = [(c.post_id, s) for c, s in ranked]
    pins, removed = _overrides()
    rows: list[HotEntry] = []
    final: dict[str, list[int]] = {}
    for list_key, ranked in lists.items():
        scores = dict(ranked)
        ids = hot.apply_overrides([pid for pid, _ in ranked], pins.get(list_key, {}), removed.get(list_key, set()))
        final[list_key] = ids
        rows += [
            HotEntry(list_key=list_key, rank=rank, post_id=pid, score=scores.get(pid, 0.0),
                     pinned=pid in pins.get(list_key, {}), computed_at=now)
            for rank, pid in enumerate(ids, start=1)
        ]
    with transaction.atomic():
        before = set(HotEntry.objects.filter(list_key=GLOBAL).values_list("post_id", flat=True))
        HotEntry.objects.all().delete()
        HotEntry.objects.bulk_create(rows, batch_size=1000)
        entered = [pid for pid in final[GLOBAL] if pid not in before]
        if entered:
            feeds_events.hot_entered.send(post_ids=entered)
    store_hot_lists(final)
    return {key: len(ids) for key, ids in final.items()}


def hot_overrides_apply(list_key: str, *, now: datetime | None = None) -> list[int]:
    """Re-apply moderators' pins and removals to the last computed list ``list_key`` at
    once (database rows and Redis), without recomputing scores; return the new order.

    Posts keep their computed scores; a post that was on the list only because it was
    pinned (score 0) leaves it when unpinned.
    """
    now = now or timezone.now()
    pins, removed = _overrides(list_key)
    pins, removed = pins.get(list_key, {}), removed.get(list_key, set())
    rows = list(HotEntry.objects.filter(list_key=list_key).values_list("post_id", "score", "pinned"))
    scores = {pid: score for pid, score, _ in rows}
    ranked = sorted(
        (pid for pid, score, pinned in rows if not (pinned and score <= 0 and pid not in pins)),
        key=lambda pid: -scores[pid],
    )
    ids = hot.apply_overrides(ranked, pins, removed)
    with transaction.atomic():
        HotEntry.objects.filter(list_key=list_key).delete()
        HotEntry.objects.bulk_create(
            [
                HotEntry(list_key=list_key, rank=rank, post_id=pid, score=scores.get(pid, 0.0),
                         pinned=pid in pins, computed_at=now)
                for rank, pid in enumerate(ids, start=1)
            ]
        )
    transaction.on_commit(lambda: store_hot_lists({list_key: ids}))
    return ids


def store_hot_lists(lists: dict[str, list[int]]) -> None:
    """Write hot lists to Redis as sorted sets whose scores keep the list order."""
    for list_key, ids in lists.items():
        stores.replace_zset(stores.hot_key(list_key), {pid: len(ids) - i for i, pid in enumerate(ids)})


def hot_list(list_key: str = GLOBAL, *, limit: int = 50, offset: int = 0) -> list[int]:
    """Return the post ids of a hot list, from Redis, else from the database."""
    return hot_list_read(list_key, limit=limit, offset=offset)[0]


def hot_list_read(list_key: str = GLOBAL, *, limit: int = 50, offset: int = 0) -> tuple[list[int], bool]:
    """Return the post ids of a hot list and whether the database answered instead of
    Redis (Redis down, the lists being rebuilt, or this list missing from Redis)."""
    ids = stores.read_zset(stores.hot_key(list_key), limit, offset) if stores.built(stores.HOT) else None
    if ids is None or (not ids and offset == 0):
        rows = list(
            HotEntry.objects.filter(list_key=list_key).order_by("rank")
            .values_list("post_id", flat=True)[offset : offset + limit]
        )
        return rows, ids is None or bool(rows)
    return ids, False


def hot_rebuild_redis() -> int:
    """Rewrite Redis hot lists and trending topics from the last computed rows."""
    lists: dict[str, list[int]] = defaultdict(list)
    for list_key, pid in HotEntry.objects.order_by("list_key", "rank").values_list("list_key", "post_id"):
        lists[list_key].append(pid)
    store_hot_lists(lists)
    stores.replace_zset(
        stores.trending_key(), dict(TrendingTag.objects.values_list("tag_id", "score"))
    )
    return sum(len(ids) for ids in lists.values())


# ---------------------------------------------------------------- trending topics
def _tag_uses(start: datetime, end: datetime) -> dict[int, int]:
    """Return uses per tag in [start, end): new posts carrying it plus engagement on them."""
    uses: dict[int, int] = defaultdict(int)
    posts = (
        PostTag.objects.filter(post__published_at__gte=start, post__published_at__lt=end,
                               post__status=Post.Status.PUBLISHED)
        .values("tag_id").annotate(n=Count("id")).order_by()
    )
    for row in posts:
        uses[row["tag_id"]] += row["n"]
    engaged = (
        Event.objects.filter(
            created_at__gte=start, created_at__lt=end,
            kind__in=[Event.Kind.LIKE, Event.Kind.COMMENT, Event.Kind.FAVOURITE, Event.Kind.SHARE],
        )
        .values("post__post_tags__tag_id").annotate(n=Count("id")).order_by()
    )
    for row in engaged:
        if row["post__post_tags__tag_id"] is not None:
            uses[row["post__post_tags__tag_id"]] += row["n"]
    return uses


def trending_recompute(*, now: datetime | None = None) -> list[int]:
    """Recompute trending topics: tags whose recent use rises most over their baseline."""
    k = knobs()
    now = now or timezone.now()
    recent_h = k["TRENDING_RECENT_HOURS"]
    recent_start = now - timedelta(hours=recent_h)
    base_start = recent_start - timedelta(days=k["TRENDING_BASELINE_DAYS"])
    recent = _tag_uses(recent_start, now)
    baseline = _tag_uses(base_start, recent_start)
    windows = k["TRENDING_BASELINE_DAYS"] * 24 / recent_h
    scored = []
    for tag_id, n in recent.items():
        if n < k["TRENDING_MIN_RECENT"]:
            continue
        base = baseline.get(tag_id, 0) / windows
        scored.append((hot.trending_score(n, base), tag_id, n, base))
    scored.sort(key=lambda row: (-row[0], row[1]))
    top = scored[: k["TRENDING_SIZE"]]
    with transaction.atomic():
        TrendingTag.objects.all().delete()
        TrendingTag.objects.bulk_create(
            [TrendingTag(rank=i, tag_id=t, score=s, recent=n, baseline=b, computed_at=now)
             for i, (s, t, n, b) in enumerate(top, start=1)]
        )
    stores.replace_zset(stores.trending_key(), {t: s for s, t, _, _ in top})
    return [t for _, t, _, _ in top]


def hot_and_trending_recompute(*, now: datetime | None = None) -> dict[str, int]:
    sizes = hot_recompute(now=now)
    sizes["trending"] = len(trending_recompute(now=now))
    return sizes


__all__ = ["hot_and_trending_recompute", "hot_list", "hot_list_read", "hot_overrides_apply", "hot_rebuild_redis", "hot_recompute", "trending_recompute"]
