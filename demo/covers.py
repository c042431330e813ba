"""Pictures of the demo world, drawn with Pillow at seed time.

Two kinds, both deterministic (the same name always holds the same picture):

- a *text cover* (小红书's 大字封面): the note's title in big CJK type on a colour block,
  with a small channel motif; one per note, named by a hash of what it shows, so a
  second seed reuses the file;
- an *illustration*: a gradient and a channel motif (a bowl, mountains, a cat …) drawn
  with shapes; a dozen variants per channel in 3:4, 1:1 and 4:3, shared by many notes.

The CJK font is the first of ``FONT_CANDIDATES`` found (Debian's ``fonts-noto-cjk`` or
``fonts-wqy-zenhei``), else whatever ``fc-list :lang=zh`` names; with none, text covers
give way to illustrations, so a machine without CJK fonts still gets clean pictures.
"""

from __future__ import annotations

import colorsys
import hashlib
import io
import random
import re
import shutil
import subprocess
from functools import cache

from django.core.files.storage import default_storage
from PIL import Image, ImageDraw, ImageFont

FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)
SIZES = {"3:4": (540, 720), "1:1": (600, 600), "4:3": (720, 540)}
ILLUSTRATION_VARIANTS = 12
# Hues per channel (0-1), so a channel's pictures share a family of colours.
HUES = {
    "fashion": (0.95, 0.08, 0.75),
    "beauty": (0.92, 0.98, 0.85),
    "food": (0.06, 0.1, 0.02),
    "travel": (0.55, 0.5, 0.08),
    "fitness": (0.33, 0.45, 0.12),
    "tech": (0.6, 0.67, 0.52),
    "home": (0.1, 0.3, 0.13),
    "pets": (0.09, 0.12, 0.95),
    "study": (0.58, 0.15, 0.5),
    "parenting": (0.15, 0.9, 0.5),
    "music": (0.75, 0.8, 0.62),
    "film": (0.0, 0.7, 0.1),
    "games": (0.72, 0.48, 0.85),
}
_TOKEN_RE = re.compile(r"[A-Za-z0-9.%]+|\s|.")
_EMOJI_RE = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\ufe0f\u200d]")


@cache
def font_path() -> str | None:
    """Return the path of a CJK font on this machine, or None."""
    for path in FONT_CANDIDATES:
        try:
            ImageFont.truetype(path, 20)
            return path
        except OSError:
            continue
    if shutil.which("fc-list"):
        try:
            out = subprocess.run(
                ["fc-list", ":lang=zh", "file"],
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
            ).stdout
        except (OSError, subprocess.SubprocessError):
            return None
        for line in sorted(out.splitlines()):
            path = line.split(":")[0].strip()
            if path:
                return path
    return None


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(font_path(), size)


def _rgb(h: float, s: float, v: float) -> tuple[int, int, int]:
    r, g, b = colorsys.hsv_to_rgb(h % 1.0, s, v)
    return int(r * 255), int(g * 255), int(b * 255)


def _palette(top: str, rng: random.Random) -> dict[str, tuple[int, int, int]]:
    hue = rng.choice(HUES.get(top, (0.5,))) + rng.uniform(-0.03, 0.03)
    light = rng.random() < 0.6
    if light:
        return {
            "top": _rgb(hue, 0.18, 0.99),
            "bottom": _rgb(hue + 0.04, 0.38, 0.93),
            "ink": _rgb(hue, 0.75, 0.32),
            "accent": _rgb(hue + 0.5, 0.55, 0.9),
            "motif": _rgb(hue, 0.6, 0.78),
        }
    return {
        "top": _rgb(hue, 0.65, 0.62),
        "bottom": _rgb(hue + 0.05, 0.8, 0.38),
        "ink": (255, 255, 255),
        "accent": _rgb(hue + 0.12, 0.5, 1.0),
        "motif": _rgb(hue, 0.3, 0.95),
    }


def _gradient(size: tuple[int, int], top, bottom) -> Image.Image:
    # A 1-pixel-wide column resized: fast, and smooth enough for a phone screen.
    column = Image.new("RGB", (1, 256))
    column.putdata(
        [
            tuple(int(a + (b - a) * i / 255) for a, b in zip(top, bottom, strict=True))
            for i in range(256)
        ]
    )
    return column.resize(size, Image.BILINEAR)


def _motif(
    draw: ImageDraw.ImageDraw, top: str, box: tuple[int, int, int, int], colour, accent, rng
) -> None:
    """Draw the channel's motif inside ``box`` (left, top, right, bottom)."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    cx, cy = x0 + w // 2, y0 + h // 2
    r = min(w, h) // 2
    if top == "food":
        draw.ellipse([cx - r, cy - r // 2, cx + r, cy + r], fill=colour)
        draw.ellipse([cx - r + 12, cy - r // 2 + 8, cx + r - 12, cy + r // 3], fill=accent)
        for k in range(3):
            sx = cx - r // 2 + k * r // 2
            draw.arc(
                [sx - 14, cy - r - 10, sx + 14, cy - r // 2 - 10], 90, 270, fill=colour, width=5
            )
    elif top == "travel":
        draw.ellipse([cx + r // 3, y0, cx + r // 3 + r // 2, y0 + r // 2], fill=accent)
        draw.polygon([(x0, y1), (cx - r // 3, cy - r // 3), (cx + r // 4, y1)], fill=colour)
        draw.polygon([(cx - r // 4, y1), (cx + r // 2, cy), (x1, y1)], fill=accent)
        for k in range(3):
            yy = y1 - 8 - k * 14
            draw.line([(x0, yy), (x1, yy)], fill=colour, width=3)
    elif top == "fashion":
        draw.arc([cx - 30, y0, cx + 30, y0 + 50], 180, 360, fill=colour, width=6)
        draw.polygon(
            [(cx - r // 3, y0 + 40), (cx + r // 3, y0 + 40), (cx + r, y1), (cx - r, y1)],
            fill=colour,
        )
        draw.rectangle([cx - r // 3, y0 + 40, cx + r // 3, y0 + 40 + h // 4], fill=accent)
    elif top == "beauty":
        draw.rounded_rectangle([cx - r // 2 - 40, cy - 10, cx - r // 2 + 20, y1], 10, fill=colour)
        draw.polygon(
            [
                (cx - r // 2 - 30, cy - 10),
                (cx - r // 2 + 10, cy - 10),
                (cx - r // 2 + 10, cy - r // 2),
            ],
            fill=accent,
        )
        draw.rounded_rectangle([cx, cy - r // 2, cx + r // 2 + 20, y1], 24, fill=accent)
        draw.rectangle([cx + 20, cy - r // 2 - 30, cx + r // 2, cy - r // 2], fill=colour)
    elif top == "fitness":
        draw.rectangle([cx - r, cy - 8, cx + r, cy + 8], fill=colour)
        for sx in (cx - r, cx + r - 36):
            draw.rounded_rectangle([sx, cy - r // 2, sx + 36, cy + r // 2], 8, fill=accent)
    elif top == "tech":
        draw.rounded_rectangle([cx - r // 2, y0, cx + r // 2, y1], 28, fill=colour)
        draw.rounded_rectangle(
            [cx - r // 2 + 12, y0 + 30, cx + r // 2 - 12, y1 - 30], 12, fill=accent
        )
        draw.ellipse([cx - 10, y0 + 8, cx + 10, y0 + 24], fill=accent)
    elif top == "home":
        draw.rectangle([x0, y0, cx, cy], outline=colour, width=8)
        draw.line([(x0 + w // 4, y0), (x0 + w // 4, cy)], fill=colour, width=6)
        draw.polygon(
            [(cx + 20, y1), (cx + r - 10, y1), (cx + r, cy + r // 3), (cx + 10, cy + r // 3)],
            fill=colour,
        )
        for k in range(5):
            a = cx + 20 + k * (r - 30) // 4
            draw.ellipse([a - 16, cy - r // 3 - k % 2 * 20, a + 16, cy + r // 3], fill=accent)
    elif top == "pets":
        draw.ellipse([cx - r, cy - r // 1.3, cx + r, cy + r], fill=colour)
        draw.polygon(
            [(cx - r, cy - r // 3), (cx - r + 10, y0 - 10), (cx - r // 3, cy - r // 1.5)],
            fill=colour,
        )
        draw.polygon(
            [(cx + r, cy - r // 3), (cx + r - 10, y0 - 10), (cx + r // 3, cy - r // 1.5)],
            fill=colour,
        )
        for ex in (cx - r // 2.5, cx + r // 2.5):
            draw.ellipse([ex - 12, cy - 10, ex + 12, cy + 16], fill=accent)
        draw.polygon(
            [(cx - 10, cy + r // 3), (cx + 10, cy + r // 3), (cx, cy + r // 3 + 12)], fill=accent
        )
    elif top == "study":
        for k in range(4):
            ww = w - 30 * (k % 2) - 20 * k
            yy = y1 - (k + 1) * (h // 5)
            draw.rounded_rectangle(
                [cx - ww // 2, yy, cx + ww // 2, yy + h // 5 - 6],
                6,
                fill=colour if k % 2 else accent,
            )
        draw.line([(x1 - 20, y0), (x1 - 60, y1 - h // 2)], fill=colour, width=10)
    elif top == "parenting":
        draw.ellipse([cx - r // 2, y0, cx + r // 2, y0 + r], fill=accent)
        draw.line([(cx, y0 + r), (cx - 10, y1)], fill=colour, width=3)
        for k, col in enumerate((colour, accent, colour)):
            bx = x0 + k * w // 3
            draw.rectangle([bx + 4, y1 - w // 3 + 8, bx + w // 3 - 4, y1], fill=col)
    elif top == "music":
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=colour)
        draw.ellipse([cx - r // 3, cy - r // 3, cx + r // 3, cy + r // 3], fill=accent)
        for k in (0.55, 0.75, 0.9):
            draw.arc(
                [cx - r * k, cy - r * k, cx + r * k, cy + r * k], 200, 320, fill=accent, width=2
            )
    elif top == "film":
        draw.rectangle([x0, cy - r // 2, x1, cy + r // 2], fill=colour)
        for hx in range(x0 + 10, x1 - 10, 34):
            draw.rectangle([hx, cy - r // 2 + 8, hx + 18, cy - r // 2 + 22], fill=accent)
            draw.rectangle([hx, cy + r // 2 - 22, hx + 18, cy + r // 2 - 8], fill=accent)
    else:  # games
        draw.rounded_rectangle([x0, cy - r // 2, x1, cy + r // 2], r // 2, fill=colour)
        draw.rectangle([x0 + w // 5 - 8, cy - 30, x0 + w // 5 + 8, cy + 30], fill=accent)
        draw.rectangle([x0 + w // 5 - 30, cy - 8, x0 + w // 5 + 30, cy + 8], fill=accent)
        for dx, dy in ((0, -20), (22, 0), (-22, 0), (0, 20)):
            draw.ellipse(
                [x1 - w // 5 + dx - 10, cy + dy - 10, x1 - w // 5 + dx + 10, cy + dy + 10],
                fill=accent,
            )
    for _ in range(rng.randint(2, 5)):  # a few sparkles, never in the same place twice
        sx, sy = rng.randint(x0 - 40, x1 + 40), rng.randint(y0 - 40, y1 + 20)
        s = rng.randint(4, 10)
        draw.ellipse([sx - s, sy - s, sx + s, sy + s], fill=accent)


def _jpeg(img: Image.Image) -> bytes:
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", quality=82, optimize=False)
    return buffer.getvalue()


def illustration_draw(*, top: str, variant: int, aspect: str) -> Image.Image:
    """Return an illustration of a channel (deterministic for its arguments)."""
    rng = random.Random(f"art:{top}:{variant}:{aspect}")
    size = SIZES[aspect]
    colours = _palette(top, rng)
    img = _gradient(size, colours["top"], colours["bottom"])
    draw = ImageDraw.Draw(img)
    w, h = size
    for _ in range(rng.randint(3, 7)):  # soft background discs
        r = rng.randint(w // 10, w // 4)
        x, y = rng.randint(0, w), rng.randint(0, h)
        tone = tuple(min(255, c + 18) for c in colours["bottom"])
        draw.ellipse([x - r, y - r, x + r, y + r], fill=tone)
    m = min(w, h) // 2
    scale = rng.uniform(0.75, 1.0)
    half = int(m * scale * 0.8)
    cx, cy = w // 2 + rng.randint(-w // 12, w // 12), h // 2 + rng.randint(-h // 12, h // 12)
    _motif(
        draw,
        top,
        (cx - half, cy - half, cx + half, cy + half),
        colours["motif"],
        colours["accent"],
        rng,
    )
    return img


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines, line = [], ""
    for token in _TOKEN_RE.findall(text):
        if font.getlength(line + token) <= width or not line:
            line += token
        else:
            lines.append(line.strip())
            line = token.lstrip()
    if line.strip():
        lines.append(line.strip())
    return lines


def text_cover_draw(
    *, text: str, top: str, label: str, variant: int, aspect: str = "3:4"
) -> Image.Image:
    """Return a 大字封面: ``text`` in big type on a colour block (needs ``font_path()``)."""
    rng = random.Random(f"cover:{top}:{variant}:{text}")
    size = SIZES[aspect]
    w, h = size
    colours = _palette(top, rng)
    img = _gradient(size, colours["top"], colours["bottom"])
    draw = ImageDraw.Draw(img)
    text = _EMOJI_RE.sub("", text).strip() or label
    margin = w // 11
    lines: list[str] = []
    for font_size in (w // 7, w // 8, w // 10, w // 12):
        font = _font(font_size)
        lines = _wrap(text, font, w - 2 * margin)
        if len(lines) <= 4:
            break
    lines = lines[:4]
    if len(lines) > 1:  # balance the lines, so no line ends with one lonely character
        even = font.getlength(text) / len(lines) + font_size * 0.6
        balanced = _wrap(text, font, int(min(even, w - 2 * margin)))
        if len(balanced) == len(lines):
            lines = balanced
    line_height = int(font_size * 1.32)
    block = line_height * len(lines)
    top_y = int(h * 0.2) if aspect == "3:4" else int(h * 0.16)
    # The highlighter stroke under the last line, as people draw on their covers.
    last = lines[-1]
    ly = top_y + block - line_height + int(font_size * 1.12)
    draw.rectangle(
        [margin - 4, ly, margin + int(font.getlength(last)) + 4, ly + max(6, font_size // 7)],
        fill=colours["accent"],
    )
    for k, line in enumerate(lines):
        draw.text((margin, top_y + k * line_height), line, font=font, fill=colours["ink"])
    small = _font(max(20, w // 18))
    draw.text((margin, int(h * 0.08)), f"#{label}", font=small, fill=colours["ink"])
    motif_size = min(w, h) // 4
    bx, by = w - margin - motif_size, h - margin - motif_size
    _motif(
        draw,
        top,
        (bx, by, bx + motif_size, by + motif_size),
        colours["motif"],
        colours["accent"],
        rng,
    )
    return img


def _stored(name: str, render) -> str:
    if not default_storage.exists(name):
        default_storage.save(name, io.BytesIO(_jpeg(render())))
    return name


def illustration_pool(*, tops: list[str]) -> dict[str, list[tuple[str, int, int]]]:
    """Write each channel's illustrations once; return their storage names and sizes."""
    aspects = ["3:4", "3:4", "1:1", "4:3"]
    pool: dict[str, list[tuple[str, int, int]]] = {}
    for top in tops:
        pool[top] = []
        for variant in range(ILLUSTRATION_VARIANTS):
            aspect = aspects[variant % len(aspects)]
            name = f"demo/art/{top}-{variant}-{aspect.replace(':', 'x')}.jpg"
            _stored(
                name,
                lambda t=top, v=variant, a=aspect: illustration_draw(top=t, variant=v, aspect=a),
            )
            pool[top].append((name, *SIZES[aspect]))
    return pool


def text_cover(
    *, text: str, top: str, label: str, variant: int, aspect: str = "3:4"
) -> tuple[str, int, int] | None:
    """Write (once) the text cover of a note; return its storage name and size, or None
    when this machine has no CJK font."""
    if font_path() is None:
        return None
    digest = hashlib.sha1(f"{text}|{top}|{label}|{variant}|{aspect}".encode()).hexdigest()[:16]
    name = f"demo/covers/{digest[:2]}/{top}-{digest}.jpg"
    _stored(
        name,
        lambda: text_cover_draw(text=text, top=top, label=label, variant=variant, aspect=aspect),
    )
    return (name, *SIZES[aspect])
