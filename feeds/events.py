"""What the feeds let the apps above them add (receivers register in ``AppConfig.ready``)."""

from config.hooks import Hook

# Event sources the traffic pools leave out (``feeds.services.pools.tier_counts``): a paid
# boost's audience (boosts mark its engagement with this source), and the reserve lane's
# (``feeds.engine.discover.RESERVE``: posts held back from people they do not match, shown only
# when nothing else could fill a page).
BOOST_SOURCE = "boost"

page_slots = Hook(
    "page_slots",
    "Passed a discover page's items with ``user``, ``exclusions`` and ``now``; returns the page "
    "with the receiver's items placed (boosts put paid slots on it).",
)

pool_promoted = Hook(
    "pool_promoted",
    "The pools promoted a post to the next tier (流量池) in the evaluating transaction: ``post_id``, "
    "``to_tier`` and ``hot`` (True when it reached the hot tier).",
)
hot_entered = Hook(
    "hot_entered",
    "A hot-list recompute put posts on the global hot list that were not on it before: ``post_ids``.",
)
conversion_orders = Hook(
    "conversion_orders",
    "Asked with ``since`` (post id → when the post entered its tier) for the selling posts the "
    "pools judge: returns post id → people who ordered one of its products since then "
    "(commerce answers; the first answer wins).",
)
