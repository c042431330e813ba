"""账号权重: an author's weight, 0.5–2.0 (1.0 for a new account), from its components.

weight = 1.0 × performance × follower activity × verticality × originality
             × violations × negative feedback, clamped to WEIGHT_RANGE.

| component          | value                                  | factor                       |
| ------------------ | -------------------------------------- | ---------------------------- |
| performance        | recent posts' engagement ÷ platform median | clamp(value, 0.5, 2) ** 0.5 |
| follower activity  | share of followers active in 7 days    | 0.8 + 0.4 × share (1 if none)|
| verticality 垂直度  | share of posts in the main channel     | 0.8 + 0.4 × share            |
| originality        | share of posts not near-duplicates     | 0.5 + 0.5 × share            |
| violations         | upheld reports / removals in 90 days   | WEIGHT_VIOLATION_FACTOR ** n |
| negative feedback  | (reports + not interested) / impressions | 1 − min(0.5, 10 × rate)    |
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WeightComponents:
    performance: float = 1.0
    follower_activity: float | None = None  # None: the author has no followers yet
    verticality: float | None = None  # None: no recent posts
    originality: float = 1.0
    violations: int = 0
    negative_rate: float = 0.0


def weight_factors(c: WeightComponents, k: dict) -> dict[str, float]:
    """Return the multiplier of each component."""
    return {
        "performance": max(0.5, min(2.0, c.performance)) ** 0.5,
        "follower_activity": 1.0 if c.follower_activity is None else 0.8 + 0.4 * c.follower_activity,
        "verticality": 1.0 if c.verticality is None else 0.8 + 0.4 * c.verticality,
        "originality": 0.5 + 0.5 * c.originality,
        "violations": k["WEIGHT_VIOLATION_FACTOR"] ** c.violations,
        "negative": 1.0 - min(0.5, 10.0 * c.negative_rate),
    }


def account_weight(c: WeightComponents, k: dict) -> tuple[float, dict[str, float]]:
    """Return the account weight and the factors it is the product of."""
    factors = weight_factors(c, k)
    weight = 1.0
    for value in factors.values():
        weight *= value
    lo, hi = k["WEIGHT_RANGE"]
    return round(max(lo, min(hi, weight)), 4), {name: round(v, 4) for name, v in factors.items()}
