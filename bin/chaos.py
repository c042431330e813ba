"""Chaos run: start the stack, break Redis and the worker, check that the feeds heal.

Starts what ``bin/run`` starts (embedded Redis with platform/redis.conf, migrate, a small
demo world, gunicorn, a Celery worker and beat) on its own var dir and port, then:

1. kills Redis with SIGKILL and starts it again (its append-only file keeps the data);
2. does it again after deleting Redis's files (a Redis that lost everything);
3. publishes posts by an author whose followers' inboxes are warm and kills the worker
   with SIGKILL as the fan-out runs, then starts it again.

Throughout, a prober reads the nearby, hot, follow and discover feeds through the API:
any 5xx or refused connection fails the run. After each Redis restart nearby, hot and
follow must answer from Redis again (``fallback: false``) with the same posts as before,
within a minute, with nobody typing a command; after the worker restart every follower's
follow feed must hold every new post within a minute (no delivery lost).

Usage: ``bin/chaos`` (exit status 0 when every check held).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "chaos"
PY = str(ROOT / ".venv" / "bin" / "python")
HEAL_WITHIN = 60.0  # seconds: nearby, hot and follow complete again, deliveries done


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PORT = int(os.environ.get("CHAOS_PORT") or free_port())
BASE = f"http://127.0.0.1:{PORT}"
ENV = {
    **os.environ,
    "PLATFORM_VAR_DIR": str(VAR),
    "DJANGO_SETTINGS_MODULE": "config.settings.base",
    "PORT": str(PORT),
    "DJANGO_DEBUG": "0",
    "ACCESS_LOG": "0",
    "WEB_CONCURRENCY": "2",
    "PATH": f"{ROOT / '.venv' / 'bin'}:{os.environ.get('PATH', '')}",
    # The prober reads several pages a second as one person; the limits are not tested here.
    **{
        f"THROTTLE_{scope}": "100000/min"
        for scope in ("ANON", "USER", "AUTH", "POST", "INTERACT", "EVENTS")
    },
}
os.environ.update(
    {k: ENV[k] for k in ("PLATFORM_VAR_DIR", "DJANGO_SETTINGS_MODULE", "THROTTLE_USER")}
)


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())}] {message}", flush=True)


# ---------------------------------------------------------------- processes
class Stack:
    """Redis, web, worker and beat, each its own process group, logs under var/chaos/."""

    def __init__(self):
        self.procs: dict[str, subprocess.Popen] = {}

    def redis_start(self) -> None:
        subprocess.run(
            [PY, "-m", "config.redis_embedded", "start", str(VAR), "--conf", "platform/redis.conf"],
            cwd=ROOT,
            env=ENV,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def redis_kill(self) -> None:
        pid = int((VAR / "redis.pid").read_text())
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)
        raise RuntimeError("redis did not die")

    def start(self, name: str, args: list[str]) -> None:
        log = open(VAR / f"{name}.log", "a")
        self.procs[name] = subprocess.Popen(
            args, cwd=ROOT, env=ENV, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def start_web(self) -> None:
        self.start("web", ["gunicorn", "config.wsgi", "--config", "platform/gunicorn.conf.py"])

    def start_worker(self) -> None:
        self.start(
            "worker",
            [
                "celery",
                "-A",
                "config",
                "worker",
                "--loglevel=INFO",
                "--concurrency=2",
                "--hostname=chaos@%h",
            ],
        )

    def start_beat(self) -> None:
        self.start(
            "beat",
            [
                "celery",
                "-A",
                "config",
                "beat",
                "--loglevel=INFO",
                f"--schedule={VAR / 'celerybeat-schedule'}",
            ],
        )

    def kill(self, name: str, sig=signal.SIGKILL) -> None:
        proc = self.procs.pop(name, None)
        if proc is None:
            return
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

    def send(self, name: str, sig: int) -> None:
        """Send ``sig`` to a process group (SIGSTOP / SIGCONT hold and release it)."""
        os.killpg(self.procs[name].pid, sig)

    def stop_all(self) -> None:
        for name in list(self.procs):
            self.kill(name, signal.SIGTERM)
        subprocess.run(
            [PY, "-m", "config.redis_embedded", "stop", str(VAR)], cwd=ROOT, env=ENV, check=False
        )


def worker_ready_count() -> int:
    return (
        (VAR / "worker.log").read_text(errors="replace").count(" ready.")
        if (VAR / "worker.log").exists()
        else 0
    )


# ---------------------------------------------------------------- the API
def get(path: str, token: str | None = None, timeout: float = 15.0) -> tuple[int, dict | None]:
    request = urllib.request.Request(BASE + path)
    if token:
        request.add_header("Authorization", f"Token {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as exc:
        return exc.code, None


def token_for(username: str) -> str:
    body = json.dumps({"username": username, "password": "demo-pass-123"}).encode()
    request = urllib.request.Request(
        BASE + "/api/v1/auth/token/", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=15) as answer:
        return json.loads(answer.read())["token"]


class Prober(threading.Thread):
    """Read every feed in turn until stopped; remember each failure (5xx, no answer)."""

    def __init__(self, feeds: dict[str, str], token: str):
        super().__init__(daemon=True)
        self.feeds, self.token = feeds, token
        self.failures: list[str] = []
        self.answers = 0
        self.fallbacks = 0
        self.running = True

    def run(self) -> None:
        while self.running:
            for name, path in self.feeds.items():
                try:
                    status, body = get(path, self.token)
                except Exception as exc:  # refused, reset, timed out: the site did not answer
                    self.failures.append(f"{name}: {exc!r}")
                    continue
                self.answers += 1
                if status >= 500 or body is None:
                    self.failures.append(f"{name}: HTTP {status}")
                elif body.get("fallback"):
                    self.fallbacks += 1
            time.sleep(0.2)


# ---------------------------------------------------------------- checks
def ids(body: dict) -> list[int]:
    return [r["post"]["id"] for r in body["results"]]


def snapshot(feeds: dict[str, str], token: str) -> dict[str, tuple[bool, list[int]]]:
    out = {}
    for name, path in feeds.items():
        status, body = get(path, token)
        assert status == 200, f"{name}: HTTP {status}"
        out[name] = (body["fallback"], ids(body))
    return out


def wait_complete(
    feeds: dict[str, str], token: str, baseline: dict[str, list[int]], since: float
) -> float:
    """Wait until every feed answers from Redis with its baseline posts; return the seconds."""
    last = {}
    while time.monotonic() - since < HEAL_WITHIN:
        last = snapshot(feeds, token)
        if all(not fallback and got == baseline[name] for name, (fallback, got) in last.items()):
            return time.monotonic() - since
        time.sleep(1)
    report = {name: (fb, len(got), len(baseline[name])) for name, (fb, got) in last.items()}
    raise AssertionError(
        f"not complete within {HEAL_WITHIN:.0f} s: (fallback, posts, expected) {report}"
    )


def png(i: int):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (40 + i * 9 % 200, 120, 200)).save(buffer, "PNG")
    return SimpleUploadedFile(f"chaos{i}.png", buffer.getvalue(), content_type="image/png")


def fanout_phase(stack: Stack) -> dict:
    """Publish posts to warm inboxes, kill the worker as it fans them out, restart it, and
    wait until every follower's follow feed holds every post."""
    import random

    from accounts.models import Follow, User
    from content.models import Channel
    from content.services.posts import post_create
    from feeds import stores
    from feeds.services.follow import follow_page, inbox_warm

    author = User.objects.order_by("-follower_count").first()
    followers = list(
        User.objects.filter(pk__in=Follow.objects.filter(followee=author).values("follower_id"))
    )
    for f in followers:
        inbox_warm(f.pk)
    channel = Channel.objects.filter(parent__isnull=True).first()
    rng = random.Random(7)
    words = "咖啡面包旅行城市山海夜景早餐手冲露营徒步摄影胶片书店猫咪花园"
    posts = []
    # The worker is held while the posts are written, so their fan-outs queue up and the
    # kill lands early in them: writing twenty posts had taken about as long as fanning
    # them out, and a worker that won the race left nothing to test.
    stack.send("worker", signal.SIGSTOP)
    try:
        for i in range(20):
            body = "".join(rng.choice(words) for _ in range(40)) + f"，第{i}篇，推荐给大家。"
            posts.append(
                post_create(
                    author=author,
                    kind="note",
                    channel=channel,
                    title=f"混沌测试第{i}篇",
                    body=body,
                    images=[png(i)],
                )
            )
    finally:
        stack.send("worker", signal.SIGCONT)
    client = stores.redis()
    first_key = stores.inbox_key(followers[0].pk)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and client.zscore(first_key, str(posts[0].pk)) is None:
        time.sleep(0.005)
    stack.kill("worker")
    killed_at = time.monotonic()

    def delivered() -> int:
        pipe = client.pipeline(transaction=False)
        for f in followers:
            for p in posts:
                pipe.zscore(stores.inbox_key(f.pk), str(p.pk))
        return sum(score is not None for score in pipe.execute())

    at_kill = delivered()
    if at_kill >= len(followers) * len(posts):
        raise AssertionError("the worker finished the fan-out before it was killed: nothing was tested mid fan-out")
    say(
        f"worker killed with {at_kill} of {len(followers) * len(posts)} deliveries made "
        f"({author.username}: {len(followers)} followers, {len(posts)} posts)"
    )
    ready_before = worker_ready_count()
    log_before = len((VAR / "worker.log").read_text(errors="replace"))
    stack.start_worker()
    while worker_ready_count() == ready_before and time.monotonic() - killed_at < 30:
        time.sleep(0.2)
    wanted = {p.pk for p in posts}
    while time.monotonic() - killed_at < HEAL_WITHIN:
        missing = sum(
            len(wanted - {i.post.pk for i in follow_page(f, size=50).items}) for f in followers
        )
        if missing == 0:
            repaired = (
                (VAR / "worker.log")
                .read_text(errors="replace")[log_before:]
                .count("fan-out repaired")
            )
            return {
                "followers": len(followers),
                "posts": len(posts),
                "at_kill": at_kill,
                "seconds": time.monotonic() - killed_at,
                "repairs": repaired,
            }
        time.sleep(1)
    raise AssertionError(
        f"{missing} follow-feed deliveries still missing {HEAL_WITHIN:.0f} s after the worker restart"
    )


# ---------------------------------------------------------------- the run
def main() -> int:
    started = time.monotonic()
    shutil.rmtree(VAR, ignore_errors=True)
    VAR.mkdir(parents=True)
    stack = Stack()
    try:
        say(
            f"starting Redis, migrating and seeding a small demo world under {VAR.relative_to(ROOT)}"
        )
        stack.redis_start()
        manage = [PY, "manage.py"]
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=ENV, check=True)
        subprocess.run(
            [*manage, "seed_demo", "--users", "60", "--posts", "300", "-v0"],
            cwd=ROOT,
            env=ENV,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        stack.start_web()
        stack.start_worker()
        stack.start_beat()
        deadline = time.monotonic() + 60
        while True:
            try:
                if get("/api/v1/feeds/hot/")[0] == 200 and worker_ready_count():
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the stack did not start; see var/chaos/*.log")
            time.sleep(0.5)
        say(f"web on {BASE}, worker and beat up")

        import django

        django.setup()
        from content.models import Post

        spot = Post.objects.filter(lat__isnull=False).values_list("lat", "lng").first()
        token = token_for("alice")
        complete = {
            "nearby": f"/api/v1/feeds/nearby/?lat={spot[0]}&lng={spot[1]}&size=50",
            "hot": "/api/v1/feeds/hot/?size=50",
            "follow": "/api/v1/feeds/follow/?size=50",
        }
        before = snapshot(complete, token)
        assert all(not fb and got for fb, got in before.values()), (
            f"a fresh stack serves empty feeds: {before}"
        )
        baseline = {name: got for name, (_, got) in before.items()}
        say("baseline: " + ", ".join(f"{name} {len(got)} posts" for name, got in baseline.items()))
        prober = Prober({**complete, "discover": "/api/v1/feeds/discover/?size=10"}, token)
        prober.start()
        results = {}

        for label, lose_data in (
            ("kill -9, append-only file kept", False),
            ("kill -9, files deleted", True),
        ):
            stack.redis_kill()
            if lose_data:
                for leftover in ("redis.aof", "redis.rdb"):
                    (VAR / leftover).unlink(missing_ok=True)
            say(f"redis killed ({label}); down for 3 s")
            time.sleep(3)
            stack.redis_start()
            restarted = time.monotonic()
            seconds = wait_complete(complete, token, baseline, restarted)
            results[label] = seconds
            say(
                f"redis restarted ({label}): nearby, hot and follow complete again after {seconds:.1f} s"
            )

        fan = fanout_phase(stack)
        say(
            f"worker restarted: all {fan['followers'] * fan['posts']} deliveries in follow feeds "
            f"after {fan['seconds']:.1f} s ({fan['repairs']} ledger repair runs found fan-outs to redo)"
        )
        prober.running = False
        prober.join(timeout=30)
        say(
            f"prober: {prober.answers} answers, {prober.fallbacks} from the database, {len(prober.failures)} failures"
        )
        if prober.failures:
            for failure in prober.failures[:20]:
                print("  " + failure)
            raise AssertionError("the feeds did not answer throughout")
        say(f"chaos passed in {time.monotonic() - started:.0f} s")
        return 0
    except AssertionError as exc:
        say(f"chaos FAILED: {exc}")
        return 1
    finally:
        stack.stop_all()


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
