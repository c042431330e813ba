"""What boosts let the apps above them add (receivers register in ``AppConfig.ready``)."""

from config.hooks import Hook

boost_conversions = Hook(
    "boost_conversions",
    "Asked with ``post_id``, ``viewer_ids`` (a query of the boost's viewers' ids) and ``since``: returns "
    '``{"clicks": n, "orders": n}``, the people among them who opened one of the post\'s products and '
    "who ordered one since then (commerce answers; the first answer wins).",
)
