"""Benchmark the engine's recomputes on a large synthetic world (bulk-seeded).

Run it through ``bin/bench-engine``, which gives it its own database and Redis under
``var/bench/`` so it never touches your data. Writes ``bench/engine-results.json``.
"""

from __future__ import annotations

import json
import os
import platform as std_platform
import random
import resource
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Follow, InterestPick, User
from accounts.usernames import username_key
from content.models import Channel, Event, Post, PostTag, Tag
from feeds.engine.quality import bands, simhash
from feeds.models import InterestAffinity, PoolEntry, PostSignature, Watermark
from feeds.services.hot import hot_and_trending_recompute
from feeds.services.pools import pools_evaluate
from feeds.services.weights import weights_recompute
from lab.words import CITIES


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = "Seed a large world in bulk and time the pool, hot-list and weight recomputes."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=10_000)
        parser.add_argument("--posts", type=int, default=100_000)
        parser.add_argument("--events", type=int, default=1_000_000)
        parser.add_argument(
            "--changed", type=int, default=10_000, help="posts changed in the last minute"
        )
        parser.add_argument("--out", default="bench/engine-results.json")
        parser.add_argument(
            "--seed-only",
            action="store_true",
            help="seed the world and stop; a second run then measures in a fresh process, as a worker would",
        )

    def handle(self, *args, users, posts, events, changed, out, seed_only, **options):
        name = str(settings.DATABASES["default"]["NAME"])
        if "bench" not in name:
            raise CommandError(
                "Run this on a bench database (bin/bench-engine does): it fills it with data."
            )
        rng = random.Random(7)
        timings: dict[str, float] = {}
        seed_file = Path(settings.VAR_DIR) / "bench-seed-seconds"
        t0 = time.perf_counter()
        if not Post.objects.exists():
            self._seed(rng, users, posts, events)
            seed_file.write_text(f"{time.perf_counter() - t0:.1f}")
        if seed_only:
            self.stdout.write(f"seeded in {seed_file.read_text()} s")
            return
        timings["seed_seconds"] = float(seed_file.read_text()) if seed_file.exists() else None
        now = timezone.now()
        rss_before = _rss_mb()
        measured, chosen, moved, sizes, n_weights = self.measure_recomputes(rng, changed, now)
        timings.update(measured)
        result = {
            "date": now.date().isoformat(),
            "machine": {
                "cpus": os.cpu_count(),
                "python": std_platform.python_version(),
                "system": std_platform.platform(),
                "database": connection.vendor,
            },
            "world": {
                "users": User.objects.count(),
                "posts": Post.objects.count(),
                "events": Event.objects.count(),
                "changed_posts": len(chosen),
            },
            "timings": timings,
            "pool_moves": moved,
            "hot_list_sizes": {"global": sizes.get("global"), "trending": sizes.get("trending")},
            "weights_computed": n_weights,
            "peak_rss_mb": round(_rss_mb(), 1),
            "rss_before_recomputes_mb": round(rss_before, 1),
            "targets": {
                "pool_evaluation_seconds": 2,
                "hot_recompute_seconds": 5,
                "weights_pass_seconds": 30,
                "peak_rss_mb": 500,
            },
        }
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
        self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))

    def measure_recomputes(self, rng, changed: int, now) -> tuple[dict, list[int], dict, dict, int]:
        """Add a minute of activity on ``changed`` posts, then time each engine recompute.

        Returns the timings, the changed posts, the pool moves, the hot-list sizes and
        the number of weights computed.
        """
        post_ids = list(Post.objects.values_list("pk", flat=True))
        user_ids = list(User.objects.values_list("pk", flat=True))
        # A minute of activity on `changed` posts: 3 impressions and some likes each.
        chosen = rng.sample(post_ids, min(changed, len(post_ids)))
        recent = now - timedelta(seconds=30)
        rows = []
        for pid in chosen:
            for _ in range(3):
                rows.append(
                    Event(
                        user_id=rng.choice(user_ids),
                        post_id=pid,
                        kind="impression",
                        created_at=recent,
                    )
                )
            if rng.random() < 0.3:
                rows.append(
                    Event(user_id=rng.choice(user_ids), post_id=pid, kind="like", created_at=recent)
                )
        Event.objects.bulk_create(rows, batch_size=5000)
        Watermark.objects.update_or_create(
            name="pools", defaults={"at": now - timedelta(minutes=1)}
        )
        timings = {}
        t = time.perf_counter()
        moved = pools_evaluate(now=now)
        timings["pool_evaluation_seconds"] = round(time.perf_counter() - t, 3)
        t = time.perf_counter()
        sizes = hot_and_trending_recompute(now=now)
        timings["hot_recompute_seconds"] = round(time.perf_counter() - t, 3)
        t = time.perf_counter()
        n_weights = weights_recompute(user_ids=user_ids, now=now)
        timings["weights_pass_seconds"] = round(time.perf_counter() - t, 3)
        return timings, chosen, moved, sizes, n_weights

    @transaction.atomic
    def _seed(self, rng, n_users, n_posts, n_events):
        now = timezone.now()
        password = make_password("bench-pass-123")
        users = []
        for i in range(n_users):
            city, lat, lng = rng.choice(CITIES)  # every person lives in one of six cities
            name = f"b{i:06d}"  # bulk_create skips save(), which sets the look-alike key
            users.append(
                User(
                    username=name,
                    username_key=username_key(name),
                    password=password,
                    onboarded_at=now,
                    home_place=city,
                    home_lat=lat + rng.gauss(0, 0.08),
                    home_lng=lng + rng.gauss(0, 0.08),
                )
            )
        User.objects.bulk_create(users, batch_size=5000)
        user_ids = list(User.objects.values_list("pk", flat=True))
        channels = list(Channel.objects.values_list("pk", flat=True))
        tags = [Tag(name=f"话题{i}") for i in range(2000)]
        Tag.objects.bulk_create(tags, batch_size=2000)
        tag_ids = list(Tag.objects.values_list("pk", flat=True))
        # Skewed authorship: a few big accounts write much of the content.
        authors = [user_ids[int(len(user_ids) * rng.random() ** 3)] for _ in range(n_posts)]
        batch = []
        for i in range(n_posts):
            created = now - timedelta(minutes=rng.randint(1, 30 * 24 * 60))
            city, lat, lng = rng.choice(CITIES)
            placed = rng.random() < 0.6  # most posts say where they were taken
            batch.append(
                Post(
                    author_id=authors[i],
                    kind="note",
                    title=f"笔记 {i}",
                    body=f"第 {i} 篇内容 {rng.random()}",
                    place_name=city if placed else "",
                    lat=lat + rng.gauss(0, 0.1) if placed else None,
                    lng=lng + rng.gauss(0, 0.1) if placed else None,
                    channel_id=rng.choice(channels),
                    status="published",
                    created_at=created,
                    published_at=created,
                    like_count=rng.randint(0, 50),
                    comment_count=rng.randint(0, 5),
                    favourite_count=rng.randint(0, 10),
                    share_count=rng.randint(0, 3),
                )
            )
        Post.objects.bulk_create(batch, batch_size=5000)
        posts = list(Post.objects.values_list("pk", "created_at", "body"))
        PostTag.objects.bulk_create(
            [
                PostTag(post_id=pid, tag_id=t, source="author")
                for pid, _, _ in posts
                for t in set(rng.sample(tag_ids, 3))
            ],
            batch_size=10000,
        )
        entries, sigs = [], []
        for pid, created, body in posts:
            entries.append(
                PoolEntry(
                    post_id=pid,
                    tier=0,
                    state="active",
                    quota=150,
                    tier_entered_at=created,
                    window_ends_at=now + timedelta(hours=48),
                    quality_score=0.8,
                )
            )
            value = simhash(body)
            b = bands(value)
            sigs.append(
                PostSignature(
                    post_id=pid, simhash=value, band0=b[0], band1=b[1], band2=b[2], band3=b[3]
                )
            )
        PoolEntry.objects.bulk_create(entries, batch_size=5000)
        PostSignature.objects.bulk_create(sigs, batch_size=5000)
        follows = {
            (rng.choice(user_ids), user_ids[int(len(user_ids) * rng.random() ** 4)])
            for _ in range(n_users * 20)
        }
        Follow.objects.bulk_create(
            [Follow(follower_id=a, followee_id=b) for a, b in follows if a != b],
            batch_size=10000,
            ignore_conflicts=True,
        )
        self._seed_counters_and_interests(rng, user_ids, channels, tag_ids, now)
        kinds = ["impression"] * 6 + ["view"] * 2 + ["like", "favourite"]
        post_meta = [(pid, created) for pid, created, _ in posts]
        for start in range(0, n_events, 50_000):
            rows = []
            for _ in range(min(50_000, n_events - start)):
                pid, created = rng.choice(post_meta)
                kind = rng.choice(kinds)
                rows.append(
                    Event(
                        user_id=rng.choice(user_ids),
                        post_id=pid,
                        kind=kind,
                        seconds=rng.uniform(0.5, 30) if kind == "view" else None,
                        created_at=created + timedelta(minutes=rng.randint(0, 600)),
                    )
                )
            Event.objects.bulk_create(rows, batch_size=10000)
            self.stdout.write(f"  events {start + len(rows):,}")

    def _seed_counters_and_interests(self, rng, user_ids, channels, tag_ids, now):
        """Count follows and posts onto the users (as the services would have) and give
        everyone onboarding picks and an interest profile, so feeds are personal."""
        with connection.cursor() as cursor:
            for column, table, key in (
                ("follower_count", "accounts_follow", "followee_id"),
                ("following_count", "accounts_follow", "follower_id"),
                ("post_count", "content_post", "author_id"),
            ):
                cursor.execute(
                    f"UPDATE accounts_user SET {column} = "
                    f"(SELECT COUNT(*) FROM {table} WHERE {table}.{key} = accounts_user.id)"
                )
        top = list(Channel.objects.filter(parent__isnull=True).values_list("pk", flat=True))
        picks, affinities = [], []
        for uid in user_ids:
            for channel_id in rng.sample(top, 3):
                picks.append(InterestPick(user_id=uid, channel_id=channel_id))
                affinities.append(
                    InterestAffinity(
                        user_id=uid,
                        kind="channel",
                        key=channel_id,
                        score=10 + rng.random() * 5,
                        updated_at=now,
                    )
                )
            for tag_id in rng.sample(tag_ids, 5):
                affinities.append(
                    InterestAffinity(
                        user_id=uid, kind="tag", key=tag_id, score=rng.random() * 8, updated_at=now
                    )
                )
        InterestPick.objects.bulk_create(picks, batch_size=10000, ignore_conflicts=True)
        InterestAffinity.objects.bulk_create(affinities, batch_size=10000, ignore_conflicts=True)
