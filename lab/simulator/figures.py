"""What a run reports: engagement per impression, the pools' verdicts on new posts,
channels per 100 items, the oracle share, and the splits by lane, taste and topic."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import datetime, timedelta

from content.models import Tag
from feeds.knobs import knobs as engine_knobs
from feeds.models import PoolEntry, PoolTransition
from feeds.services.discover import profile_of
from lab.simulator.world import HQ, LQ, TOPIC_RATIO, TOPIC_SUFFIXES, _mean


class Figures:
    """The run's figures (state lives on the ``Simulation``)."""

    def figures(self, end: datetime) -> dict:
        def mean(values: list[float]) -> float:
            return round(_mean(values), 4)

        epi = {
            name: mean(self.engaged[name])
            for name in ["discover", "chronological", "most_liked", "random"]
        }
        # New posts: published while the clock ran (not the backlog), a day or more ago.
        old_enough = [
            pid
            for pid, at in self.published_at.items()
            if self.started <= at <= end - timedelta(days=1)
        ]
        reached: dict[int, datetime] = {}
        for pid, at in PoolTransition.objects.filter(
            post_id__in=old_enough, to_tier__gte=2
        ).values_list("post_id", "created_at"):
            reached[pid] = min(at, reached.get(pid, at))
        hq_new = [
            pid
            for pid in old_enough
            if self.truth[pid] >= HQ and self.post_author[pid] in self.zero_follower_authors
        ]
        hq_reached = [
            pid
            for pid in hq_new
            if pid in reached and reached[pid] - self.published_at[pid] <= timedelta(days=1)
        ]
        lq = [pid for pid in old_enough if self.truth[pid] <= LQ]
        stopped_tier0 = set(
            PoolEntry.objects.filter(
                post_id__in=lq, tier=0, state=PoolEntry.State.STOPPED
            ).values_list("post_id", flat=True)
        ) | set(
            PoolEntry.objects.filter(post_id__in=lq, state=PoolEntry.State.NOT_ENTERED).values_list(
                "post_id", flat=True
            )
        )
        per_user = []
        for channels in self.discover_channels.values():
            blocks = [channels[i : i + 100] for i in range(0, len(channels) - 99, 100)]
            if blocks:
                per_user.append(statistics.fmean(len(set(b)) for b in blocks))
        # Where the high-quality new posts got to within their first day, and how far.
        fates: dict[str, int] = defaultdict(int)
        for pid in hq_new:
            tiers = [
                t
                for t, at in PoolTransition.objects.filter(
                    post_id=pid, to_tier__isnull=False
                ).values_list("to_tier", "created_at")
                if at - self.published_at[pid] <= timedelta(days=1)
            ]
            state = PoolEntry.objects.filter(post_id=pid).values_list("state", flat=True).first()
            fates[f"tier {max(tiers, default=0)} within a day, now {state}"] += 1
        # Where the low-quality new posts are at the end (tier and state).
        lq_fates: dict[str, int] = defaultdict(int)
        for tier, state in PoolEntry.objects.filter(post_id__in=lq).values_list("tier", "state"):
            lq_fates[f"tier {tier}, {state}"] += 1
        lanes = {
            name.split(":", 1)[1]: {"impressions": len(v), "engagement": mean(v)}
            for name, v in self.engaged.items()
            if name.startswith("lane:")
        }
        ceiling = self.ratio_ceiling(epi["most_liked"], lanes)
        # Where discover's impressions went by hidden taste: the interests people picked at
        # sign-up, those they did not (only exploration can find them), everything else;
        # on the first and the last day too, which shows what the feed learnt meanwhile.
        kinds = ("picked", "unpicked", "outside")
        periods = {"all days": "all", "first day": "day0", "last day": f"day{self.days - 1}"}

        def by_taste(period: str) -> dict:
            total = sum(len(self.engaged[f"{period}:{kind}"]) for kind in kinds)
            return {
                kind: {
                    "share": round(len(self.engaged[f"{period}:{kind}"]) / total, 4)
                    if total
                    else 0.0,
                    "engagement": mean(self.engaged[f"{period}:{kind}"]),
                }
                for kind in kinds
            }

        taste = {label: by_taste(period) for label, period in periods.items()}
        # With topics: of discover's impressions in channels people like, the share on their
        # favourite topic of the channel (1 / topics by chance), overall, first and last day.
        topic_split = {}
        if self.topics:
            for label, period in periods.items():
                fav, other = (
                    self.engaged[f"{period}:topic:favourite"],
                    self.engaged[f"{period}:topic:other"],
                )
                topic_split[label] = {
                    "favourite_share": round(len(fav) / (len(fav) + len(other)), 4)
                    if fav or other
                    else 0.0,
                    "engagement_favourite": mean(fav),
                    "engagement_other": mean(other),
                }
            topic_split["profile at the end"] = self.profile_topics(end)
        out = {
            "engagement_per_impression": epi,
            "discover_by_lane": lanes,
            "discover_by_taste": taste,
            "discover_by_topic": topic_split,
            "high_quality_new_fates": dict(sorted(fates.items())),
            "low_quality_new_fates": dict(sorted(lq_fates.items())),
            # A comparison, not a target: the oracle shows how far this world lets any feed go.
            "discover_vs_most_liked": round(epi["discover"] / epi["most_liked"], 2)
            if epi["most_liked"]
            else None,
            "discover_share_of_oracle": ceiling["discover_share_of_oracle"],
            "discover_share_of_oracle_testing": ceiling["discover_share_of_oracle_testing"],
            "high_quality_new_reached_tier2": round(len(hq_reached) / len(hq_new), 4)
            if hq_new
            else None,
            "low_quality_new_stopped_tier0": round(len(stopped_tier0) / len(lq), 4) if lq else None,
            "channels_per_100_items": round(statistics.fmean(per_user), 2) if per_user else None,
            "ratio_ceiling": ceiling,
            "samples": {
                "high_quality_new_posts": len(hq_new),
                "low_quality_new_posts": len(lq),
                "users_with_100_items": len(per_user),
                "discover_impressions": len(self.engaged["discover"]),
            },
            "world": {
                "users": self.n_users,
                "authors": self.n_authors,
                "zero_follower_authors": len(self.zero_follower_authors),
                "posts": len(self.truth),
                "days": self.days,
                "sessions_per_day": self.sessions,
                "pages_per_session": self.pages,
                "quota_scale": self.quota_scale,
                "unpicked_interests": list(self.unpicked),
                "topics_per_channel": self.topics,
                "topic_ratio": TOPIC_RATIO if self.topics else None,
                "opens": self.opens,
                "knobs": self.knobs,
            },
            "targets": {
                "high_quality_new_reached_tier2": 0.8,
                "low_quality_new_stopped_tier0": 0.9,
                "channels_per_100_items": 5,
            },
        }
        if self.commerce:  # products in the world (lab/simulator/shopping.py)
            out["world"]["commerce"] = self.commerce
            out["commerce"] = self.commerce_figures(end, self.started)
        return out

    def profile_topics(self, now: datetime) -> dict:
        """What the interest profiles learnt of people's topics: over every (person,
        sub-channel they like with posts) pair, the profile's normalised affinity (as the
        feeds read it) to their favourite topic's tag and to the others', and how often
        the favourite is the strongest of them where the profile holds any of them (1 /
        topics by chance)."""
        with_posts = set(self.post_channel.values())
        tag_id = dict(Tag.objects.values_list("name", "pk"))
        favourite, other, strongest, pairs, informed = [], [], 0, 0, 0
        k = engine_knobs()
        for person in self.people:
            leaves = [leaf for leaf in sorted(person.topics) if leaf in with_posts]
            if not leaves:
                continue
            profile, _, _ = profile_of(person.user.pk, k, now)
            for leaf in leaves:
                name = self.channel_by_id[leaf].name_zh
                values = [
                    profile.tags.get(tag_id.get(name + TOPIC_SUFFIXES[t]), 0.0)
                    for t in range(self.topics)
                ]
                fav = values.pop(person.topics[leaf])
                favourite.append(fav)
                other.extend(values)
                pairs += 1
                if fav or any(values):  # the profile holds something about this channel's topics
                    informed += 1
                    strongest += fav > max(values)
        return {
            "pairs": pairs,
            "informed_pairs": informed,
            "favourite_is_strongest": round(strongest / informed, 4) if informed else None,
            "affinity_favourite": round(statistics.fmean(favourite), 4) if favourite else None,
            "affinity_other": round(statistics.fmean(other), 4) if other else None,
        }
