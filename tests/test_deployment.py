"""The deployment description matches what the CI lanes run: the same processes, the
same settings, PostgreSQL and Redis, one beat. (No container engine runs here, so this
reads the files; the lanes run the processes themselves.)"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys

import yaml

from tests.conftest import ROOT

PLATFORM = ROOT / "platform"


def compose() -> dict:
    return yaml.safe_load((PLATFORM / "compose.yaml").read_text())


def procfile() -> dict[str, str]:
    lines = [line for line in (PLATFORM / "Procfile").read_text().splitlines() if line and not line.startswith("#")]
    return dict(line.split(": ", 1) for line in lines)


def test_compose_runs_postgres_redis_web_workers_and_exactly_one_beat():
    services = compose()["services"]

    assert services["postgres"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:")
    assert services["web"]["deploy"]["replicas"] >= 2
    assert services["worker"]["deploy"]["replicas"] >= 2
    assert services["beat"]["deploy"]["replicas"] == 1


def test_compose_runs_the_procfile_processes_with_production_settings():
    services, processes = compose()["services"], procfile()

    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"].startswith("redis://")
        command = " ".join(services[name]["command"])
        program = shlex.split(processes[name])[:2]  # e.g. gunicorn config.wsgi / celery -A
        assert " ".join(program) in command, name
    assert "platform/gunicorn.conf.py" in " ".join(services["web"]["command"])


def test_nginx_sends_requests_to_every_web_replica():
    nginx = (PLATFORM / "nginx.conf").read_text()

    assert "server web:8000;" in nginx
    assert "X-Forwarded-For $proxy_add_x_forwarded_for" in nginx  # what NUM_PROXIES=1 trusts
    assert compose()["services"]["web"]["environment"]["NUM_PROXIES"] == "1"


def _frozen_after_loading_the_web_app(**env) -> int:
    """Load ``config.wsgi`` in a fresh interpreter as gunicorn does; return gc's freeze count."""
    code = "import gc, config.wsgi; print(gc.get_freeze_count())"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, check=True
    )
    return int(done.stdout.strip().splitlines()[-1])


def test_web_workers_keep_startup_objects_out_of_the_collector():
    # Frozen objects are skipped by every collection: the full collections that made one
    # feed page in fifty 30-40 ms slower (config/gc_tuning.py).
    assert _frozen_after_loading_the_web_app() > 20_000
    assert _frozen_after_loading_the_web_app(SERVER_GC_FREEZE="0") == 0
