"""The README stays a guide: short, and every command, path and knob it quotes exists."""

from __future__ import annotations

import os
import re
from pathlib import Path

from django.conf import settings
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
QUOTED = re.findall(r"`([^`\n]+)`", README) + re.findall(r"```bash\n(.*?)```", README, re.S)


def test_the_readme_is_at_most_300_lines():
    assert len(README.splitlines()) <= 300


def test_every_make_target_the_readme_quotes_exists():
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z][\w-]*):", makefile, re.M))
    quoted = {m for text in QUOTED for m in re.findall(r"\bmake ([a-z][\w-]*)", text)}
    assert {"run", "test"} <= quoted
    assert quoted - targets == set()


def test_every_bin_script_the_readme_quotes_exists_and_runs():
    quoted = {m for text in QUOTED for m in re.findall(r"\bbin/([\w-]+)", text)}
    assert quoted, "the README quotes no bin/ command"
    missing = {name for name in quoted if not os.access(ROOT / "bin" / name, os.X_OK)}
    assert missing == set()


def test_every_management_command_the_readme_quotes_exists():
    quoted = {m for text in QUOTED for m in re.findall(r"manage\.py ([a-z_]+)", text)}
    assert quoted - set(get_commands()) == set()


def test_every_file_or_folder_the_readme_quotes_exists():
    paths = {
        text.split()[0].rstrip(",.")
        for text in QUOTED
        if re.fullmatch(r"[\w.-]+/[\w./-]*", text.split()[0]) and not text.startswith(("var/", "/", "../"))  # ../: beside the project
    }
    assert len(paths) > 20
    assert {p for p in paths if not (ROOT / p).exists()} == set()


def test_every_engine_knob_the_readme_names_exists():
    knobs = {
        m
        for text in QUOTED
        for m in re.findall(r"\b((?:POOL|FEED|HOT|INTEREST|WEIGHT|BOOST)_[A-Z_]*[A-Z])\b", text)
    }
    assert len(knobs) > 5
    assert knobs - set(settings.ENGINE) == set()
