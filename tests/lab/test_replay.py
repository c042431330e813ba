"""manage.py replay: a log replayed through the engine in a sandbox of its own, scored
against the baselines; bad logs refused with one line and exit code 2."""

from __future__ import annotations

import json
import math
import os
import random
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from lab.replay import metrics
from lab.replay.baselines import MOST_LIKED, RECENT, Baselines
from lab.replay.io import InputError, read_log

ROOT = Path(__file__).resolve().parents[2]
CHANNELS = ("food", "travel", "books")
TITLES = ("红烧肉的做法", "周末去哪儿玩", "今年读过的书", "咖啡馆地图", "徒步路线推荐", "小说书单")


def replay(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    return subprocess.run(
        [sys.executable, "manage.py", "replay", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def tiny_world(folder: Path) -> tuple[Path, Path]:
    """Eight people over twenty days meeting 80 items (four new a day), each liking the
    items of one channel; who meets what is drawn with a fixed seed."""
    rng = random.Random(7)
    start = datetime(2024, 1, 1, 9, tzinfo=UTC)
    items = folder / "items.csv"
    items.write_text(
        "item,title,channel,tags\n"
        + "".join(
            f"i{n},{TITLES[n % len(TITLES)]} {n},{CHANNELS[n % 3]},{CHANNELS[n % 3]}|tag{n % 5}\n"
            for n in range(80)
        )
    )
    lines = ["user,item,timestamp,like,favourite,share,dislike"]
    met: dict[int, set[int]] = {p: set() for p in range(8)}
    for day in range(20):
        for person in range(8):
            unmet = [n for n in range(4 * day + 4) if n not in met[person]]
            for k, item in enumerate(rng.sample(unmet, min(3, len(unmet)))):
                met[person].add(item)
                liked = item % 3 == person % 3
                moment = start + timedelta(days=day, minutes=person * 7 + k)
                lines.append(
                    f"u{person},i{item},{moment.isoformat()},{int(liked)},0,0,{int(not liked and k == 2)}"
                )
    log = folder / "log.csv"
    log.write_text("\n".join(lines) + "\n")
    return log, items


def replay_tiny_world(folder: Path, *extra: str) -> dict:
    log, items = tiny_world(folder)
    out = folder / "figures.json"
    done = replay(
        str(log), "--items", str(items), "--warmup", "0.5", "--min-history", "3", "--out", str(out), *extra
    )
    assert done.returncode == 0, done.stderr
    return json.loads(out.read_text())


@pytest.fixture(scope="module")
def tiny_figures(tmp_path_factory) -> dict:
    return replay_tiny_world(tmp_path_factory.mktemp("tiny"))


def test_a_small_log_replays_end_to_end_and_reports_every_method(tiny_figures):
    figures = tiny_figures
    assert figures["pairs_evaluated"] > 0
    assert set(figures["methods"]) == {
        "discover",
        "ranking",
        "random",
        "most_liked",
        "most_liked_recent",
        "item_knn",
        "als",
    }
    for name, row in figures["methods"].items():
        assert 0 <= row["ndcg@10"] <= 1, name
        assert 0 <= row["hit_rate@10"] <= 1, name
        assert row["page_size"] > 0, name
    assert figures["methods"]["discover"]["channels_per_page"] >= 1
    assert 60 <= figures["items_published"] <= 80  # what someone met
    assert figures["best_baseline"] in figures["methods"]
    low, high = figures["intervals_ndcg@10"]["discover"]
    assert low <= figures["methods"]["discover"]["ndcg@10"] <= high
    # The bound over the engine's candidates: no order of them beats their positives first.
    oracle = figures["diagnostics"]["candidates_oracle"]
    assert oracle["ndcg@10"] > figures["methods"]["ranking"]["ndcg@10"] > 0
    assert oracle["median_candidates"] >= 10


def test_the_hot_lists_computed_before_each_scored_day_give_the_pages_beat_would(tiny_figures, tmp_path):
    """Only a page reads the hot lists, so the replay computes them once before each
    scored day; run every five simulated minutes, as beat does, the pages are the same."""
    at_period = replay_tiny_world(tmp_path, "--hot-at-period")
    assert at_period["methods"]["discover"] == tiny_figures["methods"]["discover"]
    assert at_period["methods"]["ranking"] == tiny_figures["methods"]["ranking"]
    runs, runs_at_period = tiny_figures["diagnostics"]["pass_runs"], at_period["diagnostics"]["pass_runs"]
    assert runs["hot"] == tiny_figures["days_scored"], "once before each scored day"
    assert runs_at_period["hot"] > 2 * runs["hot"]
    assert runs["pools"] == runs_at_period["pools"], "the other passes keep their periods"


def test_the_tasks_queued_for_the_worker_are_counted_not_sent(tiny_figures):
    queued = tiny_figures["diagnostics"]["tasks_queued_not_run"]
    assert queued["feeds.tasks.fanout_post"] == tiny_figures["items_published"]
    assert queued["notifications.tasks.deliver_notifications"] > 0, "likes notify the authors"


def test_a_kuairand_log_replays_with_the_same_command(tmp_path):
    lines = [
        "user_id,video_id,time_ms,play_time_ms,duration_ms,is_like,is_follow,is_comment,is_forward,is_hate"
    ]
    start = int(datetime(2024, 4, 8, tzinfo=UTC).timestamp() * 1000)
    for day in range(12):
        for person in range(4):
            for n in range(day, day + 3):
                ms = start + ((day * 24 + person) * 3600 + n * 60) * 1000
                liked = int((n + person) % 2 == 0)
                lines.append(
                    f"{person},{n % 15},{ms},{9000 if liked else 1500},10000,{liked},0,0,0,0"
                )
    log = tmp_path / "log_standard.csv"
    log.write_text("\n".join(lines) + "\n")
    out = tmp_path / "figures.json"
    done = replay(
        str(log),
        "--adapter",
        "kuairand",
        "--warmup",
        "0.5",
        "--min-history",
        "3",
        "--out",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(out.read_text())
    assert figures["pairs_evaluated"] > 0
    assert "discover" in figures["methods"]


@pytest.mark.parametrize(
    ("content", "args", "named"),
    [
        ("user,item\nu1,i1\n", (), "missing column 'timestamp'"),
        (
            "user,item,timestamp\nu1,i1,2024-01-01\nu1,i2,last tuesday\n",
            (),
            "row 3: timestamp 'last tuesday'",
        ),
        (
            "user,item,timestamp\nu1,i1,2024-01-01\n",
            ("--adapter", "lastfm"),
            "unknown adapter 'lastfm'",
        ),
        ("", (), "the file is empty"),
    ],
)
def test_a_bad_log_is_refused_with_one_line_naming_the_problem_and_exit_code_2(
    tmp_path, content, args, named
):
    log = tmp_path / "log.csv"
    log.write_text(content)
    out = tmp_path / "figures.json"
    done = replay(str(log), *args, "--out", str(out))
    assert done.returncode == 2
    assert named in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_an_unreadable_log_is_refused_with_exit_code_2(tmp_path):
    done = replay(str(tmp_path / "nowhere.csv"))
    assert done.returncode == 2
    assert "no such file" in done.stderr


def test_timestamps_are_read_as_iso_or_epoch_seconds_or_milliseconds(tmp_path):
    log = tmp_path / "log.tsv"
    log.write_text(
        "user\titem\ttimestamp\nu\ta\t2024-01-01T00:00:00Z\nu\tb\t1704067260\nu\tc\t1704067320000\n"
    )
    rows = read_log(log).interactions
    assert [r.item for r in rows] == ["a", "b", "c"]
    assert [r.ts for r in rows] == [1704067200, 1704067260, 1704067320]
    log.write_text("user\titem\ttimestamp\tlike\nu\ta\t1704067200\tmaybe\n")
    with pytest.raises(InputError, match="row 2: column 'like' must be 0 or 1"):
        read_log(log)


def test_most_liked_serves_the_most_liked_unmet_items_and_its_ndcg_is_the_textbook_one():
    b = Baselines(recent_days=30)
    for item in "abcd":
        b.publish(item)
    day = 86400 * 100
    likes = [("p", "a"), ("q", "a"), ("r", "a"), ("q", "b"), ("r", "b"), ("r", "c")]
    for user, item in likes:
        b.positive(user, item, day - 86400 * 40)  # outside the recent window
    b.positive("p", "d", day - 3600)  # the only recent like
    b.prepare(day, {"p"})
    # p met a already: the page is b (2 likes), c (1), d (1, the newer index last)
    page = b.page(MOST_LIKED, "p", {"a"})
    assert page == ["b", "c", "d"]
    assert b.page(RECENT, "p", {"a"}) == ["d"]
    # that day p liked c and d: hits at positions 2 and 3 over an ideal of positions 1 and 2
    expected = (1 / math.log2(3) + 1 / math.log2(4)) / (1 + 1 / math.log2(3))
    assert metrics.ndcg(page, {"c", "d"}) == pytest.approx(expected)
    assert metrics.recall(page, {"c", "d", "x"}) == pytest.approx(2 / 3)
    assert metrics.hit(page, {"x"}) == 0.0
