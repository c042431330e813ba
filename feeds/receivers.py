"""What the engine does when accounts or content change: the receivers of their hooks
(``accounts.events``, ``content.events``), registered in ``FeedsConfig.ready``.

Kept in one place so the flow is visible (no ``post_save`` receivers): publishing enters
the pools, places the post on the nearby map and fans it out to followers' inboxes (a
Celery task); interactions move interest profiles; onboarding seeds them; following
fills the inbox; a post leaving the public (deleted) leaves every Redis structure.
Everything that touches Redis runs after the transaction commits.
"""

from __future__ import annotations

import logging

from django.db import transaction

from accounts import events as account_events
from content import events as content_events
from content.events import Engagement
from feeds import stores
from feeds.engine.discover import RESERVE as RESERVE_SOURCE
from feeds.engine.interests import EVENT_SIGNALS, Signal, view_signal
from feeds.knobs import knobs
from feeds.services.follow import follow_changed as follow_apply
from feeds.services.follow import unfan
from feeds.services.interests import interests_apply, interests_seed
from feeds.services.nearby import geo_index, geo_index_author
from feeds.services.pools import pool_enter
from feeds.services.visibility import sync_posts
from feeds.tasks import fanout_post, render_cards

log = logging.getLogger(__name__)


def post_published(*, post) -> None:
    """Score the new post and enter it into the base pool (same transaction), then, once
    committed, put it on the nearby map and queue its fan-out to followers and the
    rendering of its API card."""
    pool_enter(post=post)
    post_id = post.pk
    # A post with no place by an author with no home is not on the map: nothing to index.
    placed = post.lat is not None or post.author.home_lat is not None
    transaction.on_commit(lambda: _after_publish(post_id, placed=placed))


def _after_publish(post_id: int, *, placed: bool) -> None:
    if placed:
        geo_index([post_id])
    try:
        fanout_post.apply_async(args=[post_id], retry=False)
        render_cards.apply_async(args=[[post_id]], retry=False)
    except Exception as exc:  # broker down: the follow feed falls back to the database
        log.warning("fan-out of post %s not queued: %s", post_id, exc)


def post_gone(*, post_id: int, author_id: int, channel_ids: list[int]) -> None:
    """Take a deleted (or removed) post out of the pools, hot lists, map and inboxes."""

    def clean() -> None:
        stores.pool_remove(post_id, channel_ids)
        stores.remove_from_zsets(post_id, [stores.geo_key()])
        stores.hot_remove([post_id])
        unfan(post_id, author_id)

    transaction.on_commit(clean)


def visibility_changed(*, post_ids) -> None:
    """Once committed, update pools, hot lists, the nearby map and inboxes for these posts
    (moderation changed their status or their author's standing)."""
    ids = list(post_ids)
    if ids:
        transaction.on_commit(lambda: sync_posts(ids))


def follow_changed(*, follower_id: int, followee_id: int, following: bool) -> None:
    """Add a newly followed author's posts to the inbox, or take an unfollowed one's out."""
    transaction.on_commit(lambda: follow_apply(follower_id=follower_id, followee_id=followee_id, following=following))


def exclusions_changed(*, user_ids) -> None:
    """A block or a not-interested mark changed: once it commits, the users' kept feed
    exclusions are obsolete (``stores.exclusions_changed``)."""
    ids = list(user_ids)
    transaction.on_commit(lambda: stores.exclusions_changed(ids))


def home_moved(*, user_id: int) -> None:
    """Re-place the author's posts without a place of their own on the nearby map."""
    transaction.on_commit(lambda: geo_index_author(user_id))


def _signal(engagement: Engagement, k: dict) -> str | None:
    """Return the interest signal an engagement carries (``None``: it says nothing)."""
    if engagement.kind == "view":
        return view_signal(engagement.seconds, engagement.completed, engagement.video_seconds, k)
    return EVENT_SIGNALS.get(engagement.kind)


def engaged(*, engagements: list[Engagement]) -> None:
    """Move the users' interest profiles once the interaction has committed."""
    k = knobs()
    batch = [
        Signal(e.user_id, e.post_id, name) for e in engagements if (name := _signal(e, k)) is not None
    ]
    if batch:
        transaction.on_commit(lambda: interests_apply(batch))


def interests_picked(*, user_id: int) -> None:
    """Seed the interest profile from onboarding picks once they have committed."""
    transaction.on_commit(lambda: interests_seed(user_id=user_id))


def reserve_source(*, user_id: int, post_id: int, shown_by: set[str]) -> str | None:
    """Engagement from someone only the reserve lane showed the post to is marked
    "reserve", which the pools leave out (``feeds.events``)."""
    return RESERVE_SOURCE if shown_by == {RESERVE_SOURCE} else None


def connect() -> None:
    """Register the receivers on the accounts' and content's hooks."""
    account_events.home_moved.connect(home_moved)
    account_events.interests_picked.connect(interests_picked)
    account_events.follow_changed.connect(follow_changed)
    account_events.exclusions_changed.connect(exclusions_changed)
    content_events.post_published.connect(post_published)
    content_events.post_gone.connect(post_gone)
    content_events.visibility_changed.connect(visibility_changed)
    content_events.engaged.connect(engaged)
    content_events.engagement_source.connect(reserve_source)
