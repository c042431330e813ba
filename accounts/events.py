"""What accounts announce to the apps above them (receivers register in ``AppConfig.ready``).

Called from accounts' services (and content's, for not-interested marks) in the writing
transaction; the feeds' receivers defer their Redis work until it commits.
"""

from config.hooks import Hook

home_moved = Hook("home_moved", "A user's home place changed: ``user_id``.")
interests_picked = Hook("interests_picked", "A user's onboarding channel picks changed: ``user_id``.")
follow_changed = Hook(
    "follow_changed", "A follow was made (``following=True``) or undone: ``follower_id``, ``followee_id``, ``following``."
)
exclusions_changed = Hook(
    "exclusions_changed", "A block or a not-interested mark changed what these users may see: ``user_ids``."
)
received_total = Hook(
    "received_total",
    "Extension point: return the likes and saves (获赞与收藏) ``user``'s visible posts received (first answer wins).",
)
