"""The platform benchmark: feeds in-process and over HTTP, ingestion, recomputes, memory.

Run it through ``bin/bench``, which gives it a PostgreSQL database and a Redis server of
its own under ``var/bench/``. On the world ``bench_engine`` seeds (10 000 people in six
cities, 100 000 posts, 1 000 000 events, skewed follows with a few very large accounts,
interest profiles) it measures, in one run:

1. each feed's page latency in-process (p50, p99) and SQL queries per page: discover,
   follow, nearby, hot, and a naive discover (one ORM query ordered by a score column);
2. the same feeds over HTTP: gunicorn (2 workers) under locust, headless;
3. event ingestion through the batch endpoint, over HTTP;
4. the engine's recomputes (pools, hot lists, weights), in-process;
5. the peak memory of the web processes and of a Celery worker running the recomputes.

Results go to ``bench/results.json`` with the machine and the date, and a markdown
table is printed for the README.
"""

from __future__ import annotations

import csv
import json
import os
import platform as std_platform
import random
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import User
from config.gc_tuning import freeze_startup_objects
from content.models import Event, Post
from feeds import stores
from feeds.services.discover import discover_page
from feeds.services.follow import follow_page
from feeds.services.hot import hot_and_trending_recompute
from feeds.services.lists import hot_page
from feeds.services.nearby import nearby_page
from feeds.services.rebuild import rebuild_redis
from lab.bench_ratios import ratio_table, ratios, server_pids
from lab.management.commands.bench_engine import Command as EngineBench
from search.services import index_rebuild

ROOT = Path(settings.BASE_DIR)
FEEDS = ["discover", "follow", "nearby", "hot"]
TARGETS = {
    "discover_p50_ms": 15,
    "discover_p99_ms": 60,
    "discover_http_requests_per_second": 300,
    "ingestion_events_per_second": 2000,
}


def percentile(values: list[float], q: float) -> float:
    """Return the ``q`` quantile (0–1) of ``values``, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def summary_ms(seconds: list[float]) -> dict:
    ms = [s * 1000 for s in seconds]
    return {
        "p50_ms": round(percentile(ms, 0.5), 2),
        "p99_ms": round(percentile(ms, 0.99), 2),
        "mean_ms": round(statistics.fmean(ms), 2),
        "pages": len(ms),
    }


class Command(EngineBench):
    help = "Benchmark the feeds in-process and over HTTP, ingestion, recomputes and memory."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(out="bench/results.json")
        parser.add_argument(
            "--viewers", type=int, default=100, help="people whose feeds are measured"
        )
        parser.add_argument(
            "--pages", type=int, default=5, help="pages scrolled per feed and viewer"
        )
        parser.add_argument("--http-seconds", type=int, default=30, help="length of each load run")
        parser.add_argument("--http-users", type=int, default=32, help="concurrent locust users")
        parser.add_argument("--skip-http", action="store_true")
        parser.add_argument(
            "--ratio-rounds", type=int, default=3, help="interleaved rounds of the ratio table"
        )
        parser.add_argument(
            "--only-ratios",
            action="store_true",
            help="measure the ratio table only (every request against /me/), nothing else",
        )

    def handle(
        self,
        *args,
        users,
        posts,
        events,
        changed,
        out,
        seed_only,
        viewers,
        pages,
        http_seconds,
        http_users,
        skip_http,
        ratio_rounds,
        only_ratios,
        **options,
    ):
        if "bench" not in str(settings.DATABASES["default"]["NAME"]):
            raise CommandError(
                "Run this on a bench database (bin/bench does): it fills it with data."
            )
        rng = random.Random(11)
        seed_seconds = self.ensure_world(rng, users, posts, events)
        if seed_only:
            return
        people = self.viewers(rng, viewers)
        # Time pages in a process tuned as a gunicorn worker is (config.wsgi).
        freeze_startup_objects()
        result = {
            "date": timezone.now().isoformat(timespec="seconds"),
            "machine": self.machine(),
            "world": self.world(),
            "seed_seconds": seed_seconds,
        }
        # Every request against /me/ first, on fresh seen sets (the scrolls below add to them).
        result["ratios"] = ratios(
            people,
            pages=pages,
            rounds=ratio_rounds,
            servers=server_pids(Path(settings.VAR_DIR)),
            log=self.stdout.write,
        )
        if only_ratios:
            result["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
            Path(out).parent.mkdir(parents=True, exist_ok=True)
            Path(out).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
            self.stdout.write(json.dumps(result["world"]) + "\n" + ratio_table(result["ratios"]))
            return
        stores.redis().delete(*[stores.seen_key(p.pk) for p in people])  # afresh again
        result["in_process"] = self.in_process(people, pages)
        result["naive_discover"] = self.naive_discover(pages, len(people))
        d, n = result["in_process"]["discover"], result["naive_discover"]
        result["naive_over_engine_p50"] = round(n["p50_ms"] / d["p50_ms"], 2)
        if not skip_http:
            result["http"] = self.over_http(people, pages, http_seconds, http_users)
        timings, _, moved, _, n_weights = self.measure_recomputes(rng, changed, timezone.now())
        result["recomputes"] = {**timings, "pool_moves": moved, "weights_computed": n_weights}
        result["targets"] = TARGETS
        result["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
        self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))
        self.stdout.write("\n" + markdown_table(result))
        self.stdout.write("\n" + ratio_table(result["ratios"]))

    # ------------------------------------------------------------ the world
    def ensure_world(self, rng, users, posts, events) -> float | None:
        """Seed the world when the database is empty; fill Redis from it; return seconds."""
        seed_file = Path(settings.VAR_DIR) / "bench-seed-seconds"
        seeding = not Post.objects.exists()
        if seeding:
            t = time.perf_counter()
            self._seed(rng, users, posts, events)
            seed_file.write_text(f"{time.perf_counter() - t:.1f}")
            self.stdout.write(f"seeded in {seed_file.read_text()} s")
        # The seed writes posts in bulk, past the search index's hooks: index what is
        # missing, as `rebuild_search --missing` would (the ratio table searches).
        indexed = index_rebuild(missing_only=True)
        if indexed:
            self.stdout.write(f"search documents written: {indexed}")
        if (seeding or indexed) and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # After a bulk load, as an operator would: fresh statistics, and the
                # visibility map and hint bits set now rather than by autovacuum in the
                # middle of a measurement (its CPU counts in PostgreSQL's).
                cursor.execute("VACUUM ANALYZE")
        hot_and_trending_recompute()
        written = rebuild_redis()
        self.stdout.write(f"Redis rebuilt: {written}")
        return float(seed_file.read_text()) if seed_file.exists() else None

    def viewers(self, rng, n) -> list[User]:
        """Return ``n`` people who follow someone, each with an API token."""
        ids = list(User.objects.filter(following_count__gt=0).values_list("pk", flat=True))
        people = list(User.objects.filter(pk__in=rng.sample(ids, min(n, len(ids)))))
        for person in people:
            Token.objects.get_or_create(user=person)
        # Every run starts its viewers afresh: their seen sets would otherwise grow run by
        # run (a reused world), and later runs would time emptier feeds.
        if people:
            stores.redis().delete(*[stores.seen_key(p.pk) for p in people])
        return people

    def machine(self) -> dict:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT version()"
                if connection.vendor == "postgresql"
                else "SELECT sqlite_version()"
            )
            db_version = cursor.fetchone()[0]
        import redis

        info = redis.Redis.from_url(settings.REDIS_URL).info("server")
        return {
            "cpus": os.cpu_count(),
            "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
            "python": std_platform.python_version(),
            "system": std_platform.platform(),
            "database": db_version.split(" on ")[0],
            "redis": info.get("redis_version"),
            # The machine is shared: a busy neighbour shows here, not in the figures.
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        }

    def world(self) -> dict:
        top = User.objects.order_by("-follower_count").values_list("follower_count", flat=True)[:3]
        return {
            "users": User.objects.count(),
            "posts": Post.objects.count(),
            "events": Event.objects.count(),
            "posts_with_a_place": Post.objects.filter(lat__isnull=False).count(),
            "largest_follower_counts": list(top),
        }

    # ------------------------------------------------------------ in-process
    def in_process(self, people: list[User], pages: int) -> dict:
        """Time every page of every feed for each person; count its SQL queries."""
        fetchers: dict[str, Callable] = {
            "discover": lambda u, c: discover_page(u, c),
            "follow": lambda u, c: follow_page(u, c),
            "nearby": lambda u, c: nearby_page(u, lat=u.home_lat, lng=u.home_lng, token=c),
            "hot": lambda u, c: hot_page(u, None, c),
        }
        out = {}
        for feed, fetch in fetchers.items():
            times, queries = [], []
            for person in people:
                cursor = None
                for _ in range(pages):
                    reset_queries()  # the query log keeps 9 000 entries; counting needs room
                    with CaptureQueriesContext(connection) as captured:
                        t = time.perf_counter()
                        page = fetch(person, cursor)
                        times.append(time.perf_counter() - t)
                    queries.append(len(captured))
                    cursor = page.next_cursor
                    if not cursor:
                        break
            out[feed] = {
                **summary_ms(times),
                "queries_per_page": {
                    "min": min(queries),
                    "max": max(queries),
                    "median": statistics.median(queries),
                },
            }
            self.stdout.write(f"  {feed}: {out[feed]}")
        return out

    def naive_discover(self, pages: int, sessions: int) -> dict:
        """One ORM query per page, ordered by a score column (likes), offset paging."""
        times, queries = [], []
        for _ in range(sessions):
            for page in range(pages):
                reset_queries()
                with CaptureQueriesContext(connection) as captured:
                    t = time.perf_counter()
                    list(
                        Post.objects.filter(status=Post.Status.PUBLISHED)
                        .select_related("author", "channel")
                        .order_by("-like_count", "-pk")[page * 20 : page * 20 + 20]
                    )
                    times.append(time.perf_counter() - t)
                queries.append(len(captured))
        return {**summary_ms(times), "queries_per_page": max(queries)}

    # ------------------------------------------------------------ over HTTP
    def over_http(self, people: list[User], pages: int, seconds: int, n_users: int) -> dict:
        """Serve the API with gunicorn and a Celery worker; load each feed with locust."""
        var = Path(settings.VAR_DIR)
        world = {
            "people": [
                {"token": p.auth_token.key, "lat": p.home_lat, "lng": p.home_lng} for p in people
            ],
            "posts": list(Post.objects.order_by("?").values_list("pk", flat=True)[:5000]),
        }
        (var / "bench-people.json").write_text(json.dumps(world))
        port = free_port()
        env = {
            **os.environ,
            "PORT": str(port),
            "WEB_CONCURRENCY": "2",
            "ACCESS_LOG": "0",
            "DJANGO_DEBUG": "0",
            "BENCH_PEOPLE": str(var / "bench-people.json"),
            "BENCH_PAGES": str(pages),
        }
        env.update(
            {
                f"THROTTLE_{s}": "1000000/min"
                for s in ["ANON", "USER", "AUTH", "POST", "INTERACT", "EVENTS"]
            }
        )
        bindir = Path(sys.executable).parent
        web = subprocess.Popen(
            [bindir / "gunicorn", "config.wsgi", "--config", "platform/gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(var / "bench-web.log", "w"),
        )
        worker = subprocess.Popen(
            [
                bindir / "celery",
                "-A",
                "config",
                "worker",
                "--concurrency=2",
                "--loglevel=WARNING",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(var / "bench-worker.log", "w"),
        )
        web_peak, worker_peak = PeakRss(web.pid), PeakRss(worker.pid)
        try:
            wait_for_http(f"http://127.0.0.1:{port}/api/v1/channels/")
            out = {
                "server": "gunicorn, 2 workers × 4 threads (platform/gunicorn.conf.py)",
                "load": f"locust, {n_users} users, {seconds} s a feed, {pages} pages a scroll, no think time",
            }
            roots = {
                "web": web.pid,
                "worker": worker.pid,
                "database": pid_from_file(var / "postgres" / "data" / "postmaster.pid"),
                "redis": pid_from_file(var / "redis.pid"),
            }
            # Each feed, then the ceiling: the lightest signed-in request, under the same load,
            # and the 消息 unread count every page's badge asks for, beside it.
            for feed, user_class in [
                *((f, f.capitalize()) for f in FEEDS),
                ("me", "Me"),
                ("notifications_unread", "Unread"),
            ]:
                with CpuMeter(roots) as meter:
                    out[feed] = locust(user_class, port, env, n_users, seconds, var)
                out[feed]["cpu_ms_per_request"] = meter.per_request(out[feed]["requests"])
                self.stdout.write(f"  http {feed}: {out[feed]}")
            views_before = Event.objects.filter(kind=Event.Kind.VIEW).count()
            t = time.perf_counter()
            out["events"] = locust("Events", port, env, n_users, seconds, var)
            elapsed = time.perf_counter() - t
            stored = Event.objects.filter(kind=Event.Kind.VIEW).count() - views_before
            out["events"]["events_stored"] = stored
            out["ingestion_events_per_second"] = round(stored / min(elapsed, seconds), 1)
            self.stdout.write(
                f"  http events: {out['events']}, {out['ingestion_events_per_second']} events/s"
            )
            out["worker_recompute_seconds"] = run_beat_tasks_through(worker)
            out["peak_rss_mb"] = {"web": web_peak.stop(), "worker": worker_peak.stop()}
        finally:
            for process in (web, worker):
                process.terminate()
            for process in (web, worker):
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
        return out


# ---------------------------------------------------------------- helpers
def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_http(url: str, timeout: float = 60) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise CommandError(f"the web server did not answer on {url}")


def locust(user_class: str, port: int, env: dict, n_users: int, seconds: int, var: Path) -> dict:
    """Run one headless locust load; return requests per second, p50/p99 and failures."""
    prefix = var / f"locust-{user_class.lower()}"
    subprocess.run(
        [
            os.environ.get("LOCUST", "locust"),
            "-f",
            "bench/locustfile.py",
            "--headless",
            "--only-summary",
            "-u",
            str(n_users),
            "-r",
            str(n_users),
            "-t",
            f"{seconds}s",
            "--host",
            f"http://127.0.0.1:{port}",
            "--csv",
            str(prefix),
            "--loglevel",
            "WARNING",
            user_class,
        ],
        cwd=ROOT,
        env=env,
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=open(f"{prefix}.log", "w"),
    )
    with open(f"{prefix}_stats.csv") as f:
        total = next(row for row in csv.DictReader(f) if row["Name"] == "Aggregated")
    return {
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "requests_per_second": round(float(total["Requests/s"]), 1),
        "p50_ms": float(total["50%"]),
        "p99_ms": float(total["99%"]),
    }


def run_beat_tasks_through(worker: subprocess.Popen) -> float:
    """Send the engine's periodic tasks to the worker; return seconds until it is idle."""
    from config.celery_app import app

    names = [
        "evaluate_pools",
        "recompute_hot",
        "recompute_weights",
        "decay_interests",
        "recompute_coengagement",
    ]
    t = time.perf_counter()
    for name in names:
        app.send_task(f"feeds.tasks.{name}")
    time.sleep(1)
    inspector = app.control.inspect(timeout=1)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        active, reserved = inspector.active() or {}, inspector.reserved() or {}
        if not any(active.values()) and not any(reserved.values()):
            break
        time.sleep(0.5)
    return round(time.perf_counter() - t, 1)


def process_tree(root: int) -> list[int]:
    """Return a process and all its descendants (Linux ``/proc``)."""
    pids, frontier = [root], [root]
    while frontier:
        parent = frontier.pop()
        try:
            children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
        except OSError:
            continue
        pids += [int(c) for c in children]
        frontier += [int(c) for c in children]
    return pids


def cpu_seconds(root: int) -> float:
    """Return the CPU time (user + system) a process tree has used so far, including its
    children that have exited (a database backend whose connection closed, a recycled
    web worker): their time moves into their parent's ``cutime``/``cstime``."""
    ticks = 0
    for pid in process_tree(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        ticks += sum(int(v) for v in fields[11:15])  # utime, stime, cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def machine_seconds() -> tuple[float, float]:
    """Return (busy, total) CPU seconds of the whole machine, all cores, since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    total = sum(values[:8])  # user nice system idle iowait irq softirq steal
    return (total - values[3] - values[4]) / os.sysconf("SC_CLK_TCK"), total / os.sysconf(
        "SC_CLK_TCK"
    )


def pid_from_file(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


class CpuMeter:
    """Where the machine's CPU goes during one load run, per request served.

    ``roots`` names process trees (the gunicorn master, the Celery worker, the
    PostgreSQL postmaster, the Redis server); the load generator is the bench's own
    child process (``RUSAGE_CHILDREN``), and ``machine`` is every core's busy time,
    whoever spent it. Dividing by the requests served gives what one request costs the
    machine, and so the most requests a second its cores could serve at all.
    """

    def __init__(self, roots: dict[str, int | None]):
        self.roots = {name: pid for name, pid in roots.items() if pid}

    def _read(self) -> dict[str, float]:
        import resource

        busy, total = machine_seconds()
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return {
            **{name: cpu_seconds(pid) for name, pid in self.roots.items()},
            "load_generator": children.ru_utime + children.ru_stime,
            "machine": busy,
            "_total": total,
        }

    def __enter__(self) -> CpuMeter:
        self.before = self._read()
        return self

    def __exit__(self, *exc) -> None:
        self.after = self._read()

    def per_request(self, requests: int) -> dict:
        spent = {name: self.after[name] - self.before[name] for name in self.before}
        total = spent.pop("_total")
        out = {
            f"{name}_ms": round(1000 * seconds / max(requests, 1), 2)
            for name, seconds in spent.items()
        }
        out["machine_busy_share"] = round(spent["machine"] / total, 3) if total else None
        return out


class PeakRss:
    """Sample the resident memory of a process and its children every 0.2 s; keep the peak
    of the largest single process (what one machine's process must fit in)."""

    def __init__(self, pid: int):
        self.pid, self.peak_kb, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            for pid in process_tree(self.pid):
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                for line in status.splitlines():
                    if line.startswith("VmHWM:"):
                        self.peak_kb = max(self.peak_kb, int(line.split()[1]))

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return round(self.peak_kb / 1024, 1)


def markdown_table(r: dict) -> str:
    """Return the README's table of the results."""
    ip, http, rc = r["in_process"], r.get("http", {}), r["recomputes"]
    rows = [
        (
            "feed (per page of 20)",
            "in-process p50 / p99",
            "SQL queries a page",
            "HTTP req/s",
            "HTTP p50 / p99",
            "CPU a request: web / database / whole machine",
        )
    ]

    def cpu(h: dict) -> str:
        c = h.get("cpu_ms_per_request")
        if not c:
            return "–"
        return f"{c.get('web_ms', '–')} / {c.get('database_ms', '–')} / {c['machine_ms']} ms"

    for feed in FEEDS:
        q = ip[feed]["queries_per_page"]
        h = http.get(feed, {})
        rows.append(
            (
                feed,
                f"{ip[feed]['p50_ms']} / {ip[feed]['p99_ms']} ms",
                f"{q['min']}–{q['max']}",
                f"{h.get('requests_per_second', '–')}",
                f"{h.get('p50_ms', '–')} / {h.get('p99_ms', '–')} ms",
                cpu(h),
            )
        )
    n = r["naive_discover"]
    rows.append(
        (
            "naive discover (one ORM query by likes)",
            f"{n['p50_ms']} / {n['p99_ms']} ms",
            str(n["queries_per_page"]),
            "",
            "",
            "",
        )
    )
    me = http.get("me", {})
    rows.append(
        (
            "ceiling: `GET /api/v1/me/`",
            "",
            "1",
            f"{me.get('requests_per_second', '–')}",
            f"{me.get('p50_ms', '–')} / {me.get('p99_ms', '–')} ms",
            cpu(me),
        )
    )
    unread = http.get("notifications_unread", {})
    if unread:
        rows.append(
            (
                "消息 unread counts `GET /api/v1/notifications/unread/`",
                "",
                "",
                f"{unread.get('requests_per_second', '–')}",
                f"{unread.get('p50_ms', '–')} / {unread.get('p99_ms', '–')} ms",
                cpu(unread),
            )
        )
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    lines.insert(1, "|" + "---|" * len(rows[0]))
    extra = [
        f"- naive ÷ engine discover p50: {r['naive_over_engine_p50']}×",
        f"- event ingestion through `POST /api/v1/events/` (batches of 200): "
        f"{http.get('ingestion_events_per_second', '–')} events/s",
        f"- recomputes: pool evaluation {rc['pool_evaluation_seconds']} s, hot lists + trending "
        f"{rc['hot_recompute_seconds']} s, account weights {rc['weights_pass_seconds']} s; all five beat tasks "
        f"through a Celery worker {http.get('worker_recompute_seconds', '–')} s",
        f"- peak memory (largest process): web {http.get('peak_rss_mb', {}).get('web', '–')} MB, "
        f"worker {http.get('peak_rss_mb', {}).get('worker', '–')} MB",
    ]
    return "\n".join(lines + [""] + extra) + "\n"
