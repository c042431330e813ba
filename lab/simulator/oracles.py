"""The oracles: the best pages the feed's rules allow, chosen knowing every hidden taste
and every post's true quality. They bound what any engine can earn in this world."""

from __future__ import annotations

import statistics
from collections import defaultdict

from django.utils import timezone

from feeds.knobs import knobs as engine_knobs
from lab.simulator.world import Person, _mean


class Oracles:
    """The oracle pages and the ceiling they put on discover (state on the ``Simulation``)."""

    def candidates(self, person: Person, seen: set[int]) -> list[tuple[float, int]]:
        """Return the published posts discover has not shown the person (``seen``), with
        their expected engagement, best first: what the oracles choose from."""
        now = timezone.now()
        mine = person.user.pk
        return sorted(
            (
                (self.expected_engagement(person, pid), pid)
                for pid, at in self.published_at.items()
                if at <= now and pid not in seen and self.post_author[pid] != mine
            ),
            reverse=True,
        )

    def oracle(
        self,
        person: Person,
        size: int,
        scored: list[tuple[float, int]],
        tested: list[int] | None = None,
    ) -> None:
        """Measure the best page the rules allow now: the *oracle*, an upper bound.

        It knows every hidden taste and every post's true quality, and serves the
        ``size`` posts with the highest expected engagement that discover has not shown
        this person yet (``scored``, from ``candidates``), under the same rules: at most
        ``FEED_MAX_PER_CHANNEL`` of one channel in the page and the exploration share
        outside the person's tastes. It tests no new post (discover must: that is how the pools fill), so no
        feed can match it; how close discover comes is
        ``ratio_ceiling.discover_share_of_oracle``.

        Given ``tested`` (the new posts discover's pool lane served on this page), it
        measures the *testing oracle* instead: those posts stay on the page, as they are
        what fills the pools, and the oracle chooses the rest. That is the most any feed
        can earn while it tests new posts as much as discover does.
        """
        k = engine_knobs()  # the run's: settings.ENGINE holds the scaled quotas and self.knobs
        kept = set(tested or ())
        scored = [(e, pid) for e, pid in scored if pid not in kept]
        explore = round(size * k["FEED_EXPLORATION_SHARE"])
        cap = k["FEED_MAX_PER_CHANNEL"] * max(1, size // max(1, k["FEED_CHANNEL_WINDOW"])) or size
        inside = [(e, pid) for e, pid in scored if self.post_channel[pid] in person.taste]
        outside = [(e, pid) for e, pid in scored if self.post_channel[pid] not in person.taste]
        per_channel: dict[int, int] = defaultdict(int)
        page: list[float] = []
        for pid in tested or ():
            per_channel[self.post_channel[pid]] += 1
            page.append(self.expected_engagement(person, pid))
        for e, pid in inside:
            if len(page) == size - explore:
                break
            if per_channel[self.post_channel[pid]] < cap:
                per_channel[self.post_channel[pid]] += 1
                page.append(e)
        page += [e for e, _ in outside[: size - len(page)]]
        self.engaged["oracle" if tested is None else "oracle testing"].extend(page)

    def ratio_ceiling(self, most_liked: float, lanes: dict) -> dict:
        """Return how far the rules let discover go in this world.

        At most ``FEED_MAX_PER_CHANNEL`` items of one channel in any ``FEED_CHANNEL_WINDOW``
        means someone whose tastes span ``L`` channels with posts can have at most
        ``min(1, cap × L / window)`` of a feed in their tastes, whatever the ranking; the
        rest earns what their faint interest elsewhere gives.
        ``main_lane_everywhere_vs_most_liked`` is the ratio discover would reach if every
        slot the rule allows in someone's tastes earned what the main lane (the
        best-ranked, proven posts) earns; ``oracle_vs_most_liked`` is the measured
        ratio of the oracle (``oracle``): perfect knowledge under the same rules;
        ``oracle_testing_vs_most_liked`` that of the testing oracle, which keeps the new
        posts discover's pool lane tested on each page and chooses the rest: the most a
        feed that tests as much as discover does can earn.
        """
        k = engine_knobs()
        cap, window = k["FEED_MAX_PER_CHANNEL"], k["FEED_CHANNEL_WINDOW"]
        with_posts = set(self.post_channel.values())
        readers = [p for p in self.people if p.user.pk in self.discover_channels]
        capacity = (
            statistics.fmean(
                min(1.0, cap * len(with_posts & set(p.taste)) / window) for p in readers
            )
            if readers
            else 0.0
        )
        inside, outside = self.engaged["taste:in"], self.engaged["taste:out"]
        main = lanes.get("main", {}).get("engagement", 0.0)
        elsewhere = _mean(outside)
        best = capacity * main + (1 - capacity) * elsewhere
        oracle, testing = _mean(self.engaged["oracle"]), _mean(self.engaged["oracle testing"])
        discover = _mean(self.engaged["discover"])
        return {
            "in_taste_capacity": round(capacity, 4),
            "in_taste_share": round(len(inside) / (len(inside) + len(outside)), 4)
            if inside or outside
            else None,
            "engagement_in_taste": round(statistics.fmean(inside), 4) if inside else None,
            "engagement_outside": round(elsewhere, 4),
            "main_lane_everywhere_vs_most_liked": round(best / most_liked, 2)
            if most_liked
            else None,
            "oracle_engagement": round(oracle, 4),
            "oracle_vs_most_liked": round(oracle / most_liked, 2) if most_liked else None,
            "discover_share_of_oracle": round(discover / oracle, 3) if oracle else None,
            "oracle_testing_engagement": round(testing, 4),
            "oracle_testing_vs_most_liked": round(testing / most_liked, 2) if most_liked else None,
            "discover_share_of_oracle_testing": round(discover / testing, 3) if testing else None,
        }
