"""Drive the engine's own services through a log in time order and score the pages.

Each log row is a person meeting an item: the item is published (by an author account
of its own) the first time anyone meets it, the meeting is recorded as a served
impression (``serve``), a watch as a view event, and the row's engagement through the
interaction services (like, save, comment, share, follow the author, "not interested").
The baselines are served from the log alone, in a process of their own beside the
engine's (``baselines.baseline_pages``): on two cores the replay takes the engine's time,
not the sum. The beat tasks' passes (pools, hot lists, co-engagement, account weights, interest
decay) run through the services the tasks call, at their periods in simulated time
(where the log is dense) and at least once on every day with activity (where it is
sparse: a pass whose period has gone by runs before the next row). The hot lists are
the exception: only a page reads them and each run replaces the last, so they are
computed before each scored day instead (``--hot-at-period``: as beat does, slower).
The tasks the platform queues for its worker (fan-out, API cards, notification
delivery) are counted, not sent: no worker runs here, and none of them changes a
discover page (a replayed author posts once, before anyone can follow them).

At each scored day boundary every person in the plan gets a discover page of ten from
``discover_page``, served and then taken back (the database work rolled back, the
posts taken out of the seen set): the person did not see it in the log, so it must not
count as impressions nor hide those posts later. The same call's ranked candidates,
before the mixer, give the "ranking" method.
"""

from __future__ import annotations

import multiprocessing
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from unittest import mock

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.text import slugify

from lab.replay import metrics
from lab.replay.baselines import NAMES, baseline_pages
from lab.replay.io import Item, Log
from lab.replay.protocol import DAY, Plan, plan

DISCOVER, RANKING = "discover", "ranking"
DEFAULT_CHANNEL = "default"
PASSES = (  # (name, period knob): what beat runs, each through the service its task calls
    ("pools", "PERIOD_POOLS"),
    ("hot", "PERIOD_HOT"),
    ("coengagement", "PERIOD_COENGAGEMENT"),
    ("weights", "PERIOD_WEIGHTS"),
    ("interests", "PERIOD_INTERESTS"),
)
# Passes whose output only a page reads and whose every run replaces the last (no
# watermark, no state carried over): the hot lists and trending tags.
FOR_PAGES = {"hot"}


class _Rollback(Exception):
    """Raised to roll an evaluation page's writes back."""


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (120, 140, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def _moment(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, tz=UTC)


@contextmanager
def ranked_capture():
    """Record what ``rank`` returns inside the discover service (the page before mixing)."""
    from feeds.services import discover as service

    seen: list = []
    real = service.rank

    def recording(*args, **kwargs):
        ranked = real(*args, **kwargs)
        seen.append(list(ranked))
        return ranked

    with mock.patch.object(service, "rank", recording):
        yield seen


@contextmanager
def tasks_counted(counter: Counter):
    """Count the tasks the platform queues (``apply_async``, which ``delay`` calls) by
    name instead of sending them to a broker no worker reads."""
    from celery.app.task import Task

    def counting(task, *args, **kwargs):
        counter[task.name] += 1

    with mock.patch.object(Task, "apply_async", counting):
        yield


class Replay:
    def __init__(
        self,
        log: Log,
        *,
        warmup: float = 0.7,
        min_history: int = 5,
        watch_positive: float = 2.0,
        recent_days: int = 30,
        seed: int = 1,
        hot_at_period: bool = False,
        progress: Callable[[str], None] = lambda message: None,
    ):
        self.log = log
        self.plan: Plan = plan(
            log.interactions, warmup=warmup, min_history=min_history, watch_positive=watch_positive
        )
        self.settings = {
            "warmup": warmup,
            "min_history": min_history,
            "watch_positive": watch_positive,
            "recent_days": recent_days,
            "seed": seed,
            "hot_at_period": hot_at_period,
        }
        self.watch_positive = watch_positive
        self.progress = progress
        self.users: dict[str, object] = {}
        self.posts: dict[str, object] = {}  # item → Post
        self.item_of: dict[int, str] = {}  # post id → item
        self.channel_of: dict[str, int] = {}  # item → channel id
        self.channels: dict[str, object] = {}  # channel name → Channel
        self.last_pass: dict[str, float] = {}
        self.pass_runs: Counter = Counter()
        self.queued: Counter = Counter()  # tasks queued for the worker, by name (not sent)
        self.oracle: list[list[str]] = []  # each pair's candidates, its positives first
        self.candidates: list[int] = []  # how many candidates each pair's ranking saw
        self.pages: dict[str, list[list[str]]] = defaultdict(list)
        self.truth: list[set[str]] = []
        self.lanes: list[list[str]] = []  # the served page's lane of each card
        self.cold: int = 0  # pairs whose person had no interest profile
        self.met: dict[str, set[str]] = defaultdict(set)  # items each person met in the log so far
        self.repeats: Counter = Counter()  # served cards the person had met before, by lane
        self.timing: Counter = Counter()
        self.image = _png()

    # ---------------------------------------------------------------- the platform
    def _channel(self, name: str):
        from content.models import Channel

        name = name or DEFAULT_CHANNEL
        if name not in self.channels:
            slug = f"r-{slugify(name)[:30] or len(self.channels)}"
            while Channel.objects.filter(slug=slug).exists():
                slug = f"r-{len(self.channels)}-{slug[:20]}"
            self.channels[name] = Channel.objects.create(
                slug=slug, name_zh=name[:20], name_en=name[:40], position=1000 + len(self.channels)
            )
        return self.channels[name]

    def _user(self, key: str):
        from accounts.services import user_signup

        if key not in self.users:
            self.users[key] = user_signup(username=f"r{len(self.users)}", password="replay-only")
        return self.users[key]

    def _post(self, key: str):
        from accounts.services import user_signup
        from content import services as content
        from content.models import Post

        if key not in self.posts:
            item = self.log.items.get(key) or Item(item=key)
            author = user_signup(username=f"a{len(self.posts)}", password="replay-only")
            channel = self._channel(item.channel)
            post = content.post_create(
                author=author,
                kind=Post.Kind.NOTE,
                channel=channel,
                title=(item.title or f"item {key}")[:100],
                tags=item.tags[:10],
                lat=item.lat,
                lng=item.lng,
                place_name="here" if item.lat is not None and item.lng is not None else "",
                images=[SimpleUploadedFile("cover.png", self.image, content_type="image/png")],
            )
            self.posts[key] = post
            self.item_of[post.pk] = key
            self.channel_of[key] = channel.pk
        return self.posts[key]

    def _passes(self, now: float, *, before_pages: bool = False) -> None:
        from feeds.services.coengagement import coengagement_recompute
        from feeds.services.hot import hot_and_trending_recompute
        from feeds.services.interests import interests_decay
        from feeds.services.pools import pools_evaluate
        from feeds.services.weights import weights_recompute

        calls = {
            "pools": pools_evaluate,
            "hot": hot_and_trending_recompute,
            "coengagement": coengagement_recompute,
            "weights": weights_recompute,
            "interests": interests_decay,
        }
        for name, period in PASSES:
            if name in FOR_PAGES and not (before_pages or self.settings["hot_at_period"]):
                continue
            if now - self.last_pass.get(name, -1e18) >= settings.ENGINE[period]:
                started = time.perf_counter()
                calls[name]()
                self.timing[f"pass:{name}"] += time.perf_counter() - started
                self.last_pass[name] = now
                self.pass_runs[name] += 1

    def _learn(self, now: float) -> None:
        """Train the learned stage before a scored day, at most every ``PERIOD_LEARNED``.

        Only from the first scored day on: a model trained during the warm-up would be
        replaced before anything it ranks is scored, and training on each of a long
        log's thousands of active days would dominate the replay's time.
        """
        from feeds.services.learned import learned_train

        if now - self.last_pass.get("learned", -1e18) < settings.ENGINE["PERIOD_LEARNED"]:
            return
        started = time.perf_counter()
        learned_train()
        self.timing["pass:learned"] += time.perf_counter() - started
        self.last_pass["learned"] = now
        self.pass_runs["learned"] += 1

    def _apply(self, row) -> None:
        from accounts.services import follow_create
        from content import services as content
        from feeds.services.serving import serve

        user, post = self._user(row.user), self._post(row.item)
        self.met[row.user].add(row.item)
        serve(user, [post.pk], "replay")
        if row.watch_seconds is not None:
            completed = bool(row.duration_seconds and row.watch_seconds >= row.duration_seconds)
            content.events_ingest(
                user=user,
                events=[{"post": post.pk, "seconds": row.watch_seconds, "completed": completed}],
            )
        if row.like:
            content.like_create(user=user, post=post)
        if row.favourite:
            content.favourite_create(user=user, post=post)
        if row.comment:
            content.comment_create(user=user, post=post, body=row.comment[:500])
        if row.share:
            content.share_create(user=user, post=post)
        if row.follow:
            follow_create(follower=user, followee=post.author)
        if row.dislike:
            content.not_interested_create(user=user, kind="post", post=post)

    # ---------------------------------------------------------------- a day boundary
    def _engine_page(self, person: str) -> tuple[list[str], list[str], list[str]]:
        """Return the served page (items, lanes) and every candidate the ranking saw, in
        its order, for ``person``."""
        from feeds import stores
        from feeds.models import InterestAffinity
        from feeds.services.discover import discover_page

        user = self.users[person]
        if not InterestAffinity.objects.filter(user_id=user.pk, score__gt=0).exists():
            self.cold += 1
        served: list = []
        with ranked_capture() as ranked:
            try:
                with transaction.atomic():
                    page = discover_page(user, size=metrics.K)
                    served = [(item.post.pk, item.source) for item in page.items]
                    raise _Rollback
            except _Rollback:
                pass
        if served:
            stores.redis().zrem(stores.seen_key(user.pk), *[str(pid) for pid, _ in served])
        return (
            [self.item_of.get(pid, "?") for pid, _ in served],
            [lane for _, lane in served],
            [self.item_of.get(c.post_id, "?") for c in (ranked[0] if ranked else [])],
        )

    def _score_day(self, day: int) -> None:
        people = self.plan.days[day]
        for person, positives in sorted(people.items()):
            started = time.perf_counter()
            served, lanes, candidates = self._engine_page(person)
            self.timing["engine:pages"] += time.perf_counter() - started
            # The best page any order of these candidates could make: their positives first.
            found = [item for item in candidates if item in positives]
            self.oracle.append(found + [item for item in candidates if item not in positives])
            self.candidates.append(len(candidates))
            self.pages[DISCOVER].append(served)
            self.repeats.update(
                lane for item, lane in zip(served, lanes, strict=True) if item in self.met[person]
            )
            self.pages[RANKING].append(candidates[: metrics.K])
            self.lanes.append(lanes)
            self.truth.append(positives)

    # ---------------------------------------------------------------- the run
    def run(self) -> dict:
        import time_machine

        rows = self.log.interactions
        if not rows:
            return self.figures()
        wall = time.perf_counter()
        scored = sorted(self.plan.days)
        next_day = 0
        cpu = time.process_time()
        # A fresh interpreter ("spawn"), not a fork of this one with its database, Redis
        # and BLAS threads.
        side = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        baselines = side.submit(
            baseline_pages,
            rows,
            self.plan.days,
            watch_positive=self.watch_positive,
            recent_days=self.settings["recent_days"],
            seed=self.settings["seed"],
            size=metrics.K,
        )
        try:
            with (
                tasks_counted(self.queued),
                time_machine.travel(_moment(rows[0].ts), tick=False) as clock,
            ):
                for number, row in enumerate(rows):
                    day = int(row.ts // DAY)
                    while next_day < len(scored) and scored[next_day] <= day:
                        boundary = scored[next_day] * DAY
                        clock.move_to(_moment(boundary))
                        self._passes(boundary, before_pages=True)
                        self._learn(boundary)
                        self._score_day(scored[next_day])
                        next_day += 1
                    clock.move_to(_moment(row.ts))
                    self._passes(row.ts)
                    started = time.perf_counter()
                    self._apply(row)
                    self.timing["log:rows"] += time.perf_counter() - started
                    if number % 10000 == 0:
                        self.progress(
                            f"{number}/{len(rows)} rows, {_moment(row.ts):%Y-%m-%d}, {len(self.truth)} pairs scored, "
                            f"{time.perf_counter() - wall:.0f} s"
                        )
        except BaseException:
            side.shutdown(wait=False, cancel_futures=True)
            raise
        engine_done = time.perf_counter()
        pages, timing = baselines.result()
        side.shutdown()
        self.pages.update(pages)
        self.timing.update(timing)
        self.timing["baselines:waited"] = time.perf_counter() - engine_done
        self.timing["total"] = time.perf_counter() - wall
        self.timing["total_cpu"] = time.process_time() - cpu + timing["baselines:cpu"]
        return self.figures()

    # ---------------------------------------------------------------- the figures
    def figures(self) -> dict:
        from feeds.models import PoolEntry

        catalogue = len(self.posts)
        methods = {}
        per_pair: dict[str, list[float]] = {}
        for name, pages in self.pages.items():
            channels = [len({self.channel_of.get(i) for i in page}) for page in pages]
            methods[name] = metrics.summary(pages, self.truth, channels, catalogue)
            per_pair[name] = [metrics.ndcg(p, q) for p, q in zip(pages, self.truth, strict=True)]
        baselines = [n for n in NAMES if n in methods]
        best = max(baselines, key=lambda n: methods[n]["ndcg@10"]) if baselines else None
        result = {
            "log": self.log.source,
            "settings": self.settings,
            "rows": len(self.log.interactions),
            "people": len(self.users),
            "items_published": catalogue,
            "warmup_ends": _moment(self.plan.cutoff).isoformat() if self.log.interactions else None,
            "pairs_evaluated": len(self.truth),
            "days_scored": len({d for d in self.plan.days}),
            "methods": methods,
        }
        if best and self.truth:
            engine = per_pair[DISCOVER]
            result["best_baseline"] = best
            result["intervals_ndcg@10"] = {
                DISCOVER: [round(x, 4) for x in metrics.bootstrap(engine)],
                best: [round(x, 4) for x in metrics.bootstrap(per_pair[best])],
                f"{DISCOVER}/{best}": [
                    round(x, 3) for x in metrics.ratio_bootstrap(engine, per_pair[best])
                ],
            }
            base = methods[best]["ndcg@10"]
            result["discover_over_best"] = (
                round(methods[DISCOVER]["ndcg@10"] / base, 3) if base else None
            )
            ranking = methods[RANKING]["ndcg@10"]
            result["discover_over_ranking"] = (
                round(methods[DISCOVER]["ndcg@10"] / ranking, 3) if ranking else None
            )
        result["diagnostics"] = self.diagnostics(PoolEntry)
        return result

    def diagnostics(self, PoolEntry) -> dict:
        lanes = Counter(lane for page in self.lanes for lane in page)
        hits = Counter(
            lane
            for page, lane_list, truth in zip(
                self.pages.get(DISCOVER, []), self.lanes, self.truth, strict=False
            )
            for item, lane in zip(page, lane_list, strict=False)
            if item in truth
        )
        served = [i for page in self.pages.get(DISCOVER, []) for i in page]
        return {
            "served_by_lane": dict(lanes),
            "hits_by_lane": dict(hits),
            # Cards the person had already met in the log: never a positive under the protocol.
            "served_met_before_by_lane": dict(self.repeats),
            "distinct_served": len(set(served)),
            # A bound on any ranking of the engine's candidates: what the sources reach.
            "candidates_oracle": {
                "ndcg@10": round(metrics.mean(list(map(metrics.ndcg, self.oracle, self.truth))), 4),
                "hit_rate@10": round(
                    metrics.mean(list(map(metrics.hit, self.oracle, self.truth))), 4
                ),
                "median_candidates": statistics.median(self.candidates) if self.candidates else 0,
            },
            "pairs_without_profile": self.cold,
            "pool_states_at_end": dict(Counter(PoolEntry.objects.values_list("state", flat=True))),
            "pass_runs": dict(self.pass_runs),
            "tasks_queued_not_run": dict(self.queued),
            "seconds": {name: round(value, 1) for name, value in sorted(self.timing.items())},
            "median_positives_per_pair": statistics.median([len(t) for t in self.truth])
            if self.truth
            else 0,
        }
