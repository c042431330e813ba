"""The standard recommenders the served page is measured against.

Each sees what the engine saw up to the day boundary (the positives so far, the items
published so far) and serves ten items to a person, leaving out everything the person
met before (the same exclusions for all). Item-kNN scores an item by its cosine
similarity to each of the person's positives, summed; the matrix factorisation is
``implicit``'s alternating least squares on the positives.
"""

from __future__ import annotations

import bisect
import random
import time
import warnings
from collections import Counter, defaultdict

import numpy as np
from scipy import sparse

RANDOM, MOST_LIKED, RECENT, KNN, ALS = (
    "random",
    "most_liked",
    "most_liked_recent",
    "item_knn",
    "als",
)
NAMES = (RANDOM, MOST_LIKED, RECENT, KNN, ALS)


class Baselines:
    """Collect the log as it is replayed; serve each baseline's page at a day boundary."""

    def __init__(
        self, *, recent_days: int = 30, seed: int = 1, factors: int = 32, iterations: int = 10
    ):
        self.recent_seconds = recent_days * 86400
        self.rng = random.Random(seed)
        self.seed = seed
        self.factors, self.iterations = factors, iterations
        self.items: list[str] = []  # published, in order
        self.item_index: dict[str, int] = {}
        self.liked_ts: list[float] = []  # positives in time order
        self.liked: list[tuple[str, int]] = []  # (user, item index), same order
        self.likes_ever: Counter = Counter()
        self._day: dict = {}

    def publish(self, item: str) -> None:
        if item not in self.item_index:
            self.item_index[item] = len(self.items)
            self.items.append(item)

    def positive(self, user: str, item: str, ts: float) -> None:
        index = self.item_index[item]
        self.liked_ts.append(ts)
        self.liked.append((user, index))
        self.likes_ever[index] += 1

    # ---------------------------------------------------------------- a day boundary
    def prepare(self, now: float, users: set[str]) -> None:
        """Fit what each baseline needs on everything before ``now``, for ``users``."""
        from implicit.als import AlternatingLeastSquares
        from threadpoolctl import threadpool_limits

        n_items = len(self.items)
        start = bisect.bisect_left(self.liked_ts, now - self.recent_seconds)
        recent = Counter(index for _, index in self.liked[start:])
        people = sorted({u for u, _ in self.liked} | users)
        row = {u: r for r, u in enumerate(people)}
        pairs = set((row[u], i) for u, i in self.liked)
        rows = np.fromiter((r for r, _ in pairs), dtype=np.int32, count=len(pairs))
        cols = np.fromiter((i for _, i in pairs), dtype=np.int32, count=len(pairs))
        matrix = sparse.csr_matrix(
            (np.ones(len(pairs), dtype=np.float32), (rows, cols)), shape=(len(people), n_items)
        )
        counts = np.asarray(matrix.sum(axis=0)).ravel()
        norms = np.sqrt(np.maximum(counts, 1.0))
        model = None
        if matrix.nnz:
            with threadpool_limits(1, "blas"), warnings.catch_warnings():
                warnings.simplefilter(
                    "ignore", RuntimeWarning
                )  # implicit's advice on BLAS threads, followed
                model = AlternatingLeastSquares(
                    factors=self.factors,
                    iterations=self.iterations,
                    regularization=0.05,
                    random_state=self.seed,
                    num_threads=1,
                )
                model.fit(matrix, show_progress=False)

        def order(counter) -> list:
            return [i for i, _ in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))]

        self._day = {
            "matrix": matrix,
            "row": row,
            "norms": norms,
            "model": model,
            MOST_LIKED: order(self.likes_ever),
            RECENT: order(recent),
        }

    def page(self, name: str, user: str, exclude: set[str], size: int = 10) -> list[str]:
        """Return baseline ``name``'s page of ``size`` items for ``user``."""
        skip = {self.item_index[i] for i in exclude if i in self.item_index}
        day = self._day
        if name == RANDOM:
            pool = [i for i in range(len(self.items)) if i not in skip]
            chosen = self.rng.sample(pool, min(size, len(pool)))
        elif name in (MOST_LIKED, RECENT):
            chosen = []
            for i in day[name]:
                if i not in skip:
                    chosen.append(i)
                    if len(chosen) == size:
                        break
        else:
            scores = self._scores(name, user)
            if scores is None:
                return []
            scores = scores.astype(np.float64)
            if skip:
                scores[list(skip)] = -np.inf
            top = np.argpartition(-scores, min(size, len(scores) - 1))[:size]
            chosen = [int(i) for i in sorted(top, key=lambda i: (-scores[i], i)) if scores[i] > 0]
        return [self.items[i] for i in chosen]

    def _scores(self, name: str, user: str):
        day = self._day
        r = day["row"].get(user)
        matrix = day["matrix"]
        if r is None or not matrix.nnz:
            return None
        if name == KNN:
            mine = matrix[r].multiply(1 / day["norms"]).tocsr()  # x_u / sqrt(n_i)
            people = matrix @ mine.T  # how much each person shares with this one's positives
            return np.asarray((matrix.T @ people).todense()).ravel() / day["norms"]
        model = day["model"]
        return model.item_factors @ model.user_factors[r]


def baseline_pages(
    rows: list,
    days: dict[int, dict[str, set[str]]],
    *,
    watch_positive: float,
    recent_days: int,
    seed: int,
    size: int,
) -> tuple[dict[str, list[list[str]]], dict[str, float]]:
    """Every baseline's page for every scored (person, day) pair, from the log alone.

    The baselines see only the log (what was published, met and liked before each day
    boundary), never the engine, so the replay runs this in a process of its own beside
    the engine's. Pages come in the engine's order (scored days in time order, people
    sorted within a day), so they line up with its pages. Returns the pages and the
    seconds spent (wall: fitting, serving; and this process's CPU).
    """
    from lab.replay.protocol import DAY, is_positive

    cpu = time.process_time()
    baselines = Baselines(recent_days=recent_days, seed=seed)
    met: dict[str, set[str]] = defaultdict(set)
    pages: dict[str, list[list[str]]] = {name: [] for name in NAMES}
    timing: Counter = Counter()
    scored, next_day = sorted(days), 0
    for row in rows:
        day = int(row.ts // DAY)
        while next_day < len(scored) and scored[next_day] <= day:
            people = days[scored[next_day]]
            started = time.perf_counter()
            baselines.prepare(scored[next_day] * DAY, set(people))
            timing["baselines:fit"] += time.perf_counter() - started
            started = time.perf_counter()
            for person in sorted(people):
                for name in NAMES:
                    pages[name].append(baselines.page(name, person, met[person], size))
            timing["baselines:pages"] += time.perf_counter() - started
            next_day += 1
        baselines.publish(row.item)
        met[row.user].add(row.item)
        if is_positive(row, watch_positive):
            baselines.positive(row.user, row.item, row.ts)
    timing["baselines:cpu"] = time.process_time() - cpu
    return pages, dict(timing)
