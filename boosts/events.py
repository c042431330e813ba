"""What boosts announce to the apps above them (notifications register in ``AppConfig.ready``)."""

from config.hooks import Hook

boost_ended = Hook(
    "boost_ended",
    "A boost closed (completed, expired or stopped) in the closing transaction: ``boost_id``, "
    "``buyer_id``, ``post_id``, ``status``, ``delivered`` (impressions), ``refunded`` (credits) "
    "and ``reason``.",
)
