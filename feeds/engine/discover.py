"""为你推荐: how the discover feed ranks candidates and mixes a page. Plain values only.

Ranking (design 3.7.3): a candidate's score is

    expected engagement × interest match × tag lift × author weight × freshness

- *expected engagement* is the signal-weighted sum of the post's measured rates (likes,
  comments, favourites, shares per impression, and completion for videos), each smoothed
  when the post has few impressions (the Bayesian mean the pools use), so a new post is
  neither buried nor over-trusted. The prior is what the author's other candidates
  measured (itself smoothed toward the platform prior): a good author's new post starts
  ahead of a poor author's (``FEED_AUTHOR_PRIOR_STRENGTH``; 0 uses the platform prior);
- *interest match* is ``floor + (1 − floor) × m`` where ``m`` ∈ [0, 1] is the user's
  normalised affinity to the post's channel (or ``FEED_PARENT_MATCH`` × that of its
  parent) and its tags; a user with no
  profile matches everything at 1 (cold start);
- *tag lift* (``tag_lifts``): within a channel, a post whose author tags the user engaged
  with more than with the channel's other candidates' ranks higher (0.5–2 ×);
- *author weight* is the account weight (0.5–2.0);
- *freshness* halves every ``FEED_FRESHNESS_HALF_LIFE_HOURS`` down to a floor that
  rises with the interest match, from ``FEED_FRESHNESS_FLOOR`` (a post outside every
  interest) to ``FEED_FRESHNESS_RELEVANT_FLOOR`` (a full match): age sorts what someone
  is not looking for, and barely touches what they are (a note is read for months; see
  docs/decisions/freshness.md);
- a post that sells, for a viewer whose profile shows buying interest in its channel, is
  multiplied by ``1 + FEED_CONVERSION_RANK_WEIGHT × interest × conversion / prior``
  (``conversion_lift``): expected orders, not just engagement, for people who buy;
- a post the pools stopped is multiplied by ``FEED_STOPPED_FACTOR``: it gets no pool
  exposure any more and competes only on what it measured. (Posts under the quality
  threshold or held by moderation are never candidates.)

Mixing (design 3.7.4) fills a page slot by slot from three ranked lanes: *main* (the best
candidates in the user's interests, including posts promoted to higher pool tiers, which
fill those tiers' quotas on their merit), *pool* (new posts in the base pool that still
need impressions for their first verdict: this is how the pools fill) and *explore* (outside the user's
interests, against the filter bubble). Every ``1 / FEED_EXPLORATION_SHARE``-th slot is an
exploration slot and a ``FEED_POOL_SHARE`` of the others go to the pool lane. Whatever the
lane, no author appears twice in a row and no channel more than ``FEED_MAX_PER_CHANNEL``
times in any ``FEED_CHANNEL_WINDOW`` consecutive items ("channel" is the channel a post is
published in, so 美食 > 烘焙 and 美食 > 探店 count apart), and a post that sells comes at
most once in any ``1 / FEED_SELLING_SHARE`` consecutive items and never ahead of that share
of the items so far (the feed is not a shop). Other sources (boosts) claim
fixed slots through ``fixed``; the mixer never moves them.
"""

from __future__ import annotations

import math
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from feeds.engine.pools import smoothed

MAIN, POOL, EXPLORE = "main", "pool", "explore"
# Held back by the rules that keep pool verdicts fair (a pool post is shown only to people
# it matches by FEED_POOL_MIN_MATCH, and a post under test never as exploration): served
# only when no other lane has an item the diversity rules allow, so a young platform whose posts are all still under test neither serves
# short pages nor breaks the channel rule.
RESERVE = "reserve"


@dataclass
class Candidate:
    """What ranking needs to know about one post (built from a couple of queries)."""

    post_id: int
    author_id: int
    channel_id: int
    parent_channel_id: int | None
    kind: str
    published_at: datetime
    impressions: int = 0
    likes: int = 0
    comments: int = 0
    favourites: int = 0
    shares: int = 0
    completion: float | None = None  # measured completion rate of a video, when known
    tag_ids: tuple[int, ...] = ()  # its tags among the viewer's profile tags
    author_tag_ids: tuple[int, ...] = ()  # those of them its author gave (not extracted)
    in_pool: bool = False  # in the base pool and still wanting impressions
    pool_served: float = 0.0  # share of its tier's quota already served
    stopped: bool = False  # stopped in the pools: no more pool exposure, ranked down
    under_test: bool = False  # active in a pool tier: its audience is being measured
    selling: bool = False  # carries live products (commerce)
    conversion: float | None = None  # its smoothed orders per impression, when measured
    sources: set[str] = field(default_factory=set)
    score: float = 0.0
    match: float = 0.0  # interest match m ∈ [0, 1] before the floor


@dataclass
class Profile:
    """A user's interests, normalised to [0, 1] (the strongest affinity is 1)."""

    channels: dict[int, float] = field(default_factory=dict)
    tags: dict[int, float] = field(default_factory=dict)
    # Buying interest per channel in [0, 1) (``buying_interest``): apart from the taste
    # above, and not part of ``empty``.
    buying: dict[int, float] = field(default_factory=dict)

    @classmethod
    def from_scores(cls, channels: dict[int, float], tags: dict[int, float]) -> Profile:
        """Normalise channel and tag affinities by the strongest of *either* kind.

        Both are sums of signal weights, in one unit. Normalised on their own, one stray
        like would be the strongest tag of a user who liked little else, and that tag's
        posts would count as the user's interests (in the simulator, a fifth of the main
        lane then falls outside people's tastes).
        """
        top = max((v for v in [*channels.values(), *tags.values()] if v > 0), default=0.0)
        if not top:
            return cls()

        def norm(d: dict[int, float]) -> dict[int, float]:
            return {key: v / top for key, v in d.items() if v > 0}

        return cls(norm(channels), norm(tags))

    @property
    def empty(self) -> bool:
        return not self.channels and not self.tags


SIGNALS = ("like", "comment", "favourite", "share")


def buying_interest(scores: dict[int, float], k: dict) -> dict[int, float]:
    """Return buying interest per channel in [0, 1): ``s / (s + one order's weight)``, so
    one order (or two clicks) is a half, and more approach one.

    ``scores`` are the person's "buy" affinities (product clicks and orders, decaying like
    every affinity)."""
    unit = max(k["SIGNAL_WEIGHTS"]["product_order"], 1e-9)
    return {key: s / (s + unit) for key, s in scores.items() if s > 0}


def conversion_lift(c: Candidate, profile: Profile, k: dict) -> float:
    """Return the ranking factor of a selling post's expected conversion for this viewer
    (1 for a post that does not sell or a viewer with no buying interest in its channel)."""
    w = k["FEED_CONVERSION_RANK_WEIGHT"]
    if not c.selling or not profile.buying or w <= 0:
        return 1.0
    interest = max(profile.buying.get(c.channel_id, 0.0), profile.buying.get(c.parent_channel_id or -1, 0.0))
    prior = k["POOL_CONVERSION_PRIOR"]
    conversion = c.conversion if c.conversion is not None else prior
    return 1.0 + w * interest * (conversion / prior if prior > 0 else 1.0)


def tag_specificity(post_count: int, corpus: int, k: dict) -> float:
    """Return how much a tag on ``post_count`` of ``corpus`` posts says about a post, 0–1.

    An inverse document frequency, clipped: a tag on at most ``FEED_TAG_SPECIFIC_SHARE``
    of the posts counts fully, one on every post not at all (``log(N/df) / log(1/share)``).
    A tag every post carries (a platform's "日常", "vlog", or the simulator's "日记") says
    nothing about what a post is: found by the simulator, where such a tag, liked along
    with everything else, made about a tenth of every feed "match" people outside their
    tastes and sent pool posts to strangers. The corpus counts at least
    ``FEED_TAG_CORPUS_FLOOR`` posts, so a young platform's few tags are not discounted.
    """
    share = k["FEED_TAG_SPECIFIC_SHARE"]
    n = max(corpus, k["FEED_TAG_CORPUS_FLOOR"], 1)
    if post_count <= share * n:
        return 1.0
    return max(0.0, min(1.0, math.log(n / post_count) / math.log(1 / share)))


def _counts(candidates: list[Candidate]) -> np.ndarray:
    """Return (impressions, likes, comments, favourites, shares) per candidate, one row each
    (``SIGNALS`` in order after the impressions)."""
    rows = np.array(
        [(c.impressions, c.likes, c.comments, c.favourites, c.shares) for c in candidates], dtype=np.int64
    ).reshape(-1, 5)
    # Counters can run ahead of the impressions measured so far (impressions are counted
    # at pool evaluation); never let a rate exceed one per impression.
    rows[:, 0] = rows.max(axis=1)
    return rows


def author_priors(counts: np.ndarray, authors: np.ndarray, k: dict) -> np.ndarray | None:
    """Return, per candidate, the rates its author's *other* candidates measured.

    ``counts`` are ``_counts``' rows, ``authors`` each candidate's author. Each rate is
    the author's pooled counts smoothed toward the platform prior (``POOL_PRIOR_RATES``,
    strength ``POOL_SMOOTHING_IMPRESSIONS``), leaving the post's own counts out: one
    column per signal of ``SIGNALS``. ``None`` when ``FEED_AUTHOR_PRIOR_STRENGTH`` is 0.
    """
    if not k["FEED_AUTHOR_PRIOR_STRENGTH"]:
        return None
    m = k["POOL_SMOOTHING_IMPRESSIONS"]
    prior = k["POOL_PRIOR_RATES"]
    _, author = np.unique(authors, return_inverse=True)
    totals = np.zeros((author.max(initial=-1) + 1, counts.shape[1]), dtype=np.int64)
    np.add.at(totals, author, counts)
    others = totals[author] - counts
    return np.column_stack(
        [smoothed(others[:, i], others[:, 0], prior[s], m) for i, s in enumerate(SIGNALS, 1)]
    ).reshape(-1, len(SIGNALS))


def expected_engagement(
    counts: np.ndarray, video: np.ndarray, completion: np.ndarray, k: dict, priors: np.ndarray | None = None
) -> np.ndarray:
    """Return the signal-weighted engagement per impression each post can be expected to earn.

    ``counts`` are ``_counts``' rows; ``video`` marks videos and ``completion`` is their
    measured completion rate (NaN when unknown). Each measured rate is smoothed toward a
    prior: the platform's (``POOL_PRIOR_RATES``, with the strength
    ``POOL_SMOOTHING_IMPRESSIONS``), or, given ``priors`` (``author_priors``), what the
    author's other posts measured, with ``FEED_AUTHOR_PRIOR_STRENGTH`` times that
    strength: an author's record says more about a post with few impressions than the
    platform's average does (a hierarchical Bayesian mean). A video's completion counts
    at the platform's prior when unknown.
    """
    m = k["POOL_SMOOTHING_IMPRESSIONS"]
    prior = k["POOL_PRIOR_RATES"]
    if priors is not None:
        m = m * k["FEED_AUTHOR_PRIOR_STRENGTH"]
    w = k["SIGNAL_WEIGHTS"]
    n = counts[:, 0]
    value = np.zeros(len(counts))
    for i, s in enumerate(SIGNALS, 1):
        p = priors[:, i - 1] if priors is not None else prior[s]
        value = value + w[s] * smoothed(counts[:, i], n, p, m)
    completed = np.where(np.isnan(completion), prior["completion"], completion)
    return np.where(video, value + w["complete"] * completed, value)


def interest_match(candidates: list[Candidate], profile: Profile, parent_share: float = 0.5) -> np.ndarray:
    """Return how well each post fits the profile, 0–1 (all 1 for an empty profile).

    A post's channel match is the profile's affinity to its own (sub-)channel, or
    ``parent_share`` (``FEED_PARENT_MATCH``) of that to its parent: at 1.0 someone who
    picked 美食 matches 烘焙 and 探店 posts as fully as 美食 ones. Its tag match is the
    mean of its two best tag affinities. The match is the largest of the two and
    0.6 × their sum (a post that fits by both ways fits better), capped at 1.
    """
    if profile.empty:
        return np.ones(len(candidates))

    def affinities(keys: list[int | None]) -> np.ndarray:
        # One lookup per distinct channel (a batch spans a few dozen).
        known = {key: profile.channels.get(key, 0.0) if key else 0.0 for key in set(keys)}
        return np.array([known[key] for key in keys], dtype=float)

    own = affinities([c.channel_id for c in candidates])
    parent = affinities([c.parent_channel_id for c in candidates])
    channel = np.maximum(own, parent_share * parent)
    tag = np.zeros(len(candidates))
    for i, c in enumerate(candidates):
        if c.tag_ids:  # only the profile's tags are loaded: most candidates have none
            best = sorted((profile.tags.get(t, 0.0) for t in c.tag_ids), reverse=True)[:2]
            tag[i] = sum(best) / 2
    return np.minimum(1.0, np.maximum(np.maximum(channel, tag), 0.6 * channel + 0.6 * tag))


def tag_lifts(candidates: list[Candidate], channels: np.ndarray, profile: Profile, k: dict) -> np.ndarray:
    """Return, per candidate, how much more its tags appeal to the user than its channel's.

    ``interest_match`` says whether a post is in the user's interests; inside a liked
    channel it is 1 whatever the post is about, so a user who keeps liking 烘焙新手 posts
    would be shown 烘焙进阶 as readily. Here a candidate's tag affinity (the sum over the
    tags its *author* gave, normalised as the profile is) is compared with the mean of
    the candidates of the same channel in this batch:

        lift = (prior + affinity) / (prior + the channel's mean affinity)

    clipped to ``FEED_TAG_LIFT_RANGE``. ``FEED_TAG_LIFT_PRIOR`` (in normalised affinity:
    a like's tags weigh about 0.2 for a new user) keeps one like from deciding: with one
    like on a topic, its posts rank about 1.4 × and the channel's other posts 0.8 ×. Tags
    every post of a channel carries lift nothing (they are in the mean too; a channel
    whose candidates all have the same affinity is left as it is, at 1), and the lift only
    reorders a channel's posts, never lets a channel into the interests.

    Only author tags count: they say what a post is about, while words extracted from
    its text are incidental, and a like on one post then lifts unrelated posts that share
    a word (in the simulator, whose texts are random, that cost two points of the poor
    posts stopped in their base pool). 0 turns the lift off. All 1 for an empty profile
    (cold start).
    """
    prior = k["FEED_TAG_LIFT_PRIOR"]
    lifts = np.ones(len(candidates))
    if prior <= 0 or profile.empty or not profile.tags or not candidates:
        return lifts
    low, high = k["FEED_TAG_LIFT_RANGE"]
    affinity = np.array(
        [sum(profile.tags.get(t, 0.0) for t in c.author_tag_ids) if c.author_tag_ids else 0.0 for c in candidates]
    )
    _, channel = np.unique(channels, return_inverse=True)
    groups = channel.max() + 1
    # Summed in candidate order, as a running sum would.
    total = np.bincount(channel, weights=affinity, minlength=groups)
    size = np.bincount(channel, minlength=groups)
    least = np.full(groups, np.inf)
    most = np.full(groups, -np.inf)
    np.minimum.at(least, channel, affinity)
    np.maximum.at(most, channel, affinity)
    varied = (least < most)[channel]
    mean = (total / size)[channel]
    return np.where(varied, np.clip((prior + affinity) / (prior + mean), low, high), 1.0)


def freshness_of(age_hours, match, k: dict):
    """Return the freshness factor of posts ``age_hours`` old for a viewer they match by
    ``match`` (scalars or arrays alike).

    Half-life decay down to a floor that rises with the match: with one floor for all, a
    week-old post in someone's interests weighed a tenth of a new one, about what an
    interest match of zero costs, so the newest posts outranked everything relevant.
    """
    low, high = k["FEED_FRESHNESS_FLOOR"], k["FEED_FRESHNESS_RELEVANT_FLOOR"]
    floor = low + (max(low, high) - low) * np.clip(match, 0.0, 1.0)
    return np.maximum(floor, 0.5 ** (np.maximum(0.0, age_hours) / k["FEED_FRESHNESS_HALF_LIFE_HOURS"]))


def freshness(published_at: datetime, now: datetime, k: dict, match: float = 0.0) -> float:
    """Return the freshness factor of one post published at ``published_at`` (``freshness_of``)."""
    return float(freshness_of((now - published_at).total_seconds() / 3600, match, k))


def rank(
    candidates: list[Candidate],
    *,
    profile: Profile,
    weights: dict[int, float],
    now: datetime,
    k: dict,
) -> list[Candidate]:
    """Score every candidate in place; return them best first (ties: newest first).

    The factors are computed over arrays, one per fact, in one pass each (a first page
    ranks ~600–1 000 candidates); only the interest match reads the profile post by post.
    """
    if not candidates:
        return []
    floor = k["FEED_INTEREST_FLOOR"]
    counts = _counts(candidates)
    authors = np.array([c.author_id for c in candidates], dtype=np.int64)
    channels = np.array([c.channel_id for c in candidates], dtype=np.int64)
    video = np.array([c.kind == "video" for c in candidates], dtype=bool)
    completion = np.array([np.nan if c.completion is None else c.completion for c in candidates], dtype=float)
    match = interest_match(candidates, profile, k["FEED_PARENT_MATCH"])
    age_hours = np.array([(now - c.published_at).total_seconds() / 3600 for c in candidates], dtype=float)
    weight = np.array([weights.get(c.author_id, 1.0) for c in candidates], dtype=float)
    stopped = np.array([c.stopped for c in candidates], dtype=bool)
    conversion = np.array([conversion_lift(c, profile, k) if c.selling else 1.0 for c in candidates], dtype=float)
    score = (
        expected_engagement(counts, video, completion, k, author_priors(counts, authors, k))
        * (floor + (1 - floor) * match)
        * tag_lifts(candidates, channels, profile, k)
        * weight
        * freshness_of(age_hours, match, k)
        * np.where(stopped, k["FEED_STOPPED_FACTOR"], 1.0)
        * conversion
    )
    for c, s, m in zip(candidates, score.tolist(), match.tolist(), strict=True):
        c.score, c.match = s, m
    ids = np.array([c.post_id for c in candidates], dtype=np.int64)
    order = np.lexsort((-ids, age_hours, -score))  # the last key first; ties: the newer
    return [candidates[i] for i in order.tolist()]


def lanes(ranked: list[Candidate], profile: Profile, k: dict) -> dict[str, list[Candidate]]:
    """Split ranked candidates into the main, pool and exploration lanes."""
    out: dict[str, list[Candidate]] = {MAIN: [], POOL: [], EXPLORE: [], RESERVE: []}
    threshold = k["FEED_EXPLORE_MATCH"]
    pool_match = k["FEED_POOL_MIN_MATCH"]
    for c in ranked:
        if c.in_pool and not profile.empty and c.match < pool_match:
            # A base-pool post is judged on people its interests match: it is not shown
            # to weaker matches, nor as exploration, so its first verdict is a fair one
            # (unless nothing else is left).
            out[RESERVE].append(c)
            continue
        if not profile.empty and c.match < threshold:
            if c.under_test:
                # A post whose tier is still measuring its audience is not shown as
                # exploration: strangers' indifference would decide its verdict.
                out[RESERVE].append(c)
                continue
            out[EXPLORE].append(c)
        elif c.in_pool:
            out[POOL].append(c)
        else:
            out[MAIN].append(c)
    # Every base-pool post gets its verdict soon: the ones furthest from their quota go
    # first (ties by rank), so a slow starter is not starved by a lucky one.
    out[POOL].sort(key=lambda c: c.pool_served)
    return out


@dataclass
class Slot:
    post_id: int
    lane: str


def mix(
    lanes_: dict[str, list[Candidate]],
    *,
    size: int,
    k: dict,
    history: list[tuple[int, int]] | None = None,
    fixed: dict[int, Slot] | None = None,
) -> list[Slot]:
    """Fill ``size`` slots from the lanes under the diversity rules; return them in order.

    ``history`` is the (author, channel) of the items served just before in the same
    session, so the rules hold across page boundaries. ``fixed`` maps slot positions to
    items another source has claimed (e.g. boosts): they are placed as given.
    """
    fixed = fixed or {}
    window = k["FEED_CHANNEL_WINDOW"]
    cap = k["FEED_MAX_PER_CHANNEL"]
    explore_every = max(2, round(1 / k["FEED_EXPLORATION_SHARE"])) if k["FEED_EXPLORATION_SHARE"] > 0 else 0
    pool_share = k["FEED_POOL_SHARE"]
    selling_share = k["FEED_SELLING_SHARE"]
    selling_gap = max(1, round(1 / selling_share)) if selling_share > 0 else 0
    last_selling = -(10**9)  # position of the last selling item placed
    selling_placed = 0
    queues = {name: deque(items) for name, items in lanes_.items()}
    used: set[int] = {s.post_id for s in fixed.values()}
    recent: deque[tuple[int, int]] = deque((history or [])[-window:], maxlen=window)
    in_window = Counter(ch for _, ch in recent)  # channel → items of it in ``recent``
    out: list[Slot] = []
    pool_served = 0
    organic = 0

    def push(author: int, channel: int) -> None:
        if not window:
            return
        if len(recent) == window:
            in_window[recent[0][1]] -= 1
        recent.append((author, channel))
        in_window[channel] += 1

    def allowed(c: Candidate, relax: int) -> bool:
        if c.post_id in used:
            return False
        # Never relaxed: a page that would sell more ends shorter (the feed is not a shop).
        # Spaced (one in any ``selling_gap`` items) and never ahead of the share (so a short
        # page or the start of a batch sells no more than its share either).
        if c.selling and selling_share < 1 and (
            not selling_gap
            or len(out) - last_selling < selling_gap
            or selling_placed + 1 > selling_share * (len(out) + 1) + 1e-9
        ):
            return False
        if relax < 2 and recent and recent[-1][0] == c.author_id:
            return False
        return relax >= 1 or in_window[c.channel_id] < cap

    def take(lane: str, relax: int) -> Candidate | None:
        q = queues.get(lane)
        if not q:
            return None
        for i, c in enumerate(q):
            if allowed(c, relax):
                del q[i]
                return c
        return None

    for position in range(size):
        if position in fixed:
            out.append(fixed[position])
            push(-1, -1)
            continue
        if explore_every and position % explore_every == explore_every - 1:
            order = [EXPLORE, MAIN, POOL]
        elif pool_share and pool_served < pool_share * (organic + 1):
            order = [POOL, MAIN, EXPLORE]
        else:
            order = [MAIN, POOL, EXPLORE]
        chosen, lane = None, None
        # Relax the channel cap, then the author rule, only when nothing else is left
        # (a young platform with few authors still fills its pages).
        # The reserve lane comes after the others, and before the diversity rules relax.
        for relax in (0, 1, 2):
            for name in [*order, RESERVE]:
                chosen = take(name, relax)
                if chosen:
                    lane = name
                    break
            if chosen:
                break
        if chosen is None:
            break
        used.add(chosen.post_id)
        if chosen.selling:
            last_selling = len(out)
            selling_placed += 1
        push(chosen.author_id, chosen.channel_id)
        out.append(Slot(chosen.post_id, lane))
        organic += 1
        if lane == POOL:
            pool_served += 1
    return out
