"""Rebuild the engine's Redis structures (pools, hot lists, trending, weights) from the database."""

from django.core.management.base import BaseCommand, CommandError
from redis.exceptions import RedisError

from feeds.services.rebuild import rebuild_redis


class Command(BaseCommand):
    help = "Rebuild every Redis structure of the engine from the database (the source of truth)."

    def handle(self, *args, **options):
        try:
            written = rebuild_redis()
        except (RedisError, OSError) as exc:
            raise CommandError(f"Redis is not reachable: {exc}") from exc
        summary = ", ".join(f"{name}: {n}" for name, n in written.items())
        self.stdout.write(self.style.SUCCESS(f"Rebuilt Redis from the database ({summary})."))
