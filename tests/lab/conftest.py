"""Shared by the simulator's tests: one small world, run through the real command."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command


@pytest.fixture
def simulate(tmp_path):
    """Run ``manage.py simulate`` on a small world with ``options`` on top and return the
    figures it wrote (its log goes to a file beside them)."""

    def run(**options) -> dict:
        out = tmp_path / "sim.json"
        base = {"users": 40, "authors": 8, "posts_per_day": 24, "days": 2, "sessions": 2}
        with open(tmp_path / "log.txt", "w") as log:
            call_command("simulate", **{**base, **options}, out=str(out), stdout=log)
        return json.loads(out.read_text())

    return run
