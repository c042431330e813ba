"""Reads of boosts: a boost's report and a wallet's ledger."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from django.db.models import Count, QuerySet
from django.utils import timezone

from accounts.models import User
from boosts import events
from boosts.models import Boost, BoostImpression, LedgerEntry
from boosts.services import spent_of
from content.models import Event

ENGAGEMENT = {
    Event.Kind.LIKE: "likes",
    Event.Kind.FAVOURITE: "favourites",
    Event.Kind.COMMENT: "comments",
    Event.Kind.SHARE: "shares",
}


def boosts_of(*, user: User) -> QuerySet[Boost]:
    return Boost.objects.filter(buyer=user).select_related("post").order_by("-created_at", "-id")


def ledger_of(*, user: User) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(user=user).select_related("boost").order_by("-created_at", "-id")


def delivery_series(boost: Boost, *, now: datetime | None = None) -> list[dict]:
    """Boosted impressions per hour from the start to the end (or now), oldest first."""
    now = now or timezone.now()
    start = boost.starts_at.replace(minute=0, second=0, microsecond=0)
    end = min(boost.closed_at or boost.ends_at, boost.ends_at, max(now, boost.starts_at))
    hours = max(1, int((end - start).total_seconds() // 3600) + 1)
    stamps = BoostImpression.objects.filter(boost=boost).values_list("created_at", flat=True)
    per_hour = Counter(int((t - start).total_seconds() // 3600) for t in stamps)
    return [{"hour": start + timedelta(hours=i), "impressions": per_hour.get(i, 0)} for i in range(hours)]


def boost_report(boost: Boost) -> dict:
    """What the boost did: delivered impressions and viewers, the engagement of those
    viewers with the post after they saw it, the credits spent and refunded."""
    viewers = BoostImpression.objects.filter(boost=boost).values("user_id")
    engagement = {name: 0 for name in ENGAGEMENT.values()}
    if boost.post_id:
        for kind, n in (
            Event.objects.filter(post_id=boost.post_id, user_id__in=viewers, kind__in=list(ENGAGEMENT),
                                 created_at__gte=boost.starts_at)
            .values("kind").annotate(n=Count("id")).values_list("kind", "n")
        ):
            engagement[ENGAGEMENT[kind]] = n
    delivered = boost.delivered
    spent = spent_of(boost)
    conversions = {"clicks": 0, "orders": 0}
    if boost.post_id:
        conversions = events.boost_conversions.first(
            post_id=boost.post_id, viewer_ids=viewers, since=boost.starts_at
        ) or conversions
    return {
        "goal": boost.goal,
        "product_clicks": conversions["clicks"],
        "product_orders": conversions["orders"],
        "cost_per_click": round(spent / conversions["clicks"], 2) if conversions["clicks"] else None,
        "cost_per_order": round(spent / conversions["orders"], 2) if conversions["orders"] else None,
        "delivered": delivered,
        "budget": boost.budget,
        "viewers": BoostImpression.objects.filter(boost=boost).values("user_id").distinct().count(),
        "engagement": engagement,
        "engagement_rate": round(sum(engagement.values()) / delivered, 4) if delivered else 0.0,
        "cost": boost.cost,
        "spent": spent,
        "refunded": boost.refunded,
        "by_hour": delivery_series(boost),
    }
