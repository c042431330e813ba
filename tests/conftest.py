"""Shared fixtures: a real Redis server, users, API clients, files, a Celery worker, a browser.

Nothing here is faked: Redis is a real ``redis-server`` started for the session, the
database is the one the settings name, the worker is a real ``celery worker`` process
and the browser is the system Chromium driven by Playwright.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from config import redis_embedded

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_VIDEO = ROOT / "demo" / "assets" / "sample.mp4"

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests
# make around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# ---------------------------------------------------------------- redis
def _test_redis_socket() -> Path | None:
    url = settings.REDIS_URL
    return Path(url[len("unix://") :]) if url.startswith("unix://") else None


@pytest.fixture(scope="session", autouse=True)
def redis_server():
    """Start a real Redis server for the whole session (unless TEST_REDIS_URL is set)."""
    sock = _test_redis_socket()
    if sock is None:
        yield settings.REDIS_URL
        return
    name = sock.name.removesuffix(".sock")
    redis_embedded.start(sock.parent, name, persist=False)  # thrown away with the session
    yield settings.REDIS_URL
    redis_embedded.stop(sock.parent, name, save=False)


@pytest.fixture
def redis_conn(redis_server):
    import redis

    return redis.Redis.from_url(redis_server)


@pytest.fixture(autouse=True)
def clean_redis(redis_conn):
    """Each test starts with an empty Redis (cache, throttles, engine structures), whose
    structures are marked complete: an empty world needs no rebuild."""
    from feeds import stores

    redis_conn.flushdb()
    run_id = redis_conn.info("server")["run_id"]
    redis_conn.mset({stores.generation_key(s): f"{run_id}:0" for s in stores.STRUCTURES})
    yield


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: a request leaves its language active in
    the thread (LocaleMiddleware does not reset it), and code run outside a request (a
    notification line, a pool's sentence) must then see the default, as a worker does."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path_factory):
    """Uploads of a test go to a fresh folder."""
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
    yield Path(settings.MEDIA_ROOT)


@pytest.fixture
def channels(db):
    """The channel tree, by slug (transactional tests flush it, so it is re-seeded)."""
    from content.channel_tree import seed_channels
    from content.models import Channel

    if not Channel.objects.exists():
        seed_channels(Channel)
    return {c.slug: c for c in Channel.objects.all()}


# ---------------------------------------------------------------- people
@pytest.fixture
def make_user(channels):
    """Create users through the sign-up service, optionally onboarded."""
    from accounts import services
    from content.models import Channel

    counter = iter(range(1, 10_000))

    def make(username: str | None = None, *, onboard: bool = True, **profile):
        username = username or f"user{next(counter)}"
        user = services.user_signup(username=username, password="s3cret-pass-99")
        if profile:
            services.profile_update(user=user, **profile)
        if onboard:
            services.interests_set(user=user, channels=Channel.objects.filter(parent__isnull=True)[:3])
        user.refresh_from_db()
        return user

    return make


@pytest.fixture
def api():
    """An anonymous API client."""
    return APIClient()


@pytest.fixture
def client_for():
    """Return an API client authenticated by the user's token."""

    def make(user) -> APIClient:
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


# ---------------------------------------------------------------- files
def png_bytes(size=(64, 48), colour=(200, 80, 80), fmt="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, fmt)
    return buffer.getvalue()


@pytest.fixture
def image_file():
    """Return a fresh uploaded image (PNG by default)."""

    def make(name="photo.png", size=(64, 48), fmt="PNG"):
        content_type = "image/jpeg" if fmt == "JPEG" else f"image/{fmt.lower()}"
        return SimpleUploadedFile(name, png_bytes(size, fmt=fmt), content_type=content_type)

    return make


@pytest.fixture
def video_file():
    """Return the sample MP4 (8 s) as an upload."""

    def make(name="clip.mp4"):
        return SimpleUploadedFile(name, SAMPLE_VIDEO.read_bytes(), content_type="video/mp4")

    return make


@pytest.fixture
def make_post(make_user, image_file):
    """Publish a note through the service."""
    from content import services
    from content.models import Channel

    def make(author=None, *, channel="food", title="上海咖啡探店", body="手冲咖啡很好喝", **kw):
        author = author or make_user()
        kw.setdefault("images", [image_file()])
        return services.post_create(
            author=author,
            kind=kw.pop("kind", "note"),
            channel=Channel.objects.get(slug=channel),
            title=title,
            body=body,
            **kw,
        )

    return make


# ---------------------------------------------------------------- celery worker
def database_url_of(db: dict) -> str:
    """Return a ``DATABASE_URL`` naming the database in ``db`` (the test database).

    The host may be a unix socket directory (the PostgreSQL lane), which a URL carries
    percent-encoded.
    """
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = quote(db["HOST"] or "", safe="")
    return f"postgres://{user}{password}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


def _celery_worker(extra_args: list[str], log_name: str):
    """Start a real ``celery worker`` on the test Redis and database; yield its process."""
    from django.db import connection

    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    env["TEST_REDIS_URL"] = settings.REDIS_URL
    env["DATABASE_URL"] = database_url_of(connection.settings_dict)
    log = open(Path(settings.VAR_DIR) / log_name, "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=INFO",
         "--without-gossip", "--without-mingle", "--hostname=testworker@%h", *extra_args],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: an embedded beat child goes with it
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if " ready." in Path(log.name).read_text():  # the worker's own word, no broker round trip
                break
            time.sleep(0.2)
            if proc.poll() is not None:
                raise RuntimeError(f"celery worker exited: see {log.name}")
        else:
            raise RuntimeError("celery worker did not answer within 60 s")
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        log.close()


@pytest.fixture
def celery_worker_process(transactional_db, redis_server):
    """Start a real ``celery worker`` process on the test Redis and the test database."""
    yield from _celery_worker([], "test-worker.log")


@pytest.fixture
def celery_worker_with_beat(transactional_db, redis_server, tmp_path):
    """A real worker with an embedded beat running the test schedule (the Redis check)."""
    yield from _celery_worker(["--beat", f"--schedule={tmp_path / 'beat-schedule'}"], "test-worker-beat.log")


def wait_for(predicate, timeout=20.0, interval=0.2):
    """Poll ``predicate`` until it returns a truthy value; return it (or fail)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")


# ---------------------------------------------------------------- browser
def _chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("Debian's chromium is not installed; bin/test installs it (apt-get install chromium)")
    return path


@pytest.fixture(scope="session")
def browser():
    """The system Chromium, headless, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=_chromium_path(),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


class _InFlight:
    """Wraps the live server's WSGI app to count the requests it is still serving.

    A page's last requests (a view beacon sent on unload, a like still being saved) can
    reach the live server after the test's body is over. If the database is flushed while
    one of them writes, PostgreSQL's TRUNCATE and the request's INSERT deadlock. Browser
    fixtures wait for the count to stay at zero before the flush.
    """

    def __init__(self, app):
        self.app = app
        self.count = 0
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            self.count += 1
        try:
            return self.app(environ, start_response)
        finally:
            with self.lock:
                self.count -= 1

    def wait_idle(self, quiet: float = 0.3, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        idle_since = None
        while time.monotonic() < deadline:
            if self.count:
                idle_since = None
            elif idle_since is None:
                idle_since = time.monotonic()
            elif time.monotonic() - idle_since >= quiet:
                return
            time.sleep(0.05)


@pytest.fixture
def browser_context(browser, live_server):
    """Open browser contexts on the live server; close them and let its requests finish."""
    httpd = live_server.thread.httpd
    if not isinstance(httpd.get_app(), _InFlight):
        httpd.set_app(_InFlight(httpd.get_app()))
    contexts = []

    def open_context(**options):
        context = browser.new_context(base_url=live_server.url, locale="zh-CN", **options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()
    httpd.get_app().wait_idle()


@pytest.fixture
def page(browser_context):
    """A fresh browser page whose relative URLs point at the live server."""
    return browser_context().new_page()


# ---------------------------------------------------------------- feeds

CHARS = (
    "春夏秋冬山水花鸟风云日月星辰江河湖海城乡街巷茶酒饭菜汤面包糕点咖啡奶油果蔬鱼肉鸡鸭牛羊"
    "书画琴棋诗词歌舞衣帽鞋包车船桥路灯窗门墙屋院园林石木竹松梅兰菊荷柳桃李杏梨橘枣栗瓜豆"
)


def varied_text(seed: int, n: int = 40) -> str:
    """Return Chinese text that no other seed comes close to (distinct SimHash)."""
    import random

    rng = random.Random(seed)
    return "".join(rng.choice(CHARS) for _ in range(n)) + "，真的很不错，推荐给大家。"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a block's on-commit work (Redis writes, fan-out) as a real commit would."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def publish(image_file, committed):
    """Publish a good note (entered into the pools) through the real service."""
    from content import services
    from content.models import Channel

    counter = iter(range(1, 100_000))

    def make(author, channel: str, *, title: str | None = None, **kw):
        i = next(counter)
        with committed():
            return services.post_create(
                author=author,
                kind="note",
                channel=Channel.objects.get(slug=channel),
                title=title or f"{channel} 分享第{i}篇",
                body=varied_text(i * 7919 + author.pk),
                tags=kw.pop("tags", [channel]),
                images=[image_file(f"p{i}.png")],
                **kw,
            )

    return make


@pytest.fixture
def person(make_user, committed, channels):
    """Create a user who picked these channels at sign-up (profile seeded)."""
    from accounts import services

    def make(username: str, picks: list[str], **profile):
        user = make_user(username, onboard=False, **profile)
        with committed():
            services.interests_set(user=user, channels=[channels[s] for s in picks])
        user.refresh_from_db()
        return user

    return make
