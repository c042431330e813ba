"""Feed cards for the API, kept rendered in Redis.

A card is ``PostSerializer``'s output. Most of it changes only when its post is edited
(title, text, channel, tags, place) or its author edits their profile; the rest changes
all the time (counts, status, the viewer's like and save). A feed page loads its posts
*light*, with only those changing fields, in one query that also decides what the
viewer may see (``feeds.services.serving.cards``); ``render`` takes the fixed part of
each card from Redis in one pipeline, renders only the posts missing there (in one go
through the serializer) and stores them for the next page.

Keys (``FEED_CARD_CACHE_SECONDS`` of life, 0 turns the cache off):

| key                      | type | holds                                                 |
| ------------------------ | ---- | ----------------------------------------------------- |
| fd:card:{post_id}        | hash | "{origin} {updated_at}" → the post's fixed fields, JSON |
| fd:card-author:{user_id} | hash | origin → the author's brief (name, avatar), JSON       |

The origin (scheme and host) is part of the field because the serializer writes absolute
media URLs. An edit changes the post's ``updated_at``, so its card is looked up under a
new field (the old one expires with the key); a profile edit deletes the author's hash
(``author_saved``, a ``post_save`` receiver). A channel renamed in the admin shows its
old name on cached cards until they expire. Without Redis every card is rendered.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from content.models import Post
from content.selectors import ViewerState, posts_with_cards
from content.serializers import PostSerializer, counts_of, status_reason_for, viewer_of
from feeds import stores
from feeds.knobs import knob

# The fields of a card that change without an edit: taken from the light post each time.
CHANGING = ("author", "status", "status_reason", "counts", "viewer")
# What a light post loads: the changing fields and what a feed needs to page and stamp.
LIGHT_FIELDS = (
    "pk", "author_id", "channel_id", "kind", "status", "status_reason", "published_at", "updated_at",
    "like_count", "favourite_count", "comment_count", "share_count", "view_count",
)


def card_key(post_id: int) -> str:
    return f"{stores.PREFIX}:card:{post_id}"


def author_key(user_id: int) -> str:
    return f"{stores.PREFIX}:card-author:{user_id}"


def _version(origin: str, post: Post) -> str:
    return f"{origin} {post.updated_at.timestamp():.6f}"


def render(posts: Iterable[Post], *, request, state: ViewerState) -> dict[int, dict]:
    """Return each post's card as ``PostSerializer`` would render it for ``request``, by id."""
    posts = list(posts)
    if not posts:
        return {}
    origin = f"{request.scheme}://{request.get_host()}"
    ttl = knob("FEED_CARD_CACHE_SECONDS")
    fixed: dict[int, dict] = {}
    authors: dict[int, dict] = {}
    author_ids = list(dict.fromkeys(p.author_id for p in posts))
    cached = False
    if ttl:
        try:
            with stores.reading():
                pipe = stores.redis().pipeline(transaction=False)
                for p in posts:
                    pipe.hget(card_key(p.pk), _version(origin, p))
                for a in author_ids:
                    pipe.hget(author_key(a), origin)
                found = pipe.execute()
            cached = True
        except stores.Unavailable:
            found = []
        for p, raw in zip(posts, found[: len(posts)], strict=False):
            if raw is not None:
                fixed[p.pk] = json.loads(raw)
        for a, raw in zip(author_ids, found[len(posts):], strict=False):
            if raw is not None:
                authors[a] = json.loads(raw)
    missing = [p.pk for p in posts if p.pk not in fixed or p.author_id not in authors]
    if missing:
        _render_missing(missing, posts, request, origin, fixed, authors, store=cached, ttl=ttl)
    # A post deleted between the two queries has no card: the page goes on without it.
    return {
        p.pk: _card(p, fixed[p.pk], authors[p.author_id], request, state)
        for p in posts
        if p.pk in fixed and p.author_id in authors
    }


def _render_missing(ids, posts, request, origin, fixed, authors, *, store: bool, ttl: int) -> None:
    """Render the posts in ``ids`` through the serializer (three queries), keep their fixed
    parts in ``fixed`` and ``authors``, and store them in Redis when ``store``."""
    full = posts_with_cards().in_bulk(ids)
    light = {p.pk: p for p in posts}
    rendered = PostSerializer(list(full.values()), many=True, context={"request": request}).data
    pipe = stores.redis().pipeline(transaction=False) if store else None
    for data in rendered:
        pid = data["id"]
        post = light[pid]  # (its author_id and updated_at: those the page was served with)
        fixed[pid] = {name: value for name, value in data.items() if name not in CHANGING}
        authors[post.author_id] = data["author"]
        if pipe is not None:
            pipe.hset(card_key(pid), _version(origin, post), json.dumps(fixed[pid], ensure_ascii=False))
            pipe.expire(card_key(pid), ttl)
            pipe.hset(author_key(post.author_id), origin, json.dumps(data["author"], ensure_ascii=False))
            pipe.expire(author_key(post.author_id), ttl)
    if pipe is not None:
        with stores.tolerant("card cache"):
            pipe.execute()


def _card(post: Post, fixed: dict, author: dict, request, state: ViewerState) -> dict:
    """Put a card together in the serializer's field order."""
    changing = {
        "author": author,
        "status": post.status,
        "status_reason": status_reason_for(post, request),
        "counts": counts_of(post),
        "viewer": viewer_of(post, state),
    }
    return {name: changing[name] if name in changing else fixed[name] for name in PostSerializer.Meta.fields}


def author_saved(sender, instance, **kwargs) -> None:
    """A profile saved (name, avatar …): forget the author's rendered brief."""
    with stores.tolerant("card cache"):
        stores.redis().delete(author_key(instance.pk))
