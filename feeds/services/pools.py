"""Traffic pools: enter a post at publish, evaluate the active ones, record every move."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from content.models import Event, Post, ReviewRequest
from feeds import events as feeds_events
from feeds import stores
from feeds.engine import pools
from feeds.engine.discover import RESERVE
from feeds.engine.quality import PostFacts, bands, hamming, quality_score, simhash
from feeds.events import BOOST_SOURCE
from feeds.knobs import knobs
from feeds.models import AccountWeight, PoolEntry, PoolTransition, PostSignature, Watermark

ACTIVE = PoolEntry.State.ACTIVE


def _channel_ids(post: Post) -> list[int]:
    return [post.channel_id] + ([post.channel.parent_id] if post.channel.parent_id else [])


def author_weight(author_id: int) -> float:
    """Return the author's stored account weight (1.0 when never computed)."""
    row = AccountWeight.objects.filter(user_id=author_id).values_list("weight", flat=True).first()
    return row if row is not None else 1.0


def _find_duplicate(post: Post, value: int, k: dict) -> int | None:
    """Return the id of an earlier post whose SimHash is within the duplicate distance."""
    b = bands(value)
    candidates = (
        PostSignature.objects.filter(
            Q(band0=b[0]) | Q(band1=b[1]) | Q(band2=b[2]) | Q(band3=b[3])
        )
        .exclude(post_id=post.pk)
        .values_list("post_id", "simhash")[:200]
    )
    limit = k["QUALITY_DUPLICATE_MAX_DISTANCE"]
    for other_id, other_hash in candidates:
        if hamming(value, other_hash) <= limit:
            return other_id
    return None


@transaction.atomic
def pool_enter(*, post: Post, now: datetime | None = None) -> PoolEntry:
    """Score a newly published post and enter it into the base pool, or not.

    Records the SimHash signature (originality), the quality score with its reasons, the
    pool entry and the first transition. Spam words and links also open a review request.
    """
    k = knobs()
    now = now or timezone.now()
    text = f"{post.title}\n{post.body}"
    value = simhash(text)
    duplicate_of = _find_duplicate(post, value, k) if len(text.strip()) >= 8 else None
    b = bands(value)
    # Upserts (one INSERT … ON CONFLICT each): publishing writes both rows, a post that
    # comes back (approved, restored) has them rewritten.
    PostSignature.objects.bulk_create(
        [PostSignature(post=post, simhash=value, band0=b[0], band1=b[1], band2=b[2], band3=b[3], duplicate_of_id=duplicate_of)],
        update_conflicts=True,
        unique_fields=["post"],
        update_fields=["simhash", "band0", "band1", "band2", "band3", "duplicate_of"],
    )
    facts = PostFacts(
        kind=post.kind,
        title=post.title,
        body=post.body,
        image_count=post.images.count() if post.kind == Post.Kind.NOTE else 0,
        video_seconds=post.video_seconds,
        tag_count=post.post_tags.filter(source="author").count(),
        is_duplicate=duplicate_of is not None,
    )
    quality = quality_score(facts, k)
    entered = quality.score >= k["QUALITY_THRESHOLD"] and post.status == Post.Status.PUBLISHED
    quota = pools.tier_quota(0, author_weight(post.author_id), k) if entered else 0
    entered_fields = {
        "tier": 0,
        "state": ACTIVE if entered else PoolEntry.State.NOT_ENTERED,
        "quota": quota,
        "tier_entered_at": now,
        "window_ends_at": now + timedelta(hours=k["POOL_WINDOW_HOURS"]),
        "quality_score": quality.score,
        "quality_reasons": quality.reasons,
    }
    (entry,) = PoolEntry.objects.bulk_create(
        [PoolEntry(post=post, **entered_fields)],
        update_conflicts=True,
        unique_fields=["post"],
        update_fields=list(entered_fields),
    )
    if entered:
        reason = f"quality {quality.score:.2f}; base pool quota {quota}"
    else:
        reason = f"quality {quality.score:.2f} under {k['QUALITY_THRESHOLD']}: " + "; ".join(quality.reasons)
    PoolTransition.objects.create(
        post=post,
        action=PoolTransition.Action.ENTER if entered else PoolTransition.Action.NOT_ENTERED,
        from_tier=None,
        to_tier=0 if entered else None,
        to_state=entry.state,
        rates={"quality": quality.score},
        reason=reason[:300],
        created_at=now,
    )
    if any(r.startswith(("spam words", "contains links")) for r in quality.reasons):
        ReviewRequest.objects.get_or_create(
            post=post, source=ReviewRequest.Source.QUALITY, resolved_at=None,
            defaults={"reason": "; ".join(quality.reasons)[:300]},
        )
    if entered:
        channel_ids = _channel_ids(post)
        transaction.on_commit(lambda: stores.pool_set(post.pk, channel_ids, pools.lane_priority(0, quota, 0)))
    return entry


# ---------------------------------------------------------------- evaluation
COUNT_FIELDS = {
    "impressions": Q(kind=Event.Kind.IMPRESSION),
    "likes": Q(kind=Event.Kind.LIKE),
    "comments": Q(kind=Event.Kind.COMMENT),
    "favourites": Q(kind=Event.Kind.FAVOURITE),
    "shares": Q(kind=Event.Kind.SHARE),
    "views": Q(kind=Event.Kind.VIEW),
    "completions": Q(kind=Event.Kind.VIEW, completed=True),
    "not_interested": Q(kind=Event.Kind.NOT_INTERESTED),
    "reports": Q(kind=Event.Kind.REPORT),
}


# A boost's audience and the reserve lane's: their events do not fill the pools.
UNCOUNTED_SOURCES = (BOOST_SOURCE, RESERVE)


def tier_counts(post_ids: list[int]) -> dict[int, pools.TierCounts]:
    """Return what happened to each post since it entered its tier, in one query."""
    k = knobs()
    quick = Q(kind=Event.Kind.VIEW, completed=False) & (
        Q(seconds__lt=k["QUICK_SKIP_SECONDS"])
        | Q(post__video_seconds__isnull=False, seconds__lt=F("post__video_seconds") * k["QUICK_SKIP_FRACTION"])
    )
    # Impressions are the feed's own rows; every reaction counts once per person (fifty
    # shares, or two hundred skips, from one account are one share, one quick skip).
    aggregates = {
        name: Count("id", filter=cond) if name == "impressions" else Count("user", filter=cond, distinct=True)
        for name, cond in COUNT_FIELDS.items()
    }
    aggregates["quick_skips"] = Count("user", filter=quick, distinct=True)
    rows = (
        # Impressions and engagement of a paid boost's viewers are left out (a boost must
        # not buy a promotion), and so are the reserve lane's: people a post was held
        # back from, shown it only to fill a page, would not give it a fair verdict. So
        # are events that came in a burst (content.services.bursts).
        Event.objects.filter(
            post_id__in=post_ids, created_at__gte=F("post__pool__tier_entered_at"), burst__isnull=True
        )
        .exclude(source__in=UNCOUNTED_SOURCES)
        .values("post_id")
        .annotate(**aggregates)
        .order_by()
    )
    return {row.pop("post_id"): pools.TierCounts(**row) for row in rows}


def _changed_post_ids(since: datetime, now: datetime) -> list[int]:
    """Return active posts with events since ``since`` or whose window has ended."""
    with_events = Event.objects.filter(
        created_at__gte=since, post__pool__state=ACTIVE
    ).values_list("post_id", flat=True).distinct()
    expired = PoolEntry.objects.filter(state=ACTIVE, window_ends_at__lte=now).values_list("post_id", flat=True)
    return sorted(set(with_events) | set(expired))


def pools_evaluate(*, post_ids: Iterable[int] | None = None, now: datetime | None = None) -> dict[str, int]:
    """Evaluate the active pool posts that changed; return how many moved, by action.

    Without ``post_ids`` the posts are those with events since the last run (a
    watermark) plus those whose window ended. Each transition is a conditional update
    on the entry's version, so two concurrent runs cannot promote a post twice.
    """
    k = knobs()
    now = now or timezone.now()
    mark, _ = Watermark.objects.get_or_create(name="pools", defaults={"at": now - timedelta(days=3650)})
    if post_ids is None:
        ids = _changed_post_ids(mark.at, now)
    else:
        ids = list(post_ids)
    moved: dict[str, int] = {}
    for start in range(0, len(ids), 2000):
        chunk = ids[start : start + 2000]
        for action, n in _evaluate_chunk(chunk, now, k).items():
            moved[action] = moved.get(action, 0) + n
    if post_ids is None:
        Watermark.objects.filter(name="pools").update(at=now)
    return moved


@dataclass
class _Entry:
    """The few fields of a pool entry (and its post) that an evaluation reads."""

    pk: int
    post_id: int
    tier: int
    state: str
    quota: int
    tier_entered_at: datetime
    window_ends_at: datetime
    version: int
    kind: str
    author_id: int
    channel_ids: list[int]
    extensions: int = 0
    waits: int = 0
    selling: bool = False
    impressions_in_tier: int = 0
    rates: dict = field(default_factory=dict)


def _entries(ids: list[int]) -> list[_Entry]:
    rows = PoolEntry.objects.filter(post_id__in=ids, state=ACTIVE).values_list(
        "pk", "post_id", "tier", "state", "quota", "tier_entered_at", "window_ends_at", "version",
        "post__kind", "post__author_id", "post__channel_id", "post__channel__parent_id", "extensions", "waits", "selling",
    )
    return [
        _Entry(pk, post_id, tier, state, quota, entered, ends, version, kind, author,
               [channel] + ([parent] if parent else []), extensions, waits, selling)
        for pk, post_id, tier, state, quota, entered, ends, version, kind, author, channel, parent, extensions,
        waits, selling in rows
    ]


def _orders(entries: list[_Entry]) -> dict[int, int]:
    """Return the people who ordered from each selling post in its tier (asked of commerce
    through ``feeds.events.conversion_orders``; no question when nothing sells)."""
    since = {e.post_id: e.tier_entered_at for e in entries if e.selling}
    if not since:
        return {}
    return feeds_events.conversion_orders.first(since=since) or {}


def pool_selling_set(*, post_id: int, selling: bool) -> int:
    """Mark whether a post carries live products (its verdict then weighs conversion).

    Not a transition: the entry's tier, state and version stay; the next evaluation reads it.
    """
    return PoolEntry.objects.filter(post_id=post_id).exclude(selling=selling).update(selling=selling)


def _evaluate_chunk(ids: list[int], now: datetime, k: dict) -> dict[str, int]:
    entries = _entries(ids)
    counts = tier_counts([e.post_id for e in entries])
    orders = _orders(entries)
    held: list[_Entry] = []
    moved: dict[str, int] = {}
    for entry in entries:
        c = counts.get(entry.post_id, pools.TierCounts())
        if entry.selling:
            c = replace(c, orders=orders.get(entry.post_id, 0))
        decision = pools.decide(
            tier=entry.tier,
            kind=entry.kind,
            quota=entry.quota,
            counts=c,
            window_ends_at=entry.window_ends_at,
            now=now,
            k=k,
            extensions=entry.extensions,
            waits=entry.waits,
            selling=entry.selling,
        )
        if decision.action == pools.HOLD:
            entry.impressions_in_tier = c.impressions
            entry.rates = decision.rates
            held.append(entry)
            continue
        if _apply(entry, decision, c, now, k):
            moved[decision.action] = moved.get(decision.action, 0) + 1
    _save_held(held, now)
    # One ZADD XX per sorted set: each held post's place now that it was served more.
    by_key: dict[str, dict[str, float]] = {}
    for e in held:
        priority = pools.lane_priority(e.tier, e.quota, e.impressions_in_tier)
        by_key.setdefault(stores.pool_all_key(), {})[str(e.post_id)] = priority
        for channel_id in e.channel_ids:
            by_key.setdefault(stores.pool_channel_key(channel_id), {})[str(e.post_id)] = priority
    with stores.tolerant("pool refresh"):
        pipe = stores.redis().pipeline(transaction=False)
        for key, members in by_key.items():
            pipe.zadd(key, members, xx=True)
        pipe.execute()
    return moved


def _save_held(entries: list[_Entry], now: datetime) -> None:
    """Write the measured counts of posts that stay put, in one executemany.

    Django's ``bulk_update`` builds a CASE expression per row and per field, which costs
    seconds for ten thousand entries; a parameterised UPDATE per row, sent as one batch,
    costs milliseconds. These writes are idempotent measurements, never transitions.
    """
    if not entries:
        return
    table = PoolEntry._meta.db_table
    evaluated = PoolEntry._meta.get_field("last_evaluated_at").get_db_prep_save(now, connection)
    params = [(e.impressions_in_tier, json.dumps(e.rates), evaluated, e.pk) for e in entries]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET impressions_in_tier = %s, rates = %s, last_evaluated_at = %s WHERE id = %s",
            params,
        )


@transaction.atomic
def _apply(entry: _Entry, decision: pools.Decision, c: pools.TierCounts, now: datetime, k: dict) -> bool:
    """Write one transition if nobody else moved the entry first; return True if written."""
    hot_tier = k["POOL_HOT_TIER"]
    if decision.action == pools.PROMOTE:
        to_tier = entry.tier + 1
        to_state = PoolEntry.State.HOT if to_tier >= hot_tier else ACTIVE
        quota = pools.tier_quota(to_tier, author_weight(entry.author_id), k)
        action = PoolTransition.Action.HOT if to_state == PoolEntry.State.HOT else PoolTransition.Action.PROMOTE
    elif decision.action == pools.EXTEND:
        # Another base quota on top of the first; the tier's window and counts go on.
        to_tier, to_state, action = entry.tier, ACTIVE, PoolTransition.Action.EXTEND
        quota = entry.quota + pools.tier_quota(0, author_weight(entry.author_id), k)
    elif decision.action == pools.WAIT:
        # Too few impressions for a verdict: the tier's window opens again, counts go on.
        to_tier, to_state, quota, action = entry.tier, ACTIVE, entry.quota, PoolTransition.Action.WAIT
    elif decision.action == pools.EXPIRE:
        to_tier, to_state, quota = entry.tier, PoolEntry.State.EXPIRED, entry.quota
        action = PoolTransition.Action.EXPIRE
    else:
        to_tier, to_state, quota = entry.tier, PoolEntry.State.STOPPED, entry.quota
        action = decision.action
    new_tier = to_tier != entry.tier
    if new_tier:
        window_ends_at = now + timedelta(hours=k["POOL_WINDOW_HOURS"])
    elif decision.action == pools.WAIT:
        window_ends_at = max(now, entry.window_ends_at) + timedelta(hours=k["POOL_WINDOW_HOURS"])
    else:
        window_ends_at = entry.window_ends_at
    updated = PoolEntry.objects.filter(pk=entry.pk, version=entry.version, state=ACTIVE).update(
        tier=to_tier,
        state=to_state,
        quota=quota,
        impressions_in_tier=0 if to_tier != entry.tier else c.impressions,
        impressions_total=F("impressions_total") + (c.impressions if to_tier != entry.tier else 0),
        tier_entered_at=now if new_tier else entry.tier_entered_at,
        window_ends_at=window_ends_at,
        rates=decision.rates,
        last_evaluated_at=now,
        version=F("version") + 1,
        extensions=F("extensions") + (1 if decision.action == pools.EXTEND else 0),
        waits=0 if new_tier else F("waits") + (1 if decision.action == pools.WAIT else 0),
    )
    if not updated:
        return False
    PoolTransition.objects.create(
        post_id=entry.post_id,
        action=action,
        from_tier=entry.tier,
        to_tier=to_tier,
        from_state=entry.state,
        to_state=to_state,
        impressions=c.impressions,
        rates=decision.rates,
        reason=decision.reason[:300],
        created_at=now,
    )
    if decision.action == pools.PROMOTE:
        feeds_events.pool_promoted.send(post_id=entry.post_id, to_tier=to_tier, hot=to_state == PoolEntry.State.HOT)
    if decision.report_to_moderation:
        ReviewRequest.objects.get_or_create(
            post_id=entry.post_id, source=ReviewRequest.Source.REPORTS, resolved_at=None,
            defaults={"reason": decision.reason[:300]},
        )
    post_id, channel_ids = entry.post_id, entry.channel_ids
    if to_state == ACTIVE:
        priority = pools.lane_priority(to_tier, quota, c.impressions if to_tier == entry.tier else 0)
        transaction.on_commit(lambda: stores.pool_set(post_id, channel_ids, priority))
    else:
        transaction.on_commit(lambda: stores.pool_remove(post_id, channel_ids))
    return True


# A moderation hold or release retries this often when a concurrent evaluation moved the
# entry first (each try reads the entry again); one retry is the most seen in practice.
MODERATION_TRIES = 5
HELD = PoolEntry.State.HELD


def _moderation_transition(entry: PoolEntry, to_state: str, *, reason: str, now: datetime, **fields) -> bool:
    """Move the entry to ``to_state`` if nobody else moved it first (the same conditional
    update on ``version`` as the evaluation's), and record why; return True if written."""
    updated = PoolEntry.objects.filter(pk=entry.pk, version=entry.version).update(
        state=to_state, version=F("version") + 1, **fields
    )
    if updated:
        PoolTransition.objects.create(
            post_id=entry.post_id, action=PoolTransition.Action.MODERATION, from_tier=entry.tier,
            to_tier=entry.tier, from_state=entry.state, to_state=to_state,
            impressions=entry.impressions_in_tier, reason=reason[:300], created_at=now,
        )
    return bool(updated)


def pool_hold(*, post: Post, reason: str = "", now: datetime | None = None) -> bool:
    """Keep the post out of the traffic pools (state HELD), remembering in the transition
    the state it had; return False when it has no entry or is held already.

    The pools' Redis sets follow when the caller syncs the post's visibility."""
    now = now or timezone.now()
    why = f"held by moderation: {reason}" if reason else "held by moderation"
    for _ in range(MODERATION_TRIES):
        entry = PoolEntry.objects.filter(post=post).first()
        if entry is None or entry.state == HELD:
            return False
        if _moderation_transition(entry, HELD, reason=why, now=now):
            return True
    raise RuntimeError(f"the pool entry of post {post.pk} kept changing; hold not written")


def pool_release(*, post: Post, admit: bool, now: datetime | None = None) -> PoolEntry | None:
    """Give a held post the pool state it had before the hold; with ``admit``, a post the
    quality rules kept out enters the base pool (a fresh quota and window when it becomes
    active). Return the entry, or ``None`` when the post has none (it never entered)."""
    now = now or timezone.now()
    k = knobs()
    for _ in range(MODERATION_TRIES):
        entry = PoolEntry.objects.filter(post=post).first()
        if entry is None:
            return None
        state = entry.state
        if state == HELD:
            last = (
                PoolTransition.objects.filter(post=post, action=PoolTransition.Action.MODERATION, to_state=HELD)
                .order_by("-created_at", "-id").values_list("from_state", flat=True).first()
            )
            state = last or ACTIVE
        if state == PoolEntry.State.NOT_ENTERED and admit:
            state = ACTIVE
        if state == entry.state:
            return entry
        quota = entry.quota
        if state == ACTIVE and quota == 0:
            quota = pools.tier_quota(entry.tier, author_weight(post.author_id), k)
        why = "released by moderation" if entry.state == HELD else "admitted by a moderator"
        window = now + timedelta(hours=k["POOL_WINDOW_HOURS"])
        if _moderation_transition(entry, state, reason=why, now=now, quota=quota, window_ends_at=window):
            return entry
    raise RuntimeError(f"the pool entry of post {post.pk} kept changing; release not written")
