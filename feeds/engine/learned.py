"""The learned stage: collaborative signals from implicit ALS. Plain values only.

People's engagement with posts becomes a sparse user × post matrix of *confidences*
(``1 + LEARNED_ALPHA × the signal-weighted sum of what they did``, the weights are
``SIGNAL_WEIGHTS``); alternating least squares (Hu, Koren and Volinsky 2008, via the
``implicit`` library) factorises it into a vector per person and a vector per post whose
dot product predicts how much that person would engage with that post (about 0 to 1).

The discover feed uses that prediction twice (``feeds.services.learned``): as a candidate
source, the posts with the highest prediction that the person has not engaged with yet
("people like you engaged with"), and as a ranking lift
``score × (1 + LEARNED_WEIGHT × prediction)``, so the hand-set score stays
what it was and the model only adds to it. With ``LEARNED_ORDER_BY_PREDICTION`` on, a
third use: the places the source's posts hold in a lane are filled in prediction order
(``in_prediction_order``).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

# Events that count toward a (person, post) weight, mapped to a SIGNAL_WEIGHTS key (views
# are mapped by ``signal_of``). Unlike / unfavourite take the like / favourite back.
KIND_SIGNAL = {"like": "like", "favourite": "favourite", "comment": "comment", "share": "share"}
TAKEN_BACK = {"unlike": "like", "unfavourite": "favourite"}
NEGATIVE = {"not_interested", "report"}


def signal_of(kind: str, seconds: float | None, completed: bool, read_seconds: float) -> str | None:
    """Return the SIGNAL_WEIGHTS key an event counts as for the model (None: ignored).

    Impressions and glances are left out: the model learns from what people chose to do,
    not from what they were shown.
    """
    if kind in KIND_SIGNAL:
        return KIND_SIGNAL[kind]
    if kind == "view":
        if completed:
            return "complete"
        if seconds is not None and seconds >= read_seconds:
            return "read"
    return None


def triples_from_events(
    events: Iterable[tuple[int, int, str, float | None, bool]],
    signal_weights: dict[str, float],
    read_seconds: float,
) -> list[tuple[int, int, float]]:
    """Return (user, post, weight) triples from (user, post, kind, seconds, completed) events.

    Events come oldest first. Each kind of signal counts once per person and post (fifty
    shares from one account are one share), and an unlike or unfavourite takes the like
    or favourite back; a pair's weight is the sum of its signals' weights. A pair with a
    not-interested mark or a report is left out altogether (the model must not learn to
    offer it), as is a pair whose weight comes to zero or less.
    """
    # Each pair's signals as the bits of one int (a set per pair took twice the memory at
    # 700 000 pairs, bench/learned.json).
    bit = {name: 1 << i for i, name in enumerate(signal_weights)}
    signals: dict[tuple[int, int], int] = defaultdict(int)
    refused: set[tuple[int, int]] = set()
    for user, post, kind, seconds, completed in events:
        pair = (user, post)
        if kind in NEGATIVE:
            refused.add(pair)
        elif kind in TAKEN_BACK:
            signals[pair] &= ~bit[TAKEN_BACK[kind]]
        else:
            signal = signal_of(kind, seconds, completed, read_seconds)
            if signal is not None:
                signals[pair] |= bit[signal]
    out = []
    for pair, bits in signals.items():
        weight = sum(w for name, w in signal_weights.items() if bits & bit[name])
        if weight > 0 and pair not in refused:
            out.append((pair[0], pair[1], weight))
    return out


@dataclass
class Factors:
    """A trained model: a row of ``user_factors`` per id in ``user_ids``, same for items.

    ``engaged_indptr`` / ``engaged_rows`` hold, CSR-style, the item rows each user row
    learned from (what that person already engaged with), so the model's candidates
    never offer a person what they engaged with; empty when unknown (a model saved
    before they were kept).
    """

    user_ids: np.ndarray  # int64
    user_factors: np.ndarray  # float32, users × factors
    item_ids: np.ndarray  # int64
    item_factors: np.ndarray  # float32, items × factors
    engaged_indptr: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    engaged_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))

    def engaged(self, user_row: int) -> np.ndarray:
        """Return the item rows user row ``user_row`` learned from (empty when not kept)."""
        if len(self.engaged_indptr) <= user_row + 1:
            return self.engaged_rows[:0]
        return self.engaged_rows[self.engaged_indptr[user_row] : self.engaged_indptr[user_row + 1]]

    def user_row(self, user_id: int) -> int | None:
        """Return the row of ``user_id`` in ``user_factors`` (None: not in the model)."""
        i = int(np.searchsorted(self.user_ids, user_id))
        return i if i < len(self.user_ids) and self.user_ids[i] == user_id else None

    def item_rows(self, item_ids: Iterable[int]) -> dict[int, int]:
        """Return ``{item id: row}`` for the ids in the model."""
        ids = np.fromiter(item_ids, dtype=np.int64)
        rows = np.searchsorted(self.item_ids, ids)
        rows = np.minimum(rows, max(len(self.item_ids) - 1, 0))
        found = (self.item_ids[rows] == ids) if len(self.item_ids) else np.zeros(len(ids), bool)
        return {int(i): int(r) for i, r, ok in zip(ids, rows, found, strict=True) if ok}


def confidence_matrix(triples: list[tuple[int, int, float]], alpha: float):
    """Return (user ids, item ids, user × item CSR matrix of confidences) for the triples.

    Ids come back sorted, so a row is found by binary search (``Factors.user_row``).
    """
    from scipy.sparse import csr_matrix

    users = np.fromiter((t[0] for t in triples), dtype=np.int64, count=len(triples))
    items = np.fromiter((t[1] for t in triples), dtype=np.int64, count=len(triples))
    weights = np.fromiter((t[2] for t in triples), dtype=np.float32, count=len(triples))
    user_ids, user_rows = np.unique(users, return_inverse=True)
    item_ids, item_rows = np.unique(items, return_inverse=True)
    matrix = csr_matrix(
        (1.0 + alpha * weights, (user_rows, item_rows)),
        shape=(len(user_ids), len(item_ids)),
        dtype=np.float32,
    )
    matrix.sum_duplicates()
    return user_ids, item_ids, matrix


def train(
    triples: list[tuple[int, int, float]],
    *,
    factors: int,
    regularization: float,
    iterations: int,
    alpha: float,
    threads: int = 1,
    seed: int = 0,
) -> Factors | None:
    """Factorise the triples with implicit ALS; return None when there is nothing to learn."""
    if not triples:
        return None
    from implicit.cpu.als import AlternatingLeastSquares

    user_ids, item_ids, matrix = confidence_matrix(triples, alpha)
    # implicit asks for single-threaded BLAS: its own threads do the parallel work.
    with one_blas_thread():
        model = AlternatingLeastSquares(
            factors=factors,
            regularization=regularization,
            iterations=iterations,
            num_threads=threads,
            random_state=seed,
        )
        model.fit(matrix, show_progress=False)
    return Factors(
        user_ids=user_ids,
        user_factors=np.asarray(model.user_factors, dtype=np.float32),
        item_ids=item_ids,
        item_factors=np.asarray(model.item_factors, dtype=np.float32),
        engaged_indptr=matrix.indptr.astype(np.int32),
        engaged_rows=matrix.indices.astype(np.int32),
    )


def predictions(model: Factors, user_id: int, item_ids: Iterable[int]) -> dict[int, float]:
    """Return the model's prediction, clipped to [0, 1], for each of ``item_ids`` it knows."""
    row = model.user_row(user_id)
    if row is None:
        return {}
    rows = model.item_rows(item_ids)
    if not rows:
        return {}
    with one_blas_thread():
        scores = model.item_factors[list(rows.values())] @ model.user_factors[row]
    return {pid: float(min(1.0, max(0.0, s))) for pid, s in zip(rows, scores, strict=True)}


def top_items(
    model: Factors,
    user_id: int,
    n: int,
    *,
    allowed: np.ndarray | None = None,
    skip: Iterable[int] = (),
    min_prediction: float = 0.0,
) -> list[int]:
    """Return the ``n`` item ids the model predicts highest for ``user_id`` (best first).

    ``allowed`` is a boolean mask over ``model.item_ids`` (e.g. recent posts only); ids in
    ``skip`` are never returned, nor what the person already engaged with (the model's
    own training pairs: offering it again would be a repeat, however well it predicts),
    nor items predicted at ``min_prediction`` or below.
    """
    row = model.user_row(user_id)
    if row is None or n <= 0 or not len(model.item_ids):
        return []
    with one_blas_thread():
        scores = model.item_factors @ model.user_factors[row]
    keep = scores > min_prediction
    if allowed is not None:
        keep &= allowed
    skip_rows = list(model.item_rows(skip).values())
    keep[skip_rows] = False
    keep[model.engaged(row)] = False
    candidates = np.flatnonzero(keep)
    if len(candidates) > n:
        candidates = candidates[np.argpartition(-scores[candidates], n - 1)[:n]]
    order = candidates[np.argsort(-scores[candidates], kind="stable")]
    return [int(model.item_ids[i]) for i in order]


@functools.cache
def _blas():
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()  # finds the loaded BLAS libraries once per process


def one_blas_thread():
    """Return a context that runs BLAS on one thread.

    A matrix-vector product is ~1 ms on one thread at 100 000 posts; OpenBLAS's own
    threads, on a machine whose cores are busy serving, made it ten times slower
    (measured by ``bin/bench-learned``).
    """
    return _blas().limit(limits=1, user_api="blas")


def lift(score: float, prediction: float, weight: float) -> float:
    """Return a hand-set score with the model's prediction added: ``× (1 + weight × p)``."""
    return score * (1.0 + weight * prediction)


def in_prediction_order(
    ids: Sequence[int], chosen: Collection[int], predicted: Mapping[int, float]
) -> list[int]:
    """Return ``ids`` with the ``chosen`` ones re-ordered by prediction among their own places.

    The places the chosen ids hold stay theirs, filled highest prediction first (a chosen id
    the model has no prediction for counts as 0; ties keep their order); every other id
    stays exactly where it was. So the model decides the order of its own candidates and
    nothing else: the hand-set ranking still decides how many of them come before each
    of the others.
    """
    own = sorted((i for i in ids if i in chosen), key=lambda i: -predicted.get(i, 0.0))
    best_first = iter(own)
    return [next(best_first) if i in chosen else i for i in ids]
