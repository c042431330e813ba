"""Feed cards for the API, kept rendered in Redis.

A card is ``PostSerializer``'s output. Most of it changes only when its post is edited
(title, text, channel, tags, place) or its author edits their profile; the rest changes
all the time (counts, status, the viewer's like and save). A feed page loads its posts
*light*, with only those changing fields, in one query that also decides what the
viewer may see (``feeds.services.serving.cards``); ``render`` takes the fixed part of
each card from Redis (one round trip), renders only the posts missing there (three
queries) and stores them for the next page. A worker renders a post's card when it is
published (``feeds.tasks.render_cards``), and ``rebuild_redis`` renders the cards of the
posts published within ``FEED_RECENT_DAYS``, so readers rarely meet a miss.

Keys (``FEED_CARD_CACHE_SECONDS`` of life; 0 turns the cache off):

| key                          | type | holds                                           |
| ---------------------------- | ---- | ----------------------------------------------- |
| fd:card:{post_id}:{updated}  | str  | the post's fixed fields, JSON, URLs site-relative |
| fd:card-author:{user_id}     | str  | the author's brief (name, avatar), JSON; 10 min  |

URLs are kept relative to the site and made absolute for each request's host, as the
serializer does. An edit changes the post's ``updated_at``, so an edited post is looked
up under a new key (the old one expires); a profile edit deletes the author's key once
it commits (``author_saved``, a ``post_save`` receiver). A page that read the old profile
just before could store it again, so author briefs live only ``AUTHOR_SECONDS`` (one
query renders the missing ones). A channel renamed in the admin shows its old name on
cached cards until they expire. Without Redis every card is rendered.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from content.models import Post
from content.selectors import ViewerState, posts_with_cards
from content.serializers import (
    PostSerializer,
    author_brief,
    counts_of,
    status_reason_for,
    viewer_of,
)
from feeds import stores
from feeds.knobs import knob

AUTHOR_SECONDS = 600  # how long an author's brief is kept (see above)
# The fields of a card that change without an edit: taken from the light post each time.
CHANGING = ("author", "status", "status_reason", "counts", "viewer")
# What a light post loads: the changing fields and what a feed needs to page and stamp.
LIGHT_FIELDS = (
    "pk", "author_id", "channel_id", "kind", "status", "status_reason", "published_at", "updated_at",
    "like_count", "favourite_count", "comment_count", "share_count", "view_count",
)


def render(posts: Iterable[Post], *, request, state: ViewerState) -> dict[int, dict]:
    """Return each post's card as ``PostSerializer`` would render it for ``request``, by id."""
    posts = list(posts)
    if not posts:
        return {}
    ttl = knob("FEED_CARD_CACHE_SECONDS")
    fixed: dict[int, dict] = {}
    authors: dict[int, dict] = {}
    author_ids = list(dict.fromkeys(p.author_id for p in posts))
    cached = False
    if ttl:
        try:
            with stores.reading():
                pipe = stores.redis().pipeline(transaction=False)
                pipe.mget([stores.card_key(p.pk, p.updated_at) for p in posts])
                pipe.mget([stores.card_author_key(a) for a in author_ids])
                found_cards, found_authors = pipe.execute()
            cached = True
            fixed = {p.pk: json.loads(raw) for p, raw in zip(posts, found_cards, strict=True) if raw is not None}
            authors = {a: json.loads(raw) for a, raw in zip(author_ids, found_authors, strict=True) if raw is not None}
        except stores.Unavailable:
            pass
    missing = [p.pk for p in posts if p.pk not in fixed]
    new_cards: list[tuple[Post, dict]] = []
    new_briefs: dict[int, dict] = {}
    if missing:
        light = {p.pk: p for p in posts}
        for post, card, author in _fixed_parts(posts_with_cards().in_bulk(missing).values()):
            fixed[post.pk], authors[post.author_id] = card, author
            # Stored under the updated_at the page saw: an edit made in between is
            # stored under the old key, which later pages no longer look up.
            new_cards.append((light[post.pk], card))
            new_briefs[post.author_id] = author
    briefless = [a for a in author_ids if a not in authors]
    if briefless:
        new_briefs.update(
            (u.pk, author_brief(u, u.avatar.url if u.avatar else None))
            for u in User.objects.filter(pk__in=briefless).only("pk", "username", "display_name", "avatar")
        )
        authors.update(new_briefs)
    if cached:
        _store(new_cards, new_briefs, ttl)
    # A post deleted between the two queries has no card: the page goes on without it.
    return {
        p.pk: _card(p, fixed[p.pk], authors[p.author_id], request, state)
        for p in posts
        if p.pk in fixed and p.author_id in authors
    }


def warm(post_ids: Iterable[int] | None = None, *, chunk: int = 1000) -> int:
    """Render and store the cards of these posts (default: every published post of the
    last ``FEED_RECENT_DAYS``, the window discover draws from); return how many."""
    ttl = knob("FEED_CARD_CACHE_SECONDS")
    if not ttl:
        return 0
    if post_ids is None:
        since = timezone.now() - timedelta(days=knob("FEED_RECENT_DAYS"))
        post_ids = Post.objects.filter(status=Post.Status.PUBLISHED, published_at__gte=since).values_list("pk", flat=True)
    ids = list(post_ids)
    stored = 0
    for start in range(0, len(ids), chunk):
        parts = list(_fixed_parts(posts_with_cards().filter(pk__in=ids[start : start + chunk])))
        stored += _store([(post, card) for post, card, _ in parts], {p.author_id: a for p, _, a in parts}, ttl)
    return stored


def _fixed_parts(posts: Iterable[Post]) -> Iterable[tuple[Post, dict, dict]]:
    """Render posts without a request (site-relative URLs); yield (post, fixed, author)."""
    serializer = PostSerializer(context={})
    for post in posts:
        data = serializer.to_representation(post)
        yield post, {name: value for name, value in data.items() if name not in CHANGING}, data["author"]


def _store(cards: list[tuple[Post, dict]], briefs: dict[int, dict], ttl: int) -> int:
    """Keep cards (under their post's ``updated_at``) and author briefs; return how many
    cards were stored."""
    if not cards and not briefs:
        return 0
    with stores.tolerant("card cache"):
        pipe = stores.redis().pipeline(transaction=False)
        for post, card in cards:
            pipe.set(stores.card_key(post.pk, post.updated_at), json.dumps(card, ensure_ascii=False), ex=ttl)
        for user_id, brief in briefs.items():
            pipe.set(stores.card_author_key(user_id), json.dumps(brief, ensure_ascii=False), ex=AUTHOR_SECONDS)
        pipe.execute()
        return len(cards)
    return 0


def _absolute(url: str | None, request) -> str | None:
    """A stored site-relative URL made absolute for the request, as the serializer does."""
    return request.build_absolute_uri(url) if url else url


def _card(post: Post, fixed: dict, author: dict, request, state: ViewerState) -> dict:
    """Put a card together in the serializer's field order, its URLs absolute."""
    video = fixed["video"]
    changing = {
        "author": {**author, "avatar": _absolute(author["avatar"], request)},
        "status": post.status,
        "status_reason": status_reason_for(post, request),
        "counts": counts_of(post),
        "viewer": viewer_of(post, state),
        "images": [
            {
                **image,
                "url": _absolute(image["url"], request),
                # Cards cached before renditions existed have none: the image stands in.
                "card": _absolute(image.get("card") or image["url"], request),
            }
            for image in fixed["images"]
        ],
        "video": video and {
            **video,
            "url": _absolute(video["url"], request),
            "cover": _absolute(video["cover"], request),
            # Cards cached before renditions existed have none: the cover stands in.
            "cover_card": _absolute(video.get("cover_card") or video["cover"], request),
        },
        "web_url": _absolute(fixed["web_url"], request),
    }
    return {name: changing[name] if name in changing else fixed[name] for name in PostSerializer.Meta.fields}


def author_saved(sender, instance, **kwargs) -> None:
    """A profile saved (name, avatar …): forget the author's rendered brief once the
    change commits (before, a page could read the old row and store it again)."""
    key = stores.card_author_key(instance.pk)

    def forget() -> None:
        with stores.tolerant("card cache"):
            stores.redis().delete(key)

    transaction.on_commit(forget)
