"""What every feed shares: the page it returns, who may see what, and serving a page.

Serving a page records an impression per post (an ``Event`` row: this is what fills the
traffic pools) and adds the posts to the viewer's *seen* set in Redis, which the
discover feed filters on for ``FEED_SEEN_DAYS``. Without Redis the seen set is read back
from the impression events in the database.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from accounts.selectors import hidden_author_ids
from content.cards import LIGHT_FIELDS
from content.models import Event, NotInterested, Post, PostTag
from content.selectors import posts_with_cards
from content.services import impressions_record
from feeds import stores
from feeds.knobs import knobs
from feeds.models import PoolEntry


@dataclass
class FeedItem:
    """One card of a feed page: the post and why it is there."""

    post: Post
    source: str = ""  # the lane or source that put it on the page
    distance_km: float | None = None  # nearby only
    promoted: bool = False  # boosts (推广) only


@dataclass
class FeedPage:
    feed: str
    items: list[FeedItem]
    next_cursor: str | None
    fallback: bool = False  # served from the database because Redis was unavailable
    extra: dict = field(default_factory=dict)

    @property
    def posts(self) -> list[Post]:
        return [i.post for i in self.items]


def viewer_id(user) -> int | None:
    return user.pk if user is not None and user.is_authenticated else None


@dataclass
class Exclusions:
    """What a viewer must never be recommended: hidden authors, not-interested marks."""

    authors: set[int] = field(default_factory=set)
    posts: set[int] = field(default_factory=set)
    tags: set[int] = field(default_factory=set)

    def post_filter(self, *, tags: bool = True) -> Q:
        """Return a ``Post`` filter that drops everything excluded (tags by subquery;
        without ``tags``, posts under a "not interested" tag stay: search finds them)."""
        q = ~Q(author_id__in=self.authors) & ~Q(pk__in=self.posts)
        if tags and self.tags:
            q &= ~Q(pk__in=PostTag.objects.filter(tag_id__in=self.tags).values("post_id"))
        return q


def exclusions_for(user) -> Exclusions:
    """Return blocked authors (either way) and the viewer's not-interested marks.

    Every page of every feed asks, so the answer is kept in Redis for
    ``FEED_EXCLUSIONS_CACHE_SECONDS`` under a version that each block and not-interested
    change bumps once it commits (``stores.exclusions_changed``): a reader that raced a
    change stores its answer under the old version, which nobody reads again. (A row
    edited in the admin bypasses the services: it applies when the cache expires.)
    """
    uid = viewer_id(user)
    if uid is None:
        return Exclusions()
    ttl = knobs()["FEED_EXCLUSIONS_CACHE_SECONDS"]
    version = None
    if ttl:
        try:
            with stores.reading():
                pipe = stores.redis().pipeline(transaction=False)
                pipe.get(stores.exclusions_version_key(uid))
                pipe.hgetall(stores.exclusions_key(uid))
                raw_version, cached = pipe.execute()
            version = raw_version or b"0"
            if version in cached:
                data = json.loads(cached[version])
                return Exclusions(set(data["authors"]), set(data["posts"]), set(data["tags"]))
        except stores.Unavailable:
            version = None
    out = _exclusions_from_db(user, uid)
    if version is not None:
        with stores.tolerant("exclusions cache"):
            data = {"authors": sorted(out.authors), "posts": sorted(out.posts), "tags": sorted(out.tags)}
            pipe = stores.redis().pipeline(transaction=False)
            pipe.hset(stores.exclusions_key(uid), version, json.dumps(data))
            pipe.expire(stores.exclusions_key(uid), ttl)
            pipe.execute()
    return out


def _exclusions_from_db(user, uid: int) -> Exclusions:
    out = Exclusions(authors=hidden_author_ids(user=user))
    for kind, post_id, author_id, tag_id in NotInterested.objects.filter(user_id=uid).values_list(
        "kind", "post_id", "author_id", "tag_id"
    ):
        if kind == NotInterested.Kind.POST and post_id:
            out.posts.add(post_id)
        elif kind == NotInterested.Kind.AUTHOR and author_id:
            out.authors.add(author_id)
        elif kind == NotInterested.Kind.TAG and tag_id:
            out.tags.add(tag_id)
    return out


# Pool states that keep a post out of distribution: a quality score under the threshold,
# or held by moderation.
UNDISTRIBUTED = (PoolEntry.State.NOT_ENTERED, PoolEntry.State.HELD)


def published_by_active_authors() -> Q:
    """Published posts (not limited, pending or removed) by active, unbanned authors."""
    return Q(status=Post.Status.PUBLISHED, author__is_active=True, author__is_banned=False)


def recommendable() -> Q:
    """Posts any recommending feed may show: published (not limited, pending or removed),
    by an active author, and not kept out of distribution by the engine (a quality score
    under the threshold, or held by moderation)."""
    return published_by_active_authors() & ~Q(pool__state__in=UNDISTRIBUTED)


def cards(ids: list[int], *, base: Q, exclusions: Exclusions) -> dict[int, Post]:
    """Return the posts among ``ids`` that pass ``base`` and the exclusions (one query).

    The posts are *light*: only the fields that change without an edit (counts, status)
    and those a feed pages by are loaded. The API renders the rest of each card from the
    card cache (``content.cards``); a web page loads full cards with ``with_cards``.
    """
    if not ids:
        return {}
    qs: QuerySet[Post] = Post.objects.filter(base, exclusions.post_filter(), pk__in=ids).only(*LIGHT_FIELDS)
    return {p.pk: p for p in qs}


def with_cards(page: FeedPage) -> FeedPage:
    """Give a page's items their full posts (author, channel, images, tags) for templates;
    three queries whatever the page's size."""
    # ``sells`` (the pools' flag of a post with live products) marks a selling card: a
    # column of the same query, not another one.
    full = posts_with_cards().annotate(sells=F("pool__selling")).in_bulk([i.post.pk for i in page.items])
    page.items = [i for i in page.items if i.post.pk in full]
    for item in page.items:
        item.post = full[item.post.pk]
    return page


# ---------------------------------------------------------------- seen
def seen_ids(user) -> set[int]:
    """Return the posts served to ``user`` in the last ``FEED_SEEN_DAYS`` (Redis, else DB)."""
    uid = viewer_id(user)
    if uid is None:
        return set()
    k = knobs()
    try:
        with stores.reading():
            return {int(m) for m in stores.redis().zrange(stores.seen_key(uid), 0, -1)}
    except stores.Unavailable:
        since = timezone.now() - timedelta(days=k["FEED_SEEN_DAYS"])
        rows = (
            Event.objects.filter(user_id=uid, kind=Event.Kind.IMPRESSION, created_at__gte=since)
            .order_by("-created_at")
            .values_list("post_id", flat=True)[: k["FEED_SEEN_MAX"] * 2]
        )
        return set(rows)


def serve(user, post_ids: Iterable[int], source: str, *, sources: dict[int, str] | None = None) -> int:
    """Record the impressions of a served page and remember the posts as seen.

    A post already in the viewer's seen set (the same page fetched again, or a post met
    earlier in another feed) is not counted twice: impressions measure distinct viewers
    for the pools. ``sources`` gives some posts another event source than ``source``
    (the reserve lane's, which the pools leave out). Returns the number of impressions
    recorded.
    """
    ids = list(dict.fromkeys(post_ids))
    if not ids:
        return 0
    uid = viewer_id(user)
    if uid is None:
        return impressions_record(user=None, post_ids=ids, source=source)
    k = knobs()
    now = time.time()
    key = stores.seen_key(uid)
    fresh = ids
    try:
        with stores.reading():
            # One round trip: the pipeline runs in order, so ZMSCORE sees the set before the ZADD.
            pipe = stores.redis().pipeline(transaction=False)
            pipe.zmscore(key, [str(pid) for pid in ids])
            pipe.zadd(key, {str(pid): now for pid in ids})
            pipe.zremrangebyscore(key, "-inf", now - k["FEED_SEEN_DAYS"] * 86400)
            pipe.zremrangebyrank(key, 0, -k["FEED_SEEN_MAX"] - 1)
            pipe.expire(key, k["FEED_SEEN_DAYS"] * 86400)
            scores = pipe.execute()[0]
            fresh = [pid for pid, score in zip(ids, scores, strict=True) if score is None]
    except stores.Unavailable:
        pass
    return impressions_record(user=user, post_ids=fresh, source=source, sources=sources)
