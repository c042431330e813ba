"""The learned stage's orchestration: train from the event log, keep, load, serve.

Training (``learned_train``, hourly from ``feeds.tasks.train_learned``) reads the last
``LEARNED_DAYS`` of engagement from the event log (every like, favourite, comment, share
and view writes an ``Event``), turns it into weighted (person, post) pairs, factorises
them (``feeds.engine.learned.train``) and saves the arrays in a ``LearnedModel`` row; Redis holds
only the id of the row in use (``fd:learned``), so a feed knows whether there is a model
without a query. Each web process loads a model's arrays once and keeps them until a
newer one is trained (docs/decisions/learned-stage.md).

Serving (called by ``feeds.services.discover.build_batch``): the model's top posts for
the viewer join the candidates under the source ``learned``, every candidate's score is
lifted by the model's prediction, and a main-lane item the model found is labelled
``learned`` on the page. With ``LEARNED_ORDER_BY_PREDICTION`` on, the places the model's
own candidates hold in the main and exploration lanes are filled in prediction order. A
viewer the model does not know, a fresh install with no model, or Redis being down: the
feed is exactly the hand-set one.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from django.utils import timezone
from redis.exceptions import RedisError

from content.models import Event, Post
from feeds import stores
from feeds.engine import learned
from feeds.engine.discover import EXPLORE, MAIN, Candidate, Slot
from feeds.knobs import knobs
from feeds.models import LearnedModel

log = logging.getLogger(__name__)

LEARNED = "learned"  # the candidate source's label, and the item's source on a page
LEARNED_KINDS = [
    "like",
    "unlike",
    "favourite",
    "unfavourite",
    "comment",
    "share",
    "view",
    "not_interested",
    "report",
]


@dataclass
class Loaded:
    """A trained model in memory: its factors and its posts' publication times."""

    pk: int
    factors: learned.Factors
    published: np.ndarray  # epoch seconds, one per item id


_loaded: Loaded | None = None  # this process's copy of the model in use


# ---------------------------------------------------------------- training
def learned_train(*, now: datetime | None = None) -> dict:
    """Train a model on recent engagement and make it the one in use; return its figures."""
    k = knobs()
    now = now or timezone.now()
    since = now - timedelta(days=k["LEARNED_DAYS"])
    started = time.monotonic()
    events = (
        Event.objects.filter(created_at__gte=since, kind__in=LEARNED_KINDS, user__isnull=False, burst__isnull=True)
        .order_by("created_at", "pk")  # oldest first: an unlike after a like takes it back
        .values_list("user_id", "post_id", "kind", "seconds", "completed")
        .iterator(chunk_size=10_000)
    )
    triples = learned.triples_from_events(events, k["SIGNAL_WEIGHTS"], k["READ_SECONDS"])
    if len(triples) < k["LEARNED_MIN_PAIRS"]:
        return {"pairs": len(triples), "trained": 0}
    factors = learned.train(
        triples,
        factors=k["LEARNED_FACTORS"],
        regularization=k["LEARNED_REGULARIZATION"],
        iterations=k["LEARNED_ITERATIONS"],
        alpha=k["LEARNED_ALPHA"],
        threads=k["LEARNED_THREADS"],
    )
    published = _published_times(factors.item_ids)
    row = LearnedModel.objects.create(
        trained_at=now,
        window_days=k["LEARNED_DAYS"],
        factors=k["LEARNED_FACTORS"],
        users=len(factors.user_ids),
        items=len(factors.item_ids),
        pairs=len(triples),
        seconds=round(time.monotonic() - started, 3),
        user_ids=factors.user_ids.tobytes(),
        user_factors=factors.user_factors.tobytes(),
        item_ids=factors.item_ids.tobytes(),
        item_factors=factors.item_factors.tobytes(),
        item_published=published.tobytes(),
        engaged_indptr=factors.engaged_indptr.tobytes(),
        engaged_rows=factors.engaged_rows.tobytes(),
    )
    old = LearnedModel.objects.order_by("-pk").values_list("pk", flat=True)[k["LEARNED_KEEP"] :]
    LearnedModel.objects.filter(pk__in=list(old)).delete()
    with stores.tolerant("learned"):
        stores.redis().set(stores.learned_key(), row.pk, ex=_pointer_seconds(k))
    return {
        "pairs": row.pairs,
        "users": row.users,
        "items": row.items,
        "seconds": row.seconds,
        "trained": 1,
    }


def _published_times(item_ids: np.ndarray) -> np.ndarray:
    """Return each item's publication time in epoch seconds (0 when unpublished or gone)."""
    when = np.zeros(len(item_ids), dtype=np.float64)
    index = {int(pid): i for i, pid in enumerate(item_ids)}
    ids = list(index)
    for start in range(0, len(ids), 5000):
        for pid, at in Post.objects.filter(
            pk__in=ids[start : start + 5000], published_at__isnull=False
        ).values_list("pk", "published_at"):
            when[index[pid]] = at.timestamp()
    return when


def _pointer_seconds(k: dict) -> int:
    # Outlives the next training; a lost pointer is read again from the database.
    return 3 * k["PERIOD_LEARNED"]


# ---------------------------------------------------------------- loading
def learned_model() -> Loaded | None:
    """Return the model in use (None: none trained, or Redis unavailable).

    One Redis read; the database only when the pointer is lost or names a model this
    process has not loaded yet.
    """
    global _loaded
    k = knobs()
    try:
        client = stores.redis()
        raw = client.get(stores.learned_key())
        if raw is None:
            latest = LearnedModel.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            client.set(stores.learned_key(), latest, ex=_pointer_seconds(k))
            raw = latest
    except (RedisError, OSError) as exc:
        log.warning("redis unavailable for the learned model: %s", exc)
        return None
    pk = int(raw)
    if not pk:
        return None
    if _loaded is None or _loaded.pk != pk:
        row = LearnedModel.objects.filter(pk=pk).first()
        if row is None:
            return None
        _loaded = Loaded(
            pk=pk,
            factors=learned.Factors(
                user_ids=np.frombuffer(row.user_ids, dtype=np.int64),
                user_factors=np.frombuffer(row.user_factors, dtype=np.float32).reshape(
                    row.users, row.factors
                ),
                item_ids=np.frombuffer(row.item_ids, dtype=np.int64),
                item_factors=np.frombuffer(row.item_factors, dtype=np.float32).reshape(
                    row.items, row.factors
                ),
                engaged_indptr=np.frombuffer(row.engaged_indptr, dtype=np.int32),
                engaged_rows=np.frombuffer(row.engaged_rows, dtype=np.int32),
            ),
            published=np.frombuffer(row.item_published, dtype=np.float64),
        )
    return _loaded


# ---------------------------------------------------------------- serving
def learned_candidates(
    model: Loaded | None, uid: int | None, *, skip: set[int], now: datetime, k: dict
) -> list[int]:
    """Return the posts "people like you engaged with": the model's top recent ones for ``uid``."""
    if model is None or uid is None:
        return []
    recent = model.published >= (now - timedelta(days=k["LEARNED_CANDIDATE_DAYS"])).timestamp()
    return learned.top_items(
        model.factors,
        uid,
        k["LEARNED_CANDIDATES"],
        allowed=recent,
        skip=skip,
        min_prediction=k["LEARNED_MIN_PREDICTION"],
    )


def learned_rerank(
    model: Loaded | None, uid: int | None, ranked: list[Candidate], k: dict
) -> list[Candidate]:
    """Lift each candidate's score by the model's prediction; return them best first again."""
    if model is None or uid is None or not k["LEARNED_WEIGHT"]:
        return ranked
    predicted = learned.predictions(model.factors, uid, [c.post_id for c in ranked])
    if not predicted:
        return ranked
    for c in ranked:
        c.score = learned.lift(c.score, predicted.get(c.post_id, 0.0), k["LEARNED_WEIGHT"])
    return sorted(ranked, key=lambda c: (-c.score, -c.published_at.timestamp(), -c.post_id))


def learned_order(
    model: Loaded | None, uid: int | None, split: dict[str, list[Candidate]], k: dict
) -> dict[str, list[Candidate]]:
    """Fill the places the model's candidates hold in the main and exploration lanes in
    the model's prediction order (``LEARNED_ORDER_BY_PREDICTION``; off: ``split`` as given).

    The other candidates keep their places, so the hand-set ranking still decides where
    the model's posts come; which of them comes first is the model's call. The pool lane
    (ordered by how far each post is from its quota) and the reserve lane are left as
    they are.
    """
    if model is None or uid is None or not k["LEARNED_ORDER_BY_PREDICTION"]:
        return split
    own = {c.post_id for lane in (MAIN, EXPLORE) for c in split[lane] if LEARNED in c.sources}
    if not own:
        return split
    predicted = learned.predictions(model.factors, uid, own)
    out = dict(split)
    for lane in (MAIN, EXPLORE):
        by_id = {c.post_id: c for c in split[lane]}
        order = learned.in_prediction_order(list(by_id), own, predicted)
        out[lane] = [by_id[pid] for pid in order]
    return out


def learned_label(slot: Slot, c: Candidate) -> Slot:
    """Label an item of the main or exploration lane that the model found ``learned``.

    The pool and reserve lanes keep their names (the pools leave the reserve lane's
    impressions out, and a pool post is there for its verdict, not for the model).
    """
    return (
        Slot(slot.post_id, LEARNED)
        if slot.lane in (MAIN, EXPLORE) and LEARNED in c.sources
        else slot
    )
