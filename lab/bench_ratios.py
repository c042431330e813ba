"""Every request a person makes, priced against ``GET /api/v1/me/`` in one run.

Each kind of request goes through Django's whole stack in this process (``Client``:
middleware, token auth, throttles, the view, the JSON renderer), with impressions
recorded as in production. The machine CPU a request costs is this process's CPU
(``RUSAGE_SELF``, as a web worker would spend it) plus the PostgreSQL and Redis server
process trees' (``/proc``), measured before and after each batch and divided by the
requests served. Kinds are interleaved round by round, so a busy neighbour on the
shared machine weighs on them alike; ratios to ``/me/`` are what the run shows.

``REQUESTS`` is the list of kinds: a scroll is one first page and ``pages - 1`` later
ones with the cursor; a kind whose URL the project does not route (an endpoint not yet
merged) is left out of the run and listed under ``skipped``.
"""

from __future__ import annotations

import random
import resource
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.test import Client, override_settings
from django.urls import Resolver404, resolve

from accounts.models import User
from content.models import Channel, Tag


@dataclass(frozen=True)
class Kind:
    name: str
    path: str  # may hold {channel}, {lat}, {lng}, {q}
    scroll: bool = False  # follow next_cursor for the run's pages
    repeat: int = 1  # single requests a viewer makes per round (cheap kinds: more, for the clock)


REQUESTS = [
    Kind("trivial_django", "/bench/trivial/", repeat=5),
    Kind("trivial_drf", "/api/v1/bench/trivial/", repeat=5),
    Kind("me", "/api/v1/me/", repeat=5),
    Kind("discover", "/api/v1/feeds/discover/", scroll=True),
    Kind("follow", "/api/v1/feeds/follow/", scroll=True),
    Kind("hot", "/api/v1/feeds/hot/", scroll=True),
    Kind("channel", "/api/v1/feeds/channels/{channel}/", scroll=True),
    Kind("nearby", "/api/v1/feeds/nearby/?lat={lat}&lng={lng}", scroll=True),
    Kind("search", "/api/v1/search/?q={q}", repeat=2),
    Kind("notifications_unread", "/api/v1/notifications/unread/", repeat=5),
]
BASELINE = "me"
URLCONF = "lab.bench_urls"


def routed(path: str) -> bool:
    try:
        resolve(path.split("?")[0].format(channel="food", lat=0, lng=0, q="x"), urlconf=URLCONF)
    except Resolver404:
        return False
    return True


class Meter:
    """CPU seconds of this process and of the server process trees named by pid."""

    def __init__(self, servers: dict[str, int | None]):
        from lab.management.commands.bench import cpu_seconds

        self._tree = cpu_seconds
        self.servers = {name: pid for name, pid in servers.items() if pid}

    def read(self) -> dict[str, float]:
        me = resource.getrusage(resource.RUSAGE_SELF)
        out = {"web": me.ru_utime + me.ru_stime}
        out.update({name: self._tree(pid) for name, pid in self.servers.items()})
        return out


def ratios(
    people: list[User], *, pages: int, rounds: int, servers: dict[str, int | None], log=print
) -> dict:
    """Run every kind for every person, ``rounds`` times interleaved; return the figures."""
    rng = random.Random(7)
    kinds = [k for k in REQUESTS if routed(k.path)]
    skipped = [k.name for k in REQUESTS if k not in kinds]
    channels = list(Channel.objects.filter(parent__isnull=True).values_list("slug", flat=True))
    words = list(Tag.objects.order_by("-post_count").values_list("name", flat=True)[:50]) or ["的"]
    clients = {p.pk: Client(HTTP_AUTHORIZATION=f"Token {p.auth_token.key}") for p in people}
    meter = Meter(servers)
    spent: dict[str, dict[str, float]] = {k.name: {} for k in kinds}
    walls: dict[str, list[float]] = {k.name: [] for k in kinds}
    firsts: dict[str, list[float]] = {k.name: [] for k in kinds}
    failures: dict[str, int] = {k.name: 0 for k in kinds}

    def get(kind: Kind, client: Client, url: str) -> dict | None:
        t = time.perf_counter()
        response = client.get(url)
        walls[kind.name].append(time.perf_counter() - t)
        if response.status_code != 200:
            failures[kind.name] += 1
            return None
        return response.json() if kind.scroll else None

    def run(kind: Kind, person: User) -> None:
        client = clients[person.pk]
        url = kind.path.format(
            channel=rng.choice(channels) if channels else "food",
            lat=person.home_lat if person.home_lat is not None else 31.23,
            lng=person.home_lng if person.home_lng is not None else 121.47,
            q=rng.choice(words),
        )
        if not kind.scroll:
            for _ in range(kind.repeat):
                get(kind, client, url)
            return
        body = get(kind, client, url)
        firsts[kind.name].append(walls[kind.name][-1])
        for _ in range(pages - 1):
            if not body or not body.get("next_cursor"):
                break
            body = get(kind, client, f"{url.split('?')[0]}?cursor={quote(body['next_cursor'])}")

    with override_settings(ROOT_URLCONF=URLCONF):
        for k in kinds:  # warm each path once (imports, first queries), unmeasured
            run(k, people[0])
        for k in walls:
            walls[k].clear()
            firsts[k].clear()
        for r in range(rounds):
            order = kinds[:]
            rng.shuffle(order)
            for kind in order:
                before = meter.read()
                for person in people:
                    run(kind, person)
                after = meter.read()
                for name in after:
                    spent[kind.name][name] = (
                        spent[kind.name].get(name, 0.0) + after[name] - before[name]
                    )
            log(f"  ratios: round {r + 1} of {rounds} done")
    out: dict = {}
    for kind in kinds:
        n = len(walls[kind.name])
        cpu = {f"{name}_ms": round(1000 * s / max(n, 1), 3) for name, s in spent[kind.name].items()}
        cpu["machine_ms"] = round(sum(v for v in cpu.values()), 3)
        ms = sorted(1000 * w for w in walls[kind.name])
        out[kind.name] = {
            "requests": n,
            "failures": failures[kind.name],
            "cpu_ms_per_request": cpu,
            "p50_ms": round(statistics.median(ms), 2) if ms else None,
            "p99_ms": round(ms[min(n - 1, round(0.99 * n) - 1)], 2) if ms else None,
            "requests_per_second": round(n / sum(walls[kind.name]), 1) if n else None,
        }
        if kind.scroll and firsts[kind.name]:
            first = sorted(1000 * w for w in firsts[kind.name])
            out[kind.name]["first_page_p50_ms"] = round(statistics.median(first), 2)
    base = out.get(BASELINE)
    for figures in out.values():
        if base:
            figures["cpu_x_me"] = round(
                figures["cpu_ms_per_request"]["machine_ms"]
                / base["cpu_ms_per_request"]["machine_ms"],
                2,
            )
            figures["rps_x_me"] = round(
                figures["requests_per_second"] / base["requests_per_second"], 2
            )
    return {
        "how": f"in-process Django Client, {len(people)} viewers × {rounds} rounds, scrolls of {pages} pages "
        f"(1 first + {pages - 1} later), CPU of this process + PostgreSQL + Redis per request",
        "kinds": out,
        "skipped": skipped,
    }


def ratio_table(r: dict) -> str:
    """Return the markdown table of the ratios."""
    rows = [
        "| request | machine CPU a request (web / database / Redis) | × `/me/` | p50 / p99 in-process | req/s in-process (× `/me/`) |",
        "|---|---|---|---|---|",
    ]
    for name, f in r["kinds"].items():
        c = f["cpu_ms_per_request"]
        first = f" (first page p50 {f['first_page_p50_ms']} ms)" if "first_page_p50_ms" in f else ""
        rows.append(
            f"| {name} | {c['machine_ms']:.2f} ms ({c.get('web_ms', 0):.2f} / {c.get('database_ms', 0):.2f} / "
            f"{c.get('redis_ms', 0):.2f}) | **{f.get('cpu_x_me', '–')}** | {f['p50_ms']} / {f['p99_ms']} ms{first} | "
            f"{f['requests_per_second']} ({f.get('rps_x_me', '–')}) |"
        )
    if r.get("skipped"):
        rows.append(f"\nnot routed in this build, left out: {', '.join(r['skipped'])}")
    return "\n".join(rows) + "\n"


def server_pids(var: Path) -> dict[str, int | None]:
    from lab.management.commands.bench import pid_from_file

    return {
        "database": pid_from_file(var / "postgres" / "data" / "postmaster.pid"),
        "redis": pid_from_file(var / "redis.pid"),
    }
