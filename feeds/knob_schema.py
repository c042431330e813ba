"""The schema of ``settings.ENGINE``: every knob's type, allowed range and meaning.

``engine_errors`` checks a settings block against it; ``feeds.checks`` runs that as a
Django system check, so a typo or an out-of-range value stops ``manage.py migrate`` (and
so ``make run``), ``runserver`` and ``check`` with the knob's name, instead of surfacing
deep in a feed request. A new knob needs a line here.

Kinds: ``int`` (a whole number), ``number`` (int or float), ``range`` (a pair low ≤
high), ``steps`` (a non-empty list of numbers, never falling), ``weights`` (a mapping
with exactly the given keys to numbers), ``words`` (a list of strings), ``bool`` (true or
false, nothing else). ``low`` and ``high`` bound every number the knob holds.
"""

from __future__ import annotations

from dataclasses import dataclass

INF = float("inf")


@dataclass(frozen=True)
class Knob:
    kind: str
    meaning: str
    low: float = 0
    high: float = INF
    keys: tuple[str, ...] = ()


SIGNALS = ("complete", "favourite", "share", "comment", "like", "read", "view",
           "quick_skip", "not_interested", "report", "search", "search_click",
           "product_click", "product_order")  # fmt: skip
RATES = ("like", "comment", "favourite", "share", "completion")
HOT_SIGNALS = ("like", "comment", "favourite", "share")

SCHEMA: dict[str, Knob] = {
    # signals
    "SIGNAL_WEIGHTS": Knob(
        "weights", "profile weight of each kind of feedback", -INF, INF, SIGNALS
    ),
    "QUICK_SKIP_SECONDS": Knob("number", "a view shorter than this is a quick skip"),
    "READ_SECONDS": Knob("number", "a view this long is a read"),
    "QUICK_SKIP_FRACTION": Knob(
        "number", "a video watched less than this share is a quick skip", 0, 1
    ),
    # quality at publish
    "QUALITY_THRESHOLD": Knob("number", "posts scoring under this do not enter the pools", 0, 1),
    "QUALITY_TITLE_CHARS": Knob("range", "title length that scores fully"),
    "QUALITY_BODY_CHARS": Knob("range", "body length that scores fully"),
    "QUALITY_VIDEO_SECONDS": Knob("range", "video length that scores fully"),
    "QUALITY_TAGS": Knob("range", "tag count that scores fully"),
    "QUALITY_BANNED_WORDS": Knob("words", "words that mark a post as spam"),
    "QUALITY_MAX_LINKS": Knob("int", "links a post may carry before it counts as spam"),
    "QUALITY_DUPLICATE_MAX_DISTANCE": Knob(
        "int", "SimHash bits within which a post is a near-duplicate", 0, 64
    ),
    # traffic pools
    "POOL_QUOTAS": Knob("steps", "impressions of each pool tier", 1),
    "POOL_BASE_QUOTA_RANGE": Knob("range", "the base pool's quota after account weight", 1),
    "POOL_HOT_TIER": Knob("int", "the tier a post reaches past the last quota (hot)", 1),
    "POOL_WINDOW_HOURS": Knob(
        "number", "a tier's verdict comes at the latest this long after entry", 1
    ),
    "POOL_SMOOTHING_IMPRESSIONS": Knob("number", "strength of the prior when rates are smoothed"),
    "POOL_PRIOR_RATES": Knob("weights", "platform prior of each rate", 0, 1, RATES),
    "POOL_PROMOTE_ENGAGEMENT": Knob("steps", "weighted engagement a tier must beat, per tier"),
    "POOL_PROMOTE_COMPLETION": Knob("steps", "completion a video must beat, per tier", 0, 1),
    "POOL_PROMOTE_CONVERSION": Knob("steps", "orders per impression a selling post is judged against, per tier", 0, 1),
    "POOL_CONVERSION_PRIOR": Knob("number", "platform prior of a selling post's orders per impression", 0, 1),
    "POOL_CONVERSION_WEIGHT": Knob("number", "how much conversion counts toward engagement (0: off)", 0, 100),
    "POOL_VERDICT_Z": Knob("number", "standard errors a base-pool verdict needs (0: off)", 0, 10),
    "POOL_BASE_EXTENSIONS": Knob("int", "extra base quotas a close call may get", 0, 100),
    "POOL_MIN_EVIDENCE": Knob("number", "share of a tier's quota served before its window may decide", 0, 1),
    "POOL_EVIDENCE_MAX_WINDOWS": Knob("int", "windows a tier waits for that evidence before the test expires", 1, 100),
    "POOL_EARLY_PROMOTE_Z": Knob(
        "number", "standard errors for an early promotion (0: off)", 0, 10
    ),
    "POOL_EARLY_PROMOTE_SHARE": Knob(
        "number", "share of the quota before an early promotion", 0, 1
    ),
    "POOL_EARLY_STOP_IMPRESSIONS": Knob("int", "impressions before the early like-rate stop"),
    "POOL_EARLY_STOP_LIKE_RATE": Knob("number", "like rate under which a post stops early", 0, 1),
    "POOL_NEGATIVE_MIN_IMPRESSIONS": Knob("int", "impressions before the negative-feedback stops"),
    "POOL_REPORT_RATE_LIMIT": Knob("number", "report rate that stops a post and queues it", 0, 1),
    "POOL_REPORT_MIN_COUNT": Knob("int", "reports needed for the report stop", 1),
    "POOL_QUICK_SKIP_RATE_LIMIT": Knob("number", "quick-skip rate that stops a post", 0, 1),
    "POOL_NOT_INTERESTED_RATE_LIMIT": Knob("number", "not-interested rate that stops a post", 0, 1),
    # hot lists and trending
    "HOT_WINDOW_HOURS": Knob("number", "hot lists hold posts this young", 1),
    "HOT_GRAVITY": Knob("number", "exponent of the age decay of hot scores", 0, 10),
    "HOT_LIST_SIZE": Knob("int", "posts kept per hot list", 1),
    "HOT_TOP_DIVERSITY": Knob("int", "the top of a hot list where diversity rules hold"),
    "HOT_MAX_PER_CHANNEL_IN_TOP": Knob("int", "posts of one channel in that top", 1),
    "HOT_ENGAGEMENT_WEIGHTS": Knob(
        "weights", "weight of each reaction in a hot score", 0, INF, HOT_SIGNALS
    ),
    "TRENDING_RECENT_HOURS": Knob("number", "the recent window of trending tags", 1),
    "TRENDING_BASELINE_DAYS": Knob("number", "the baseline a tag's rise is measured against", 1),
    "TRENDING_MIN_RECENT": Knob("int", "recent uses a trending tag needs", 1),
    "TRENDING_SIZE": Knob("int", "trending tags listed", 1),
    # account weight
    "WEIGHT_RANGE": Knob("range", "account weight is clamped to this", 0),
    "WEIGHT_RECENT_POSTS": Knob("int", "recent posts that measure an author's performance", 1),
    "WEIGHT_RECENT_DAYS": Knob("number", "how far back those posts go", 1),
    "WEIGHT_ACTIVE_DAYS": Knob("number", "a follower active this recently counts as active", 1),
    "WEIGHT_VIOLATION_DAYS": Knob("number", "upheld violations count this long", 1),
    "WEIGHT_VIOLATION_FACTOR": Knob("number", "each violation multiplies the weight by this", 0, 1),
    # interest profiles
    "INTEREST_HALF_LIFE_DAYS": Knob("number", "affinities halve in this time", 0.01),
    "INTEREST_SEED_SCORE": Knob("number", "affinity of a channel picked at onboarding"),
    "INTEREST_CHANNEL_SHARE": Knob("number", "share of a post's signal its channel gets", 0, 1),
    "INTEREST_MIN_SCORE": Knob("number", "smaller affinities are forgotten"),
    "INTEREST_PICK_FLOOR": Knob("number", "lowest score decay leaves an onboarding pick", 0),
    "INTEREST_HELD_DAYS": Knob("number", "first-to-latest signal span that makes an interest long-held", 0),
    "INTEREST_HELD_MIN_PEAK": Knob("number", "score a long-held interest must have reached", 0),
    "INTEREST_HELD_FLOOR_SHARE": Knob("number", "share of its peak a long-held interest keeps", 0, 1),
    # discover feed
    "FEED_PAGE_SIZE": Knob("int", "items in a feed page", 1),
    "FEED_BATCH_SIZE": Knob("int", "items ranked and mixed at once for a session", 1),
    "FEED_SESSION_MINUTES": Knob("number", "a session's ranked order is kept this long", 1),
    "FEED_SEEN_DAYS": Knob("number", "a served post is not recommended again this long", 0),
    "FEED_SEEN_MAX": Knob("int", "served posts remembered per user", 1),
    "FEED_CANDIDATES_PER_SOURCE": Knob("int", "candidates each source brings", 1),
    "FEED_INTEREST_TOP_CHANNELS": Knob("int", "channels of a profile the interest source reads", 1),
    "FEED_INTEREST_TOP_TAGS": Knob("int", "tags of a profile the interest source reads", 0),
    "FEED_RECENT_DAYS": Knob("number", "interest candidates are this young", 1),
    "FEED_COENGAGEMENT_SEEDS": Knob("int", "recent likes that seed co-engagement", 0),
    "FEED_NEARBY_KM": Knob("number", "widest radius of discover's nearby source (searched from NEARBY_RADII_KM steps up)", 0),
    "FEED_INTEREST_FLOOR": Knob("number", "interest factor of a post outside every interest", 0, 1),
    "FEED_EXPLORE_MATCH": Knob("number", "a post matching less is exploration", 0, 1),
    "FEED_PARENT_MATCH": Knob("number", "how much a parent channel's interest counts", 0, 1),
    "FEED_TAG_SPECIFIC_SHARE": Knob("number", "a tag on more of the posts counts less", 0.0001, 1),
    "FEED_TAG_CORPUS_FLOOR": Knob("int", "least corpus size for tag specificity", 1),
    "FEED_TAG_LIFT_PRIOR": Knob("number", "prior of the tag lift (0: off)"),
    "FEED_TAG_LIFT_RANGE": Knob("range", "the tag lift is clipped to this", 0),
    "FEED_EXPLORATION_SHARE": Knob("number", "share of slots outside the interests", 0, 1),
    "FEED_POOL_SHARE": Knob("number", "share of the other slots for base-pool posts", 0, 1),
    "FEED_POOL_MIN_MATCH": Knob(
        "number", "a pool post is shown only to viewers it matches this well", 0, 1
    ),
    "FEED_MAX_PER_CHANNEL": Knob("int", "items of one channel per window", 1),
    "FEED_CHANNEL_WINDOW": Knob("int", "consecutive items the channel rule counts over", 1),
    "FEED_FRESHNESS_HALF_LIFE_HOURS": Knob("number", "freshness halves in this time", 0.01),
    "FEED_FRESHNESS_FLOOR": Knob("number", "freshness never falls under this", 0, 1),
    "FEED_FRESHNESS_RELEVANT_FLOOR": Knob("number", "freshness floor at a full interest match", 0, 1),
    "FEED_SELLING_SHARE": Knob("number", "share of a discover page that may sell (1: no cap)", 0, 1),
    "FEED_CONVERSION_RANK_WEIGHT": Knob(
        "number", "ranking lift of expected conversion for viewers with buying interest (0: off)", 0, 100
    ),
    "FEED_STOPPED_FACTOR": Knob("number", "ranking factor of a post the pools stopped", 0, 1),
    "FEED_AUTHOR_PRIOR_STRENGTH": Knob(
        "number", "strength of the author prior, × the pools' (0: platform prior)"
    ),
    "FEED_FALLBACK_CURSOR_IDS": Knob("int", "ids a cursor carries without Redis", 1),
    "FEED_CARD_CACHE_SECONDS": Knob("int", "life of a rendered API card in Redis (0: off)"),
    "FEED_EXCLUSIONS_CACHE_SECONDS": Knob("int", "life of a viewer's kept exclusions (0: off)"),
    # follow, nearby, co-engagement
    "INBOX_SIZE": Knob("int", "posts kept per follow inbox", 1),
    "OUTBOX_SIZE": Knob("int", "posts kept per author outbox", 1),
    "FANOUT_MAX_FOLLOWERS": Knob("int", "above this, an author's posts merge at read time", 1),
    "NEARBY_RADII_KM": Knob("steps", "radii nearby widens through", 0.001, 20040),
    "COENGAGEMENT_DAYS": Knob("number", "likes this recent feed co-engagement", 1),
    "COENGAGEMENT_LIKERS": Knob("int", "likers of a post co-engagement reads", 1),
    "COENGAGEMENT_SIZE": Knob("int", "co-engaged posts kept per post", 1),
    # moderation
    "REVIEW_FIRST_POSTS": Knob("int", "an account's first posts wait for review (0: off)"),
    # boosts
    "BOOST_LIVE_CACHE_SECONDS": Knob("number", "seconds a process reuses the live boosts it read (a new order: at once)", 0),
    "BOOST_PRICE_PER_THOUSAND": Knob("int", "credits per 1 000 boosted impressions", 1),
    "BOOST_IMPRESSIONS_RANGE": Knob("range", "budget of an order, in impressions", 1),
    "BOOST_HOURS_RANGE": Knob("range", "duration of an order", 1),
    "BOOST_RADIUS_KM_RANGE": Knob("range", "radius of a place-targeted order", 0.001),
    "COMMERCE_PRODUCTS_PER_POST": Knob("int", "products one post may carry", 1, 20),
    "COMMERCE_PRICE_RANGE": Knob("range", "a product's price, in whole 分", 1),
    "COMMERCE_STOCK_RANGE": Knob("range", "a product's stock"),
    "COMMERCE_QUANTITY_RANGE": Knob("range", "items in one order", 1),
    "BOOST_TOPUP_RANGE": Knob("range", "one top-up, in credits", 1),
    "BOOST_FOLLOWER_CHANNELS": Knob("int", "followers' top channels a followers boost targets", 1),
    "BOOST_EVERY": Knob("int", "at most one boosted item in this many", 1),
    "BOOST_FIRST_POSITION": Knob("int", "earliest slot of a viewer's first boosted item"),
    "BOOST_FREQUENCY_CAP": Knob("int", "times one viewer sees one boost", 1),
    "BOOST_PACING_SLACK": Knob("number", "share of budget a boost may run ahead of pace", 0, 1),
    # beat periods, seconds
    "PERIOD_POOLS": Knob("number", "pool evaluation period", 1),
    "PERIOD_HOT": Knob("number", "hot-list recompute period", 1),
    "PERIOD_WEIGHTS": Knob("number", "account-weight recompute period", 1),
    "PERIOD_INTERESTS": Knob("number", "interest decay period", 1),
    "PERIOD_COENGAGEMENT": Knob("number", "co-engagement recompute period", 1),
    "PERIOD_BOOSTS": Knob("number", "boost closing period", 1),
    "PERIOD_SEARCH_HOT": Knob("number", "hot-search recompute period", 1),
    "PERIOD_SEARCH_TIERS": Knob("number", "period of re-sorting search documents into tiers", 1),
    # Search 搜索 (search/ranking.py, docs/search.md).
    "SEARCH_READ": Knob("int", "matches a query reads in index order, with their text scores", 10, 100_000),
    "SEARCH_CANDIDATES": Knob("int", "of those, the best by text × tier: ranked, filtered and sorted", 10, 10_000),
    "SEARCH_PRIOR_ENGAGED": Knob("number", "smoothing: engagements a post starts with", 0),
    "SEARCH_PRIOR_VIEWS": Knob("number", "smoothing: views a post starts with", 1),
    "SEARCH_ENGAGEMENT_WEIGHT": Knob("number", "relevance × (1 + this × engagement rate)", 0),
    "SEARCH_FRESHNESS_FLOOR": Knob("number", "the share of its place the oldest post keeps", 0, 1),
    "SEARCH_HALF_LIFE_DAYS": Knob("number", "half-life of search freshness", 0.1),
    "SEARCH_QUALITY_WEIGHT": Knob("number", "relevance × (1 − this × (1 − quality))", 0, 1),
    "SEARCH_INTEREST_WEIGHT": Knob("number", "relevance × (1 + this × the searcher's interest)", 0),
    "SEARCH_LIMITED_FACTOR": Knob("number", "limited posts' relevance multiplier", 0, 1),
    "SEARCH_NEARBY_KM": Knob("number", "radius of a search given a location", 0.1, 20_000),
    "SEARCH_HOT_RECENT_HOURS": Knob("number", "hot searches: the recent window", 0.1),
    "SEARCH_HOT_BASELINE_DAYS": Knob("number", "hot searches: the baseline before it", 0.1),
    "SEARCH_HOT_MIN_SEARCHERS": Knob("int", "hot searches: distinct searchers needed", 1),
    "SEARCH_HOT_SIZE": Knob("int", "hot searches listed", 1, 100),
    # Engagement bursts (content/services/bursts.py, docs/engagement.md); 0 turns a screen off.
    "ENGAGEMENT_BURST_WINDOW_SECONDS": Knob("number", "the burst screen's sliding window (0: both screens off)", 0),
    "ENGAGEMENT_BURST_ACCOUNT_EVENTS": Knob("int", "events from one account in the window that make a burst", 0),
    "ENGAGEMENT_BURST_ADDRESS_EVENTS": Knob("int", "events from one address in the window that make a burst", 0),
    # The learned stage (feeds/engine/learned.py, docs/learned.md).
    "LEARNED_DAYS": Knob("number", "engagement this recent is learned from", 1),
    "LEARNED_MIN_PAIRS": Knob("int", "fewer (person, post) pairs than this: no model", 1),
    "LEARNED_FACTORS": Knob("int", "length of each person's and post's vector", 2, 512),
    "LEARNED_REGULARIZATION": Knob("number", "ALS regularisation", 0),
    "LEARNED_ITERATIONS": Knob("int", "ALS sweeps", 1, 200),
    "LEARNED_ALPHA": Knob("number", "confidence per unit of signal weight", 0),
    "LEARNED_THREADS": Knob("int", "training threads", 1, 64),
    "LEARNED_KEEP": Knob("int", "trained models kept", 1, 20),
    "LEARNED_CANDIDATES": Knob("int", "size of the learned candidate source (0: off)", 0, 10_000),
    "LEARNED_CANDIDATE_DAYS": Knob("number", "the source offers posts this recent", 0.1),
    "LEARNED_MIN_PREDICTION": Knob("number", "the source leaves out weaker predictions", 0, 1),
    "LEARNED_WEIGHT": Knob("number", "ranking lift per unit of prediction (0: off)", 0),
    "LEARNED_ORDER_BY_PREDICTION": Knob(
        "bool", "the model's candidates fill their lane places in prediction order"
    ),
    "PERIOD_LEARNED": Knob("number", "learned-stage training period", 1),
    # Self-healing Redis (feeds/services/healing.py, docs/operations.md).
    "PERIOD_HEAL": Knob("number", "seconds between checks that Redis holds every structure", 1),
    "HEAL_LOCK_SECONDS": Knob("number", "the longest one heal may hold its lock", 1),
    "HEAL_MISSING_SLACK": Knob("int", "entries Redis may lack against the database (writes in flight)", 0),
    "FANOUT_REPAIR_MINUTES": Knob("number", "how far back finished fan-outs are checked", 1),
    "FANOUT_REPAIR_GRACE_SECONDS": Knob("number", "how long a post's own fan-out gets before the check redoes it", 0),
    # Notifications (notifications/, content/mentions.py, docs/notifications.md).
    "MENTIONS_PER_COMMENT_MAX": Knob("int", "@names of one comment looked up and notified (the rest stay text)", 0, 100),
    "PERIOD_NOTIFY_SWEEP": Knob("number", "seconds between sweeps of the notification outbox", 1),
    "NOTIFY_SWEEP_GRACE_SECONDS": Knob("number", "how long a notification's own delivery task gets before the sweep delivers it", 0),
}


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _numbers(name: str, knob: Knob, value) -> tuple[list[float], str | None]:
    """Return the numbers ``value`` holds for ``knob``, or a message saying why it is wrong."""
    kind = knob.kind
    if kind == "int":
        if not isinstance(value, int) or isinstance(value, bool):
            return [], f"must be a whole number, not {value!r}"
        return [value], None
    if kind == "number":
        return ([value], None) if _is_number(value) else ([], f"must be a number, not {value!r}")
    if kind == "range":
        if (
            not isinstance(value, list | tuple)
            or len(value) != 2
            or not all(map(_is_number, value))
        ):
            return [], f"must be a pair (low, high) of numbers, not {value!r}"
        if value[0] > value[1]:
            return [], f"must have low ≤ high, not {value!r}"
        return list(value), None
    if kind == "steps":
        if not isinstance(value, list | tuple) or not value or not all(map(_is_number, value)):
            return [], f"must be a non-empty list of numbers, not {value!r}"
        if any(b < a for a, b in zip(value, value[1:], strict=False)):
            return [], f"must never fall from one step to the next, not {value!r}"
        return list(value), None
    if kind == "weights":
        if not isinstance(value, dict) or set(value) != set(knob.keys):
            got = sorted(value) if isinstance(value, dict) else value
            return [], f"must map exactly {', '.join(knob.keys)} to numbers, not {got!r}"
        if not all(map(_is_number, value.values())):
            return [], f"must map each key to a number, not {value!r}"
        return list(value.values()), None
    if kind == "bool":
        if not isinstance(value, bool):
            return [], f"must be true or false, not {value!r}"
        return [], None
    if kind == "words":
        if not isinstance(value, list | tuple) or not all(isinstance(w, str) and w for w in value):
            return [], f"must be a list of words, not {value!r}"
        return [], None
    raise ValueError(f"{name}: unknown kind {kind!r} in the schema")


def engine_errors(engine: dict) -> list[tuple[str, str]]:
    """Return ``(knob, message)`` for every problem of ``engine``: each knob on its own,
    then, when those are right, between knobs."""
    return knob_errors(engine) or consistency_errors(engine)


def knob_errors(engine: dict) -> list[tuple[str, str]]:
    """Return ``(knob, message)`` for every knob that is unknown, missing or wrong."""
    errors = []
    for name in sorted(set(engine) - set(SCHEMA)):
        errors.append(
            (
                name,
                "is not an engine knob (a typo? a new knob needs a line in feeds/knob_schema.py)",
            )
        )
    for name in sorted(set(SCHEMA) - set(engine)):
        errors.append((name, f"is missing ({SCHEMA[name].meaning})"))
    for name, knob in SCHEMA.items():
        if name not in engine:
            continue
        numbers, problem = _numbers(name, knob, engine[name])
        if problem is None:
            outside = [n for n in numbers if not knob.low <= n <= knob.high]
            if outside:
                problem = f"must lie in [{knob.low:g}, {knob.high:g}], not {engine[name]!r}"
        if problem:
            errors.append((name, f"{problem} ({knob.meaning})"))
    return errors


def consistency_errors(k: dict) -> list[tuple[str, str]]:
    """Return ``(knob, message)`` for knobs that disagree (each one right on its own)."""
    errors = []
    tiers = len(k["POOL_QUOTAS"])
    if k["POOL_HOT_TIER"] > tiers:
        errors.append(("POOL_HOT_TIER", f"must be at most the number of POOL_QUOTAS ({tiers})"))
    for name in ("POOL_PROMOTE_ENGAGEMENT", "POOL_PROMOTE_COMPLETION", "POOL_PROMOTE_CONVERSION"):
        if len(k[name]) != tiers:
            errors.append(
                (name, f"must give one bar per tier of POOL_QUOTAS ({tiers}), not {len(k[name])}")
            )
    if k["FEED_MAX_PER_CHANNEL"] > k["FEED_CHANNEL_WINDOW"]:
        errors.append(("FEED_MAX_PER_CHANNEL", "must be at most FEED_CHANNEL_WINDOW"))
    return errors
