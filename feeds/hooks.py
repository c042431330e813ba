"""What the engine does when content changes; called by the content services.

Kept in one place so the flow is visible (no ``post_save`` receivers): publishing enters
the pools, places the post on the nearby map and fans it out to followers' inboxes (a
Celery task); interactions move interest profiles; onboarding seeds them; following
fills the inbox; a post leaving the public (deleted) leaves every Redis structure.
Everything that touches Redis runs after the transaction commits.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction

from feeds.discover import RESERVE as RESERVE_SOURCE
from feeds.interests import Signal

log = logging.getLogger(__name__)


def post_published(post) -> None:
    """Score the new post and enter it into the base pool (same transaction), then, once
    committed, put it on the nearby map and queue its fan-out to followers and the
    rendering of its API card."""
    from feeds.services.pools import pool_enter

    pool_enter(post=post)
    post_id = post.pk
    transaction.on_commit(lambda: _after_publish(post_id))


def _after_publish(post_id: int) -> None:
    from feeds.services.nearby import geo_index
    from feeds.tasks import fanout_post, render_cards

    geo_index([post_id])
    try:
        fanout_post.apply_async(args=[post_id], retry=False)
        render_cards.apply_async(args=[[post_id]], retry=False)
    except Exception as exc:  # broker down: the follow feed falls back to the database
        log.warning("fan-out of post %s not queued: %s", post_id, exc)


def post_gone(post_id: int, author_id: int, channel_ids: list[int]) -> None:
    """Take a deleted (or removed) post out of the pools, hot lists, map and inboxes."""

    def clean() -> None:
        from feeds import stores
        from feeds.services.follow import unfan

        stores.pool_remove(post_id, channel_ids)
        stores.remove_from_zsets(post_id, [stores.geo_key()])
        stores.hot_remove([post_id])
        unfan(post_id, author_id)

    transaction.on_commit(clean)


def visibility_changed(post_ids: Iterable[int]) -> None:
    """Once committed, update pools, hot lists, the nearby map and inboxes for these posts
    (moderation changed their status or their author's standing)."""
    from feeds.services.visibility import sync_posts

    ids = list(post_ids)
    if ids:
        transaction.on_commit(lambda: sync_posts(ids))


def follow_changed(follower_id: int, followee_id: int, following: bool) -> None:
    """Add a newly followed author's posts to the inbox, or take an unfollowed one's out."""
    from feeds.services.follow import follow_changed as apply

    transaction.on_commit(lambda: apply(follower_id=follower_id, followee_id=followee_id, following=following))


def exclusions_changed(*user_ids: int) -> None:
    """A block or a not-interested mark changed: once it commits, the users' kept feed
    exclusions are obsolete (``stores.exclusions_changed``)."""
    from feeds import stores

    ids = list(user_ids)
    transaction.on_commit(lambda: stores.exclusions_changed(ids))


def home_moved(user_id: int) -> None:
    """Re-place the author's posts without a place of their own on the nearby map."""
    from feeds.services.nearby import geo_index_author

    transaction.on_commit(lambda: geo_index_author(user_id))


def signals_recorded(signals: Iterable[Signal]) -> None:
    """Move the users' interest profiles once the interaction has committed."""
    from feeds.services.interests import interests_apply

    batch = list(signals)
    if batch:
        transaction.on_commit(lambda: interests_apply(batch))


def interests_picked(user_id: int) -> None:
    """Seed the interest profile from onboarding picks once they have committed."""
    from feeds.services.interests import interests_seed

    transaction.on_commit(lambda: interests_seed(user_id=user_id))


def boost_slots(user, items, *, exclusions, now=None):
    """Let paid boosts take their slots on a discover page (boosts.delivery)."""
    from boosts.delivery import place

    return place(user, items, exclusions=exclusions, now=now)


def posts_leaving(post_ids: Iterable[int], reason: str, *, by_moderation: bool = True) -> None:
    """Posts removed, limited, deleted or their author banned: stop their boosts and
    refund the unspent credits (in the same transaction)."""
    from boosts.services import stop_for_posts

    stop_for_posts(post_ids, reason, by_moderation=by_moderation)


# Event sources the traffic pools leave out (feeds.services.pools.tier_counts): a paid
# boost's audience, and the reserve lane's (posts held back from people they do not
# match, shown only when nothing else could fill a page; its impressions carry the
# lane's name, RESERVE_SOURCE, as their source).
BOOST_SOURCE = "boost"
UNCOUNTED_SOURCES = (BOOST_SOURCE, RESERVE_SOURCE)


def engagement_source(user_id: int, post_id: int) -> str | None:
    """Return the source to mark the user's engagement with a post, when the pools must
    leave it out: "boost" when a boost showed it and no feed did, "reserve" when only
    the reserve lane did. ``None``: the engagement counts (one or two queries)."""
    from boosts.models import BoostImpression
    from content.models import Event

    shown_by = set(
        Event.objects.filter(user_id=user_id, post_id=post_id, kind=Event.Kind.IMPRESSION)
        .values_list("source", flat=True)[:10]
    )
    if not shown_by:
        return BOOST_SOURCE if BoostImpression.objects.filter(user_id=user_id, post_id=post_id).exists() else None
    return RESERVE_SOURCE if shown_by == {RESERVE_SOURCE} else None
