"""Putting boosted posts into discover pages: targeting, pacing, spacing and caps.

The discover feed calls ``place`` with the organic items of a page. A boosted item may
take a position when:

- the viewer is signed in and inside the boost's targeting (one of the targeted channels
  or tags among their top interests; or a home place within the radius);
- the boost is behind its pace: it may have delivered at most ``budget × elapsed share``
  plus a small slack (``BOOST_PACING_SLACK``), so a boost spreads evenly over its time;
- the viewer has seen this boost fewer than ``BOOST_FREQUENCY_CAP`` times;
- at least ``BOOST_EVERY − 1`` organic items came since the viewer's last boosted item
  (a counter in Redis carried across pages), so any ``BOOST_EVERY`` consecutive items
  hold at most one boosted item. The first one comes at ``BOOST_FIRST_POSITION``.

A boosted item takes the place of the organic item at that position (which stays unseen
and can come in a later session), so a page keeps its size; an organic copy of the
promoted post further down the page gives way, so nobody sees one post twice on a page. Its impression is a
``BoostImpression`` row, not an ``Event``: paid impressions never fill the traffic pools.
The count goes up with ``delivered < budget`` in the UPDATE, so concurrent pages can
never deliver more than was bought. Without Redis no boost is placed (the spacing
cannot be kept), and the feed goes on without them.
"""

from __future__ import annotations

import copy
import time
import uuid
from datetime import datetime

from django.db.models import Count, F
from django.utils import timezone

from boosts.models import Boost, BoostImpression
from feeds import stores
from feeds.events import BOOST_SOURCE
from feeds.knobs import knobs
from feeds.services.discover import profile_of
from feeds.services.nearby import haversine_km
from feeds.services.serving import Exclusions, FeedItem, cards, recommendable, viewer_id

GAP_TTL = 7 * 86400


def allowance(boost: Boost, now: datetime, k: dict) -> int:
    """Impressions the boost may have delivered by ``now`` (even pacing plus slack)."""
    span = (boost.ends_at - boost.starts_at).total_seconds()
    share = min(max((now - boost.starts_at).total_seconds() / span, 0.0), 1.0) if span > 0 else 1.0
    slack = max(1, round(boost.budget * k["BOOST_PACING_SLACK"]))
    return min(boost.budget, int(boost.budget * share) + slack)


def targets(boost: Boost, *, channels: set[int], tags: set[int], home: tuple[float, float] | None) -> bool:
    """Return True when a viewer with these interests and home place is in the audience."""
    if boost.targeting == Boost.Targeting.PLACE:
        return home is not None and haversine_km(boost.lat, boost.lng, *home) <= boost.radius_km
    return bool(channels & set(boost.channel_ids)) or bool(tags & set(boost.tag_ids))


def buys(boost: Boost, buying: dict[int, float]) -> bool:
    """Return True when the viewer suits the boost's goal: anyone for impressions; for
    product clicks, someone with buying interest (in its channels, when it names any)."""
    if boost.goal != Boost.Goal.PRODUCT_CLICKS:
        return True
    if boost.channel_ids:
        return bool(set(buying) & set(boost.channel_ids))
    return bool(buying)


_kept: dict = {}  # this process's copy of the live boosts: version, read at, boosts


def _live(now: datetime, k: dict) -> list[Boost]:
    """The boosts running at ``now`` with budget left.

    A process keeps what it read for ``BOOST_LIVE_CACHE_SECONDS`` under the version a new
    order replaces (``stores.boosts_changed``): a new boost is placed at once, and a page
    without boosts costs a Redis GET instead of a query. What the copy may hold stale for
    those seconds is harmless: ``delivered`` (pacing lags by that much; the budget holds,
    ``_take`` counts in the UPDATE), a stopped or spent boost (``_take`` refuses it), a
    removed post (the cards query drops it). Raises ``stores.Unavailable`` without Redis.
    """
    ttl = k["BOOST_LIVE_CACHE_SECONDS"]
    version = None
    if ttl:
        with stores.reading():
            version = stores.redis().get(stores.boosts_version_key())
            if version is None:  # a fresh Redis: start a version before reading the rows
                token = uuid.uuid4().hex.encode()
                version = token if stores.redis().set(stores.boosts_version_key(), token, nx=True) else b"?"
        if _kept and _kept["version"] == version and 0 <= time.monotonic() - _kept["at"] < ttl:
            boosts = _kept["boosts"]
            return [copy.copy(b) for b in boosts if b.starts_at <= now < b.ends_at]
    boosts = list(
        Boost.objects.filter(status=Boost.Status.ACTIVE, ends_at__gt=now,
                             delivered__lt=F("budget"), post__isnull=False)
        .select_related("post")
    )
    if ttl and version != b"?":
        _kept.update(version=version, at=time.monotonic(), boosts=boosts)
        boosts = [copy.copy(b) for b in boosts]
    return [b for b in boosts if b.starts_at <= now]


def _take(boost: Boost) -> bool:
    """Count one delivery if the budget allows (atomic in the database)."""
    return bool(Boost.objects.filter(pk=boost.pk, status=Boost.Status.ACTIVE, delivered__lt=F("budget"))
                .update(delivered=F("delivered") + 1))


def place(user, items: list[FeedItem], *, exclusions: Exclusions, now: datetime | None = None) -> list[FeedItem]:
    """Return the page with boosted items placed where the rules allow."""
    uid = viewer_id(user)
    if uid is None or not items:
        return items
    k, now = knobs(), now or timezone.now()
    try:
        live = _live(now, k)
    except stores.Unavailable:
        return items  # no boost without Redis (the spacing cannot be kept)
    live = [b for b in live if b.post.author_id != uid and b.post_id not in exclusions.posts
            and b.post.author_id not in exclusions.authors]
    if not live:
        return items
    profile, top_channels, top_tags = profile_of(uid, k)
    home = (user.home_lat, user.home_lng) if getattr(user, "has_home", False) else None
    live = [b for b in live if targets(b, channels=set(top_channels), tags=set(top_tags), home=home)
            and buys(b, profile.buying)]
    if not live:
        return items
    shown = dict(
        BoostImpression.objects.filter(user_id=uid, boost__in=live).values("boost_id")
        .annotate(n=Count("id")).values_list("boost_id", "n")
    )
    live = [b for b in live if shown.get(b.pk, 0) < k["BOOST_FREQUENCY_CAP"]]
    posts = cards([b.post_id for b in live], base=recommendable(), exclusions=exclusions)
    live = [b for b in live if b.post_id in posts]
    if not live:
        return items
    try:
        with stores.reading():
            client = stores.redis()
            raw = client.get(stores.boost_gap_key(uid))
            gap = int(raw) if raw is not None else k["BOOST_EVERY"] - 1 - k["BOOST_FIRST_POSITION"]
            out, gap = _fill(uid, items, live, posts, shown, gap, now, k)
            client.set(stores.boost_gap_key(uid), gap, ex=GAP_TTL)
    except stores.Unavailable:
        return items
    return out


def _fill(uid, items, live, posts, shown, gap, now, k) -> tuple[list[FeedItem], int]:
    """Walk the page, giving a due boost each position the spacing allows; return the
    new page and the number of organic items since the last boosted one.

    A post shown as promoted is not shown again organically further down the same page
    (the organic copy gives way); a post already shown above is not promoted on it.
    """
    out: list[FeedItem] = []
    new_rows: list[BoostImpression] = []
    above: set[int] = set()
    promoted: set[int] = set()
    for item in items:
        if item.post.pk in promoted:
            continue
        boost = None
        if gap >= k["BOOST_EVERY"] - 1:
            due = [b for b in live if b.delivered < allowance(b, now, k) and b.post_id not in above
                   and shown.get(b.pk, 0) < k["BOOST_FREQUENCY_CAP"]]
            # The boost furthest behind its pace goes first.
            for candidate in sorted(due, key=lambda b: b.delivered / max(allowance(b, now, k), 1)):
                if _take(candidate):
                    boost = candidate
                    break
        if boost is None:
            out.append(item)
            above.add(item.post.pk)
            gap += 1
            continue
        boost.delivered += 1
        shown[boost.pk] = shown.get(boost.pk, 0) + 1
        above.add(boost.post_id)
        promoted.add(boost.post_id)
        new_rows.append(BoostImpression(boost=boost, user_id=uid, post_id=boost.post_id, created_at=now))
        out.append(FeedItem(posts[boost.post_id], source=BOOST_SOURCE, promoted=True))
        gap = 0
    if new_rows:
        BoostImpression.objects.bulk_create(new_rows)
    return out, gap
