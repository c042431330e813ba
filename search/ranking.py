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
"""

from __future__ import annotations

from dataclasses import dataclass


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


def relevance(c: Candidate, best_text: float, k: dict) -> float:
    """Return the relevance of one candidate; ``best_text`` is the best text score found."""
    text = c.text / best_text if best_text > 0 else 0.0
    score = (
        text
        * (1.0 + k["SEARCH_ENGAGEMENT_WEIGHT"] * engagement_rate(c, k))
        * freshness(c.age_days, k)
        * (1.0 + k["SEARCH_INTEREST_WEIGHT"] * max(0.0, min(1.0, c.interest)))
        * (1.0 - k["SEARCH_QUALITY_WEIGHT"] * (1.0 - max(0.0, min(1.0, c.quality))))
    )
    return score * (k["SEARCH_LIMITED_FACTOR"] if c.limited else 1.0)


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
