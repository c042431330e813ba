"""Reads for the creator center: pool state, rates against thresholds, weight, series."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from content.models import Event, Post
from feeds.engine import pools
from feeds.knobs import knobs
from feeds.models import AccountWeight, PoolTransition


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
    transitions = [
        {
            "action": t.action,
            "from_tier": t.from_tier,
            "to_tier": t.to_tier,
            "to_state": t.to_state,
            "impressions": t.impressions,
            "reason": t.reason,
            "rates": t.rates,
            "at": t.created_at,
        }
        for t in post.pool_transitions.all()
    ]
    if entry is None:
        return {"state": None, "tier": None, "transitions": transitions}
    return {
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


def impressions_series(*, post: Post, hours: int = 48, now: datetime | None = None) -> list[dict]:
    """Return impressions per hour over the last ``hours`` (oldest first)."""
    now = now or timezone.now()
    start = (now - timedelta(hours=hours - 1)).replace(minute=0, second=0, microsecond=0)
    stamps = Event.objects.filter(post=post, kind=Event.Kind.IMPRESSION, created_at__gte=start).values_list(
        "created_at", flat=True
    )
    per_hour = Counter(int((t - start).total_seconds() // 3600) for t in stamps)
    return [{"hour": start + timedelta(hours=i), "impressions": per_hour.get(i, 0)} for i in range(hours)]


def sparkline_points(series: list[dict], width: int = 240, height: int = 48) -> str:
    """Return SVG polyline points for a series of counts (for the creator center)."""
    if not series:
        return ""
    top = max(1, max(p["impressions"] for p in series))
    step = width / max(1, len(series) - 1)
    return " ".join(
        f"{i * step:.1f},{height - (p['impressions'] / top) * (height - 2) - 1:.1f}" for i, p in enumerate(series)
    )
