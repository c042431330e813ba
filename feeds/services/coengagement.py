"""看了又看 co-engagement: for each post, the posts its likers also liked.

A Celery task walks the posts that gained likes or favourites since its last run, reads
who engaged with each (the most recent ``COENGAGEMENT_LIKERS``, within
``COENGAGEMENT_DAYS``) and what else those people engaged with, and stores the top
``COENGAGEMENT_SIZE`` co-engaged posts in ``fd:co:{post}``. The discover feed unions the
sets of the viewer's own recent likes: "people who liked what you liked".
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta

from django.utils import timezone

from content.models import Event
from feeds import stores
from feeds.knobs import knobs
from feeds.models import Watermark

ENGAGED = [Event.Kind.LIKE, Event.Kind.FAVOURITE]


def coengagement_recompute(*, post_ids: list[int] | None = None, now: datetime | None = None) -> int:
    """Recompute co-engagement sets for posts with new likes; return how many were written."""
    k = knobs()
    now = now or timezone.now()
    mark, _ = Watermark.objects.get_or_create(name="coengagement", defaults={"at": now - timedelta(days=k["COENGAGEMENT_DAYS"])})
    since = now - timedelta(days=k["COENGAGEMENT_DAYS"])
    from_mark = post_ids is None
    if post_ids is None:
        post_ids = list(
            Event.objects.filter(kind__in=ENGAGED, created_at__gte=mark.at).values_list("post_id", flat=True).distinct()
        )
    written = 0
    for start in range(0, len(post_ids), 500):
        chunk = post_ids[start : start + 500]
        likers: dict[int, list[int]] = defaultdict(list)
        rows = (
            Event.objects.filter(post_id__in=chunk, kind__in=ENGAGED, created_at__gte=since, user__isnull=False)
            .order_by("-created_at")
            .values_list("post_id", "user_id")
        )
        for pid, uid in rows:
            if len(likers[pid]) < k["COENGAGEMENT_LIKERS"] and uid not in likers[pid]:
                likers[pid].append(uid)
        people = {u for us in likers.values() for u in us}
        liked_by: dict[int, set[int]] = defaultdict(set)
        for uid, pid in (
            Event.objects.filter(user_id__in=people, kind__in=ENGAGED, created_at__gte=since)
            .values_list("user_id", "post_id")
            .iterator(chunk_size=5000)
        ):
            liked_by[uid].add(pid)
        sets = {
            pid: dict(
                Counter(other for u in users for other in liked_by.get(u, ()) if other != pid).most_common(
                    k["COENGAGEMENT_SIZE"]
                )
            )
            for pid, users in likers.items()
        }
        with stores.tolerant("coengagement"):
            written += stores.co_sets_write(sets, at=now.timestamp(), keep_seconds=k["COENGAGEMENT_DAYS"] * 86400)
    if from_mark:
        Watermark.objects.filter(name="coengagement").update(at=now)
    return written
