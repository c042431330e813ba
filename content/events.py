"""What content announces to the apps above it (receivers register in ``AppConfig.ready``).

Called from content's services (and moderation's) inside the writing transaction, so a
receiver that writes rows (the pools' entry, a boost's refund) commits or rolls back
with the change that caused it; receivers that touch Redis defer it until the commit.
"""

from __future__ import annotations

from dataclasses import dataclass

from config.hooks import Hook


@dataclass(frozen=True)
class Engagement:
    """One thing a user did with a post, as the engine needs it to learn their taste.

    ``kind`` is an ``Event.Kind`` value; for a view, ``seconds``, ``completed`` and the
    post's ``video_seconds`` tell a glance from a read.
    """

    user_id: int
    post_id: int
    kind: str
    seconds: float | None = None
    completed: bool = False
    video_seconds: float | None = None


post_published = Hook("post_published", "A post became public: ``post`` (scored and entered into the pools).")
post_gone = Hook("post_gone", "A post was deleted: ``post_id``, ``author_id``, ``channel_ids``.")
visibility_changed = Hook(
    "visibility_changed", "Moderation changed these posts' status or their author's standing: ``post_ids``."
)
posts_leaving = Hook(
    "posts_leaving",
    "Posts removed, limited, deleted or their author banned: ``post_ids``, ``reason``, ``by_moderation``.",
)
engaged = Hook("engaged", "Users engaged with posts: ``engagements`` (a list of ``Engagement``).")
engagement_source = Hook(
    "engagement_source",
    "Asked with ``user_id``, ``post_id`` and ``shown_by`` (the sources of the impressions the user had "
    "of the post): the source to mark the engagement with when the traffic pools must leave it out, "
    "or ``None``. The first answer wins.",
)
marked = Hook(
    "marked",
    "A person liked or saved a post, or liked a comment (a new mark, not a repeat): ``actor_id``, "
    "``kind`` (\"like\", \"favourite\" or \"comment_like\"), ``recipient_id`` (the post's or the "
    "comment's author), ``post_id`` and ``comment_id`` (None for a post).",
)
commented = Hook(
    "commented",
    "A comment or a reply was written: ``comment`` (its ``post`` loaded), ``replied_to_id`` (the "
    "author of the comment it answers, or None) and ``mentioned_ids`` (the people its @mentions "
    "name, at most ``MENTIONS_PER_COMMENT_MAX``).",
)
