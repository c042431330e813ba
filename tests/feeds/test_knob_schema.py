"""The engine's knobs are checked at start-up: a wrong one is an error that names it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from feeds.knob_schema import SCHEMA, engine_errors

ROOT = Path(__file__).resolve().parents[2]


def check_fails_with(settings, **changes) -> str:
    """Run Django's system checks with ENGINE changed; return what they said."""
    settings.ENGINE = {**settings.ENGINE, **changes}
    with pytest.raises(SystemCheckError) as failure:
        call_command("check")
    return str(failure.value)


def test_the_shipped_knobs_pass_and_every_knob_has_a_meaning(settings):
    assert engine_errors(settings.ENGINE) == []
    assert set(SCHEMA) == set(settings.ENGINE)
    assert all(knob.meaning for knob in SCHEMA.values())
    call_command("check")  # no error


def test_a_misspelt_knob_is_an_error_naming_it(settings):
    said = check_fails_with(settings, FEED_PAGE_SIZ=30)
    assert "feeds.E002" in said and "ENGINE['FEED_PAGE_SIZ'] is not an engine knob" in said


def test_a_missing_knob_is_an_error_naming_it(settings):
    settings.ENGINE = {k: v for k, v in settings.ENGINE.items() if k != "HOT_GRAVITY"}
    with pytest.raises(SystemCheckError, match=r"ENGINE\['HOT_GRAVITY'\] is missing"):
        call_command("check")


def test_a_share_above_one_is_an_error_naming_the_knob_and_its_range(settings):
    said = check_fails_with(settings, FEED_POOL_SHARE=1.4)
    assert "ENGINE['FEED_POOL_SHARE'] must lie in [0, 1], not 1.4" in said


def test_a_number_given_as_text_is_an_error(settings):
    said = check_fails_with(settings, HOT_GRAVITY="1.8")
    assert "ENGINE['HOT_GRAVITY'] must be a number, not '1.8'" in said


def test_a_switch_given_as_anything_but_true_or_false_is_an_error(settings):
    said = check_fails_with(settings, LEARNED_ORDER_BY_PREDICTION=1)
    assert "ENGINE['LEARNED_ORDER_BY_PREDICTION'] must be true or false, not 1" in said
    settings.ENGINE = {**settings.ENGINE, "LEARNED_ORDER_BY_PREDICTION": True}
    call_command("check")  # no error


def test_a_range_upside_down_and_a_falling_quota_list_are_errors(settings):
    said = check_fails_with(
        settings, WEIGHT_RANGE=(2.0, 0.5), POOL_QUOTAS=[150, 100, 5_000, 20_000, 100_000]
    )
    assert "ENGINE['WEIGHT_RANGE'] must have low ≤ high" in said
    assert "ENGINE['POOL_QUOTAS'] must never fall" in said


def test_signal_weights_need_every_signal(settings):
    weights = {k: v for k, v in settings.ENGINE["SIGNAL_WEIGHTS"].items() if k != "read"}
    said = check_fails_with(settings, SIGNAL_WEIGHTS=weights)
    assert "ENGINE['SIGNAL_WEIGHTS'] must map exactly" in said and "read" in said


def test_promotion_bars_for_fewer_tiers_than_quotas_disagree(settings):
    said = check_fails_with(settings, POOL_PROMOTE_ENGAGEMENT=[0.11, 0.12, 0.14])
    assert "feeds.E003" in said
    assert (
        "ENGINE['POOL_PROMOTE_ENGAGEMENT'] must give one bar per tier of POOL_QUOTAS (5), not 3"
        in said
    )


def test_a_negative_review_count_from_the_environment_stops_start_up():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "REVIEW_FIRST_POSTS": "-1",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "ENGINE['REVIEW_FIRST_POSTS'] must lie in [0, inf], not -1" in done.stderr
