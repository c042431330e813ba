"""Settings for the test suite: the same stack, its own Redis server and database file.

The tests start a real Redis server on ``var/test-redis.sock`` (tests/conftest.py) and
use the database ``DATABASE_URL`` names (SQLite file by default, PostgreSQL in the
PostgreSQL lane). The SQLite test database is a file, not memory, so a real Celery
worker process and the browser tests' live server see the same rows.
"""

import os

from config.redis_embedded import celery_broker_url, default_redis_url

from .base import *  # noqa: F403
from .base import DATABASES, REST_FRAMEWORK, VAR_DIR

REDIS_URL = os.environ.get("TEST_REDIS_URL") or default_redis_url(VAR_DIR, "test-redis")
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "cache",
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.DefaultClient",
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 1,
            "SOCKET_TIMEOUT": 1,
        },
    }
}
CELERY_BROKER_URL = celery_broker_url(REDIS_URL)
# Only the self-healing check is scheduled, for the tests that run a real beat
# (tests/feeds/test_healing.py); a short period keeps them quick.
CELERY_BEAT_SCHEDULE = {
    "heal-redis": {"task": "feeds.tasks.heal_redis", "schedule": 2.0, "options": {"expires": 2.0}},
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = VAR_DIR / "test-media"
DEBUG = False
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {
        scope: "100000/min" for scope in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    },
}
