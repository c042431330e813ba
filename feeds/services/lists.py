"""热门 hot feed: the hot list (global or a channel's) as pages, and trending topics."""

from __future__ import annotations

from django.utils.translation import gettext as _

from content.models import Channel
from feeds import cursor
from feeds.knobs import knobs
from feeds.models import TrendingTag
from feeds.services.hot import GLOBAL, hot_list_read
from feeds.services.serving import FeedItem, FeedPage, cards, exclusions_for, recommendable, serve

HOT = "hot"


def hot_page(user, channel: Channel | None = None, token: str | None = None, *, size: int | None = None) -> FeedPage:
    """Return the next page of a hot list (Redis, else the last computed rows).

    The list is recomputed every few minutes (``PERIOD_HOT``) and is at most
    ``HOT_LIST_SIZE`` long, so the cursor is an offset into it.
    """
    k = knobs()
    size = size or k["FEED_PAGE_SIZE"]
    list_key = GLOBAL if channel is None else (channel.parent.slug if channel.parent_id else channel.slug)
    position = cursor.decode(f"{HOT}:{list_key}", token) or {}
    try:
        offset = max(0, int(position.get("o", 0)))
    except (TypeError, ValueError) as exc:
        raise cursor.BadCursor(_("This cursor is not valid; start again without one.")) from exc
    ids, fallback = hot_list_read(list_key, limit=size, offset=offset)
    posts = cards(ids, base=recommendable(), exclusions=exclusions_for(user))
    items = [FeedItem(posts[pid], source=HOT) for pid in ids if pid in posts]
    serve(user, [i.post.pk for i in items], HOT)
    next_cursor = cursor.encode(f"{HOT}:{list_key}", {"o": offset + size}) if len(ids) == size else None
    return FeedPage(f"{HOT}:{list_key}", items, next_cursor, fallback=fallback, extra={"list": list_key, "rank_from": offset + 1})


def trending_topics(limit: int | None = None) -> list[dict]:
    """Return the last computed trending topics with their rise, best first."""
    limit = limit or knobs()["TRENDING_SIZE"]
    rows = TrendingTag.objects.select_related("tag").order_by("rank")[:limit]
    return [
        {"rank": r.rank, "tag": r.tag.name, "recent": r.recent, "baseline": round(r.baseline, 2), "score": round(r.score, 3)}
        for r in rows
    ]


__all__ = ["HOT", "hot_page", "trending_topics"]
