"""How search results are ordered: plain functions over plain values.

Relevance multiplies six readable parts:

- the text score (bm25 or ts_rank), divided by the best one among the candidates;
- the quality score at publish, as ``1 − weight × (1 − quality)`` (half weight: a
  careless post is found, below a careful one);
- engagement, smoothed so a post with three views and one like is not a hit
  (``(likes + 2 × saves + 2 × comments + a) / (views + b)``), as ``1 + weight × rate``;
- a gentle freshness: ``floor + (1 − floor) × ½^(age / half-life)``; with a floor of 0.7 and
  a half-life of 90 days, a year-old 攻略 keeps 70 % of its place, since notes are read
  for months;
- the searcher's interest in the post's tags and channel (0 … 1 of their strongest), as
  ``1 + weight × interest``;
- limited posts (kept out of recommendation) are found, at ``SEARCH_LIMITED_FACTOR``.

All but the text score and the interest are the post's own: its **static score**
(``static_score``), the same for every searcher and every query. The index keeps documents
in the order of that score's tier (``tier``: steps of ``TIER_STEP``, 5 %) and, within a
tier, newest first (``rank_key``). A query reads its first ``SEARCH_READ`` matches in
that order with their text scores and stops, so a word found in 20 000 posts costs what
a rare one does; ``shortlist`` keeps the ``SEARCH_CANDIDATES`` best of them by text score
× their tier's static score for the whole ranking. ``bin/bench-search`` measures how much
of the first page that ranking *every* match would show the served page shows
(docs/search.md).
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

# Tiers of the static score: each a step of 5 %; 1 024 of them (10 bits) span scores from
# 10⁻¹¹ to 10¹¹, far past what the factors can make. Tier 0 also holds the posts no one
# may find (removed, drafts), which sink to the end of every read.
TIER_STEP = 1.05
TIERS = 1024
TIER_ONE = TIERS // 2  # the tier of a static score of 1
# A document's key in the index: its tier above its post id (post ids below 2⁴⁰).
KEY_SHIFT = 40
POST_MASK = (1 << KEY_SHIFT) - 1
# The static score at the bottom of each tier, which ``shortlist`` weighs text scores by.
TIER_FLOOR = [TIER_STEP ** (t - TIER_ONE) for t in range(TIERS)]


@dataclass(frozen=True)
class Candidate:
    post_id: int
    text: float
    likes: int
    favourites: int
    comments: int
    views: int
    age_days: float
    interest: float  # 0 … 1
    limited: bool
    quality: float = 1.0  # the quality score at publish, 0 … 1 (1 when never scored)


def engagement_rate(c: Candidate, k: dict) -> float:
    """Return the smoothed share of views that engaged (0 … 1)."""
    engaged = c.likes + 2 * c.favourites + 2 * c.comments
    rate = (engaged + k["SEARCH_PRIOR_ENGAGED"]) / (c.views + k["SEARCH_PRIOR_VIEWS"])
    return min(1.0, rate)


def freshness(age_days: float, k: dict) -> float:
    """Return the gentle freshness multiplier for a post ``age_days`` old."""
    floor = k["SEARCH_FRESHNESS_FLOOR"]
    return floor + (1.0 - floor) * 0.5 ** (max(0.0, age_days) / k["SEARCH_HALF_LIFE_DAYS"])


def static_score(c: Candidate, k: dict) -> float:
    """Return the post's own part of relevance: engagement × freshness × quality (× the
    limited factor), the same for every query and searcher."""
    score = (
        (1.0 + k["SEARCH_ENGAGEMENT_WEIGHT"] * engagement_rate(c, k))
        * freshness(c.age_days, k)
        * (1.0 - k["SEARCH_QUALITY_WEIGHT"] * (1.0 - max(0.0, min(1.0, c.quality))))
    )
    return score * (k["SEARCH_LIMITED_FACTOR"] if c.limited else 1.0)


def relevance(c: Candidate, best_text: float, k: dict) -> float:
    """Return the relevance of one candidate; ``best_text`` is the best text score found."""
    text = c.text / best_text if best_text > 0 else 0.0
    interest = 1.0 + k["SEARCH_INTEREST_WEIGHT"] * max(0.0, min(1.0, c.interest))
    return text * static_score(c, k) * interest


def tier(score: float) -> int:
    """Return the index tier of a static score: 0 … TIERS − 1, one step of 5 % each."""
    if score <= 0:
        return 0
    return max(1, min(TIERS - 1, TIER_ONE + math.floor(math.log(score) / math.log(TIER_STEP))))


def rank_key(post_id: int, tier_: int) -> int:
    """Return a document's key in the index: read in descending order, the best tier
    comes first and, within a tier, the newest post."""
    return (tier_ << KEY_SHIFT) | post_id


def post_of(key: int) -> int:
    """Return the post id inside an index key."""
    return key & POST_MASK


def tier_of(key: int) -> int:
    """Return the tier inside an index key."""
    return key >> KEY_SHIFT


def shortlist(hits: list[tuple[int, float, int]], n: int) -> list[tuple[int, float]]:
    """Return the ``n`` best (post id, text score) of ``hits`` (post id, text score, tier) by
    text score × the static score at the bottom of the tier, best first."""
    best = heapq.nlargest(n, hits, key=lambda h: (h[1] * TIER_FLOOR[h[2]], h[0]))
    return [(pk, text) for pk, text, _ in best]


def rank(candidates: list[Candidate], k: dict) -> list[Candidate]:
    """Return the candidates by relevance, best first (ties: newer post first)."""
    best = max((c.text for c in candidates), default=0.0)
    return sorted(candidates, key=lambda c: (-relevance(c, best, k), -c.post_id))


def rising(
    recent: dict[str, int],
    baseline: dict[str, int],
    *,
    recent_hours: float,
    baseline_hours: float,
    min_searchers: int,
    limit: int,
) -> list[tuple[str, float, int]]:
    """Return the hot searches: (query, score, recent searchers), fastest rising first.

    A query's recent searchers are compared with what its own baseline predicts for a
    window that long (``(recent − expected) / √(expected + 1)``), so a query searched
    every day does not stay on top and a sudden one climbs.
    """
    scale = recent_hours / baseline_hours if baseline_hours else 0.0
    scored = []
    for query, count in recent.items():
        if count < min_searchers:
            continue
        expected = baseline.get(query, 0) * scale
        score = (count - expected) / (expected + 1.0) ** 0.5
        if score > 0:
            scored.append((query, score, count))
    scored.sort(key=lambda row: (-row[1], -row[2], row[0]))
    return scored[:limit]
