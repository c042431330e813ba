"""Recount the denormalised counters of posts from the rows behind them.

Every counter counts rows that are one per person and post (likes, saves, reports,
shares, first views), except comments, which count the comments a reader sees.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from content.models import Comment, Event, Favourite, Like, Post, PostView, Report, Share


def _count_of(model, *, post_field: str = "post", **filters):
    rows = (
        model.objects.filter(**{post_field: OuterRef("pk")}, **filters)
        .order_by()
        .values(post_field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def counters_reconcile(*, post_ids: Iterable[int]) -> int:
    """Set every counter of the given posts to what their rows say; return rows updated.

    The services keep counters right as they write; this repairs drift from anything
    else (a restore from backup, a manual SQL fix) in one UPDATE, not a Python loop.
    """
    ids = list(post_ids)
    if not ids:
        return 0
    return Post.objects.filter(pk__in=ids).update(
        like_count=_count_of(Like),
        favourite_count=_count_of(Favourite),
        comment_count=_count_of(Comment),
        report_count=_count_of(Report),
        share_count=_count_of(Share),
        view_count=_count_of(PostView),
    )


def counters_reconcile_recent(*, minutes: int = 15) -> int:
    """Reconcile the posts that had any event in the last ``minutes``; return how many."""
    since = timezone.now() - timedelta(minutes=minutes)
    ids = Event.objects.filter(created_at__gte=since).values_list("post_id", flat=True).distinct()
    return counters_reconcile(post_ids=list(ids))
