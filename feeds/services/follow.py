"""关注 follow feed: followed authors' posts, newest first, from inboxes in Redis.

Publishing fans a post out (a Celery task) to the inbox of each follower
(``fd:inbox:{user}``, capped at ``INBOX_SIZE``) and to the author's outbox
(``fd:outbox:{author}``, capped at ``OUTBOX_SIZE``). Authors with more than
``FANOUT_MAX_FOLLOWERS`` followers are not fanned out: their outboxes are merged into
the page at read time instead, so one post by a very large account costs one write.
Following someone copies their outbox into your inbox; unfollowing takes their posts
out. An inbox that does not exist yet (a new user, Redis restarted) is read from the
database and warmed for the next page; when Redis is down, or the inboxes are being
rebuilt (``stores.require``), every page comes from the database. Limited posts (限流) stay in followers' follow feeds; removed ones never do.

The cursor is a keyset, (published time, post id) of the last item served, so the
Redis and the database paths page the same way and a new post never shifts a page.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import Follow, User
from content.models import Post
from feeds import cursor, stores
from feeds.knobs import knobs
from feeds.services.serving import FeedItem, FeedPage, cards, exclusions_for, serve, viewer_id

log = logging.getLogger(__name__)
FOLLOW = "follow"
EMPTY_MARK = "0"  # an inbox holding only this member exists but has no posts


def _score(published_at: datetime) -> float:
    return published_at.timestamp()


def followable() -> Q:
    """Posts a follow feed may show: published or limited, by an active author."""
    return Q(status__in=[Post.Status.PUBLISHED, Post.Status.LIMITED], author__is_active=True, author__is_banned=False)


# ---------------------------------------------------------------- writes
def fanout(post_id: int) -> int:
    """Push a published post to its author's outbox and followers' inboxes; return how many."""
    k = knobs()
    row = (
        Post.objects.filter(followable(), pk=post_id)
        .values_list("author_id", "published_at", "author__follower_count")
        .first()
    )
    if row is None or row[1] is None:
        return 0
    author_id, published_at, follower_count = row
    score = _score(published_at)
    member = {str(post_id): score}
    written = 0
    with stores.tolerant("fanout"):
        client = stores.redis()
        pipe = client.pipeline(transaction=False)
        pipe.zadd(stores.outbox_key(author_id), member)
        pipe.zremrangebyrank(stores.outbox_key(author_id), 0, -k["OUTBOX_SIZE"] - 1)
        pipe.execute()
        if follower_count > k["FANOUT_MAX_FOLLOWERS"]:
            return 0  # a very large account: merged at read time
        followers = list(Follow.objects.filter(followee_id=author_id).values_list("follower_id", flat=True))
        for start in range(0, len(followers), 500):
            chunk = followers[start : start + 500]
            # Only inboxes that exist: a missing one is built from the database on read.
            pipe = client.pipeline(transaction=False)
            for follower_id in chunk:
                pipe.exists(stores.inbox_key(follower_id))
            present = [f for f, there in zip(chunk, pipe.execute(), strict=True) if there]
            pipe = client.pipeline(transaction=False)
            for follower_id in present:
                key = stores.inbox_key(follower_id)
                pipe.zadd(key, member)
                pipe.zremrangebyrank(key, 0, -k["INBOX_SIZE"] - 1)
            pipe.execute()
            written += len(present)
    return written


def unfan(post_id: int, author_id: int) -> None:
    """Take a post out of its author's outbox and of every inbox (removed, banned …)."""
    with stores.tolerant("unfan"):
        client = stores.redis()
        client.zrem(stores.outbox_key(author_id), str(post_id))
        followers = Follow.objects.filter(followee_id=author_id).values_list("follower_id", flat=True)
        pipe = client.pipeline(transaction=False)
        for follower_id in followers.iterator(chunk_size=2000):
            pipe.zrem(stores.inbox_key(follower_id), str(post_id))
        pipe.execute()


def _author_recent(author_id: int, limit: int) -> dict[str, float]:
    rows = (
        Post.objects.filter(followable(), author_id=author_id, published_at__isnull=False)
        .order_by("-published_at")
        .values_list("pk", "published_at")[:limit]
    )
    return {str(pk): _score(at) for pk, at in rows}


def follow_changed(*, follower_id: int, followee_id: int, following: bool) -> None:
    """Copy a newly followed author's recent posts into the inbox, or take them out."""
    k = knobs()
    with stores.tolerant("inbox follow"):
        client = stores.redis()
        key = stores.inbox_key(follower_id)
        if not client.exists(key):
            return  # built from the database on the next read
        posts = _author_recent(followee_id, k["OUTBOX_SIZE"])
        if not posts:
            return
        if following:
            client.zadd(key, posts)
            client.zremrangebyrank(key, 0, -k["INBOX_SIZE"] - 1)
        else:
            client.zrem(key, *posts)


def outboxes_ensure(author_ids: list[int]) -> None:
    """Build the outboxes of these authors that Redis does not hold (raises Unavailable)."""
    if not author_ids:
        return
    k = knobs()
    with stores.reading():
        client = stores.redis()
        pipe = client.pipeline(transaction=False)
        for a in author_ids:
            pipe.exists(stores.outbox_key(a))
        missing = [a for a, there in zip(author_ids, pipe.execute(), strict=True) if not there]
        for a in missing:
            members = _author_recent(a, k["OUTBOX_SIZE"]) or {EMPTY_MARK: 0.0}
            client.zadd(stores.outbox_key(a), members)


def inbox_warm(user_id: int) -> int:
    """Build a user's inbox from the database (the newest ``INBOX_SIZE`` posts)."""
    k = knobs()
    big = k["FANOUT_MAX_FOLLOWERS"]
    rows = (
        Post.objects.filter(
            followable(),
            author__in=Follow.objects.filter(follower_id=user_id, followee__follower_count__lte=big).values(
                "followee_id"
            ),
            published_at__isnull=False,
        )
        .order_by("-published_at")
        .values_list("pk", "published_at")[: k["INBOX_SIZE"]]
    )
    members = {str(pk): _score(at) for pk, at in rows}
    members[EMPTY_MARK] = 0.0
    with stores.tolerant("inbox warm"):
        pipe = stores.redis().pipeline(transaction=True)
        pipe.delete(stores.inbox_key(user_id))
        pipe.zadd(stores.inbox_key(user_id), members)
        pipe.execute()
    return len(members) - 1


# ---------------------------------------------------------------- reads
def _before(position: dict | None) -> tuple[datetime, int] | None:
    """Return the (published time, id) the next page starts after."""
    if not position:
        return None
    try:
        return datetime.fromisoformat(position["t"]), int(position["id"])
    except (KeyError, TypeError, ValueError) as exc:
        raise cursor.BadCursor(_("This cursor is not valid; start again without one.")) from exc


def _older(score: float, pid: int, before) -> bool:
    return before is None or (score, pid) < (_score(before[0]), before[1])


def _redis_page(uid: int, big_authors: list[int], before, size: int) -> list[int] | None:
    """Return the next ids from the inbox merged with big accounts' outboxes, or None."""
    with stores.reading():
        client = stores.redis()
        key = stores.inbox_key(uid)
        if not client.exists(key):
            return None
        # Posts sharing the cursor's timestamp are re-read and filtered by id.
        top = repr(_score(before[0])) if before else "+inf"
        pipe = client.pipeline(transaction=False)
        for k_ in [key] + [stores.outbox_key(a) for a in big_authors]:
            pipe.zrevrangebyscore(k_, top, "(0", start=0, num=size + 20, withscores=True)
        merged: dict[int, float] = {}
        for rows in pipe.execute():
            for member, score in rows:
                merged[int(member)] = score
    ordered = sorted(((s, p) for p, s in merged.items() if p > 0 and _older(s, p, before)), reverse=True)
    return [p for _, p in ordered[:size]]


def _db_page(uid: int, before, size: int) -> list[int]:
    qs = Post.objects.filter(
        followable(),
        author__in=Follow.objects.filter(follower_id=uid).values("followee_id"),
        published_at__isnull=False,
    )
    if before:
        at = before[0]
        qs = qs.filter(Q(published_at__lt=at) | Q(published_at=at, pk__lt=before[1]))
    return list(qs.order_by("-published_at", "-pk").values_list("pk", flat=True)[:size])


def follow_page(user: User, token: str | None = None, *, size: int | None = None) -> FeedPage:
    """Return the next page of the follow feed, newest first."""
    k = knobs()
    size = size or k["FEED_PAGE_SIZE"]
    uid = viewer_id(user)
    if uid is None:
        return FeedPage(FOLLOW, [], None)
    before = _before(cursor.decode(FOLLOW, token))
    fallback = False
    ids: list[int] | None
    try:
        stores.require(stores.FOLLOW)  # inboxes being rebuilt may miss posts
        big = list(
            Follow.objects.filter(follower_id=uid, followee__follower_count__gt=k["FANOUT_MAX_FOLLOWERS"]).values_list(
                "followee_id", flat=True
            )
        )
        outboxes_ensure(big)
        ids = _redis_page(uid, big, before, size)
        if ids is None:
            ids = _db_page(uid, before, size)
            inbox_warm(uid)
    except stores.Unavailable:
        fallback = True
        ids = _db_page(uid, before, size)
    posts = cards(ids, base=followable(), exclusions=exclusions_for(user))
    items = [FeedItem(posts[pid], source=FOLLOW) for pid in ids if pid in posts]
    serve(user, [i.post.pk for i in items], FOLLOW)
    next_cursor = None
    if len(ids) >= size:
        last = ids[-1]
        last_post = posts.get(last)
        stamp = last_post.published_at if last_post else _published_at(last)
        next_cursor = cursor.encode(FOLLOW, {"t": stamp.isoformat(), "id": last})
    return FeedPage(FOLLOW, items, next_cursor, fallback=fallback)


def _published_at(post_id: int) -> datetime:
    """The published time of a post the page dropped (removed since it was fanned out)."""
    at = Post.objects.filter(pk=post_id).values_list("published_at", flat=True).first()
    return at or datetime.fromtimestamp(0).astimezone()
