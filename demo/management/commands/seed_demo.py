"""Seed the demo world: people, posts, follows and interactions (safe to run twice)."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from content.models import Post
from demo.world import DEMO_PASSWORD, NAMED_ACCOUNTS, build_demo_world


class Command(BaseCommand):
    help = "Create the demo world (about 200 people and 2 000 posts); a second run adds nothing."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=200)
        parser.add_argument("--posts", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when the database has posts"
        )

    def handle(self, *args, users, posts, seed, if_empty, **options):
        if users < len(NAMED_ACCOUNTS) + 2 or users > 100_000:
            raise CommandError(f"--users must be between {len(NAMED_ACCOUNTS) + 2} and 100000.")
        if posts < 0 or posts > 1_000_000:
            raise CommandError("--posts must be between 0 and 1000000.")
        if if_empty and Post.objects.exists():
            self.stdout.write("The database has posts already; not seeding.")
            return
        with tqdm(
            total=users + posts,
            desc="seeding demo world",
            unit="row",
            disable=options["verbosity"] == 0,
        ) as bar:
            report = build_demo_world(users=users, posts=posts, seed=seed, progress=bar.update)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo world: +{report.users} users, +{report.posts} posts, "
                f"{report.follows} follows, {report.likes} likes, {report.comments} comments."
            )
        )
        # The beat runs these every few minutes; run them now so a fresh demo opens with
        # its pool verdicts, hot lists, trending topics and account weights. The pools are
        # evaluated every six hours of the demo's fortnight, as the beat would have (more
        # coarsely): a window that closed short of evidence reopened, and the posts still
        # short after the last one ended their test as expired.
        from datetime import timedelta

        from django.utils import timezone

        from feeds.services.hot import hot_and_trending_recompute
        from feeds.services.pools import pools_evaluate
        from feeds.services.rebuild import rebuild_redis
        from feeds.services.weights import weights_recompute

        weights_recompute()
        now = timezone.now()
        oldest = (
            Post.objects.order_by("published_at").values_list("published_at", flat=True).first()
        )
        step = timedelta(hours=6)
        at = (oldest or now) + step
        while at < now:
            pools_evaluate(now=at)
            at += step
        pools_evaluate(now=now)
        hot_and_trending_recompute()
        # The world was written in bulk: its Redis structures (the nearby map, pools,
        # inboxes …) are built once here, complete, so the first page is not empty.
        rebuild_redis()
        names = ", ".join(n for n, _, _ in NAMED_ACCOUNTS)
        self.stdout.write(
            f"Demo logins: {names} (creators), moderator and admin, password {DEMO_PASSWORD}"
        )
