"""A database and a Redis of the replay's own, so a run never touches the platform's.

The database is a fresh in-memory SQLite database migrated the way the test runner
makes one (``create_test_db``); Redis is an embedded server on a socket in a temporary
directory, keeping nothing on disk (thrown away with it). The engine's knobs are the
platform's, with what makes no sense for a replayed log turned off: pre-review of first
posts (the log's items are published) and engagement-burst screening (a log's bursts
are real people rating many items in one sitting, not a ring of accounts).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.test import override_settings

from config import redis_embedded


def sandbox_engine(knobs: dict | None = None) -> dict:
    """Return the platform's engine knobs as the replay runs them (``knobs`` on top)."""
    engine = dict(settings.ENGINE)
    engine["REVIEW_FIRST_POSTS"] = 0
    for name in engine:
        if name.startswith("ENGAGEMENT_BURST_"):
            engine[name] = 0  # 0 turns the screening off
    return {**engine, **(knobs or {})}


def _burst_settings() -> dict:
    """Top-level ENGAGEMENT_BURST_* settings, if the platform keeps any there, set to 0."""
    return {
        name: 0
        for name in dir(settings)
        if name.startswith("ENGAGEMENT_BURST_") and getattr(settings, name, None)
    }


@contextmanager
def sandbox(knobs: dict | None = None) -> Iterator[Path]:
    """Run the body on a migrated database and a Redis of its own; yield the scratch folder."""
    from config.celery_app import app

    connection = connections["default"]
    with tempfile.TemporaryDirectory(prefix="replay-") as scratch:
        folder = Path(scratch)
        sock = redis_embedded.start(folder, "replay-redis", persist=False)
        url = f"unix://{sock}"
        caches = {
            "default": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": url,
                "KEY_PREFIX": "cache",
                "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
            }
        }
        broker = redis_embedded.celery_broker_url(url)
        old_name = connection.settings_dict["NAME"]
        old_test = dict(connection.settings_dict.get("TEST") or {})
        old_broker = app.conf.broker_url
        try:
            with override_settings(
                CACHES=caches,
                REDIS_URL=url,
                CELERY_BROKER_URL=broker,
                MEDIA_ROOT=str(folder / "media"),
                ENGINE=sandbox_engine(knobs),
                DEBUG=False,  # DEBUG would keep every query in memory
                PASSWORD_HASHERS=[
                    "django.contrib.auth.hashers.MD5PasswordHasher"
                ],  # nobody logs in
                **_burst_settings(),
            ):
                app.conf.broker_url = broker  # never the platform's (``run`` counts tasks, sends none)
                if connection.vendor == "sqlite":
                    connection.settings_dict["TEST"] = {**old_test, "NAME": ":memory:"}
                else:
                    connection.settings_dict["TEST"] = {
                        **old_test,
                        "NAME": f"replay_{folder.name[-8:]}".lower(),
                    }
                connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
                try:
                    yield folder
                finally:
                    connection.creation.destroy_test_db(old_name, verbosity=0)
        finally:
            connection.settings_dict["TEST"] = old_test
            app.conf.broker_url = old_broker
            redis_embedded.stop(folder, "replay-redis", save=False)
