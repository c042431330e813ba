"""流量池赛马: traffic-pool tiers and the rule that promotes, holds or stops a post.

| tier | name      | impression quota                       |
| ---- | --------- | -------------------------------------- |
| 0    | base pool | 150 × account weight, clamped 100–300  |
| 1    |           | 1 000                                  |
| 2    |           | 5 000                                  |
| 3    |           | 20 000                                 |
| 4    |           | 100 000                                |
| 5    | hot       | no quota; eligible for hot lists       |

A tier is evaluated when its quota is filled or its window (48 h) ends, on the rates
measured *in that tier*: above the tier's thresholds → promote, below → stop. At any
time: after 100 impressions in the base pool a like rate under 3 % stops the post, and
report / quick-skip / not-interested rates above their limits stop it (reports also send
it to moderation).

A base pool is a small sample: on its first hundred or so viewers a good post and a poor
one can swap places by a few likes. So the base pool's verdict waits for the evidence: a
post whose rates are above its bars by ``POOL_VERDICT_Z`` standard errors is promoted, one
below by as much is stopped, and one in between is *extended* (its quota grows by another
base quota, at most ``POOL_BASE_EXTENSIONS`` times) and judged again on all its base-pool
impressions. The standard error is the one a post exactly at the bar would have on this
many impressions (a one-sample test against the bar), so a post with no engagement at
all is not "certain" after ten impressions. After the last extension, or when the window
ends, the plain rates decide. Higher tiers have large samples and are judged on the plain
rates.

No verdict without evidence: a window that closes before the tier has shown the post to
``POOL_MIN_EVIDENCE`` of its quota (the quota before any extension) decides nothing, as
the smoothed rates would still be mostly the platform's prior. The post *waits*: its
window opens again, up to ``POOL_EVIDENCE_MAX_WINDOWS`` windows in all, and if the
evidence is still short its run in the pools ends as *expired*: neither promoted nor
stopped, ranked on what it measured like any other post, with no more test traffic.
Negative stops keep their own minimums (reports, quick skips) and the base pool's early
stop its 100 impressions.

A post that sells (products attached: 兴趣电商) is judged on conversion beside engagement:
its smoothed orders per impression (``POOL_CONVERSION_PRIOR`` with the same strength as
the other rates) count ``POOL_CONVERSION_WEIGHT`` times toward its engagement, and its bar
rises by the same weight times the tier's conversion bar (``POOL_PROMOTE_CONVERSION``).
A post that sells at its tier's bar needs the engagement any post needs; one that sells
better travels on less engagement, one that sells worse needs more. Posts without
products are judged exactly as before (the weight at 0 does the same for all posts).

Above the base pool a sample is large enough to call a clear winner before the quota is
filled: a post whose rates clear its tier's bars by ``POOL_EARLY_PROMOTE_Z`` standard
errors after ``POOL_EARLY_PROMOTE_SHARE`` of the quota is promoted at once (a stricter z
than the base pool's, as the rule is looked at after every batch of impressions). A
promoted post otherwise waits for its tier's last impressions, which the main lane gives
it only on its rank, while its day runs out. Everything here is plain values in, a
decision out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

PROMOTE, STOP, EARLY_STOP, NEGATIVE_STOP, HOLD = "promote", "stop", "early_stop", "negative_stop", "hold"
EXTEND = "extend"
WAIT, EXPIRE = "wait", "expire"


def base_quota(weight: float, k: dict) -> int:
    """Return the base pool's quota for an author of this account weight."""
    lo, hi = k["POOL_BASE_QUOTA_RANGE"]
    return int(max(lo, min(hi, round(k["POOL_QUOTAS"][0] * weight))))


def tier_quota(tier: int, weight: float, k: dict) -> int:
    """Return the impression quota of ``tier`` (0 for the hot tier: unlimited)."""
    if tier == 0:
        return base_quota(weight, k)
    if tier >= k["POOL_HOT_TIER"]:
        return 0
    return k["POOL_QUOTAS"][tier]


def min_evidence(tier: int, quota: int, extensions: int, k: dict) -> int:
    """Return the impressions a tier must have served before its window may decide.

    A share (``POOL_MIN_EVIDENCE``) of the tier's quota before extensions: the base pool
    grows by one base quota per extension, and the evidence a verdict needs does not.
    """
    if quota <= 0:
        return 0
    unextended = quota // (1 + extensions) if tier == 0 else quota
    return math.ceil(k["POOL_MIN_EVIDENCE"] * unextended)


def lane_priority(tier: int, quota: int, served: int) -> float:
    """Return an active post's place in the pool sets (``fd:pool:…``; highest first).

    Lower tiers come first, and within a tier the post with the largest share of its
    quota still to serve: the order in which discover's pool source reads the sets, so a
    new post waiting for its first verdict is found before promoted posts, whose quotas
    (thousands of impressions) would otherwise fill the top of every set. A post without
    a quota (the hot tier) wants nothing.
    """
    wanted = 1 - min(1.0, served / quota) if quota > 0 else 0.0
    return round(wanted - tier, 6)


@dataclass(frozen=True)
class TierCounts:
    """What happened to a post since it entered its current tier."""

    impressions: int = 0
    likes: int = 0
    comments: int = 0
    favourites: int = 0
    shares: int = 0
    views: int = 0
    completions: int = 0
    quick_skips: int = 0
    not_interested: int = 0
    reports: int = 0
    orders: int = 0  # people who ordered one of the post's products (selling posts only)


def smoothed(count: int, n: int, prior: float, strength: int) -> float:
    """Return ``count / n`` pulled toward ``prior`` when ``n`` is small (Bayesian mean)."""
    return (count + prior * strength) / (n + strength)


def measure(counts: TierCounts, kind: str, k: dict, selling: bool = False) -> dict[str, float]:
    """Return the rates of a tier: smoothed engagement rates and raw negative rates (and
    the smoothed conversion of a post that sells)."""
    n = max(counts.impressions, 1)
    m = k["POOL_SMOOTHING_IMPRESSIONS"]
    prior = k["POOL_PRIOR_RATES"]
    rates = {
        "impressions": counts.impressions,
        "like_rate_raw": counts.likes / n,
        "like": smoothed(counts.likes, counts.impressions, prior["like"], m),
        "comment": smoothed(counts.comments, counts.impressions, prior["comment"], m),
        "favourite": smoothed(counts.favourites, counts.impressions, prior["favourite"], m),
        "share": smoothed(counts.shares, counts.impressions, prior["share"], m),
        "report": counts.reports / n,
        "quick_skip": counts.quick_skips / n,
        "not_interested": counts.not_interested / n,
    }
    if kind == "video":
        watched = max(counts.views, 1)
        rates["completion"] = smoothed(counts.completions, counts.views, prior["completion"], m)
        rates["completion_raw"] = counts.completions / watched
    weights = k["HOT_ENGAGEMENT_WEIGHTS"]
    rates["engagement"] = sum(rates[name] * w for name, w in weights.items())
    if selling:
        rates["conversion"] = smoothed(counts.orders, counts.impressions, k["POOL_CONVERSION_PRIOR"], m)
        rates["conversion_raw"] = counts.orders / n
    return {name: round(value, 5) for name, value in rates.items()}


def engagement_error(bar: float, impressions: int, k: dict) -> float:
    """Return the standard error of the weighted engagement rate of a post exactly at
    ``bar`` after ``impressions`` (smoothed as ``measure`` smooths).

    One impression's engagement is lumpy (a favourite weighs 3 likes): its variance at
    the bar is ``bar × Σw²p / Σwp`` over the weights and the platform's prior rates.
    """
    weights, prior = k["HOT_ENGAGEMENT_WEIGHTS"], k["POOL_PRIOR_RATES"]
    lumpiness = sum(w * w * prior[name] for name, w in weights.items()) / sum(
        w * prior[name] for name, w in weights.items()
    )
    return math.sqrt(bar * lumpiness / (impressions + k["POOL_SMOOTHING_IMPRESSIONS"]))


def rate_error(bar: float, n: int, k: dict) -> float:
    """Return the standard error of a smoothed yes/no rate (completion) at ``bar`` on ``n``."""
    return math.sqrt(bar * (1 - bar) / (n + k["POOL_SMOOTHING_IMPRESSIONS"]))


def conversion_bar(tier: int, k: dict) -> float:
    """Return the conversion (orders per impression) a selling post is judged against in ``tier``."""
    bars = k["POOL_PROMOTE_CONVERSION"]
    return bars[min(tier, len(bars) - 1)]


def verdict_value(rates: dict, need_engagement: float, tier: int, k: dict) -> tuple[float, float]:
    """Return (measured, bar) of the engagement a verdict weighs: for a selling post (its
    rates carry ``conversion``) conversion counts ``POOL_CONVERSION_WEIGHT`` times on both
    sides; for any other post, its engagement and the tier's bar."""
    w = k["POOL_CONVERSION_WEIGHT"]
    if "conversion" not in rates or w <= 0:
        return rates["engagement"], need_engagement
    return rates["engagement"] + w * rates["conversion"], need_engagement + w * conversion_bar(tier, k)


def _bar_tests(
    rates: dict, counts: TierCounts, kind: str, need_engagement: float, need_completion: float, k: dict,
    tier: int = 0,
) -> list[tuple[float, float, float]]:
    """Return (measured, bar, standard error at the bar) for each rate a promotion needs."""
    error = engagement_error(need_engagement, counts.impressions, k)
    value, need = verdict_value(rates, need_engagement, tier, k)
    if need != need_engagement:  # a selling post: its orders add their own noise
        w = k["POOL_CONVERSION_WEIGHT"]
        error = math.hypot(error, w * rate_error(conversion_bar(tier, k), counts.impressions, k))
    tests = [(value, need, error)]
    if kind == "video":
        tests.append((rates.get("completion", 0), need_completion, rate_error(need_completion, counts.views, k)))
    return tests


@dataclass
class Decision:
    action: str
    reason: str
    rates: dict = field(default_factory=dict)
    report_to_moderation: bool = False


def _clear_early(
    tier: int, quota: int, counts: TierCounts, rates: dict, kind: str,
    need_engagement: float, need_completion: float, k: dict,
) -> Decision | None:
    """Return the promotion of a post above the base pool whose rates clear its tier's bars
    by ``POOL_EARLY_PROMOTE_Z`` standard errors after ``POOL_EARLY_PROMOTE_SHARE`` of its
    quota (None: it waits for the quota)."""
    z, n = k["POOL_EARLY_PROMOTE_Z"], counts.impressions
    if tier == 0 or z <= 0 or quota <= 0 or n < k["POOL_EARLY_PROMOTE_SHARE"] * quota:
        return None
    tests = _bar_tests(rates, counts, kind, need_engagement, need_completion, k, tier)
    if not all(value - z * error >= need for value, need, error in tests):
        return None
    value, need, error = tests[0]
    reason = f"clear early, {n}/{quota} impressions: engagement {value:.3f} ≥ {need:.3f} + {z * error:.3f}"
    if kind == "video":
        reason += f", completion {rates['completion']:.0%} ≥ {need_completion:.0%}"
    return Decision(PROMOTE, reason, rates)


def decide(
    *,
    tier: int,
    kind: str,
    quota: int,
    counts: TierCounts,
    window_ends_at: datetime,
    now: datetime,
    k: dict,
    extensions: int = 0,
    waits: int = 0,
    selling: bool = False,
) -> Decision:
    """Return what to do with an active post in ``tier`` given what happened there.

    ``extensions`` is how many times the post's base pool was extended already, ``waits``
    how many windows of this tier closed without the evidence for a verdict; ``selling``
    says the post carries products (``counts.orders`` then weighs in).
    """
    rates = measure(counts, kind, k, selling)
    n = counts.impressions
    if n >= k["POOL_NEGATIVE_MIN_IMPRESSIONS"] or counts.reports >= k["POOL_REPORT_MIN_COUNT"]:
        if counts.reports >= k["POOL_REPORT_MIN_COUNT"] and rates["report"] > k["POOL_REPORT_RATE_LIMIT"]:
            return Decision(
                NEGATIVE_STOP,
                f"report rate {rates['report']:.1%} over {k['POOL_REPORT_RATE_LIMIT']:.0%} "
                f"({counts.reports} reports)",
                rates,
                report_to_moderation=True,
            )
        if n >= k["POOL_NEGATIVE_MIN_IMPRESSIONS"]:
            if rates["quick_skip"] > k["POOL_QUICK_SKIP_RATE_LIMIT"]:
                return Decision(
                    NEGATIVE_STOP,
                    f"quick-skip rate {rates['quick_skip']:.0%} over {k['POOL_QUICK_SKIP_RATE_LIMIT']:.0%}",
                    rates,
                )
            if rates["not_interested"] > k["POOL_NOT_INTERESTED_RATE_LIMIT"]:
                return Decision(
                    NEGATIVE_STOP,
                    f"not-interested rate {rates['not_interested']:.1%} over "
                    f"{k['POOL_NOT_INTERESTED_RATE_LIMIT']:.0%}",
                    rates,
                )
    if tier == 0 and n >= k["POOL_EARLY_STOP_IMPRESSIONS"]:
        if rates["like_rate_raw"] < k["POOL_EARLY_STOP_LIKE_RATE"]:
            return Decision(
                EARLY_STOP,
                f"like rate {rates['like_rate_raw']:.1%} after {n} impressions "
                f"(under {k['POOL_EARLY_STOP_LIKE_RATE']:.0%})",
                rates,
            )
    quota_filled = quota > 0 and n >= quota
    window_over = now >= window_ends_at
    need_engagement = k["POOL_PROMOTE_ENGAGEMENT"][min(tier, len(k["POOL_PROMOTE_ENGAGEMENT"]) - 1)]
    need_completion = k["POOL_PROMOTE_COMPLETION"][min(tier, len(k["POOL_PROMOTE_COMPLETION"]) - 1)]
    if not (quota_filled or window_over):
        early = _clear_early(tier, quota, counts, rates, kind, need_engagement, need_completion, k)
        return early or Decision(HOLD, f"{n}/{quota} impressions", rates)
    needed = min_evidence(tier, quota, extensions, k)
    if not quota_filled and n < needed:
        windows = waits + 1
        if windows < k["POOL_EVIDENCE_MAX_WINDOWS"]:
            return Decision(
                WAIT,
                f"window ended with {n} of the {needed} impressions a verdict needs: waits another window",
                rates,
            )
        return Decision(
            EXPIRE,
            f"shown to only {n} people in tier {tier} over {windows} windows ({needed} needed to judge it): "
            "test ended without a verdict, not a stop",
            rates,
        )
    when = "quota filled" if quota_filled else "window ended"
    misses = []
    value, need = verdict_value(rates, need_engagement, tier, k)
    if value < need:
        misses.append(_engagement_words(rates, value, "<", need))
    if kind == "video" and rates.get("completion", 0) < need_completion:
        misses.append(f"completion {rates['completion']:.0%} < {need_completion:.0%}")
    z = k["POOL_VERDICT_Z"]
    if tier == 0 and z > 0 and quota_filled and not window_over and extensions < k["POOL_BASE_EXTENSIONS"]:
        tests = _bar_tests(rates, counts, kind, need_engagement, need_completion, k, tier)
        clear_miss = any(value + z * error < need for value, need, error in tests)
        clear_pass = all(value - z * error >= need for value, need, error in tests)
        if not (clear_miss or clear_pass):
            value, need, error = tests[0]
            return Decision(
                EXTEND,
                f"{when}: engagement {value:.3f} against {need:.3f} ± {z * error:.3f}, not yet clear: "
                "base pool extended",
                rates,
            )
    if misses:
        return Decision(STOP, f"{when}: " + "; ".join(misses), rates)
    detail = _engagement_words(rates, value, "≥", need)
    if kind == "video":
        detail += f", completion {rates['completion']:.0%} ≥ {need_completion:.0%}"
    return Decision(PROMOTE, f"{when}: {detail}", rates)


def _engagement_words(rates: dict, value: float, sign: str, need: float) -> str:
    """Say how the verdict's engagement compares with its bar (with the conversion in it)."""
    if "conversion" in rates and value != rates["engagement"]:
        return (f"engagement {rates['engagement']:.3f} with conversion {rates['conversion']:.2%}: "
                f"{value:.3f} {sign} {need:.3f}")
    return f"engagement {value:.3f} {sign} {need:.3f}"


def thresholds(tier: int, k: dict) -> dict[str, float]:
    """Return the promotion thresholds of ``tier`` (for the creator center)."""
    last = len(k["POOL_PROMOTE_ENGAGEMENT"]) - 1
    return {
        "engagement": k["POOL_PROMOTE_ENGAGEMENT"][min(tier, last)],
        "completion": k["POOL_PROMOTE_COMPLETION"][min(tier, last)],
        "conversion": conversion_bar(tier, k),
        "early_stop_like_rate": k["POOL_EARLY_STOP_LIKE_RATE"],
        "report_rate_limit": k["POOL_REPORT_RATE_LIMIT"],
        "quick_skip_rate_limit": k["POOL_QUICK_SKIP_RATE_LIMIT"],
        "not_interested_rate_limit": k["POOL_NOT_INTERESTED_RATE_LIMIT"],
    }
