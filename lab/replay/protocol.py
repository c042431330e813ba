"""Which (person, day) pairs are scored, and against what.

After the warm-up (the first ``warmup`` share of the log's time span), at the start of
every UTC day, each person with at least one positive that day and at least
``min_history`` interactions before it gets a page; the page is scored against the
items that became positives for them that day and that they had never met before.
A positive is a like, a save, a share or a follow, or a watch of at least
``watch_positive`` × the item's duration. (A comment is engagement for the engine but
not a positive here: MovieLens' tags are comments and say nothing about approval.)
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from lab.replay.io import Interaction

DAY = 86400


def is_positive(row: Interaction, watch_positive: float) -> bool:
    if row.like or row.favourite or row.share or row.follow:
        return True
    return bool(
        row.watch_seconds is not None
        and row.duration_seconds
        and row.watch_seconds >= watch_positive * row.duration_seconds
    )


@dataclass
class Plan:
    cutoff: float  # epoch seconds: the warm-up ends here
    days: dict[int, dict[str, set[str]]]  # day (epoch // DAY) → person → that day's new positives


def plan(
    rows: list[Interaction], *, warmup: float, min_history: int, watch_positive: float
) -> Plan:
    """Return the warm-up cut-off and the pairs to score, from the log in time order."""
    if not rows:
        return Plan(0.0, {})
    start, end = rows[0].ts, rows[-1].ts
    cutoff = start + warmup * (end - start)
    first_day = int(cutoff // DAY) + (0 if cutoff % DAY == 0 else 1)  # the first whole day after it
    met: dict[str, set[str]] = defaultdict(set)  # before the current day
    history: dict[str, int] = defaultdict(int)
    days: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    today, todays = None, []
    for row in rows + [None]:
        day = int(row.ts // DAY) if row else None
        if day != today:
            for r in todays:  # close the day: what was met becomes history
                met[r.user].add(r.item)
                history[r.user] += 1
            todays, today = [], day
        if row is None:
            break
        todays.append(row)
        if (
            day >= first_day
            and is_positive(row, watch_positive)
            and row.item not in met[row.user]
            and history[row.user] >= min_history
        ):
            days[day][row.user].add(row.item)
    return Plan(cutoff, {d: dict(people) for d, people in sorted(days.items())})
