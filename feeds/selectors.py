"""Reads for the creator center: pool state, rates against thresholds, weight, series."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncHour
from django.utils import timezone

from content.models import Event, Post
from feeds.engine import narrate, pools
from feeds.knobs import knobs
from feeds.models import AccountWeight, PoolTransition
from feeds.services.pools import UNCOUNTED_SOURCES


def creator_posts(*, author) -> QuerySet[Post]:
    """Return the author's posts with pool entry and transitions, newest first."""
    return (
        Post.objects.filter(author=author)
        .select_related("pool", "channel")
        .prefetch_related(Prefetch("pool_transitions", queryset=PoolTransition.objects.order_by("created_at", "id")))
        .order_by("-created_at", "-id")
    )


def pool_summary(post: Post) -> dict:
    """Return what the creator center shows about a post's place in the pools."""
    k = knobs()
    entry = getattr(post, "pool", None)
    transitions = []
    for t in post.pool_transitions.all():
        said = narrate.transition_sentence(
            action=t.action, from_tier=t.from_tier, to_tier=t.to_tier, to_state=t.to_state,
            impressions=t.impressions, rates=t.rates, reason=t.reason, kind=post.kind, k=k,
        )
        transitions.append({
            "action": t.action,
            "from_tier": t.from_tier,
            "to_tier": t.to_tier,
            "to_state": t.to_state,
            "impressions": t.impressions,
            "reason": t.reason,
            "said": said.text,
            "advice": said.advice,
            "rates": t.rates,
            "at": t.created_at,
        })
    if entry is None:
        return {"state": None, "tier": None, "where": narrate.journey_words(tier=None, state=None, k=k),
                "transitions": transitions}
    return {
        "where": narrate.journey_words(tier=entry.tier, state=entry.state, k=k),
        "tier": entry.tier,
        "state": entry.state,
        "quota": entry.quota,
        "impressions_in_tier": entry.impressions_in_tier,
        "impressions_total": entry.impressions_total + entry.impressions_in_tier,
        "window_ends_at": entry.window_ends_at,
        "windows": entry.waits + 1,
        "window_hours": k["POOL_WINDOW_HOURS"],
        "max_windows": k["POOL_EVIDENCE_MAX_WINDOWS"],
        "evidence_needed": pools.min_evidence(entry.tier, entry.quota, entry.extensions, k),
        "rates": entry.rates,
        "thresholds": pools.thresholds(entry.tier, k),
        "quality_score": entry.quality_score,
        "quality_reasons": entry.quality_reasons,
        "quality_threshold": k["QUALITY_THRESHOLD"],
        "transitions": transitions,
    }


def pool_in_words(post: Post) -> dict:
    """Return ``pool_summary`` (whose transitions carry their sentence and advice, from
    ``feeds.engine.narrate``) with what only the creator center's pages show: the journey
    strip, the latest move, the quality reasons in Chinese and the rates against their bars."""
    k = knobs()
    pool = pool_summary(post)
    pool["journey"] = narrate.journey(tier=pool["tier"], state=pool["state"], k=k)
    pool["latest"] = pool["transitions"][-1] if pool["transitions"] else None
    if pool["state"] is not None:
        pool["quality_words"] = [narrate.quality_reason_words(r, k) for r in pool["quality_reasons"]]
        pool["rate_rows"] = narrate.rate_rows(rates=pool["rates"], tier=pool["tier"], kind=post.kind, k=k)
    return pool


def account_weight_of(*, user) -> dict:
    """Return the account weight and its components (defaults for a new account)."""
    row = AccountWeight.objects.filter(user=user).first()
    if row is None:
        return {"weight": 1.0, "computed_at": None, "components": {}, "factors": {}}
    return {
        "weight": row.weight,
        "computed_at": row.computed_at,
        "components": {
            "performance": row.performance,
            "follower_activity": row.follower_activity,
            "verticality": row.verticality,
            "originality": row.originality,
            "violations": row.violations,
            "negative_rate": row.negative_rate,
        },
        "factors": row.factors,
    }


def sparkline_points(series: list[dict], width: int = 240, height: int = 48) -> str:
    """Return SVG polyline points for a series of counts (for the creator center)."""
    if not series:
        return ""
    top = max(1, max(p["impressions"] for p in series))
    step = width / max(1, len(series) - 1)
    return " ".join(
        f"{i * step:.1f},{height - (p['impressions'] / top) * (height - 2) - 1:.1f}" for i, p in enumerate(series)
    )


# The chart covers the post's life, at most this many hours back (a week).
CHART_MAX_HOURS = 7 * 24


def _hour(t: datetime) -> datetime:
    return t.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def impressions_chart(*, post: Post, now: datetime | None = None) -> dict:
    """Return the post's impressions per hour since it was published (at most
    ``CHART_MAX_HOURS``), each hour split into those its current tier counts and the
    rest, in one query.

    The tier counts what ``feeds.services.pools.tier_counts`` counts: impressions since
    the post entered its tier, none from a boost, the reserve lane or a burst. So the
    chart's counted impressions are the tier's, and the rest are said to be the rest.
    """
    now = now or timezone.now()
    start = _hour(max(post.created_at, now - timedelta(hours=CHART_MAX_HOURS - 1)))
    hours = int((_hour(now) - start).total_seconds() // 3600) + 1
    entry = getattr(post, "pool", None)
    counted = Q(burst__isnull=True) & ~Q(source__in=UNCOUNTED_SOURCES)
    counted &= Q(created_at__gte=entry.tier_entered_at) if entry is not None else Q(pk__in=[])
    rows = (
        Event.objects.filter(post=post, kind=Event.Kind.IMPRESSION, created_at__gte=start)
        .annotate(hour=TruncHour("created_at", tzinfo=UTC))
        .values("hour")
        .annotate(shown=Count("id"), counted=Count("id", filter=counted))
        .order_by()
    )
    by_hour = {int((row["hour"] - start).total_seconds() // 3600): row for row in rows}
    series = [
        {
            "hour": start + timedelta(hours=i),
            "impressions": by_hour.get(i, {}).get("shown", 0),
            "counted": by_hour.get(i, {}).get("counted", 0),
        }
        for i in range(hours)
    ]
    top = max([1] + [p["impressions"] for p in series])
    width, height = 320, 100
    step = width / hours
    for i, p in enumerate(series):
        p["x"] = round(i * step, 2)
        p["w"] = round(max(step - 0.5, 0.5), 2)
        p["h_all"] = round(p["impressions"] / top * height, 2)
        p["h_counted"] = round(p["counted"] / top * height, 2)
        p["y_all"] = round(height - p["h_all"], 2)
        p["y_counted"] = round(height - p["h_counted"], 2)
    return {
        "series": series,
        "hours": hours,
        "start": start,
        "top": top,
        "total": sum(p["impressions"] for p in series),
        "counted": sum(p["counted"] for p in series),
        "tier_entered_at": entry.tier_entered_at if entry is not None else None,
        "tier_before_chart": entry is not None and entry.tier_entered_at < start,
        "width": width,
        "height": height,
    }
