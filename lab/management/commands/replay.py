"""Replay an interaction log through the engine and score discover against the baselines.

The run has a database and a Redis of its own (``lab.replay.sandbox``); nothing of the
platform's is read or written. See docs/replay.md for the input format and the protocol.
"""

import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lab.replay.io import ADAPTERS, InputError, read_log

BAD_INPUT = 2  # the exit code of a log the replay cannot read


class Command(BaseCommand):
    help = "Replay an interaction log through the real engine; score the discover page against baselines."

    def add_arguments(self, parser):
        parser.add_argument(
            "log", help="the interaction file (for MovieLens, its folder or ratings.csv)"
        )
        parser.add_argument(
            "--adapter", default="generic", help=f"the log's format: {', '.join(ADAPTERS)}"
        )
        parser.add_argument(
            "--items", help="an item file (generic format, or KuaiRec / KuaiRand categories)"
        )
        parser.add_argument(
            "--warmup",
            type=float,
            default=0.7,
            help="share of the time span replayed before scoring",
        )
        parser.add_argument(
            "--min-history",
            type=int,
            default=5,
            help="interactions a person needs before a scored day",
        )
        parser.add_argument(
            "--watch-positive",
            type=float,
            default=2.0,
            help="a watch of this × the duration is a positive",
        )
        parser.add_argument(
            "--recent-days",
            type=int,
            default=30,
            help="the window of the 'most liked recently' baseline",
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--hot-at-period",
            action="store_true",
            help="run the hot-list pass every PERIOD_HOT of simulated time, as beat does, "
            "instead of once before each scored day (slower; the pages read a list computed "
            "at the day boundary either way, unless rows came in its last minutes)",
        )
        parser.add_argument("--out", help="write the figures as JSON to this file")
        parser.add_argument(
            "--knob",
            action="append",
            default=[],
            metavar="NAME=JSON",
            help="run an engine knob at another value, e.g. --knob FEED_FRESHNESS_FLOOR=0.5 (repeatable)",
        )

    def handle(self, *args, **o):
        from django.conf import settings

        if not 0 <= o["warmup"] < 1:
            raise CommandError("--warmup must be at least 0 and under 1", returncode=BAD_INPUT)
        knobs = {}
        for item in o["knob"]:
            name, _, raw = item.partition("=")
            if name not in settings.ENGINE or not raw:
                raise CommandError(
                    f"--knob {item!r}: give NAME=VALUE with NAME an ENGINE knob",
                    returncode=BAD_INPUT,
                )
            try:
                knobs[name] = json.loads(raw)
            except json.JSONDecodeError:
                knobs[name] = raw
        try:
            log = read_log(o["log"], adapter=o["adapter"], items=o["items"])
        except InputError as error:
            raise CommandError(str(error), returncode=BAD_INPUT) from None

        from lab.replay.run import Replay
        from lab.replay.sandbox import sandbox

        started = time.perf_counter()
        self.stdout.write(
            f"{len(log.interactions)} interactions, {len(log.items)} items described; replaying …"
        )
        with sandbox(knobs):
            replay = Replay(
                log,
                warmup=o["warmup"],
                min_history=o["min_history"],
                watch_positive=o["watch_positive"],
                recent_days=o["recent_days"],
                seed=o["seed"],
                hot_at_period=o["hot_at_period"],
                progress=lambda m: self.stdout.write(m),
            )
            figures = replay.run()
        figures["knobs"] = knobs
        figures["wall_seconds"] = round(time.perf_counter() - started, 1)
        text = json.dumps(figures, indent=2, ensure_ascii=False)
        self.stdout.write(text)
        if o["out"]:
            Path(o["out"]).parent.mkdir(parents=True, exist_ok=True)
            Path(o["out"]).write_text(text + "\n")
            self.stdout.write(self.style.SUCCESS(f"figures written to {o['out']}"))
