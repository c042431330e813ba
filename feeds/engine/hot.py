"""热门: hot lists with timeliness decay, diversity rules, and trending topics.

score = engagement / (age_hours + 2) ** HOT_GRAVITY   (the gravity rule of HN and Lemmy)

with engagement = likes + 2·comments + 3·favourites + 3·shares (HOT_ENGAGEMENT_WEIGHTS),
over posts of the last HOT_WINDOW_HOURS only. The list then keeps one post per author
and at most HOT_MAX_PER_CHANNEL_IN_TOP per channel within its top HOT_TOP_DIVERSITY.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class HotCandidate:
    post_id: int
    author_id: int
    channel_id: int
    age_hours: float
    likes: int = 0
    comments: int = 0
    favourites: int = 0
    shares: int = 0


def engagement(c: HotCandidate, weights: dict[str, float]) -> float:
    """Return the weighted engagement of a candidate."""
    return (
        c.likes * weights["like"]
        + c.comments * weights["comment"]
        + c.favourites * weights["favourite"]
        + c.shares * weights["share"]
    )


def decay(age_hours: float, k: dict) -> float:
    """Return the factor a post of this age is multiplied by: 1 / (age + 2) ** gravity."""
    return 1.0 / (max(0.0, age_hours) + 2.0) ** k["HOT_GRAVITY"]


def hot_score(c: HotCandidate, k: dict) -> float:
    """Return a candidate's hot score (0 outside the window)."""
    if c.age_hours > k["HOT_WINDOW_HOURS"]:
        return 0.0
    return engagement(c, k["HOT_ENGAGEMENT_WEIGHTS"]) * decay(c.age_hours, k)


def rank_hot(candidates: Iterable[HotCandidate], k: dict, *, per_channel: bool = False) -> list[tuple[HotCandidate, float]]:
    """Return candidates ordered by hot score with the diversity rules applied.

    Within the top ``HOT_TOP_DIVERSITY`` an author appears once and a channel at most
    ``HOT_MAX_PER_CHANNEL_IN_TOP`` times (not applied to a channel's own list, and
    relaxed when too few channels compete to fill the top); posts pushed out of the top
    wait below it in score order.
    """
    scored = sorted(
        ((c, hot_score(c, k)) for c in candidates),
        key=lambda pair: (-pair[1], pair[0].age_hours, -pair[0].post_id),
    )
    scored = [pair for pair in scored if pair[1] > 0]
    top_n, per_channel_cap = k["HOT_TOP_DIVERSITY"], k["HOT_MAX_PER_CHANNEL_IN_TOP"]
    top: list[tuple[HotCandidate, float]] = []
    taken: set[int] = set()
    authors: set[int] = set()
    channels: dict[int, int] = {}
    # First pass: one post per author and a channel cap. Second pass (only when the top
    # is still short, e.g. a channel's own list or a small world): authors stay unique.
    for cap_channels in (not per_channel, False):
        for c, score in scored:
            if len(top) >= top_n:
                break
            if c.post_id in taken or c.author_id in authors:
                continue
            if cap_channels and channels.get(c.channel_id, 0) >= per_channel_cap:
                continue
            top.append((c, score))
            taken.add(c.post_id)
            authors.add(c.author_id)
            channels[c.channel_id] = channels.get(c.channel_id, 0) + 1
    rest = [pair for pair in scored if pair[0].post_id not in taken]
    return (top + rest)[: k["HOT_LIST_SIZE"]]


def apply_overrides(ranked: Sequence[int], pins: dict[int, int], removed: set[int]) -> list[int]:
    """Return post ids with moderator removals dropped and pins placed at their position."""
    ids = [pid for pid in ranked if pid not in removed and pid not in pins]
    for pid, position in sorted(pins.items(), key=lambda item: item[1]):
        if pid not in removed:
            ids.insert(max(0, min(position - 1, len(ids))), pid)
    return ids


def trending_score(recent: int, baseline_per_window: float) -> float:
    """Return how fast a tag rises: recent use against its own baseline (z-like)."""
    return (recent - baseline_per_window) / math.sqrt(baseline_per_window + 1.0)
