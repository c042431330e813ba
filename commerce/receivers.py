"""What commerce adds to the apps below it, registered in ``CommerceConfig.ready``: the
pools' order counts of selling posts (``feeds.events.conversion_orders``) and a boost's
product clicks and orders (``boosts.events.boost_conversions``)."""

from __future__ import annotations

from boosts import events as boosts_events
from commerce.selectors import conversions_among, orders_in_tier
from feeds import events as feeds_events


def conversion_orders(*, since):
    return orders_in_tier(since=since)


def boost_conversions(*, post_id, viewer_ids, since):
    return conversions_among(post_id=post_id, user_ids=viewer_ids, since=since)


def connect() -> None:
    feeds_events.conversion_orders.connect(conversion_orders)
    boosts_events.boost_conversions.connect(boost_conversions)
