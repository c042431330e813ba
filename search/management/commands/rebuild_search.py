"""``python manage.py rebuild_search``: rebuild the search index from the database."""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from content.models import Post
from search.services import index_rebuild


class Command(BaseCommand):
    help = "Rebuild the search index from the posts in the database (rebuild_redis's sibling)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--missing", action="store_true", help="only index posts that have no document yet"
        )

    def handle(self, *args, missing: bool = False, **options) -> None:
        total = (
            Post.objects.filter(search_document__isnull=True).count()
            if missing
            else Post.objects.count()
        )
        with tqdm(
            total=total, unit="post", disable=options["verbosity"] < 1, file=self.stdout
        ) as bar:
            done = index_rebuild(missing_only=missing, progress=bar.update)
        self.stdout.write(f"indexed {done} posts")
