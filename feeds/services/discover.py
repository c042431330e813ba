"""为你推荐 discover and channel feeds: gather candidates, filter, rank, mix, page.

A *session* is one scroll through a feed. Its first page ranks a batch of candidates
(``FEED_BATCH_SIZE``) and keeps the mixed order in Redis (``fd:sess:{id}``); the cursor
names the session and an offset, so paging walks a fixed order and never reshuffles
under the user. When the batch runs out, the next one is ranked with everything
already in the session excluded. Without Redis there is no session: each page is ranked
afresh, excluding what the cursor says was served (and, for a signed-in user, what the
database says they have seen), so pages still neither repeat nor skip.

Candidate sources for discover (design 3.7.1): interest match (recent posts of the
user's top channels and tags), pool exploration (posts that still need impressions in
their tier, in the user's channels and platform-wide), hot lists, co-engagement ("people
who liked what you liked", ``fd:co:{post}`` from a Celery task), follow (the inbox) and
nearby (around the user's home place). A channel feed draws from that channel's hot
list, pool set and recent posts, and ranks by interest and heat without hiding what was
seen. Paid boosts are placed on each served page (``feeds.events.page_slots``, see
``boosts.delivery``), as their pacing is decided when a page is served;
``discover.mix(fixed=…)`` lets any other source claim fixed positions of a batch.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import Case, OuterRef, Subquery, When
from django.utils import timezone

from content.models import Channel, Like, Post, PostTag, Tag
from feeds import cursor, events, stores
from feeds.engine.discover import (
    EXPLORE,
    MAIN,
    POOL,
    RESERVE,
    Candidate,
    Profile,
    Slot,
    buying_interest,
    lanes,
    mix,
    rank,
    tag_specificity,
)
from feeds.knobs import knobs
from feeds.models import AccountWeight, HotEntry, InterestAffinity, PoolEntry
from feeds.services import learned
from feeds.services.serving import (
    UNDISTRIBUTED,
    Exclusions,
    FeedItem,
    FeedPage,
    cards,
    exclusions_for,
    published_by_active_authors,
    recommendable,
    seen_ids,
    serve,
    viewer_id,
)

DISCOVER = "discover"
CO_AT = "co-at"  # a source plan's entry that is no source: the co-engagement sets' times
# The Redis structures ranked feeds draw candidates from; while one is being rebuilt
# the feed draws them from the database (``fallback: true``).
DISCOVER_READS = (stores.HOT, stores.POOLS, stores.COENGAGEMENT)


@dataclass
class Scope:
    """Which ranked feed: discover (``channel`` None) or one channel with its children."""

    feed: str
    channel: Channel | None = None

    @property
    def name(self) -> str:
        return self.feed if self.channel is None else f"channel:{self.channel.slug}"


@dataclass
class Tree:
    """The channel tree in two maps (one query)."""

    parent: dict[int, int | None]
    slug: dict[int, str]

    @classmethod
    def load(cls) -> Tree:
        rows = list(Channel.objects.values_list("pk", "parent_id", "slug"))
        return cls({pk: parent for pk, parent, _ in rows}, {pk: slug for pk, _, slug in rows})

    def top(self, channel_id: int) -> int:
        return self.parent.get(channel_id) or channel_id

    def family(self, channel_id: int) -> list[int]:
        """Return the channel and its sub-channels."""
        return [channel_id] + [c for c, p in self.parent.items() if p == channel_id]


# ---------------------------------------------------------------- profile
def profile_of(uid: int | None, k: dict, now: datetime | None = None) -> tuple[Profile, list[int], list[int]]:
    """Return the normalised profile and the top channel and tag ids (one query).

    Each tag affinity is weighted by the tag's specificity (``tag_specificity``): a tag
    on most posts neither matches posts nor seeds the tag candidates.
    """
    if uid is None:
        return Profile(), [], []
    rows = list(
        InterestAffinity.objects.filter(user_id=uid, score__gt=0)
        .annotate(df=Case(When(  # a tag's post count: how specific it is
            kind=InterestAffinity.Kind.TAG,
            then=Subquery(Tag.objects.filter(pk=OuterRef("key")).values("post_count")[:1]),
        )))
        .order_by("-score")
        .values_list("kind", "key", "score", "df")[:200]
    )
    corpus = corpus_size(now or timezone.now())
    channels = {key: score for kind, key, score, _ in rows if kind == InterestAffinity.Kind.CHANNEL}
    tags = {
        key: score * tag_specificity(df or 0, corpus, k)
        for kind, key, score, df in rows
        if kind == InterestAffinity.Kind.TAG
    }
    tags = {key: score for key, score in sorted(tags.items(), key=lambda kv: -kv[1]) if score > 0}
    top_channels = list(channels)[: k["FEED_INTEREST_TOP_CHANNELS"]]
    top_tags = list(tags)[: k["FEED_INTEREST_TOP_TAGS"]]
    profile = Profile.from_scores(channels, tags)
    profile.buying = buying_interest(
        {key: score for kind, key, score, _ in rows if kind == InterestAffinity.Kind.BUY}, k
    )
    return profile, top_channels, top_tags


CORPUS_SECONDS = 600


def corpus_size(now: datetime) -> int:
    """Return how many posts there are (the tags' document frequencies count among them).

    Counted at most every ``CORPUS_SECONDS`` (kept in the cache with the time it was
    counted, so simulated clocks age it too); without Redis, counted each time.
    """
    cached = cache.get("feeds:corpus")
    if cached and 0 <= (now - cached[1]).total_seconds() < CORPUS_SECONDS:
        return cached[0]
    n = Post.objects.count()
    cache.set("feeds:corpus", (n, now), 86400)
    return n


# ---------------------------------------------------------------- candidate sources
def nearby_radii(k) -> list[float]:
    """The radii discover's nearby source searches in turn: the nearby feed's steps
    (``NEARBY_RADII_KM``) below ``FEED_NEARBY_KM``, then ``FEED_NEARBY_KM`` itself."""
    limit = k["FEED_NEARBY_KM"]
    return [r for r in k["NEARBY_RADII_KM"] if r < limit] + [limit]


def _redis_sources(uid, user, scope: Scope, tree: Tree, top_channels, liked, k) -> dict[int, set[str]]:
    """Read the Redis-held sources in one pipeline (raises ``stores.Unavailable``)."""
    n = k["FEED_CANDIDATES_PER_SOURCE"]
    found: dict[int, set[str]] = defaultdict(set)
    plan: list[tuple[str, object]] = []
    stores.require(*DISCOVER_READS)
    with stores.reading():
        client = stores.redis()
        pipe = client.pipeline(transaction=False)

        def zrev(key: str, count: int, label: str) -> None:
            pipe.zrevrange(key, 0, count - 1)
            plan.append((label, None))

        if scope.channel is not None:
            top = tree.top(scope.channel.pk)
            zrev(stores.hot_key(tree.slug[top]), n, "hot")
            zrev(stores.pool_channel_key(scope.channel.pk), n, POOL)
        else:
            zrev(stores.hot_key("global"), n // 2, "hot")
            for channel_id in {tree.top(c) for c in top_channels}:
                zrev(stores.hot_key(tree.slug.get(channel_id, "")), n // 4, "hot")
            # The pool lane fills ~40 % of a batch: a quarter of ``n`` per channel and half
            # of it platform-wide are plenty (each set's top is its lowest tier's least-
            # served posts, ``pools.lane_priority``).
            for channel_id in top_channels:
                zrev(stores.pool_channel_key(channel_id), n // 4, POOL)
            zrev(stores.pool_all_key(), n // 2, POOL)
            for post_id in liked:
                pipe.zrevrange(stores.co_key(post_id), 0, 9)
                plan.append(("co", post_id))
            if uid is not None:
                zrev(stores.inbox_key(uid), n // 4, "follow")
                if user.home_lat is not None and user.home_lng is not None:
                    radii = nearby_radii(k)
                    pipe.geosearch(
                        stores.geo_key(), longitude=user.home_lng, latitude=user.home_lat,
                        radius=radii[0], unit="km", sort="ASC", count=n // 4,
                    )
                    plan.append(("nearby", radii))
        if liked:  # last: when each co-engagement set above was computed
            pipe.zmscore(stores.co_at_key(), [str(p) for p in liked])
            plan.append((CO_AT, None))
        results = pipe.execute()
        for i, (label, radii) in enumerate(plan):
            # Widen only when the nearer search came back short: a full reply holds the
            # nearest ``n // 4`` posts of any wider radius too (the same answer as one
            # search at ``FEED_NEARBY_KM``, which sorted a whole city: 6 ms of Redis).
            for radius in radii[1:] if label == "nearby" else ():
                if len(results[i]) >= n // 4:
                    break
                results[i] = client.geosearch(
                    stores.geo_key(), longitude=user.home_lng, latitude=user.home_lat,
                    radius=radius, unit="km", sort="ASC", count=n // 4,
                )
    # When each "people who liked what you liked" set was computed: one older than the
    # co-engagement window by the application's clock is not read (``stores.outlived``).
    keep = k["COENGAGEMENT_DAYS"] * 86400
    written = dict(zip(liked, results[-1], strict=True)) if plan and plan[-1][0] == CO_AT else {}
    for (label, seed), members in zip(plan, results, strict=True):
        if label == CO_AT or (label == "co" and stores.outlived(written.get(seed), keep)):
            continue
        for m in members:
            pid = int(m)
            if pid > 0:
                found[pid].add(label)
    return found


def _db_fallback_sources(scope: Scope, tree: Tree, top_channels, k) -> dict[int, set[str]]:
    """The Redis-held sources, read from the database instead (hot rows, pool entries)."""
    n = k["FEED_CANDIDATES_PER_SOURCE"]
    found: dict[int, set[str]] = defaultdict(set)
    keys = ["global"] if scope.channel is None else [tree.slug[tree.top(scope.channel.pk)]]
    keys += [tree.slug.get(tree.top(c), "") for c in top_channels]
    for pid in HotEntry.objects.filter(list_key__in=keys, rank__lte=n).values_list("post_id", flat=True):
        found[pid].add("hot")
    pool = PoolEntry.objects.filter(state=PoolEntry.State.ACTIVE)
    if scope.channel is not None:
        pool = pool.filter(post__channel_id__in=tree.family(scope.channel.pk))
    for pid in pool.order_by("-tier_entered_at").values_list("post_id", flat=True)[:n]:
        found[pid].add(POOL)
    return found


def _own_channels(scope: Scope, tree: Tree, top_channels) -> tuple[set[int] | None, str]:
    """Return the channels a feed's own sources draw from, and the source's label: the
    channel with its sub-channels, else the user's top channels with theirs ("interest"),
    else ``None``: every channel ("latest")."""
    if scope.channel is not None:
        return set(tree.family(scope.channel.pk)), "channel"
    if top_channels:
        return {c for top in top_channels for c in tree.family(top)}, "interest"
    return None, "latest"


def _db_sources(uid, scope: Scope, tree: Tree, top_channels, top_tags, since, k) -> dict[int, set[str]]:
    """Recent posts of the user's channels and tags (or of the channel; or the newest)."""
    n = k["FEED_CANDIDATES_PER_SOURCE"]
    found: dict[int, set[str]] = defaultdict(set)
    ids = Post.objects.filter(status=Post.Status.PUBLISHED, published_at__gte=since)
    channels, label = _own_channels(scope, tree, top_channels)
    if channels is not None:
        ids = ids.filter(channel_id__in=channels)
    for pid in ids.order_by("-published_at").values_list("pk", flat=True)[:n]:
        found[pid].add(label)
    if scope.channel is None and top_tags:
        # The tags' newest posts straight from the (tag, post) index, then those of them
        # published in the window: joined in one step, PostgreSQL walked the whole tag
        # table backwards in parallel workers (~15 ms a first page, measured).
        newest = PostTag.objects.filter(tag_id__in=top_tags).order_by("-post_id").values("post_id")[: 2 * n]
        tagged = (
            Post.objects.filter(pk__in=newest, status=Post.Status.PUBLISHED, published_at__gte=since)
            .order_by("-pk")
            .values_list("pk", flat=True)[:n]
        )
        for pid in tagged:
            found[pid].add("interest")
    if uid is not None and scope.channel is None and not top_channels:
        # Cold start also reaches back further for variety.
        for pid in Post.objects.filter(status=Post.Status.PUBLISHED).order_by("-like_count", "-pk").values_list(
            "pk", flat=True
        )[:n]:
            found[pid].add("popular")
    return found


def _older_sources(uid, scope: Scope, tree: Tree, top_channels, skip: set[int], k) -> dict[int, set[str]]:
    """When the recent sources are used up, reach back: the newest posts not yet seen or
    served, of any age, in the user's channels (or the channel), then platform-wide.

    Every other source takes the top of a list and leaves the seen filter to drop what
    the reader knows, so someone who reads a lot (a thousand posts in their channels in
    a fortnight) would otherwise scroll into an empty feed while older posts wait. Runs
    only when a batch comes up short: one or two queries more for those readers.

    Each reach-back walks on down the timeline from where the last one stopped (kept in
    Redis, ``fd:reach:…``), so a heavy reader's query does not wade through the
    thousands of posts they have read (22 ms at 3 400 seen, measured). A walk that
    reaches the oldest post goes on from the top, and a walk is over a day after it
    began: either way the posts it passed over unserved come back.
    """
    n = k["FEED_CANDIDATES_PER_SOURCE"]
    found: dict[int, set[str]] = {}
    unseen = Post.objects.filter(status=Post.Status.PUBLISHED).exclude(pk__any_of=skip)
    channels, label = _own_channels(scope, tree, top_channels)
    phases = []
    if channels is not None:
        phases.append((label, unseen.filter(channel_id__in=channels)))
    if scope.channel is None:
        phases.append(("latest", unseen))
    for name, qs in phases:
        want = n - len(found)
        if want <= 0:
            break
        key = stores.reach_key(uid, scope.name, name) if uid is not None else None
        reach = stores.reach_get(key) if key else None
        newest = qs.exclude(pk__any_of=found).order_by("-published_at")
        bounded = newest.filter(published_at__lt=reach.at) if reach is not None else newest
        rows = list(bounded.values_list("pk", "published_at")[:want])
        if reach is not None and len(rows) < want:
            # The walk reached the oldest post: it goes on from the top, in a new walk.
            reach = None
            rows += newest.exclude(pk__any_of=[pid for pid, _ in rows]).values_list("pk", "published_at")[
                : want - len(rows)
            ]
        for pid, _ in rows:
            found[pid] = {name}
        if key and rows:
            stores.reach_set(key, rows[-1][1], reach.began if reach is not None else None)
    return found


# ---------------------------------------------------------------- facts and ranking
def candidates_for(ids: list[int], exclusions: Exclusions, tag_ids: Iterable[int] = ()) -> list[Candidate]:
    """Return ranking facts for the recommendable posts among ``ids`` (two or three queries).

    Only the tags in ``tag_ids`` (the viewer's profile tags: the only ones interest
    matching reads) are loaded: all of a thousand candidates' tags cost a third of the
    first page (measured by the benchmark).
    """
    if not ids:
        return []
    # Posts and their pool entries in two indexed lookups: joined in one query, PostgreSQL
    # hashes the whole pool table (20 of a first page's ~60 ms at 100 000 posts).
    rows = Post.objects.filter(published_by_active_authors(), exclusions.post_filter(), pk__any_of=ids).values_list(
        "pk", "author_id", "channel_id", "channel__parent_id", "kind", "published_at",
        "like_count", "comment_count", "favourite_count", "share_count",
    )
    pool = {
        row[0]: row[1:]
        for row in PoolEntry.objects.filter(post_id__any_of=ids).values_list(
            "post_id", "state", "tier", "quota", "impressions_in_tier", "impressions_total",
            # Only the completion rate, not the whole rates document: decoding a thousand
            # of those cost a third of the query (measured by the benchmark).
            "rates__completion", "selling", "rates__conversion",
        )
    }
    no_entry = (None,) * 8
    out: dict[int, Candidate] = {}
    for pk, author, channel, parent, kind, published, likes, comments, favourites, shares in rows:
        state, tier, quota, in_tier, total, rate_completion, selling, conversion = pool.get(pk, no_entry)
        if state in UNDISTRIBUTED:
            continue
        completion = rate_completion if kind == Post.Kind.VIDEO else None
        out[pk] = Candidate(
            post_id=pk, author_id=author, channel_id=channel, parent_channel_id=parent, kind=kind,
            published_at=published, impressions=(in_tier or 0) + (total or 0), likes=likes,
            comments=comments, favourites=favourites, shares=shares, completion=completion,
            # The pool lane holds base-pool posts still owed impressions; promoted posts
            # compete in the main lane on what they measured.
            in_pool=state == PoolEntry.State.ACTIVE and not tier and (in_tier or 0) < (quota or 0),
            pool_served=(in_tier or 0) / quota if quota else 1.0,
            stopped=state == PoolEntry.State.STOPPED,
            under_test=state == PoolEntry.State.ACTIVE,
            selling=bool(selling), conversion=conversion if selling else None,
        )
    tags: dict[int, list[int]] = defaultdict(list)
    authors_tags: dict[int, list[int]] = defaultdict(list)
    tag_ids = list(tag_ids)
    if tag_ids and out:
        for pid, tag_id, source in PostTag.objects.filter(post_id__any_of=list(out), tag_id__in=tag_ids).values_list(
            "post_id", "tag_id", "source"
        ):
            tags[pid].append(tag_id)
            if source == PostTag.Source.AUTHOR:
                authors_tags[pid].append(tag_id)
    for pid, c in out.items():
        c.tag_ids = tuple(tags.get(pid, ()))
        c.author_tag_ids = tuple(authors_tags.get(pid, ()))
    return list(out.values())


def author_weights(author_ids: set[int]) -> dict[int, float]:
    """Return account weights from Redis, else from the database (1.0 when unknown)."""
    found = stores.weights_get(author_ids)
    if found is None:
        found = dict(AccountWeight.objects.filter(user_id__in=author_ids).values_list("user_id", "weight"))
    return found


def build_batch(
    user,
    scope: Scope,
    *,
    exclude: set[int],
    history: list[tuple[int, int]],
    size: int,
    exclusions: Exclusions,
    now: datetime | None = None,
) -> list[tuple[Slot, Candidate]]:
    """Rank and mix the next ``size`` items of a feed for ``user``; return them in order.

    ``exclusions`` are the viewer's (``exclusions_for``); the viewer's own posts are
    never candidates.
    """
    k = knobs()
    now = now or timezone.now()
    uid = viewer_id(user)
    tree = Tree.load()
    profile, top_channels, top_tags = profile_of(uid, k, now)
    if uid is not None:
        exclusions = Exclusions(exclusions.authors | {uid}, exclusions.posts, exclusions.tags)
    liked: list[int] = []
    if uid is not None and scope.channel is None:
        liked = list(
            Like.objects.filter(user_id=uid).order_by("-created_at").values_list("post_id", flat=True)[
                : k["FEED_COENGAGEMENT_SEEDS"]
            ]
        )
    try:
        found = _redis_sources(uid, user, scope, tree, top_channels, liked, k)
    except stores.Unavailable:
        found = _db_fallback_sources(scope, tree, top_channels, k)
    since = now - timedelta(days=k["FEED_RECENT_DAYS"])
    for pid, labels in _db_sources(uid, scope, tree, top_channels, top_tags, since, k).items():
        found.setdefault(pid, set()).update(labels)
    skip = set(exclude)
    if scope.channel is None:
        skip |= seen_ids(user)
    # The learned stage (feeds/services/learned.py): None without a trained model.
    model = learned.learned_model() if uid is not None and scope.channel is None else None
    for pid in learned.learned_candidates(model, uid, skip=skip | set(liked), now=now, k=k):
        found.setdefault(pid, set()).add(learned.LEARNED)
    ids = [pid for pid in found if pid not in skip]
    if len(ids) < size:
        for pid, labels in _older_sources(uid, scope, tree, top_channels, skip | set(ids), k).items():
            found.setdefault(pid, set()).update(labels)
            ids.append(pid)
    candidates = candidates_for(ids, exclusions, tag_ids=profile.tags)
    for c in candidates:
        c.sources = found.get(c.post_id, set())
    weights = author_weights({c.author_id for c in candidates})
    ranked = rank(candidates, profile=profile, weights=weights, now=now, k=k)
    ranked = learned.learned_rerank(model, uid, ranked, k)
    split = lanes(ranked, profile, k)
    split = learned.learned_order(model, uid, split, k)
    if scope.channel is not None:
        # A channel is its own scope: nothing in it counts as exploration.
        split = {MAIN: split[MAIN] + split[EXPLORE], POOL: split[POOL], EXPLORE: [], RESERVE: split[RESERVE]}
        split[MAIN].sort(key=lambda c: -c.score)
    by_id = {c.post_id: c for c in candidates}
    slots = mix(split, size=size, k=k, history=history)
    return [(learned.learned_label(s, by_id[s.post_id]), by_id[s.post_id]) for s in slots]


# ---------------------------------------------------------------- sessions
def _encode_item(slot: Slot, c: Candidate) -> str:
    return f"{slot.post_id}:{c.author_id}:{c.channel_id}:{slot.lane}"


def _decode_item(raw: bytes | str) -> tuple[int, int, int, str]:
    text = raw.decode() if isinstance(raw, bytes) else raw
    pid, author, channel, lane = text.split(":", 3)
    return int(pid), int(author), int(channel), lane


def ranked_page(
    user,
    scope: Scope,
    token: str | None,
    *,
    size: int | None = None,
    now: datetime | None = None,
) -> FeedPage:
    """Return the next page of a ranked feed (discover or channel) and record it served."""
    k = knobs()
    size = size or k["FEED_PAGE_SIZE"]
    position = cursor.decode(scope.name, token) or {}
    sid = position.get("s") or uuid.uuid4().hex[:16]
    offset = int(position.get("o", 0))
    exclusions = exclusions_for(user)
    fallback = False
    try:
        stores.require(*DISCOVER_READS)
        with stores.reading():
            client = stores.redis()
            key = stores.session_key(sid)
            items = [_decode_item(r) for r in client.lrange(key, offset, offset + size - 1)]
            if len(items) < size:
                every = [_decode_item(r) for r in client.lrange(key, 0, -1)]
                batch = build_batch(
                    user, scope, exclude={i[0] for i in every},
                    history=[(a, c) for _, a, c, _ in every[-k["FEED_CHANNEL_WINDOW"]:]],
                    size=max(k["FEED_BATCH_SIZE"], size), exclusions=exclusions, now=now,
                )
                if batch:
                    pipe = client.pipeline(transaction=False)
                    pipe.rpush(key, *[_encode_item(s, c) for s, c in batch])
                    pipe.expire(key, k["FEED_SESSION_MINUTES"] * 60)
                    pipe.execute()
                items = [_decode_item(r) for r in client.lrange(key, offset, offset + size - 1)]
            else:
                client.expire(key, k["FEED_SESSION_MINUTES"] * 60)
            served_before: list[int] = []
    except stores.Unavailable:
        fallback = True
        served_before = list(position.get("x", []))
        batch = build_batch(
            user, scope, exclude=set(served_before), history=[], size=size, exclusions=exclusions, now=now
        )
        items = [(s.post_id, c.author_id, c.channel_id, s.lane) for s, c in batch]
    posts = cards([i[0] for i in items], base=recommendable(), exclusions=exclusions)
    page_items = [FeedItem(posts[pid], source=lane) for pid, _, _, lane in items if pid in posts]
    if scope.name == DISCOVER:
        page_items = events.page_slots.pipe(page_items, user=user, exclusions=exclusions, now=now)
    # Boosted items are counted apart (BoostImpression); only organic ones fill the pools,
    # and the reserve lane's are recorded under its own source, which the pools leave out.
    serve(
        user, [i.post.pk for i in page_items if not i.promoted], scope.feed,
        sources={i.post.pk: RESERVE for i in page_items if i.source == RESERVE},
    )
    next_cursor = None
    if len(items) >= size:
        nxt: dict = {"s": sid, "o": offset + size}
        if fallback:
            nxt["x"] = (served_before + [i[0] for i in items])[-k["FEED_FALLBACK_CURSOR_IDS"]:]
        next_cursor = cursor.encode(scope.name, nxt)
    return FeedPage(scope.name, page_items, next_cursor, fallback=fallback)


def discover_page(user, token: str | None = None, *, size: int | None = None, now: datetime | None = None) -> FeedPage:
    """Return the next page of 为你推荐 for ``user`` (anonymous users get the cold start)."""
    return ranked_page(user, Scope(DISCOVER), token, size=size, now=now)


def channel_page(user, channel: Channel, token: str | None = None, *, size: int | None = None) -> FeedPage:
    """Return the next page of a channel (and its sub-channels), ranked by interest and heat."""
    return ranked_page(user, Scope("channel", channel), token, size=size)

