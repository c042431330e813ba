"""A first page ranks hundreds of candidates at once over arrays (``feeds.engine.discover``):
each candidate still gets the score the formula in that module's docstring gives it
alone, whoever else is in the batch. The reference below computes the formula one post
at a time, in plain Python, as written."""

import dataclasses
import random
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from feeds.engine.discover import Candidate, Profile, rank
from feeds.engine.pools import smoothed

NOW = timezone.now()
SIGNALS = ("like", "comment", "favourite", "share")


def _counts(c):
    n = max(c.impressions, c.likes, c.comments, c.favourites, c.shares)
    return n, c.likes, c.comments, c.favourites, c.shares


def reference_score(c, batch, profile, weights, k):
    """One candidate's score, from the docstring's formula, one post at a time."""
    m, prior, w = k["POOL_SMOOTHING_IMPRESSIONS"], k["POOL_PRIOR_RATES"], k["SIGNAL_WEIGHTS"]
    n, *own = _counts(c)
    # The author's other candidates in the batch, pooled, smoothed toward the platform.
    others = [_counts(o) for o in batch if o.author_id == c.author_id and o is not c]
    rest = sum(o[0] for o in others)
    rates = {s: smoothed(sum(o[i] for o in others), rest, prior[s], m) for i, s in enumerate(SIGNALS, 1)}
    strength = m * k["FEED_AUTHOR_PRIOR_STRENGTH"]
    engagement = sum(w[s] * smoothed(x, n, rates[s], strength) for s, x in zip(SIGNALS, own, strict=True))
    if c.kind == "video":
        engagement += w["complete"] * (c.completion if c.completion is not None else prior["completion"])
    # Interest match: channel (or a share of the parent), tags (the mean of the best two).
    channel = max(
        profile.channels.get(c.channel_id, 0.0),
        k["FEED_PARENT_MATCH"] * profile.channels.get(c.parent_channel_id, 0.0) if c.parent_channel_id else 0.0,
    )
    best = sorted((profile.tags.get(t, 0.0) for t in c.tag_ids), reverse=True)[:2]
    tag = sum(best) / 2 if best else 0.0
    match = min(1.0, max(channel, tag, 0.6 * channel + 0.6 * tag))
    # Tag lift against the mean of the candidates of the same channel.

    def affinity(o):
        return sum(profile.tags.get(t, 0.0) for t in o.author_tag_ids)

    peers = [affinity(o) for o in batch if o.channel_id == c.channel_id]
    lift = 1.0
    if min(peers) < max(peers):
        low, high = k["FEED_TAG_LIFT_RANGE"]
        p = k["FEED_TAG_LIFT_PRIOR"]
        lift = min(high, max(low, (p + affinity(c)) / (p + sum(peers) / len(peers))))
    age = max(0.0, (NOW - c.published_at).total_seconds() / 3600)
    low, high = k["FEED_FRESHNESS_FLOOR"], k["FEED_FRESHNESS_RELEVANT_FLOOR"]
    fresh = max(low + (high - low) * match, 0.5 ** (age / k["FEED_FRESHNESS_HALF_LIFE_HOURS"]))
    conversion = 1.0
    buying = max(profile.buying.get(c.channel_id, 0.0), profile.buying.get(c.parent_channel_id, 0.0))
    if c.selling and buying:
        conversion_prior = k["POOL_CONVERSION_PRIOR"]
        rate = c.conversion if c.conversion is not None else conversion_prior
        conversion = 1.0 + k["FEED_CONVERSION_RANK_WEIGHT"] * buying * rate / conversion_prior
    floor = k["FEED_INTEREST_FLOOR"]
    return (
        engagement
        * (floor + (1 - floor) * match)
        * lift
        * weights.get(c.author_id, 1.0)
        * fresh
        * (k["FEED_STOPPED_FACTOR"] if c.stopped else 1.0)
        * conversion
    ), match


def _batch(rng: random.Random, size: int) -> list[Candidate]:
    out = []
    for pk in range(1, size + 1):
        impressions = rng.choice([0, 0, 5, 40, 300, 2000])
        video = rng.random() < 0.4
        tags = tuple(rng.sample(range(1, 9), rng.choice([0, 0, 1, 2, 3])))
        out.append(
            Candidate(
                post_id=pk,
                author_id=rng.randint(1, size // 4),  # authors with several candidates
                channel_id=rng.randint(1, 8),
                parent_channel_id=rng.choice([None, 20, 21]),
                kind="video" if video else "note",
                published_at=NOW - timedelta(hours=rng.choice([0.5, 3, 30, 200, 2000])),
                impressions=impressions,
                likes=rng.randint(0, impressions // 5 + 3),  # sometimes ahead of impressions
                comments=rng.randint(0, impressions // 30 + 1),
                favourites=rng.randint(0, impressions // 20 + 1),
                shares=rng.randint(0, impressions // 50 + 1),
                completion=rng.choice([None, 0.2, 0.7]) if video else None,
                tag_ids=tags,
                author_tag_ids=tags[: rng.randint(0, len(tags))],
                stopped=rng.random() < 0.1,
                selling=rng.random() < 0.15,
                conversion=rng.choice([None, 0.01, 0.05]),
            )
        )
    # Twins (the same facts under another id) tie on score and age: the higher id first.
    out += [dataclasses.replace(c, post_id=size + i) for i, c in enumerate(out[:20], 1)]
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_each_of_six_hundred_odd_candidates_gets_the_score_the_formula_gives_it(seed):
    k = django_settings.ENGINE
    rng = random.Random(seed)
    batch = _batch(rng, 600)
    profile = Profile(
        channels={1: 1.0, 2: 0.6, 3: 0.2, 20: 0.8},
        tags={1: 0.9, 2: 0.5, 3: 0.3, 5: 0.1},
        buying={1: 0.5, 4: 0.3, 21: 0.4},
    )
    weights = {a: rng.choice([0.5, 1.0, 1.7]) for a in range(1, 150)}
    expected = {c.post_id: reference_score(c, batch, profile, weights, k) for c in batch}
    ranked = rank(batch, profile=profile, weights=weights, now=NOW, k=k)
    assert len(ranked) == len(batch) == 620
    for c in ranked:
        score, match = expected[c.post_id]
        assert c.match == pytest.approx(match, rel=1e-12)
        assert c.score == pytest.approx(score, rel=1e-12), c
    order = sorted(batch, key=lambda c: (-expected[c.post_id][0], -c.published_at.timestamp(), -c.post_id))
    assert [c.post_id for c in ranked] == [c.post_id for c in order]


def test_a_cold_start_batch_matches_everything_and_comes_best_first():
    k = django_settings.ENGINE
    batch = _batch(random.Random(4), 200)
    ranked = rank(batch, profile=Profile(), weights={}, now=NOW, k=k)
    assert {c.match for c in ranked} == {1.0}
    scores = [c.score for c in ranked]
    assert scores == sorted(scores, reverse=True)
    assert rank([], profile=Profile(), weights={}, now=NOW, k=k) == []
