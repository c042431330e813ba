"""Production settings: Django's deployment checklist passes, and missing secrets stop it."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

from tests.conftest import ROOT


def deploy_check(**env_changes) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.production", **env_changes)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )


def test_production_settings_pass_the_deployment_checklist():
    done = deploy_check(DJANGO_SECRET_KEY=secrets.token_urlsafe(64), DJANGO_ALLOWED_HOSTS="xiaoji.example")

    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout


def test_production_refuses_to_start_without_a_real_secret():
    done = deploy_check(DJANGO_SECRET_KEY="short", DJANGO_ALLOWED_HOSTS="xiaoji.example")

    assert done.returncode != 0
    assert "DJANGO_SECRET_KEY" in done.stderr


def test_production_refuses_to_start_without_its_host_names():
    done = deploy_check(DJANGO_SECRET_KEY=secrets.token_urlsafe(64))

    assert done.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in done.stderr
