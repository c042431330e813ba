"""The figures of a served page against what the person engaged with that day."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

K = 10  # the page: ten cards


def ndcg(page: Sequence, positives: set, k: int = K) -> float:
    """Return NDCG@k with binary relevance: hits discounted by log2 of their position + 1,
    over the best possible page (all positives first)."""
    dcg = sum(1 / math.log2(rank + 2) for rank, item in enumerate(page[:k]) if item in positives)
    ideal = sum(1 / math.log2(rank + 2) for rank in range(min(len(positives), k)))
    return dcg / ideal if ideal else 0.0


def recall(page: Sequence, positives: set, k: int = K) -> float:
    """Return the share of the day's positives found on the page."""
    return len(set(page[:k]) & positives) / len(positives) if positives else 0.0


def hit(page: Sequence, positives: set, k: int = K) -> float:
    """Return 1 when the page holds at least one of the day's positives."""
    return 1.0 if set(page[:k]) & positives else 0.0


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def bootstrap(values: Sequence[float], *, rounds: int = 1000, seed: int = 1) -> tuple[float, float]:
    """Return the 95 % bootstrap interval of the mean of ``values`` (pairs resampled)."""
    if not values:
        return (0.0, 0.0)
    rng = random.Random(seed)
    n = len(values)
    means = sorted(sum(values[rng.randrange(n)] for _ in range(n)) / n for _ in range(rounds))
    return (means[int(0.025 * rounds)], means[int(0.975 * rounds) - 1])


def ratio_bootstrap(
    top: Sequence[float], bottom: Sequence[float], *, rounds: int = 1000, seed: int = 1
) -> tuple[float, float]:
    """Return the 95 % bootstrap interval of mean(top) / mean(bottom) over the same pairs."""
    if not top:
        return (0.0, 0.0)
    rng = random.Random(seed)
    n = len(top)
    ratios = []
    for _ in range(rounds):
        picks = [rng.randrange(n) for _ in range(n)]
        b = sum(bottom[i] for i in picks)
        ratios.append(sum(top[i] for i in picks) / b if b else math.inf)
    ratios.sort()
    return (ratios[int(0.025 * rounds)], ratios[int(0.975 * rounds) - 1])


def summary(pages: list[list], positives: list[set], channels: list[int], catalogue: int) -> dict:
    """Return the pooled figures of one method over all its (person, day) pairs.

    ``channels`` is the number of distinct channels on each page; ``catalogue`` the
    number of items published by the end of the run.
    """
    served = {item for page in pages for item in page}
    return {
        "ndcg@10": round(mean([ndcg(p, q) for p, q in zip(pages, positives, strict=True)]), 4),
        "recall@10": round(mean([recall(p, q) for p, q in zip(pages, positives, strict=True)]), 4),
        "hit_rate@10": round(mean([hit(p, q) for p, q in zip(pages, positives, strict=True)]), 4),
        "coverage": round(len(served) / catalogue, 4) if catalogue else 0.0,
        "channels_per_page": round(mean(channels), 2),
        "page_size": round(mean([len(p) for p in pages]), 2),
    }
