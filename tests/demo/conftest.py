"""The demo world's drawn pictures and encoded clips are made once per test session and
copied into each test's fresh media folder, as a second ``seed_demo`` finds them in
storage: seeding tests then take a second, not four (ffmpeg encodes ~60 s of video)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def demo_media_cache(tmp_path_factory):
    from django.test import override_settings

    from content.channel_tree import CHANNELS
    from demo.covers import illustration_pool
    from demo.videos import clips_make

    root = tmp_path_factory.mktemp("demo-media")
    with override_settings(MEDIA_ROOT=str(root)):
        illustration_pool(tops=[slug for slug, *_ in CHANNELS])
        clips_make()
    return root / "demo"


@pytest.fixture(autouse=True)
def demo_media(media_root, demo_media_cache) -> Path:
    shutil.copytree(demo_media_cache, media_root / "demo")
    return media_root / "demo"
