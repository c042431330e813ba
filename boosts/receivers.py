"""What boosts add to the apps below them, registered in ``BoostsConfig.ready``: paid slots
on discover pages, the "boost" mark on engagement a boost brought, and stopping (with a
refund) the boosts of posts that leave the public."""

from __future__ import annotations

from boosts.delivery import place
from boosts.models import BoostImpression
from boosts.services import stop_for_posts
from content import events as content_events
from feeds import events as feeds_events


def boost_source(*, user_id: int, post_id: int, shown_by: set[str]) -> str | None:
    """Engagement from someone who met the post only through a paid boost is marked
    "boost", which the traffic pools leave out (design 3.9)."""
    if shown_by:
        return None
    exists = BoostImpression.objects.filter(user_id=user_id, post_id=post_id).exists()
    return feeds_events.BOOST_SOURCE if exists else None


def posts_leaving(*, post_ids, reason: str, by_moderation: bool = True) -> None:
    """Stop the posts' boosts and refund the unspent credits (in the same transaction)."""
    stop_for_posts(post_ids, reason, by_moderation=by_moderation)


def page_slots(items, *, user, exclusions, now=None):
    return place(user, items, exclusions=exclusions, now=now)


def connect() -> None:
    """Register the receivers on the content's and the feeds' hooks."""
    content_events.engagement_source.connect(boost_source)
    content_events.posts_leaving.connect(posts_leaving)
    feeds_events.page_slots.connect(page_slots)
