"""What boosts announce to the apps above them and let them add (receivers register in
``AppConfig.ready``: notifications, commerce)."""

from config.hooks import Hook

boost_ended = Hook(
    "boost_ended",
    "A boost closed (completed, expired or stopped) in the closing transaction: ``boost_id``, "
    "``buyer_id``, ``post_id``, ``status``, ``delivered`` (impressions), ``refunded`` (credits) "
    "and ``reason``.",
)

boost_conversions = Hook(
    "boost_conversions",
    "Asked with ``post_id``, ``viewer_ids`` (a query of the boost's viewers' ids) and ``since``: returns "
    '``{"clicks": n, "orders": n}``, the people among them who opened one of the post\'s products and '
    "who ordered one since then (commerce answers; the first answer wins).",
)
