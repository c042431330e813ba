"""用户画像: what a signal says about a user's taste, and how affinities decay.

Each interaction becomes a signal with a weight (SIGNAL_WEIGHTS: watching to the end >
favourite > share > comment > like > read > view; quick skips, "not interested" and reports
are negative). How long a view lasted tells a glance from a read: under QUICK_SKIP_SECONDS
(or a tenth of the video) it is a quick skip, from READ_SECONDS on a read. A signal on a
post moves the user's affinity to each of the post's tags by the weight and to its
channel (and the parent channel) by INTEREST_CHANNEL_SHARE of it. Affinities halve every
INTEREST_HALF_LIFE_DAYS, so changing tastes are followed.

Decay does not take everything, though: a person away for months is not a stranger. A
channel picked at onboarding keeps at least INTEREST_PICK_FLOOR, and a long-held
interest (engaged with over at least INTEREST_HELD_DAYS, up to a peak of at least
INTEREST_HELD_MIN_PEAK) keeps INTEREST_HELD_FLOOR_SHARE of its peak. A floor only stops
decay: a score the person's own signals took below it (not interested, quick skips)
decays as before.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Signal:
    user_id: int
    post_id: int
    name: str  # a key of SIGNAL_WEIGHTS


def view_signal(seconds: float | None, completed: bool, video_seconds: float | None, k: dict) -> str:
    """Return the signal a view or watch event carries: complete, read, view or quick_skip.

    A note has no end to watch to, so how long someone stayed is what tells a reader from
    a passer-by: a view of ``READ_SECONDS`` or more is a *read* (a video watched that long
    without finishing it, and for at least a tenth of it, too). A view without a duration
    is a plain view.
    """
    if completed and video_seconds:
        return "complete"
    if seconds is not None:
        too_short = seconds < k["QUICK_SKIP_SECONDS"]
        if video_seconds:
            too_short = too_short or seconds < k["QUICK_SKIP_FRACTION"] * video_seconds
        if too_short:
            return "quick_skip"
        if seconds >= k["READ_SECONDS"]:
            return "read"
    return "view"


EVENT_SIGNALS = {
    "like": "like",
    "favourite": "favourite",
    "share": "share",
    "comment": "comment",
    "report": "report",
    "not_interested": "not_interested",
}


# Product signals (commerce) also move the person's buying interest in the post's channels.
BUYING_SIGNALS = ("product_click", "product_order")


def affinity_deltas(
    signals: Iterable[Signal],
    post_tags: dict[int, list[int]],
    post_channels: dict[int, list[int]],
    k: dict,
) -> dict[tuple[int, str, int], float]:
    """Return the change of each (user, kind, key) affinity the signals cause."""
    weights = k["SIGNAL_WEIGHTS"]
    share = k["INTEREST_CHANNEL_SHARE"]
    deltas: dict[tuple[int, str, int], float] = defaultdict(float)
    for s in signals:
        w = weights.get(s.name, 0.0)
        if not w:
            continue
        for tag_id in post_tags.get(s.post_id, ()):
            deltas[(s.user_id, "tag", tag_id)] += w
        for channel_id in post_channels.get(s.post_id, ()):
            deltas[(s.user_id, "channel", channel_id)] += w * share
            if s.name in BUYING_SIGNALS:
                deltas[(s.user_id, "buy", channel_id)] += w
    return dict(deltas)


def decay_factor(elapsed_days: float, k: dict) -> float:
    """Return the multiplier that ``elapsed_days`` of half-life decay applies."""
    return 0.5 ** (max(0.0, elapsed_days) / k["INTEREST_HALF_LIFE_DAYS"])


def affinity_floor(*, peak: float, held_days: float, picked: bool, k: dict) -> float:
    """Return the score decay may not take an affinity below (0: none).

    ``peak`` is the highest score the affinity reached, ``held_days`` the time between
    its first and its latest signal, ``picked`` whether it is a channel picked at
    onboarding.
    """
    floor = k["INTEREST_PICK_FLOOR"] if picked else 0.0
    if held_days >= k["INTEREST_HELD_DAYS"] and peak >= k["INTEREST_HELD_MIN_PEAK"]:
        floor = max(floor, k["INTEREST_HELD_FLOOR_SHARE"] * peak)
    return floor


def decayed(score: float, factor: float, floor: float) -> float:
    """Return ``score`` after decay by ``factor``, kept at ``floor`` if it was above it."""
    if score < floor:
        return score * factor
    return max(score * factor, floor)
