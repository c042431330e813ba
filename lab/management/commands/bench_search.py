"""``python manage.py bench_search``: what search costs, beside the cheapest signed-in request.

On the database the settings name (``bin/bench-search`` runs it on PostgreSQL and on
SQLite, each with a world of its own), it measures:

1. the index build: ``rebuild_search`` over every post, in seconds;
2. in-process, through the whole Django stack (``django.test.Client``, a signed-in
   viewer): ``GET /api/v1/search/`` for one-word and two-word Chinese queries taken from
   the posts' own titles, p50 and p99 in ms, beside ``GET /api/v1/me/`` in the same run;
3. over HTTP (gunicorn, 2 workers, under locust, as ``bin/bench`` does): search and
   ``/me/`` requests per second, one after the other in the same run;
4. what reading the index in static-score order and stopping costs in ranking: for 100
   queries of each kind, the share of the first page (20) that ranking *every* match
   would show which the served page shows, beside the same share for the two reads it
   replaced or was weighed against (the best text scores; the newest matches), each
   ranking its ``SEARCH_CANDIDATES`` candidates by the same relevance.

Figures are ratios measured in one run; absolute times depend on the machine's load.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import User
from accounts.usernames import username_key
from content.models import Channel, Post, PostTag, Tag
from feeds.knobs import knobs
from lab.words import CITIES, CLOSERS, OPENERS, SENTENCES, SPOTS, TOPICS
from search import backends
from search.ranking import rank
from search.selectors import FACTS, Query, candidate, post_hits
from search.services import index_rebuild
from search.tokens import query_tokens

ROOT = Path(__file__).resolve().parents[3]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def summary(seconds: list[float]) -> dict:
    ms = [s * 1000 for s in seconds]
    return {"n": len(ms), "p50_ms": round(statistics.median(ms), 2), "p99_ms": round(percentile(ms, 0.99), 2)}


class Command(BaseCommand):
    help = "Benchmark search (index build, in-process latency, HTTP throughput) beside /me/."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--users", type=int, default=10_000)
        parser.add_argument("--posts", type=int, default=100_000)
        parser.add_argument("--queries", type=int, default=300, help="queries of each kind timed")
        parser.add_argument("--http-seconds", type=int, default=20)
        parser.add_argument("--http-users", type=int, default=8)
        parser.add_argument("--skip-http", action="store_true")
        parser.add_argument("--out", default="bench/search.json")

    def handle(self, *args, users, posts, queries, http_seconds, http_users, skip_http, out, **options):
        if "bench" not in str(settings.DATABASES["default"]["NAME"]):
            raise CommandError("Run this on a bench database (bin/bench-search does): it fills it with data.")
        rng = random.Random(7)
        if not Post.objects.exists():
            t = time.perf_counter()
            self.seed(rng, users, posts)
            self.stdout.write(f"seeded {posts} posts in {time.perf_counter() - t:.1f} s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        t = time.perf_counter()
        indexed = index_rebuild(chunk=2000)
        build_seconds = round(time.perf_counter() - t, 1)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE search_searchdocument")
        self.stdout.write(f"indexed {indexed} posts in {build_seconds} s")
        one, two = self.queries(rng, queries)
        viewer = User.objects.filter(is_active=True).order_by("pk").first()
        token, _ = Token.objects.get_or_create(user=viewer)
        result = {
            "date": timezone.now().isoformat(timespec="seconds"),
            "database": connection.vendor,
            "posts": Post.objects.count(),
            "index_build_seconds": build_seconds,
            "first_page_agreement": self.agreement(one[:100], two[:100]),
            "in_process": self.in_process(token.key, one, two),
        }
        ip = result["in_process"]
        ip["search_over_me_p50"] = round(
            statistics.mean([ip["one_word"]["p50_ms"], ip["two_words"]["p50_ms"]]) / ip["me"]["p50_ms"], 2
        )
        if not skip_http:
            result["http"] = self.over_http(token.key, one + two, http_seconds, http_users)
        result["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
        self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))

    def seed(self, rng: random.Random, n_users: int, n_posts: int) -> None:
        """Bulk-create people and published posts with the demo world's Chinese text, a
        topic tag each and skewed like and view counts: what search reads, nothing more
        (no events, images or pools, which the feeds' benchmark seeds)."""
        now = timezone.now()
        User.objects.bulk_create(
            [User(username=f"s{i:06d}", username_key=username_key(f"s{i:06d}"), password="!",
                  display_name=f"{rng.choice(SPOTS)}{rng.choice(['小馆', '日记', '达人', '研究所'])}{i}",
                  onboarded_at=now, follower_count=int(rng.paretovariate(1.2)))
             for i in range(n_users)],
            batch_size=5000,
        )  # fmt: skip
        people = list(User.objects.values_list("pk", flat=True))
        channels = list(Channel.objects.filter(parent__isnull=False).select_related("parent"))
        topics = {c.pk: TOPICS.get(c.parent.slug, (["生活"], ["life"]))[0] for c in channels}
        rows, topic_of = [], []
        for _ in range(n_posts):
            channel = rng.choice(channels)
            topic = rng.choice(topics[channel.pk])
            city, lat, lng = rng.choice(CITIES)
            placed = rng.random() < 0.6
            created = now - timedelta(minutes=rng.randint(5, 365 * 24 * 60))
            views = int(rng.paretovariate(1.1) * 20)
            rows.append(Post(
                author_id=rng.choice(people), kind=Post.Kind.NOTE, channel=channel,
                title=f"{rng.choice(OPENERS)}{topic}｜{rng.choice(SPOTS)}"[:30],
                body=f"{rng.choice(OPENERS)}{topic}，在{rng.choice(SPOTS)}附近。"
                     f"{'，'.join(rng.sample(SENTENCES, 3))}。{rng.choice(CLOSERS)} #{topic}",
                place_name=f"{city} {rng.choice(SPOTS)}" if placed else "",
                lat=lat if placed else None, lng=lng if placed else None,
                status=Post.Status.PUBLISHED, created_at=created, published_at=created,
                view_count=views, like_count=int(views * rng.random() * 0.2),
            ))  # fmt: skip
            topic_of.append(topic)
        Post.objects.bulk_create(rows, batch_size=2000)
        Tag.objects.bulk_create([Tag(name=t) for t in set(topic_of)], ignore_conflicts=True)
        tag_ids = dict(Tag.objects.values_list("name", "pk"))
        PostTag.objects.bulk_create(
            [PostTag(post=p, tag_id=tag_ids[t], source=PostTag.Source.AUTHOR) for p, t in zip(rows, topic_of, strict=True)],
            batch_size=5000,
        )

    def queries(self, rng: random.Random, n: int) -> tuple[list[str], list[str]]:
        """Return one-word and two-word queries drawn from the titles of random posts."""
        titles = list(Post.objects.exclude(title="").order_by("?").values_list("title", flat=True)[: n * 4])
        one, two = [], []
        for title in titles:
            words = [w for w in query_tokens(title) if len(w) > 1]
            if words and len(one) < n:
                one.append(rng.choice(words))
            if len(words) >= 2 and len(two) < n:
                two.append(" ".join(rng.sample(words, 2)))
        return one, two

    def agreement(self, one: list[str], two: list[str]) -> dict:
        """Return, per query kind and read, the mean share of the exhaustive first page shown.

        The searcher has no interests (a person who never searched), so relevance is the
        text score times the static score; every bench post is visible to them.
        """
        k = knobs()
        viewer = User.objects.filter(is_active=True, affinities__isnull=True).order_by("-pk").first()
        now = timezone.now()
        facts = {row[0]: row for row in Post.objects.values_list(*FACTS)}
        page, n = 20, k["SEARCH_CANDIDATES"]

        def ranked(hits: list[tuple[int, float, int]]) -> list[int]:
            candidates = [candidate(facts[pk], text=text, interest=0.0, now=now) for pk, text, _ in hits]
            return [c.post_id for c in rank(candidates, k)][:page]

        out = {}
        for kind, qs in (("one_word", one), ("two_words", two)):
            shares: dict[str, list[float]] = {"served": [], "best_text_scores": [], "newest_matches": []}
            for q in qs:
                every = backends.match(query_tokens(q), limit=10**7)
                if len(every) <= n:
                    continue  # every match is a candidate: all reads agree
                best = set(ranked(every))
                reads = {
                    "served": post_hits(Query(q), user=viewer)[:page],
                    "best_text_scores": ranked(sorted(every, key=lambda h: -h[1])[:n]),
                    "newest_matches": ranked(sorted(every, key=lambda h: -h[0])[:n]),
                }
                for name, ids in reads.items():
                    shares[name].append(len(best & set(ids)) / len(best))
            out[kind] = {"queries": len(shares["served"])} | {
                name: round(statistics.mean(v), 3) if v else None for name, v in shares.items()
            }
        return out

    def in_process(self, token: str, one: list[str], two: list[str]) -> dict:
        client = Client(HTTP_AUTHORIZATION=f"Token {token}")
        timings: dict[str, list[float]] = {"one_word": [], "two_words": [], "me": []}
        # Rate limits are raised by bin/bench-search (THROTTLE_* in the environment).
        for q in (one + two)[:20]:  # warm the caches and the jieba dictionary
            client.get("/api/v1/search/", {"q": q})
        for kind, qs in (("one_word", one), ("two_words", two)):
            for q in qs:
                t = time.perf_counter()
                answer = client.get("/api/v1/search/", {"q": q})
                timings[kind].append(time.perf_counter() - t)
                if answer.status_code != 200:
                    raise CommandError(f"search {q!r} answered {answer.status_code}")
                t = time.perf_counter()
                client.get("/api/v1/me/")
                timings["me"].append(time.perf_counter() - t)
        return {kind: summary(values) for kind, values in timings.items()}

    def over_http(self, token: str, words: list[str], seconds: int, n_users: int) -> dict:
        """Serve the API with gunicorn; load search, then /me/, with locust."""
        from lab.management.commands.bench import free_port, locust, wait_for_http

        var = Path(settings.VAR_DIR)
        people = var / "bench-search-people.json"
        people.write_text(json.dumps({"people": [{"token": token}], "posts": [], "words": words}))
        port = free_port()
        env = {**os.environ, "PORT": str(port), "WEB_CONCURRENCY": "2", "ACCESS_LOG": "0", "DJANGO_DEBUG": "0",
               "BENCH_PEOPLE": str(people)}
        env.update({f"THROTTLE_{s}": "1000000/min" for s in ["ANON", "USER", "AUTH", "POST", "INTERACT", "EVENTS"]})
        web = subprocess.Popen([Path(sys.executable).parent / "gunicorn", "config.wsgi", "--config",
                                "platform/gunicorn.conf.py"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=open(var / "bench-search-web.log", "w"))
        try:
            wait_for_http(f"http://127.0.0.1:{port}/api/v1/channels/")
            out = {"server": "gunicorn, 2 workers × 4 threads", "load": f"locust, {n_users} users, {seconds} s each"}
            for name, user_class in (("search", "Search"), ("me", "Me")):
                out[name] = locust(user_class, port, env, n_users, seconds, var)
                self.stdout.write(f"  http {name}: {out[name]}")
            out["search_over_me_rps"] = round(
                out["search"]["requests_per_second"] / max(out["me"]["requests_per_second"], 0.1), 2
            )
            return out
        finally:
            web.terminate()
            web.wait(timeout=30)
