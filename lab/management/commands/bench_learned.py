"""Time and measure the learned stage's training at scale, on synthetic engagement.

The events are generated in memory (no database): people with a home taste among
clusters of posts, doing what people do on the platform in about the shares the
simulator sees (likes, reads, completed videos, favourites, comments, shares). They go
through the same plain functions the hourly task runs (``feeds.engine.learned``), fed one event
at a time as the task's database iterator feeds them, with the knobs of ``ENGINE``.
Writes seconds and peak memory to ``bench/learned.json`` (run by ``bin/bench-learned``).
"""

from __future__ import annotations

import json
import platform as std_platform
import resource
import time
from pathlib import Path

import numpy as np
from django.conf import settings
from django.core.management.base import BaseCommand

from feeds.engine import learned
from feeds.knobs import knobs

# What an engagement event is, and how often (views are reads unless completed).
KINDS = ["like", "view", "view", "favourite", "comment", "share"]
SHARES = [0.50, 0.25, 0.10, 0.08, 0.04, 0.03]


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Command(BaseCommand):
    help = "Train the learned stage on synthetic engagement and write seconds and peak memory."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=10_000)
        parser.add_argument("--posts", type=int, default=100_000)
        parser.add_argument("--events", type=int, default=1_000_000)
        parser.add_argument(
            "--clusters", type=int, default=50, help="tastes people and posts fall into"
        )
        parser.add_argument("--out", default="bench/learned.json")

    def handle(self, *args, users, posts, events, clusters, out, **options):
        k = knobs()
        rng = np.random.default_rng(7)
        # Nine events in ten within one's taste cluster.
        taste = rng.integers(0, clusters, size=users)
        user = rng.integers(0, users, size=events)
        own = rng.random(events) < 0.9
        cluster = np.where(own, taste[user], rng.integers(0, clusters, size=events))
        per_cluster = posts // clusters
        # Half of the events go to a cluster's posts at random, half follow popularity.
        popular = np.minimum((rng.pareto(1.2, size=events) * 5).astype(np.int64), per_cluster - 1)
        anywhere = rng.integers(0, per_cluster, size=events)
        post = cluster * per_cluster + np.where(rng.random(events) < 0.5, anywhere, popular)
        kind = rng.choice(len(KINDS), size=events, p=SHARES)
        completed = kind == 2
        seconds = np.where(kind == 1, 30.0, np.where(completed, 60.0, 0.0))
        base_rss, base_peak = _rss_mb(), _peak_mb()

        def stream():
            for u, p, kd, s, c in zip(
                user.tolist(),
                post.tolist(),
                kind.tolist(),
                seconds.tolist(),
                completed.tolist(),
                strict=True,
            ):
                yield u, p, KINDS[kd], s, c

        t0 = time.perf_counter()
        triples = learned.triples_from_events(stream(), k["SIGNAL_WEIGHTS"], k["READ_SECONDS"])
        t1 = time.perf_counter()
        model = learned.train(
            triples,
            factors=k["LEARNED_FACTORS"],
            regularization=k["LEARNED_REGULARIZATION"],
            iterations=k["LEARNED_ITERATIONS"],
            alpha=k["LEARNED_ALPHA"],
            threads=k["LEARNED_THREADS"],
        )
        t2 = time.perf_counter()
        peak = _peak_mb()
        sample = rng.choice(model.user_ids, size=min(1000, len(model.user_ids)), replace=False)
        t3 = time.perf_counter()
        for uid in sample.tolist():
            learned.top_items(
                model, uid, k["LEARNED_CANDIDATES"], min_prediction=k["LEARNED_MIN_PREDICTION"]
            )
        t4 = time.perf_counter()
        stored = sum(
            a.nbytes
            for a in (model.user_ids, model.user_factors, model.item_ids, model.item_factors)
        )
        result = {
            "events": events,
            "posts": posts,
            "users": users,
            "pairs": len(triples),
            "posts_in_model": int(len(model.item_ids)),
            "users_in_model": int(len(model.user_ids)),
            "knobs": {
                name: k[name]
                for name in (
                    "LEARNED_FACTORS",
                    "LEARNED_REGULARIZATION",
                    "LEARNED_ITERATIONS",
                    "LEARNED_ALPHA",
                    "LEARNED_THREADS",
                )
            },
            "seconds": {
                "events_to_pairs": round(t1 - t0, 2),
                "train": round(t2 - t1, 2),
                "total": round(t2 - t0, 2),
            },
            "top_candidates_ms_per_viewer": round((t4 - t3) * 1000 / len(sample), 3),
            "memory_mb": {
                "rss_before": round(base_rss, 1),
                "peak": round(peak, 1),
                "peak_over_before": round(peak - max(base_rss, 0.0), 1),
                "peak_before_training": round(base_peak, 1),
                "model_arrays": round(stored / 2**20, 1),
            },
            "machine": f"{std_platform.machine()}, {std_platform.python_implementation()} {std_platform.python_version()}",
            "database": "none: synthetic events in memory, fed one at a time like the task's iterator",
        }
        path = Path(settings.BASE_DIR) / out if not Path(out).is_absolute() else Path(out)
        path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
        self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))
