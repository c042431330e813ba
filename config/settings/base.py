"""Settings for the content platform.

Everything comes from the environment (12-factor) with embedded defaults that need no
setup: SQLite in WAL mode under ``var/`` and a real Redis server on a unix socket under
``var/`` that ``make run`` starts. ``config.settings.test`` and
``config.settings.production`` adjust this module.
"""

import os
from pathlib import Path

import dj_database_url

from config.redis_embedded import celery_broker_url, default_redis_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("PLATFORM_VAR_DIR", BASE_DIR / "var")).resolve()


def env_bool(name: str, default: bool) -> bool:
    """Return the environment variable ``name`` read as a boolean."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    """Return the comma-separated environment variable ``name`` as a list."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# ---------------------------------------------------------------- core
SECRET_KEY = os.environ.get(
    "DJANGO_SECRET_KEY", "insecure-dev-key-only-for-the-embedded-default-change-me"
)
DEBUG = env_bool("DJANGO_DEBUG", True)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "accounts",
    "content",
    "feeds",
    "moderation",
    "boosts",
    "search",
    "notifications",
    "commerce",
    "demo",
    "lab",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.request_guards.NulByteGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.AccountLanguageMiddleware",  # the account's 语言 setting
    "django.contrib.messages.middleware.MessageMiddleware",
    "config.throttles.WebFormRateLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
# Refuses banned accounts at login and on every request of an existing session.
AUTHENTICATION_BACKENDS = ["accounts.backends.PlatformBackend"]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "content.context_processors.channels",
                "notifications.context_processors.unread",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# ---------------------------------------------------------------- database
# SQLite shared by web and worker needs WAL and immediate transactions, or concurrent
# writers fail with "database is locked".
SQLITE_PATH = VAR_DIR / "db.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{SQLITE_PATH}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
        ),
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The feeds look rows up by a thousand ids at a time; at the default random_page_cost
    # (4, tuned for spinning disks) PostgreSQL scans whole tables for that instead of
    # using the indexes (the pool lookup of a first discover page: 13 ms → 5 ms at
    # 100 000 posts). 1.1 is the usual value for SSDs and cached data; a server-wide
    # setting in postgresql.conf overrides nothing here, this is per connection.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c random_page_cost=1.1")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------- redis, cache, celery
# One Redis server holds the Celery broker, Django's cache and the engine's structures
# (keys are namespaced, no database numbers, so Redis Cluster works too).
REDIS_URL = os.environ.get("REDIS_URL") or default_redis_url(VAR_DIR)
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "cache",
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.DefaultClient",
            # Losing Redis degrades the platform, it does not break it.
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 2,
            "SOCKET_TIMEOUT": 2,
        },
    }
}
DJANGO_REDIS_IGNORE_EXCEPTIONS = True
SESSION_ENGINE = "django.contrib.sessions.backends.db"

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or celery_broker_url(REDIS_URL)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# The engine's periods live in ENGINE below; beat reads them from there.
CELERY_BEAT_SCHEDULE = {
    "reconcile-post-counters": {"task": "content.tasks.reconcile_recent_counters", "schedule": 600.0},
}

# ---------------------------------------------------------------- i18n, time
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# The project's own messages are written in English and translated in locale/ (docs/i18n.md).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# ---------------------------------------------------------------- static, media
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Request bodies may carry a video; files above this go to a temporary file on disk.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# ---------------------------------------------------------------- uploads and posts
# Every image is decoded and re-encoded (config/uploads.py, docs/security.md).
UPLOADS = {
    "IMAGE_MAX_BYTES": int(os.environ.get("UPLOAD_IMAGE_MAX_BYTES", 10 * 1024 * 1024)),
    # Refused from the header, before decoding: a small file claiming more is a bomb.
    "IMAGE_MAX_PIXELS": 40_000_000,
    # Stored images fit in this square; a phone photo needs no more on any screen.
    "IMAGE_MAX_SIDE": 2560,
    # The rendition a feed card shows (a 2x screen's card column, a tall note allowed).
    "CARD_BOX": (540, 1080),
    # Avatars are stored as squares of this side (shown at 96 px at most, 2x screens).
    "AVATAR_SIDE": 320,
    "AVATAR_MAX_BYTES": 2 * 1024 * 1024,
    "VIDEO_MAX_BYTES": int(os.environ.get("UPLOAD_VIDEO_MAX_BYTES", 200 * 1024 * 1024)),
    "VIDEO_MIN_SECONDS": 1,
    "VIDEO_MAX_SECONDS": 15 * 60,
    "NOTE_MAX_IMAGES": 9,
}
ONBOARDING_MIN_CHANNELS = 3
TAGS_PER_POST_MAX = 10
EXTRACTED_TAGS_PER_POST = 5
EVENTS_BATCH_MAX = 200

# ---------------------------------------------------------------- REST API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "config.pagination.NewestFirstCursorPagination",
    # One content type per request body: JSON, refusing NUL characters and deep nesting
    # (config/request_guards.py). The few bodies that carry files (publishing a post, an
    # avatar) take multipart instead, and only that (docs/api.md, "Conventions").
    "DEFAULT_PARSER_CLASSES": ["config.request_guards.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "config.throttles.AnonRateThrottle",
        "config.throttles.UserRateThrottle",
        "config.throttles.ScopedWriteThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("THROTTLE_ANON", "120/min"),
        "user": os.environ.get("THROTTLE_USER", "600/min"),
        "auth": os.environ.get("THROTTLE_AUTH", "20/min"),
        "post": os.environ.get("THROTTLE_POST", "30/hour"),
        "interact": os.environ.get("THROTTLE_INTERACT", "300/min"),
        "events": os.environ.get("THROTTLE_EVENTS", "120/min"),
    },
    "EXCEPTION_HANDLER": "config.api_errors.exception_handler",
    # Proxies in front that append to X-Forwarded-For (production: nginx, 1). With 0 the
    # rate limits trust only the connection's address, never a header a client sends.
    "NUM_PROXIES": int(os.environ.get("NUM_PROXIES", 0)),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Content platform API",
    "DESCRIPTION": "Notes and videos, follows, interactions and feeds. All endpoints live "
    "under /api/v1/. Authenticate with `Authorization: Bearer <key>` (the key from "
    "`POST auth/token/`; `Token <key>` works too) or a session. Conventions (one content "
    "type per body, one page shape, one error shape): docs/api.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The error answers every endpoint shares and the strict-OpenAPI-3.0 fixes
    # (config/schema.py), after the enum names.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.schema.require_response_fields",  # before the shared error component joins
        "config.schema.add_error_responses",
        "config.schema.type_nullable_references",
    ],
    "ENUM_NAME_OVERRIDES": {
        "PostKindEnum": "content.models.Post.Kind",
        "NotInterestedKindEnum": "content.models.NotInterested.Kind",
    },
}

# ---------------------------------------------------------------- content security policy
# django-csp sends this on every response: scripts, styles, fonts and connections come
# from this site only, no inline script or style, no plugins, no framing. Pages keep
# their behaviour in static/js/site.js and their looks in static/css/. The exceptions,
# each on one view only, are in config/api_urls.py (Redoc) and docs/security.md.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # data: for the small SVG icons Swagger UI's stylesheet carries inline.
        # blob: lets the publish form preview the chosen images before upload (publish.js).
        "img-src": ["'self'", "data:", "blob:"],
        # blob: lets the publish form read a chosen video's duration before upload.
        "media-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# ---------------------------------------------------------------- logging
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"jieba": {"level": "WARNING"}},
}

# Django serves uploads itself unless a front server (nginx) does.
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)

# ---------------------------------------------------------------- the distribution engine
# Every number of the engine, in one block (see README "How the engine works"). Each key's
# type, range and meaning are in feeds/knob_schema.py; a system check (feeds.E002, E003)
# stops start-up with the key's name when one is wrong.
ENGINE = {
    # 3.1 signals: weights of each kind of feedback (strong > weak; negatives dominate).
    "SIGNAL_WEIGHTS": {
        "complete": 8.0,  # watched a video to the end
        "favourite": 5.0,
        "share": 4.0,
        "comment": 3.0,
        "like": 2.0,
        "read": 1.0,  # a view of READ_SECONDS or more: the note (or video) was read, not glanced at
        "view": 0.5,
        "quick_skip": -2.0,
        "not_interested": -8.0,
        "report": -20.0,
        "search": 3.0,  # searched for a tag's name: the tag, not a post, gets it
        "search_click": 4.0,  # opened a post from search results: a deliberate choice
        "product_click": 4.0,  # opened a product card on a post (once per person and product)
        "product_order": 8.0,  # bought it (once per person and product): also buying interest
    },
    "QUICK_SKIP_SECONDS": 2.0,
    "READ_SECONDS": 20.0,  # a view this long is a "read" (a weak signal twice a glance's weight)
    "QUICK_SKIP_FRACTION": 0.10,
    # 3.2 quality score at publish.
    "QUALITY_THRESHOLD": 0.3,
    "QUALITY_TITLE_CHARS": (5, 30),
    "QUALITY_BODY_CHARS": (20, 80),
    "QUALITY_VIDEO_SECONDS": (5, 600),
    "QUALITY_TAGS": (1, 10),
    "QUALITY_BANNED_WORDS": ["加微信", "代购", "刷单", "兼职日结", "色情", "赌博", "casino", "viagra"],
    "QUALITY_MAX_LINKS": 0,
    "QUALITY_DUPLICATE_MAX_DISTANCE": 3,  # SimHash bits: near-duplicate of an existing post
    # 3.3 traffic pools.
    "POOL_QUOTAS": [150, 1_000, 5_000, 20_000, 100_000],  # tier 0 is scaled by account weight
    "POOL_BASE_QUOTA_RANGE": (100, 300),
    "POOL_HOT_TIER": 5,
    "POOL_WINDOW_HOURS": 48,
    "POOL_SMOOTHING_IMPRESSIONS": 50,  # prior strength when smoothing rates
    "POOL_PRIOR_RATES": {
        "like": 0.05,
        "comment": 0.008,
        "favourite": 0.015,
        "share": 0.005,
        "completion": 0.30,
    },
    # Promotion needs the weighted engagement rate and, for videos, the completion rate
    # measured in the tier to beat these (they rise with the tier).
    "POOL_PROMOTE_ENGAGEMENT": [0.11, 0.12, 0.14, 0.16, 0.18],
    "POOL_PROMOTE_COMPLETION": [0.30, 0.35, 0.40, 0.45, 0.50],
    # A post that sells (兴趣电商) is judged on its smoothed orders per impression beside
    # engagement: conversion counts POOL_CONVERSION_WEIGHT times toward engagement, and
    # the bar rises by the weight times the tier's POOL_PROMOTE_CONVERSION (docs/commerce.md).
    "POOL_PROMOTE_CONVERSION": [0.010, 0.012, 0.014, 0.016, 0.018],
    "POOL_CONVERSION_PRIOR": 0.010,
    "POOL_CONVERSION_WEIGHT": 3.0,
    # The base pool's verdict waits for the evidence (feeds/engine/pools.py): rates within
    # POOL_VERDICT_Z standard errors of a bar extend the base pool by one more base quota,
    # at most POOL_BASE_EXTENSIONS times, instead of a verdict (0 turns it off;
    # docs/decisions/base-pool-sequential-verdict.md).
    "POOL_VERDICT_Z": 1.0,
    "POOL_BASE_EXTENSIONS": 5,
    # Above the base pool, rates clearing the tier's bars by POOL_EARLY_PROMOTE_Z standard
    # errors after POOL_EARLY_PROMOTE_SHARE of the quota promote at once (0 turns it off).
    "POOL_EARLY_PROMOTE_Z": 2.0,
    "POOL_EARLY_PROMOTE_SHARE": 0.5,
    # No verdict without evidence: a tier's window that closes before POOL_MIN_EVIDENCE of
    # the tier's quota (before extensions) was served opens again, at most
    # POOL_EVIDENCE_MAX_WINDOWS windows in all; then the post's run ends as "expired"
    # (no verdict, no ×FEED_STOPPED_FACTOR). 0.5 of a 150 base quota is 75 impressions,
    # more than the prior's strength (POOL_SMOOTHING_IMPRESSIONS), so the post's own
    # rates weigh more than the platform's in any verdict.
    "POOL_MIN_EVIDENCE": 0.5,
    "POOL_EVIDENCE_MAX_WINDOWS": 3,
    "POOL_EARLY_STOP_IMPRESSIONS": 100,
    "POOL_EARLY_STOP_LIKE_RATE": 0.03,
    "POOL_NEGATIVE_MIN_IMPRESSIONS": 50,
    "POOL_REPORT_RATE_LIMIT": 0.02,
    "POOL_REPORT_MIN_COUNT": 3,
    "POOL_QUICK_SKIP_RATE_LIMIT": 0.60,
    "POOL_NOT_INTERESTED_RATE_LIMIT": 0.08,
    # Engagement bursts (docs/engagement.md): more than this many events (likes, shares,
    # comments, each view of a batch …) from one account, or from one client address,
    # within the window is a burst: its events are kept but left out of the pools, and
    # moderators see it. An account's limit clears a full batch of views (200) plus a
    # minute of tapping; an address's is higher, as many people can share one (a campus,
    # a carrier's NAT). 0 turns a screen off (an offline replay of logs needs both off).
    "ENGAGEMENT_BURST_WINDOW_SECONDS": 60,
    "ENGAGEMENT_BURST_ACCOUNT_EVENTS": 300,
    "ENGAGEMENT_BURST_ADDRESS_EVENTS": 1000,
    # 3.4 hot lists.
    "HOT_WINDOW_HOURS": 72,
    "HOT_GRAVITY": 1.8,
    "HOT_LIST_SIZE": 100,
    "HOT_TOP_DIVERSITY": 10,  # within the top N: one post per author …
    "HOT_MAX_PER_CHANNEL_IN_TOP": 3,  # … and at most this many per channel
    "HOT_ENGAGEMENT_WEIGHTS": {"like": 1.0, "comment": 2.0, "favourite": 3.0, "share": 3.0},
    "TRENDING_RECENT_HOURS": 24,
    "TRENDING_BASELINE_DAYS": 7,
    "TRENDING_MIN_RECENT": 3,
    "TRENDING_SIZE": 20,
    # 3.5 account weight.
    "WEIGHT_RANGE": (0.5, 2.0),
    "WEIGHT_RECENT_POSTS": 20,
    "WEIGHT_RECENT_DAYS": 30,
    "WEIGHT_ACTIVE_DAYS": 7,
    "WEIGHT_VIOLATION_DAYS": 90,
    "WEIGHT_VIOLATION_FACTOR": 0.8,  # each upheld violation multiplies the weight by this
    # 3.6 interest profiles.
    "INTEREST_HALF_LIFE_DAYS": 14,
    "INTEREST_SEED_SCORE": 10.0,  # a channel picked at onboarding
    "INTEREST_CHANNEL_SHARE": 0.5,  # a signal on a post moves its channel by this share
    "INTEREST_MIN_SCORE": 0.05,  # smaller affinities are forgotten
    # Floors decay cannot cross, so someone back after months is not a stranger: a channel
    # picked at onboarding keeps a fifth of its seed, and an interest engaged with over at
    # least INTEREST_HELD_DAYS, up to INTEREST_HELD_MIN_PEAK (two likes on a tag), keeps
    # INTEREST_HELD_FLOOR_SHARE of the highest score it reached (feeds/interests.py).
    "INTEREST_PICK_FLOOR": 2.0,
    "INTEREST_HELD_DAYS": 28,
    "INTEREST_HELD_MIN_PEAK": 4.0,
    "INTEREST_HELD_FLOOR_SHARE": 0.2,
    # 3.7 discover feed.
    "FEED_PAGE_SIZE": 20,
    "FEED_BATCH_SIZE": 100,  # items ranked and mixed at once for a session
    "FEED_SESSION_MINUTES": 60,  # a session's order is kept this long in Redis
    "FEED_SEEN_DAYS": 28,  # a post served is not recommended again for this long …
    "FEED_SEEN_MAX": 5000,  # … remembering at most this many per user
    "FEED_CANDIDATES_PER_SOURCE": 200,
    "FEED_INTEREST_TOP_CHANNELS": 5,
    "FEED_INTEREST_TOP_TAGS": 10,
    "FEED_RECENT_DAYS": 14,  # interest candidates are posts of the last N days
    "FEED_COENGAGEMENT_SEEDS": 20,  # the viewer's recent likes that seed co-engagement
    "FEED_NEARBY_KM": 50,  # discover's nearby source: around home, widened to this from NEARBY_RADII_KM
    "FEED_INTEREST_FLOOR": 0.15,  # interest factor of a post outside every interest
    "FEED_EXPLORE_MATCH": 0.25,  # a post matching less than this is "exploration"
    "FEED_PARENT_MATCH": 1.0,  # an interest in a post's parent channel counts this much for it
    # A tag on more than this share of posts counts less for interest matching (an inverse
    # document frequency; on every post: not at all), over a corpus of at least the floor.
    "FEED_TAG_SPECIFIC_SHARE": 0.05,
    "FEED_TAG_CORPUS_FLOOR": 200,
    # Within a channel, posts whose author tags the user engaged with more than the channel's
    # other candidates' rank higher: (prior + affinity) / (prior + channel mean), clipped to
    # the range (prior 0: off; feeds/engine/discover.py tag_lifts).
    "FEED_TAG_LIFT_PRIOR": 0.1,
    "FEED_TAG_LIFT_RANGE": (0.5, 2.0),
    # Every 10th slot goes outside the user's interests; the channel rule below adds more
    # when someone's interests span few channels (the simulator: ~23 % of impressions in
    # all, of which ~6 % the reserve lane's).
    "FEED_EXPLORATION_SHARE": 0.10,
    "FEED_POOL_SHARE": 0.40,  # of the other slots, this share goes to pool posts
    # A pool post is shown only to viewers it matches this well, and not as exploration
    # while under test: its verdict comes from its audience. Held-back posts fill a page
    # only when nothing else can (the reserve lane), and those impressions do not count.
    "FEED_POOL_MIN_MATCH": 0.25,
    "FEED_MAX_PER_CHANNEL": 3,  # at most this many of one channel …
    "FEED_CHANNEL_WINDOW": 20,  # … in any this many consecutive items
    "FEED_FRESHNESS_HALF_LIFE_HOURS": 24,
    # Freshness halves every FEED_FRESHNESS_HALF_LIFE_HOURS down to a floor that rises with
    # the interest match: FEED_FRESHNESS_FLOOR for a post outside every interest,
    # FEED_FRESHNESS_RELEVANT_FLOOR for a full match (docs/decisions/freshness.md).
    "FEED_FRESHNESS_FLOOR": 0.1,
    "FEED_FRESHNESS_RELEVANT_FLOOR": 0.5,
    # At most this share of a discover page sells (not a shop: the seeds warn of 硬广), and
    # a selling post's score grows by FEED_CONVERSION_RANK_WEIGHT × the viewer's buying
    # interest in its channel × its conversion over the prior.
    "FEED_SELLING_SHARE": 0.2,
    "FEED_CONVERSION_RANK_WEIGHT": 0.5,
    "FEED_STOPPED_FACTOR": 0.3,  # ranking factor of a post the pools stopped
    # A post's rates are smoothed toward its author's other candidates' rates, with this
    # many times POOL_SMOOTHING_IMPRESSIONS of strength (0: toward the platform prior).
    "FEED_AUTHOR_PRIOR_STRENGTH": 2,
    "FEED_FALLBACK_CURSOR_IDS": 300,  # without Redis, cursors carry the ids served
    # API feed cards keep their fixed part (text, media, author) rendered in Redis this
    # long (content.cards: rendered at publish, ~1 KB a post); counts, status and the
    # viewer's marks are read fresh. 0: off.
    "FEED_CARD_CACHE_SECONDS": 3 * 86400,
    # A viewer's blocks and not-interested marks are kept in Redis this long (each change
    # makes the kept copy obsolete at once; feeds.services.serving.exclusions_for). 0: off.
    "FEED_EXCLUSIONS_CACHE_SECONDS": 600,
    # 3.8 follow, nearby.
    "INBOX_SIZE": 1000,  # posts kept per follow inbox
    "OUTBOX_SIZE": 200,  # posts kept per author's outbox
    "FANOUT_MAX_FOLLOWERS": 10_000,  # above this, an author's posts are merged at read time
    "NEARBY_RADII_KM": [2, 10, 50, 200, 1000, 5000, 20040],  # widened until a page is full
    # Co-engagement ("people who liked what you liked").
    "COENGAGEMENT_DAYS": 30,
    "COENGAGEMENT_LIKERS": 200,
    "COENGAGEMENT_SIZE": 50,
    # The learned stage (feeds/engine/learned.py, docs/learned.md): implicit ALS factors of the
    # last LEARNED_DAYS of engagement, weighted by SIGNAL_WEIGHTS, retrained hourly.
    "LEARNED_DAYS": 60,  # engagement this recent is learned from
    "LEARNED_MIN_PAIRS": 200,  # fewer (person, post) pairs than this: no model (noise)
    "LEARNED_FACTORS": 32,  # length of each person's and post's vector
    # Large enough that someone with a few likes gets predictions near 1 for what people
    # with the same likes also liked (at 0.05 the factors fit each person exactly and
    # predict ~0.01 for it: tests/feeds/test_learned.py).
    "LEARNED_REGULARIZATION": 5.0,
    "LEARNED_ITERATIONS": 15,
    "LEARNED_ALPHA": 10.0,  # confidence of a pair: 1 + alpha × its signal-weighted sum
    "LEARNED_THREADS": 1,  # training threads (the worker shares the machine with the web)
    "LEARNED_KEEP": 2,  # trained models kept in the database (the newest is used)
    # Discover: the model's top posts are a candidate source ("people like you engaged
    # with": this many, published in the last LEARNED_CANDIDATE_DAYS), and every
    # candidate's score is multiplied by 1 + LEARNED_WEIGHT × the model's prediction
    # (0 to 1): the hand-set score stays, the model adds at most LEARNED_WEIGHT × it.
    "LEARNED_CANDIDATES": 100,
    "LEARNED_CANDIDATE_DAYS": 30,
    "LEARNED_MIN_PREDICTION": 0.1,  # the source leaves out posts predicted below this (noise)
    "LEARNED_WEIGHT": 1.0,
    # On: the places the model's candidates hold in the main and exploration lanes are
    # filled in the model's prediction order (the others keep theirs). Off until the
    # replay (docs/replay.md) says it helps.
    "LEARNED_ORDER_BY_PREDICTION": False,
    # 3.10 moderation: the first N posts of every account wait in the review queue
    # (pending by policy) before anyone else sees them; 0 turns pre-review off.
    "REVIEW_FIRST_POSTS": int(os.environ.get("REVIEW_FIRST_POSTS", 0)),
    # 3.9 boosts (薯条): credits are whole units (分); prices and ranges of an order.
    "BOOST_PRICE_PER_THOUSAND": 1000,  # credits per 1 000 impressions (¥10)
    "BOOST_IMPRESSIONS_RANGE": (100, 100_000),
    "BOOST_HOURS_RANGE": (1, 168),
    "BOOST_RADIUS_KM_RANGE": (1, 500),
    "BOOST_TOPUP_RANGE": (100, 10_000_000),
    # Products on posts (commerce/): prices in whole 分, as the wallet counts.
    "COMMERCE_PRODUCTS_PER_POST": 3,
    "COMMERCE_PRICE_RANGE": (1, 10_000_000),
    "COMMERCE_STOCK_RANGE": (0, 100_000),
    "COMMERCE_QUANTITY_RANGE": (1, 99),
    "BOOST_FOLLOWER_CHANNELS": 3,  # "people like my followers": their top channels
    "BOOST_LIVE_CACHE_SECONDS": 5,  # a process reuses the live boosts it read (0: every page)
    "BOOST_EVERY": 10,  # at most one boosted item in any this many consecutive items
    "BOOST_FIRST_POSITION": 4,  # where a viewer's first boosted item may come (0-based)
    "BOOST_FREQUENCY_CAP": 3,  # one viewer sees one boost at most this many times
    "BOOST_PACING_SLACK": 0.01,  # a boost may run this share of its budget ahead of pace
    # Search 搜索 (search/ranking.py): text score × engagement × freshness × interest.
    "SEARCH_READ": 2000,  # matches read in index order (best static tier, newest), with text scores
    "SEARCH_CANDIDATES": 200,  # of those, the best by text × tier: ranked, filtered and sorted
    "SEARCH_PRIOR_ENGAGED": 1.0,  # smoothing: a post starts as 1 engagement in 20 views
    "SEARCH_PRIOR_VIEWS": 20.0,
    "SEARCH_ENGAGEMENT_WEIGHT": 1.0,  # relevance × (1 + this × engagement rate)
    "SEARCH_FRESHNESS_FLOOR": 0.7,  # a year-old 攻略 keeps 70 % of its place
    "SEARCH_HALF_LIFE_DAYS": 90.0,
    "SEARCH_QUALITY_WEIGHT": 0.5,  # relevance × (1 − this × (1 − quality at publish))
    "SEARCH_INTEREST_WEIGHT": 0.5,  # relevance × (1 + this × the searcher's interest)
    "SEARCH_LIMITED_FACTOR": 0.5,  # limited posts are found, lower down
    "SEARCH_NEARBY_KM": 20.0,  # the radius of a search given lat and lng
    "SEARCH_HOT_RECENT_HOURS": 6.0,  # 热搜: searchers in this window …
    "SEARCH_HOT_BASELINE_DAYS": 7.0,  # … against the query's own rate over the days before
    "SEARCH_HOT_MIN_SEARCHERS": 3,  # fewer distinct searchers than this is not a trend
    "SEARCH_HOT_SIZE": 20,
    # Celery beat periods (seconds) and lock times.
    "PERIOD_POOLS": 60,
    "PERIOD_HOT": 300,
    "PERIOD_WEIGHTS": 3600,
    "PERIOD_INTERESTS": 3600,
    "PERIOD_COENGAGEMENT": 600,
    "PERIOD_BOOSTS": 60,
    "PERIOD_SEARCH_HOT": 300,
    "PERIOD_SEARCH_TIERS": 3600,  # search documents re-sorted by static score (search/ranking.py)
    # Self-healing Redis (feeds.services.healing): how often the worker checks that every
    # structure the feeds read is complete (a short period: feeds answer from the
    # database meanwhile), how long one heal may hold its lock, how many entries Redis
    # may lack against the database before a structure counts as incomplete (writes in
    # flight), and which recent posts' fan-outs are checked against the ledger.
    "PERIOD_HEAL": 15,
    "HEAL_LOCK_SECONDS": 600,
    "HEAL_MISSING_SLACK": 5,
    "FANOUT_REPAIR_MINUTES": 60,
    "FANOUT_REPAIR_GRACE_SECONDS": 10,
    "PERIOD_LEARNED": 3600,
    # Notifications 消息 (notifications/, docs/notifications.md): how many @names of one
    # comment are looked up and notified (the rest stay plain text), and how often the
    # worker sweeps the outbox for notifications whose delivery task was lost (a worker
    # down, a broker restart), taking those older than the grace.
    "MENTIONS_PER_COMMENT_MAX": 10,
    "PERIOD_NOTIFY_SWEEP": 30,
    "NOTIFY_SWEEP_GRACE_SECONDS": 10,
}

CELERY_BEAT_SCHEDULE.update(
    {
        "evaluate-pools": {"task": "feeds.tasks.evaluate_pools", "schedule": float(ENGINE["PERIOD_POOLS"])},
        "recompute-hot": {"task": "feeds.tasks.recompute_hot", "schedule": float(ENGINE["PERIOD_HOT"])},
        "recompute-weights": {"task": "feeds.tasks.recompute_weights", "schedule": float(ENGINE["PERIOD_WEIGHTS"])},
        "decay-interests": {"task": "feeds.tasks.decay_interests", "schedule": float(ENGINE["PERIOD_INTERESTS"])},
        "recompute-coengagement": {
            "task": "feeds.tasks.recompute_coengagement",
            "schedule": float(ENGINE["PERIOD_COENGAGEMENT"]),
        },
        "close-boosts": {"task": "boosts.tasks.close_boosts", "schedule": float(ENGINE["PERIOD_BOOSTS"])},
        "recompute-hot-searches": {
            "task": "search.tasks.recompute_hot_searches",
            "schedule": float(ENGINE["PERIOD_SEARCH_HOT"]),
        },
        "retier-search": {"task": "search.tasks.retier_search", "schedule": float(ENGINE["PERIOD_SEARCH_TIERS"])},
        # A check that finds nothing is cheap; one queued behind a long heal is dropped.
        "heal-redis": {
            "task": "feeds.tasks.heal_redis",
            "schedule": float(ENGINE["PERIOD_HEAL"]),
            "options": {"expires": float(ENGINE["PERIOD_HEAL"])},
        },
        "train-learned": {"task": "feeds.tasks.train_learned", "schedule": float(ENGINE["PERIOD_LEARNED"])},
        "deliver-notifications": {
            "task": "notifications.tasks.sweep_outbox",
            "schedule": float(ENGINE["PERIOD_NOTIFY_SWEEP"]),
            "options": {"expires": float(ENGINE["PERIOD_NOTIFY_SWEEP"])},
        },
    }
)
