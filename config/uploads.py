"""Checks on uploaded files: images are decoded by Pillow, videos are sniffed by header.

Every check raises ``django.core.exceptions.ValidationError`` with a message a person can
act on; nothing is stored until all files of a request have passed.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

VIDEO_EXTENSIONS = {".mp4": "mp4", ".m4v": "mp4", ".mov": "mov", ".webm": "webm"}


@dataclass(frozen=True)
class ImageInfo:
    width: int
    height: int
    format: str


def _human(n: int) -> str:
    """Return a size for people: 10.3 MB, 512.0 KB, 900 bytes."""
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} bytes"


def validate_image(upload, *, max_bytes: int | None = None, label: str = "image") -> ImageInfo:
    """Return the size and format of an uploaded image, or raise if it is not one."""
    limits = settings.UPLOADS
    max_bytes = max_bytes or limits["IMAGE_MAX_BYTES"]
    name = getattr(upload, "name", label)
    if upload.size > max_bytes:
        raise ValidationError(
            f"{name} is {_human(upload.size)}; an {label} may be at most {_human(max_bytes)}.",
            code="too_large",
        )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as img:
            fmt = img.format or ""
            width, height = img.size
            if width * height > limits["IMAGE_MAX_PIXELS"]:
                raise ValidationError(f"{name} has too many pixels.", code="too_large")
            img.load()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            f"{name} is not an image we can read. Upload a JPEG, PNG, WebP or GIF file.",
            code="invalid_image",
        ) from None
    finally:
        upload.seek(0)
    if fmt not in limits["IMAGE_FORMATS"]:
        raise ValidationError(
            f"{name} is a {fmt or 'unknown'} image; upload a JPEG, PNG, WebP or GIF file.",
            code="invalid_image",
        )
    return ImageInfo(width=width, height=height, format=fmt)


def _sniff_video(head: bytes) -> str | None:
    """Return the container ('mp4', 'mov', 'webm') of a file from its first bytes."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "mov" if head[8:10] == b"qt" else "mp4"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "webm"
    return None


def mp4_duration_seconds(upload) -> float | None:
    """Return the duration stored in an MP4 / MOV ``moov/mvhd`` box, or None."""
    upload.seek(0)
    data = upload.read(64 * 1024 * 1024)
    upload.seek(0)

    def boxes(start: int, end: int):
        pos = start
        while pos + 8 <= end:
            size, kind = struct.unpack(">I4s", data[pos : pos + 8])
            header = 8
            if size == 1 and pos + 16 <= end:
                size = struct.unpack(">Q", data[pos + 8 : pos + 16])[0]
                header = 16
            elif size == 0:
                size = end - pos
            if size < header:
                return
            yield kind, pos + header, min(pos + size, end)
            pos += size

    for kind, body, end in boxes(0, len(data)):
        if kind != b"moov":
            continue
        for sub, sbody, _ in boxes(body, end):
            if sub != b"mvhd":
                continue
            version = data[sbody]
            if version == 1:
                timescale, duration = struct.unpack(">IQ", data[sbody + 20 : sbody + 32])
            else:
                timescale, duration = struct.unpack(">II", data[sbody + 12 : sbody + 20])
            return duration / timescale if timescale else None
    return None


def validate_video(upload, *, declared_seconds: float | None = None) -> float:
    """Return the duration of an uploaded video in seconds, or raise if it is refused.

    The duration is read from the MP4 / MOV header when the file has one; a WebM file
    must come with ``declared_seconds`` (what the browser's player reported).
    """
    limits = settings.UPLOADS
    name = getattr(upload, "name", "video")
    ext = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in VIDEO_EXTENSIONS:
        raise ValidationError(
            f"{name}: upload an MP4, MOV or WebM video.", code="invalid_video"
        )
    if upload.size > limits["VIDEO_MAX_BYTES"]:
        raise ValidationError(
            f"{name} is {_human(upload.size)}; a video may be at most "
            f"{_human(limits['VIDEO_MAX_BYTES'])}.",
            code="too_large",
        )
    upload.seek(0)
    container = _sniff_video(upload.read(16))
    upload.seek(0)
    if container is None:
        raise ValidationError(
            f"{name} is not a video file (no MP4, MOV or WebM header).", code="invalid_video"
        )
    seconds = mp4_duration_seconds(upload) if container in ("mp4", "mov") else None
    if seconds is None:
        seconds = declared_seconds
    if seconds is None:
        raise ValidationError(
            f"{name}: the video's duration could not be read; send video_seconds.",
            code="invalid_video",
        )
    low, high = limits["VIDEO_MIN_SECONDS"], limits["VIDEO_MAX_SECONDS"]
    if not low <= seconds <= high:
        raise ValidationError(
            f"{name} lasts {seconds:.0f} s; a video must last {low} s to {high // 60} min.",
            code="invalid_video",
        )
    return round(float(seconds), 2)
