"""附近 nearby feed: public posts sorted by distance from where the viewer is.

A post is placed at its own place, or at its author's home place when it has none.
Redis keeps every recommendable placed post in one GEO set (``fd:geo``); a page searches
it around the viewer's point with a radius that widens (``NEARBY_RADII_KM``) until the
page is full. Without Redis the database answers: a bounding box per radius, ordered by
an equirectangular distance in SQL, exact (haversine) distances in Python; so does it
while the GEO set is being rebuilt (``stores.require``).

The cursor is a keyset, (distance, post id) of the last item served, together with the
point it was measured from, so paging never repeats or skips even as posts arrive.
Longitude wrap-around at ±180° is not handled by the database fallback (no city is
there); Redis handles it.
"""

from __future__ import annotations

import math

from django.db.models import F, FloatField
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from content.models import Post
from feeds import cursor, stores
from feeds.knobs import knobs
from feeds.services.serving import (
    FeedItem,
    FeedPage,
    cards,
    exclusions_for,
    recommendable,
    serve,
    viewer_id,
)

NEARBY = "nearby"
EARTH_KM = 6371.0088


class BadPoint(ValueError):
    """Latitude or longitude missing or out of range."""


def check_point(lat, lng) -> tuple[float, float]:
    """Return (lat, lng) as floats, or raise ``BadPoint`` with a clear message."""
    try:
        lat_f, lng_f = float(lat), float(lng)
    except (TypeError, ValueError) as exc:
        raise BadPoint("请用数字给出位置：lat（−90…90）和 lng（−180…180）。") from exc
    if not -90 <= lat_f <= 90:  # also refuses NaN and infinities
        raise BadPoint("lat 须在 −90 到 90 之间。")
    if not -180 <= lng_f <= 180:
        raise BadPoint("lng 须在 −180 到 180 之间。")
    return lat_f, lng_f


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


# ---------------------------------------------------------------- the index
def _placed():
    """Recommendable posts annotated with where they are (``plat``, ``plng``)."""
    return Post.objects.filter(recommendable()).annotate(
        plat=Coalesce("lat", "author__home_lat", output_field=FloatField()),
        plng=Coalesce("lng", "author__home_lng", output_field=FloatField()),
    )


def placed_posts(post_ids=None):
    """Return (id, lat, lng) of recommendable posts with a place (their own or the author's)."""
    qs = _placed().filter(plat__isnull=False, plng__isnull=False)
    if post_ids is not None:
        qs = qs.filter(pk__in=list(post_ids))
    return qs.values_list("pk", "plat", "plng")


def geo_index(post_ids) -> int:
    """Put these posts in the GEO set if recommendable and placed; remove the others."""
    ids = list(post_ids)
    rows = list(placed_posts(ids))
    placed = {pk for pk, _, _ in rows}
    with stores.tolerant("geo index"):
        pipe = stores.redis().pipeline(transaction=False)
        for pk, lat, lng in rows:
            pipe.geoadd(stores.geo_key(), [lng, lat, str(pk)])
        gone = [str(pk) for pk in ids if pk not in placed]
        if gone:
            pipe.zrem(stores.geo_key(), *gone)
        pipe.execute()
    return len(rows)


def geo_index_author(author_id: int) -> int:
    """Re-place an author's posts (their home place moved, or they were banned)."""
    return geo_index(Post.objects.filter(author_id=author_id).values_list("pk", flat=True))


def geo_rebuild() -> int:
    """Rebuild the GEO set from the database (part of ``rebuild_redis``)."""
    n = 0
    with stores.tolerant("geo rebuild"):
        client = stores.redis()
        client.delete(stores.geo_key())
        batch = []
        for pk, lat, lng in placed_posts().iterator(chunk_size=5000):
            batch += [lng, lat, str(pk)]
            if len(batch) >= 15000:
                client.geoadd(stores.geo_key(), batch)
                n += len(batch) // 3
                batch = []
        if batch:
            client.geoadd(stores.geo_key(), batch)
            n += len(batch) // 3
    return n


# ---------------------------------------------------------------- reads
def _after(pairs: list[tuple[float, int]], after) -> list[tuple[float, int]]:
    """Keep the (km, id) pairs past the keyset ``after`` (distances compared to 1 mm)."""
    if after is None:
        return pairs
    return [p for p in pairs if (round(p[0], 6), p[1]) > after]


def _redis_search(
    lat: float, lng: float, after, depth: int, want: int, k: dict, start: int = 0
) -> tuple[list[tuple[float, int]], int]:
    """Return (km, id) after the keyset in (km, id) order, and the radius index reached.

    ``depth`` is how many items earlier pages served: Redis cannot start a search at a
    distance, so it reads ``depth + want`` and drops what the keyset already passed. A
    full reply (COUNT rows) may cut through posts at one distance (many posts share one
    spot), whose order Redis does not fix; only the rows nearer than its last distance
    are certain, and the same radius is asked for more rows. The radius widens only when
    a reply comes back short, that is when every post within it has been read. A later
    page starts at the radius the page before reached (``start``).
    """
    radii = list(k["NEARBY_RADII_KM"])
    level = min(start, len(radii) - 1)
    count, found = depth + want, []
    stores.require(stores.GEO)  # a map being rebuilt would miss posts
    with stores.reading():
        client = stores.redis()
        while level < len(radii):
            rows = client.geosearch(
                stores.geo_key(), longitude=lng, latitude=lat, radius=radii[level], unit="km",
                sort="ASC", count=count, withdist=True,
            )
            pairs = sorted((round(float(d), 6), int(m)) for m, d in rows)
            full = len(rows) == count
            if full:
                pairs = [p for p in pairs if p[0] < pairs[-1][0]]
            found = _after(pairs, after)
            if len(found) >= want:
                break
            if full:
                count *= 2
            else:
                level += 1
    return found, min(level, len(radii) - 1)


def _db_search(lat: float, lng: float, after, depth: int, want: int, k: dict) -> list[tuple[float, int]]:
    """The same search in SQL: a box per radius, ordered by an equirectangular distance."""
    cos = max(0.01, math.cos(math.radians(lat)))
    found: list[tuple[float, int]] = []
    for radius in k["NEARBY_RADII_KM"]:
        dlat = radius / 111.0
        dlng = min(180.0, radius / (111.0 * cos))
        box = (
            _placed()
            .filter(plat__gte=lat - dlat, plat__lte=lat + dlat, plng__gte=lng - dlng, plng__lte=lng + dlng)
            .annotate(
                d2=(F("plat") - lat) * (F("plat") - lat) + (F("plng") - lng) * (F("plng") - lng) * (cos * cos)
            )
            .order_by("d2", "pk")
            .values_list("pk", "plat", "plng")
        )
        rows = list(box[: depth + want + 50])
        pairs = sorted((haversine_km(lat, lng, plat, plng), pk) for pk, plat, plng in rows)
        found = [p for p in _after(pairs, after) if p[0] <= radius]
        if len(found) >= want:
            break
    return found


def nearby_page(user, *, lat=None, lng=None, token: str | None = None, size: int | None = None) -> FeedPage:
    """Return the next page of posts around (lat, lng), nearest first, with distances."""
    k = knobs()
    size = size or k["FEED_PAGE_SIZE"]
    position = cursor.decode(NEARBY, token)
    if position:
        try:
            lat_f, lng_f = check_point(position["lat"], position["lng"])
            after, depth = (float(position["d"]), int(position["id"])), int(position["n"])
            level = max(0, int(position.get("r", 0)))
        except (KeyError, TypeError, ValueError) as exc:
            raise cursor.BadCursor(_("This cursor is not valid; start again without one.")) from exc
    else:
        lat_f, lng_f = check_point(lat, lng)
        after, depth, level = None, 0, 0
    exclusions = exclusions_for(user)
    uid = viewer_id(user)
    if uid is not None:
        exclusions.authors.add(uid)
    want = size + 10  # a little over, for posts the exclusions drop
    fallback = False
    try:
        pairs, level = _redis_search(lat_f, lng_f, after, depth, want, k, start=level)
    except stores.Unavailable:
        fallback = True
        pairs = _db_search(lat_f, lng_f, after, depth, want, k)
    posts = cards([pid for _, pid in pairs], base=recommendable(), exclusions=exclusions)
    items: list[FeedItem] = []
    last, consumed = None, 0
    for distance, pid in pairs:
        last, consumed = (round(distance, 6), pid), consumed + 1
        if pid in posts:
            items.append(FeedItem(posts[pid], source=NEARBY, distance_km=distance))
            if len(items) == size:
                break
    serve(user, [i.post.pk for i in items], NEARBY)
    next_cursor = None
    if len(items) == size and last is not None:
        next_cursor = cursor.encode(NEARBY, {"lat": lat_f, "lng": lng_f, "d": last[0], "id": last[1], "n": depth + consumed, "r": level})
    return FeedPage(NEARBY, items, next_cursor, fallback=fallback, extra={"lat": lat_f, "lng": lng_f})

