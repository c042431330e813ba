"""The demo world's video clips: a few short clips of different lengths and looks, drawn
frame by frame with Pillow and encoded by Debian's ``ffmpeg`` (H.264, 9:16, no sound).

Without ``ffmpeg`` (or when it fails) every video post gets the bundled
``demo/assets/sample.mp4`` (8 s), as before: seeding never depends on it.
"""

from __future__ import annotations

import logging
import math
import random
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw

from demo.covers import _font, _gradient, _rgb, font_path

log = logging.getLogger(__name__)

SAMPLE = Path(__file__).resolve().parent / "assets" / "sample.mp4"
SAMPLE_SECONDS = 8.0
SIZE = (360, 640)
FPS = 12


@dataclass(frozen=True)
class ClipSpec:
    look: str
    seconds: int
    caption: str
    tops: tuple[str, ...]  # the channels whose posts use this clip first


CLIPS = (
    ClipSpec("sunset", 12, "海边日落", ("travel",)),
    ClipSpec("steam", 7, "十分钟晚餐", ("food", "home", "parenting")),
    ClipSpec("track", 15, "晨跑打卡", ("fitness", "pets")),
    ClipSpec("vinyl", 9, "今日歌单", ("music", "film", "games")),
    ClipSpec("bokeh", 20, "城市夜景", ("fashion", "beauty", "tech", "study")),
)


@dataclass(frozen=True)
class Clip:
    name: str
    seconds: float
    tops: tuple[str, ...]


def _frame(spec: ClipSpec, t: float, background: Image.Image, rng_seed: int) -> Image.Image:
    w, h = SIZE
    img = background.copy()
    draw = ImageDraw.Draw(img)
    rng = random.Random(rng_seed)
    if spec.look == "sunset":
        sun_y = int(h * 0.25 + h * 0.3 * t / spec.seconds)
        draw.ellipse([w // 2 - 60, sun_y - 60, w // 2 + 60, sun_y + 60], fill=(255, 214, 120))
        draw.rectangle([0, int(h * 0.6), w, h], fill=(40, 70, 120))
        for k in range(8):
            y = int(h * 0.62) + k * 26
            shift = int(20 * math.sin(t * 2 + k))
            draw.line([(40 + shift, y), (w - 40 + shift, y)], fill=(120, 160, 210), width=3)
    elif spec.look == "steam":
        draw.ellipse([60, int(h * 0.55), w - 60, int(h * 0.8)], fill=(245, 245, 240))
        draw.ellipse([90, int(h * 0.58), w - 90, int(h * 0.74)], fill=(230, 150, 70))
        for k in range(3):
            x = 120 + k * 60
            for s in range(6):
                y = int(h * 0.52) - s * 24 - int(t * 30) % 24
                dx = int(10 * math.sin(t * 3 + s + k))
                draw.arc(
                    [x + dx - 12, y - 12, x + dx + 12, y + 12],
                    90,
                    270,
                    fill=(255, 255, 255),
                    width=4,
                )
    elif spec.look == "track":
        offset = int(t * 120) % 80
        for lane in range(5):
            x = 40 + lane * 70
            draw.line([(x, 0), (x, h)], fill=(255, 255, 255), width=3)
        for y in range(-80 + offset, h, 80):
            draw.rectangle([w // 2 - 6, y, w // 2 + 6, y + 40], fill=(255, 240, 200))
    elif spec.look == "vinyl":
        cx, cy = w // 2, int(h * 0.45)
        draw.ellipse([cx - 140, cy - 140, cx + 140, cy + 140], fill=(25, 25, 30))
        for r in (120, 100, 80):
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=(60, 60, 70), width=2)
        draw.ellipse([cx - 45, cy - 45, cx + 45, cy + 45], fill=(230, 90, 110))
        a = t * 2.5
        draw.line(
            [(cx, cy), (cx + int(40 * math.cos(a)), cy + int(40 * math.sin(a)))],
            fill=(255, 255, 255),
            width=4,
        )
    else:  # bokeh
        for k in range(14):
            x = (rng.randint(0, w) + int(t * 8 * (k % 3 + 1))) % w
            y = (rng.randint(0, h) - int(t * 20 * (k % 4 + 1))) % h
            r = rng.randint(14, 44)
            draw.ellipse([x - r, y - r, x + r, y + r], fill=_rgb(0.1 * k, 0.5, 0.95))
    if font_path():
        font = _font(34)
        draw.rounded_rectangle(
            [24, h - 120, 24 + int(font.getlength(spec.caption)) + 32, h - 64], 14, fill=(0, 0, 0)
        )
        draw.text((40, h - 114), spec.caption, font=font, fill=(255, 255, 255))
    # A progress bar, so the clip's length reads at a glance.
    draw.rectangle([0, h - 8, int(w * t / spec.seconds), h], fill=(255, 255, 255))
    return img


_BACKGROUNDS = {
    "sunset": ((250, 160, 120), (120, 70, 140)),
    "steam": ((255, 228, 196), (214, 150, 110)),
    "track": ((200, 90, 70), (160, 60, 50)),
    "vinyl": ((60, 50, 110), (20, 20, 40)),
    "bokeh": ((20, 30, 70), (5, 5, 20)),
}


def _encode(spec: ClipSpec, out: Path, ffmpeg: str) -> None:
    background = _gradient(SIZE, *_BACKGROUNDS[spec.look])
    command = [
        ffmpeg, "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{SIZE[0]}x{SIZE[1]}",
        "-r", str(FPS), "-i", "-", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
        "-movflags", "+faststart", "-an", str(out),
    ]  # fmt: skip
    with subprocess.Popen(command, stdin=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        try:
            for i in range(spec.seconds * FPS):
                proc.stdin.write(
                    _frame(spec, i / FPS, background, rng_seed=len(spec.look)).tobytes()
                )
        finally:
            proc.stdin.close()
        if proc.wait(timeout=120) != 0:
            raise RuntimeError(proc.stderr.read().decode(errors="replace")[:500])


def clips_make(*, ffmpeg: str | None = None) -> list[Clip]:
    """Return the demo clips, encoding those not in storage yet; the bundled sample
    alone when ``ffmpeg`` is missing or fails."""
    ffmpeg = ffmpeg if ffmpeg is not None else shutil.which("ffmpeg")
    clips: list[Clip] = []
    if ffmpeg:
        for spec in CLIPS:
            name = f"demo/clips/{spec.look}-{spec.seconds}s.mp4"
            if not default_storage.exists(name):
                try:
                    with tempfile.TemporaryDirectory() as tmp:
                        out = Path(tmp) / "clip.mp4"
                        _encode(spec, out, ffmpeg)
                        with out.open("rb") as fh:
                            default_storage.save(name, File(fh))
                except (OSError, RuntimeError, subprocess.SubprocessError) as error:
                    log.warning("demo clips: ffmpeg failed (%s); using the bundled sample", error)
                    clips = []
                    break
            clips.append(Clip(name, float(spec.seconds), spec.tops))
    if not clips:
        name = "demo/sample.mp4"
        if not default_storage.exists(name):
            with SAMPLE.open("rb") as fh:
                default_storage.save(name, File(fh))
        clips = [Clip(name, SAMPLE_SECONDS, ())]
    return clips


def clip_for(*, clips: list[Clip], top: str, rng: random.Random) -> Clip:
    """Return the clip a video post of a channel uses: its own look, now and then another."""
    own = [c for c in clips if top in c.tops]
    return rng.choice(own) if own and rng.random() < 0.8 else rng.choice(clips)
