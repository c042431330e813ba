"""Account weights: gather each author's components with grouped queries, then score."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Follow, User
from content.models import Event, Post, Report
from feeds import stores
from feeds.engine.weight import WeightComponents, account_weight
from feeds.knobs import knobs
from feeds.models import AccountWeight, PostSignature, Watermark


def _changed_authors(since: datetime) -> set[int]:
    """Authors whose posts got events or reports, or who posted, since ``since``."""
    ids = set(Event.objects.filter(created_at__gte=since).values_list("post__author_id", flat=True).distinct())
    ids |= set(Post.objects.filter(created_at__gte=since).values_list("author_id", flat=True).distinct())
    ids |= set(Report.objects.filter(Q(created_at__gte=since) | Q(resolved_at__gte=since)).values_list("post__author_id", flat=True).distinct())
    return ids


def _post_engagement(post_rows) -> dict[int, list[float]]:
    """Return per author the engagement rate of each recent post."""
    by_author: dict[int, list[float]] = defaultdict(list)
    for author_id, likes, comments, favourites, shares, impressions, views in post_rows:
        exposure = max(impressions or 0, views or 0)
        engaged = likes + 2 * comments + 3 * favourites + 3 * shares
        by_author[author_id].append(engaged / (exposure + 20))
    return by_author


def weights_recompute(*, user_ids: Iterable[int] | None = None, now: datetime | None = None) -> int:
    """Recompute the account weight of changed authors (or ``user_ids``); return how many."""
    k = knobs()
    now = now or timezone.now()
    mark, _ = Watermark.objects.get_or_create(name="weights", defaults={"at": now - timedelta(days=3650)})
    authors = set(user_ids) if user_ids is not None else _changed_authors(mark.at)
    authors = {a for a in authors if a is not None}
    if not authors:
        if user_ids is None:
            Watermark.objects.filter(name="weights").update(at=now)
        return 0
    recent = now - timedelta(days=k["WEIGHT_RECENT_DAYS"])
    active_since = now - timedelta(days=k["WEIGHT_ACTIVE_DAYS"])
    violations_since = now - timedelta(days=k["WEIGHT_VIOLATION_DAYS"])

    # Platform median engagement of recent posts (the yardstick for performance).
    post_values = ("author_id", "like_count", "comment_count", "favourite_count", "share_count",
                   "pool__impressions_total", "view_count")
    recent_posts = Post.objects.filter(created_at__gte=recent, status__in=["published", "limited"])
    platform = _post_engagement(recent_posts.values_list(*post_values).order_by("-created_at")[:20000])
    all_rates = [r for rates in platform.values() for r in rates]
    platform_median = statistics.median(all_rates) if all_rates else 0.0
    mine = _post_engagement(
        recent_posts.filter(author_id__in=authors).values_list(*post_values)
    )

    channel_counts: dict[int, list[int]] = defaultdict(list)
    for row in (
        Post.objects.filter(author_id__in=authors, created_at__gte=recent)
        .annotate(top=Coalesce("channel__parent_id", "channel_id"))
        .values("author_id", "top").annotate(n=Count("id")).order_by()
    ):
        channel_counts[row["author_id"]].append(row["n"])

    duplicates, signed = {}, {}
    for author_id, total, dup in (
        PostSignature.objects.filter(post__author_id__in=authors, post__created_at__gte=recent)
        .values("post__author_id").annotate(
            total=Count("id"), dup=Count("id", filter=Q(duplicate_of__isnull=False))
        ).values_list("post__author_id", "total", "dup").order_by()
    ):
        signed[author_id], duplicates[author_id] = total, dup

    # DISTINCT matters: a week of events is millions of rows, too many for PostgreSQL to
    # hash the IN list, and it then rescanned all of them for every follow row (the
    # benchmark's weight pass went from 2.5 s to over three minutes as events piled up).
    active_users = Event.objects.filter(created_at__gte=active_since).values("user_id").distinct()
    followers = {
        row["followee_id"]: (row["total"], row["active"])
        for row in Follow.objects.filter(followee_id__in=authors)
        .values("followee_id")
        .annotate(total=Count("id"), active=Count("id", filter=Q(follower_id__in=active_users)))
        .order_by()
    }

    upheld = defaultdict(int)
    for row in (
        Report.objects.filter(post__author_id__in=authors, status=Report.Status.ACCEPTED,
                              resolved_at__gte=violations_since)
        .values("post__author_id").annotate(n=Count("post_id", distinct=True)).order_by()
    ):
        upheld[row["post__author_id"]] += row["n"]
    for row in (
        Post.objects.filter(author_id__in=authors, status=Post.Status.REMOVED, updated_at__gte=violations_since)
        .exclude(reports__status=Report.Status.ACCEPTED)
        .values("author_id").annotate(n=Count("id", distinct=True)).order_by()
    ):
        upheld[row["author_id"]] += row["n"]

    negatives = {
        row["post__author_id"]: row
        for row in Event.objects.filter(post__author_id__in=authors, created_at__gte=recent)
        .values("post__author_id")
        .annotate(
            bad=Count("id", filter=Q(kind__in=[Event.Kind.REPORT, Event.Kind.NOT_INTERESTED])),
            seen=Count("id", filter=Q(kind__in=[Event.Kind.IMPRESSION, Event.Kind.VIEW])),
        )
        .order_by()
    }

    rows, weights = [], {}
    for author_id in authors:
        rates = mine.get(author_id, [])
        performance = (
            statistics.median(rates) / platform_median if rates and platform_median > 0 else 1.0
        )
        total_f, active_f = followers.get(author_id, (0, 0))
        per_channel = channel_counts.get(author_id, [])
        neg = negatives.get(author_id)
        negative_rate = neg["bad"] / max(neg["seen"], 1) if neg and neg["bad"] else 0.0
        components = WeightComponents(
            performance=performance,
            follower_activity=active_f / total_f if total_f else None,
            verticality=max(per_channel) / sum(per_channel) if per_channel else None,
            originality=1 - duplicates.get(author_id, 0) / signed[author_id] if signed.get(author_id) else 1.0,
            violations=upheld.get(author_id, 0),
            negative_rate=negative_rate,
        )
        weight, factors = account_weight(components, k)
        weights[author_id] = weight
        rows.append(
            AccountWeight(
                user_id=author_id,
                weight=weight,
                performance=round(components.performance, 4),
                follower_activity=round(components.follower_activity or 0.0, 4),
                verticality=round(components.verticality or 0.0, 4),
                originality=round(components.originality, 4),
                violations=components.violations,
                negative_rate=round(components.negative_rate, 5),
                factors=factors,
                computed_at=now,
            )
        )
    existing = set(User.objects.filter(pk__in=authors).values_list("pk", flat=True))
    rows = [r for r in rows if r.user_id in existing]
    AccountWeight.objects.bulk_create(
        rows,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["user"],
        update_fields=["weight", "performance", "follower_activity", "verticality", "originality",
                       "violations", "negative_rate", "factors", "computed_at"],
    )
    stores.weights_set({u: w for u, w in weights.items() if u in existing})
    if user_ids is None:
        Watermark.objects.filter(name="weights").update(at=now)
    return len(rows)


