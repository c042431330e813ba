"""What commerce adds to the apps below it, registered in ``CommerceConfig.ready``: the
pools' order counts of selling posts (``feeds.events.conversion_orders``)."""

from __future__ import annotations

from commerce.selectors import orders_in_tier
from feeds import events as feeds_events


def conversion_orders(*, since):
    return orders_in_tier(since=since)


def connect() -> None:
    feeds_events.conversion_orders.connect(conversion_orders)
