"""Run the simulated world through the real feeds and print / save the figures.

It builds its own people and posts, so it needs an empty database: ``bin/simulate``
gives it one (and its own Redis) under ``var/sim/``.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from content.models import Post
from feeds.knob_schema import engine_errors
from lab.simulator import TOPIC_SUFFIXES, Simulation


class Command(BaseCommand):
    help = (
        "Simulate people with hidden tastes scrolling the real discover feed; report the figures."
    )

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=2400)
        parser.add_argument("--authors", type=int, default=160)
        parser.add_argument("--posts-per-day", type=int, default=200)
        parser.add_argument("--days", type=int, default=3)
        parser.add_argument("--sessions", type=int, default=1, help="app opens per person per day")
        parser.add_argument("--pages", type=int, default=1, help="pages scrolled per session")
        parser.add_argument(
            "--quota-scale", type=float, default=0.1, help="pool quotas × this (the world is small)"
        )
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument(
            "--unpicked",
            default="none",
            metavar="W,W",
            help="weights of interests people have but do not pick at sign-up, one channel each, "
            "e.g. 0.4,0.3 (default none: people pick all they like)",
        )
        parser.add_argument(
            "--topics",
            type=int,
            default=0,
            metavar="N",
            help="tastes over tags too: N topic tags per sub-channel, each person with a favourite "
            f"one in every channel they like (0, or 2–{len(TOPIC_SUFFIXES)}; default 0: channels only)",
        )
        parser.add_argument(
            "--opens",
            type=float,
            default=0.0,
            metavar="SCALE",
            help="people open cards to read them (a view event), with the model's probability × SCALE "
            "(default 0: they never do)",
        )
        parser.add_argument(
            "--commerce",
            type=float,
            default=0.0,
            metavar="SHARE",
            help="this share of new posts sells a product, and people have hidden buying intent "
            "(default 0: nothing sells; lab/simulator/shopping.py)",
        )
        parser.add_argument("--out", help="write the figures as JSON to this file")
        parser.add_argument(
            "--knob",
            action="append",
            default=[],
            metavar="NAME=JSON",
            help="try an engine knob at another value, e.g. --knob FEED_POOL_SHARE=0.4 (repeatable)",
        )

    @staticmethod
    def weights(raw: str) -> tuple[float, ...]:
        if raw.strip().lower() in ("", "none", "0"):
            return ()
        try:
            weights = tuple(float(w) for w in raw.split(","))
        except ValueError:
            weights = ()
        if not weights or len(weights) > 5 or not all(0 < w < 0.6 for w in weights):
            raise CommandError(
                f"--unpicked {raw!r}: give up to five weights between 0 and 0.6 (under the picked "
                "channels' 0.6–1.0), comma-separated, or 'none'."
            )
        return weights

    def handle(self, *args, **o):
        if o["days"] < 2:
            raise CommandError(
                "--days must be at least 2: posts are judged one simulated day after publishing."
            )
        if not (10 <= o["users"] <= 100_000) or not (2 <= o["authors"] <= o["users"]):
            raise CommandError("--users must be 10–100000 and --authors 2–users.")
        if not 0 < o["quota_scale"] <= 1:
            raise CommandError("--quota-scale must be in (0, 1].")
        if not 0 <= o["opens"] <= 3:
            raise CommandError("--opens must be between 0 (nobody opens a card) and 3.")
        if not 0 <= o["commerce"] <= 1:
            raise CommandError("--commerce must be a share between 0 (nothing sells) and 1.")
        unpicked = self.weights(o["unpicked"])
        knobs = {}
        for item in o["knob"]:
            name, _, raw = item.partition("=")
            if name not in settings.ENGINE or not raw:
                raise CommandError(
                    f"--knob {item!r}: give NAME=VALUE with NAME one of the ENGINE knobs."
                )
            try:
                knobs[name] = json.loads(raw)
            except json.JSONDecodeError:
                knobs[name] = raw  # a bare word, not JSON: taken as a string
        wrong = engine_errors({**settings.ENGINE, **knobs})
        if wrong:
            raise CommandError("; ".join(f"--knob {name}: {message}" for name, message in wrong))
        if Post.objects.exists():
            raise CommandError(
                "The simulator builds its own world and needs an empty database; "
                "run bin/simulate, which gives it one under var/sim/."
            )
        try:
            sim = Simulation(
                users=o["users"],
                authors=o["authors"],
                posts_per_day=o["posts_per_day"],
                days=o["days"],
                sessions_per_day=o["sessions"],
                pages_per_session=o["pages"],
                quota_scale=o["quota_scale"],
                seed=o["seed"],
                unpicked=unpicked,
                topics=o["topics"],
                opens=o["opens"],
                commerce=o["commerce"],
                knobs=knobs,
                progress=lambda m: self.stdout.write(m),
            )
        except ValueError as error:
            raise CommandError(f"--topics {o['topics']}: {error}.") from error
        figures = sim.run()
        text = json.dumps(figures, indent=2, ensure_ascii=False)
        self.stdout.write(text)
        if o["out"]:
            Path(o["out"]).parent.mkdir(parents=True, exist_ok=True)
            Path(o["out"]).write_text(text + "\n")
            self.stdout.write(self.style.SUCCESS(f"figures written to {o['out']}"))
