"""What moderation announces to the apps above it (notifications register in ``AppConfig.ready``).

Sent from moderation's services inside the action's transaction, so what a receiver
writes (the author's notice of a removal, with its reason) commits with the action.
"""

from config.hooks import Hook

post_moderated = Hook(
    "post_moderated",
    "A moderator limited, removed or restored a post: ``post_id``, ``author_id``, ``action`` "
    "(an ``AuditEntry.Action`` value) and ``reason``.",
)
reports_settled = Hook(
    "reports_settled",
    "A post's open reports were accepted or dismissed: ``post_id``, ``reporter_ids``, ``accepted``.",
)
comment_removed = Hook(
    "comment_removed",
    "A moderator removed a comment: ``author_id``, ``post_id``, ``excerpt`` (its first words) and ``reason``.",
)
