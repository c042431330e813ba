"""Run one of the engine's recomputes once, by hand (what beat runs on a schedule)."""

from django.core.management.base import BaseCommand

from feeds.services.coengagement import coengagement_recompute
from feeds.services.hot import hot_and_trending_recompute
from feeds.services.interests import interests_decay
from feeds.services.pools import pools_evaluate
from feeds.services.weights import weights_recompute

JOBS = {
    "pools": ("pool evaluation", lambda: pools_evaluate()),
    "hot": ("hot lists and trending topics", lambda: hot_and_trending_recompute()),
    "weights": ("account weights", lambda: weights_recompute()),
    "interests": ("interest-profile decay", lambda: interests_decay()),
    "coengagement": ("co-engagement sets", lambda: coengagement_recompute()),
}


class Command(BaseCommand):
    help = "Run a recompute once: pools | hot | weights | interests | coengagement."

    def add_arguments(self, parser):
        parser.add_argument("job", choices=sorted(JOBS), help="which recompute to run")

    def handle(self, *args, job, **options):
        label, run = JOBS[job]
        result = run()
        self.stdout.write(self.style.SUCCESS(f"Ran {label}: {result}"))
