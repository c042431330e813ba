"""The run: the simulated clock, day by day, with the engine's recomputes on schedule."""

from __future__ import annotations

import random
import tempfile
from collections import defaultdict
from datetime import datetime, timedelta

import time_machine
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from feeds.services.coengagement import coengagement_recompute
from feeds.services.hot import hot_and_trending_recompute
from feeds.services.interests import interests_decay
from feeds.services.learned import learned_train
from feeds.services.pools import pools_evaluate
from feeds.services.weights import weights_recompute
from lab.simulator.behaviour import Behaviour
from lab.simulator.figures import Figures
from lab.simulator.oracles import Oracles
from lab.simulator.shopping import Shopping
from lab.simulator.world import TOPIC_RATIO, TOPIC_SUFFIXES, Person, World, scaled_engine


class Simulation(World, Behaviour, Oracles, Figures, Shopping):
    """A world of ``users`` people, ``authors`` of them writing, run for ``days`` days."""

    def __init__(
        self,
        *,
        users: int = 2400,
        authors: int = 160,
        posts_per_day: int = 200,
        days: int = 3,
        sessions_per_day: int = 1,
        pages_per_session: int = 1,
        quota_scale: float = 0.1,
        seed: int = 7,
        unpicked: tuple[float, ...] = (),
        topics: int = 0,
        opens: float = 0.0,
        commerce: float = 0.0,
        knobs: dict | None = None,
        progress=None,
    ):
        self.n_users, self.n_authors = users, authors
        self.posts_per_day, self.days = posts_per_day, days
        self.sessions, self.pages = sessions_per_day, pages_per_session
        self.quota_scale = quota_scale
        self.knobs = dict(knobs or {})  # engine knobs tried at other values than the settings'
        # Two random streams: the world (people, tastes, authors, which posts arrive when,
        # their true quality) and behaviour (who scrolls when, reactions, the random
        # baseline). A knob changes what people are shown and so how they behave, never
        # the world: runs with different knobs judge the same posts.
        self.world = random.Random(seed)
        self.rng = random.Random(seed + 1)
        # The interests people did not pick come from a third stream, so the rest of the
        # world (who picks what, the authors, the posts) is the same with or without them.
        self.unpicked = tuple(unpicked)
        self.hidden = random.Random(seed + 2)
        # Topics too (each post's topic, each person's favourite ones): with or without
        # them, the people, their channels, the authors and the posts are the same.
        if topics == 1 or not 0 <= topics <= len(TOPIC_SUFFIXES):
            raise ValueError(
                f"give 0 (channels only) or 2–{len(TOPIC_SUFFIXES)} topics per sub-channel"
            )
        self.topics = topics
        self.topic_rng = random.Random(seed + 3)
        # A favourite topic's and another topic's factor: TOPIC_RATIO apart, mean 1.
        spread = TOPIC_RATIO + topics - 1
        self.topic_factor = (topics * TOPIC_RATIO / spread, topics / spread)
        self.post_topic: dict[int, int] = {}
        # Opening a card (reading the note: a view event) has a stream of its own too, so
        # with or without it the likes, saves and skips are drawn alike.
        self.opens = opens
        self.open_rng = random.Random(seed + 4)
        # Products and buying intent (lab/simulator/shopping.py), on streams of their own.
        self.shopping_init(commerce, seed)
        self.day = 0
        self.progress = progress or (lambda message: None)
        self.people: list[Person] = []
        self.authors: list[Person] = []
        self.truth: dict[int, float] = {}  # post id → true quality
        self.post_channel: dict[int, int] = {}
        self.post_author: dict[int, int] = {}
        self.published_at: dict[int, datetime] = {}
        self.zero_follower_authors: set[int] = set()
        self.engaged: dict[str, list[float]] = defaultdict(list)
        self.discover_channels: dict[int, list[int]] = defaultdict(
            list
        )  # user → top-level channel per item
        self.baseline_seen: dict[tuple[str, int], set[int]] = defaultdict(set)
        self.served: dict[int, set[int]] = defaultdict(set)  # user → posts discover served them
        self.text_counter = 0

    def run(self) -> dict:

        start = timezone.now().replace(microsecond=0)
        tick = timedelta(minutes=30)
        ticks_per_day = 48
        # Passwords of simulated people never matter: hash them cheaply.
        fast_hash = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        with (
            tempfile.TemporaryDirectory() as media,
            override_settings(
                ENGINE={**scaled_engine(self.quota_scale), **self.knobs},
                MEDIA_ROOT=media,
                PASSWORD_HASHERS=fast_hash,
            ),
            time_machine.travel(start - timedelta(days=1), tick=False) as clock,
        ):
            self.build()
            self.shops_open()
            # A day of posts before the clock starts, so the first feeds are not empty.
            for t in range(ticks_per_day):
                clock.move_to(start - timedelta(days=1) + t * tick)
                for _ in range(self._arrivals(t, ticks_per_day)):
                    self.publish(self.world.choice(self.authors))
                pools_evaluate()
            page_size = settings.ENGINE["FEED_PAGE_SIZE"]
            self.started = start
            for day in range(self.days):
                self.day = day
                for t in range(ticks_per_day):
                    now = start + (day * ticks_per_day + t) * tick
                    clock.move_to(now)
                    arrivals = self._arrivals(t, ticks_per_day)
                    for _ in range(arrivals):
                        self.publish(self.world.choice(self.authors))
                    # Each person opens the app `sessions` times a day, at random ticks.
                    for person in self.people:
                        if self.rng.random() < self.sessions / ticks_per_day:
                            self.scroll(person)
                            self.baselines(person, page_size * self.pages)
                    pools_evaluate()
                    if t % 2 == 1:
                        hot_and_trending_recompute()
                    if t % 4 == 3:
                        coengagement_recompute()
                clock.move_to(start + (day + 1) * ticks_per_day * tick - timedelta(seconds=1))
                weights_recompute()
                interests_decay()
                learned_train()
                self.progress(
                    f"day {day + 1}/{self.days}: {len(self.truth)} posts, "
                    f"{len(self.engaged['discover'])} discover impressions"
                )
            end = start + self.days * ticks_per_day * tick
            clock.move_to(end)
            pools_evaluate()
            return self.figures(end)
