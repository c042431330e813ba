"""Uploaded media: images decoded and re-encoded by Pillow, videos checked by container.

Nothing a client sends is stored as sent. An image is opened by Pillow, refused unless it
is a JPEG, PNG or WebP under the pixel cap, turned upright from its EXIF orientation,
shrunk to the dimension cap and encoded again with no metadata at all (no EXIF, so no
GPS position; no text chunks, so no markup riding along). A video is accepted by its
container signature (MP4, MOV, WebM). Both are stored under a random name whose
extension comes from the detected format, never from the client's file name, so an
upload can never be served as a web page (the media view in config/urls.py and
platform/nginx.conf serve only these types; docs/security.md).

Every check raises ``django.core.exceptions.ValidationError`` with a message a person can
act on; callers check all files of a request before storing any.
"""

from __future__ import annotations

import io
import struct
import uuid
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

# Formats kept as they came (a PNG stays a PNG): file extension and encoder options.
IMAGE_FORMATS = {
    "JPEG": ("jpg", {"quality": 85, "optimize": True}),
    "PNG": ("png", {}),
    "WEBP": ("webp", {"quality": 85}),
}
# What the file pickers offer: the formats this pipeline takes.
IMAGE_ACCEPT = "image/jpeg,image/png,image/webp"
VIDEO_CONTAINERS = {"mp4": "mp4", "mov": "mov", "webm": "webm"}
# ISO base media brands of real videos. HEIC / AVIF photos and M4A audio share the
# ``ftyp`` box with MP4, so the box alone does not make a video.
MP4_BRANDS = {
    b"isom",
    b"iso2",
    b"iso3",
    b"iso4",
    b"iso5",
    b"iso6",
    b"mp41",
    b"mp42",
    b"avc1",
    b"M4V ",
    b"M4VH",
    b"M4VP",
    b"dash",
    b"mmp4",
    b"MSNV",
    b"f4v ",
    b"3gp4",
    b"3gp5",
}
# What the media view serves, by extension. Anything else under MEDIA_ROOT (a file
# stored under a client's own name before this pipeline existed) is not served at all.
SERVED_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".mov": "video/quicktime",
    ".webm": "video/webm",
}
# Sent with every media file: the browser takes the type as given, and even a file
# opened on its own runs no script and loads nothing.
MEDIA_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox; default-src 'none'; img-src 'self'; media-src 'self'",
}


@dataclass(frozen=True)
class StoredImage:
    """A re-encoded image ready to store, and its card-sized rendition (None when the
    image is no bigger than a card)."""

    file: ContentFile
    width: int
    height: int
    card: ContentFile | None


def random_name(extension: str) -> str:
    """Return a fresh file name: 32 random hex digits and the given extension."""
    return f"{uuid.uuid4().hex}.{extension}"


# What an upload is, as the refusals name it ("an image may be at most 10.0 MB").
KINDS = {"image": gettext_lazy("an image"), "cover": gettext_lazy("a cover"), "avatar": gettext_lazy("an avatar")}


def _human(n: int) -> str:
    """Return a size for people: 10.3 MB, 512.0 KB, 900 bytes."""
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return _("{n} bytes").format(n=n)


def _open_image(upload, *, max_bytes: int, label: str, draft_box: tuple[int, int]):
    """Return ``(image, format)``: the upload decoded and upright, or raise.

    The pixel cap is checked on the header, before any pixel is decoded, so a small
    file that claims to be huge (a decompression bomb) costs nothing. JPEGs are decoded
    at a reduced scale when only a smaller copy is kept (``draft_box``).
    """
    limits = settings.UPLOADS
    name = getattr(upload, "name", label)
    kind = KINDS.get(label, label)
    million = limits["IMAGE_MAX_PIXELS"] // 1_000_000
    if upload.size > max_bytes:
        raise ValidationError(
            _("{name} is {size}; {kind} may be at most {limit}.").format(
                name=name, size=_human(upload.size), kind=kind, limit=_human(max_bytes)
            ),
            code="too_large",
        )
    unreadable = ValidationError(
        _("{name} is not an image we can read. Upload a JPEG, PNG or WebP file.").format(name=name),
        code="invalid_image",
    )
    try:
        upload.seek(0)
        img = Image.open(upload)
        fmt = img.format or ""
        if fmt == "GIF":
            raise ValidationError(
                _("{name} is a GIF; upload a JPEG, PNG or WebP image (post a moving picture as a video).").format(
                    name=name
                ),
                code="invalid_image",
            )
        if fmt not in IMAGE_FORMATS:
            raise ValidationError(
                _("{name} is a {format} image; upload a JPEG, PNG or WebP file.").format(
                    name=name, format=fmt or _("unknown")
                ),
                code="invalid_image",
            )
        width, height = img.size
        if width * height > limits["IMAGE_MAX_PIXELS"]:
            raise ValidationError(
                _("{name} is {width}×{height} pixels; {kind} may have at most {million} million.").format(
                    name=name, width=width, height=height, kind=kind, million=million
                ),
                code="too_large",
            )
        if fmt == "JPEG":
            img.draft("RGB", draft_box)
        img.load()
        img = _working_mode(ImageOps.exif_transpose(img))
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        # Pillow's own guard, for headers claiming hundreds of millions of pixels.
        raise ValidationError(
            _("{name} has far too many pixels; {kind} may have at most {million} million.").format(
                name=name, kind=kind, million=million
            ),
            code="too_large",
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise unreadable from None
    finally:
        upload.seek(0)
    return img, fmt


def _working_mode(img: Image.Image) -> Image.Image:
    """Return ``img`` as 8-bit grey or colour, with alpha if it has any: the modes every
    resampling filter and all three encoders take."""
    if img.mode in ("RGB", "RGBA", "L", "LA"):
        return img
    if img.mode.startswith("I") or img.mode == "F":  # 16- or 32-bit grey (PNG)
        return img.convert("I").point(lambda value: value / 256).convert("L")
    alpha = "A" in img.getbands() or "transparency" in img.info
    return img.convert("RGBA" if alpha else "RGB")


def _encode(img: Image.Image, fmt: str, extension: str, options: dict) -> ContentFile:
    """Return ``img`` encoded as ``fmt`` with no metadata, under a random name."""
    # Encoders copy some of ``info`` (ICC profile, EXIF, text) into the file: drop it all.
    img.info = {}
    buffer = io.BytesIO()
    img.save(buffer, fmt, **options)
    return ContentFile(buffer.getvalue(), name=random_name(extension))


def store_image(upload, *, label: str = "image") -> StoredImage:
    """Return a post image or cover re-encoded for storage, with its card rendition."""
    limits = settings.UPLOADS
    side = limits["IMAGE_MAX_SIDE"]
    img, fmt = _open_image(
        upload, max_bytes=limits["IMAGE_MAX_BYTES"], label=label, draft_box=(side, side)
    )
    extension, options = IMAGE_FORMATS[fmt]
    img.thumbnail((side, side), Image.Resampling.LANCZOS)
    card = None
    card_box = tuple(limits["CARD_BOX"])
    if img.width > card_box[0] or img.height > card_box[1]:
        small = img.copy()
        small.thumbnail(card_box, Image.Resampling.LANCZOS)
        card = _encode(small, fmt, extension, options)
    return StoredImage(
        file=_encode(img, fmt, extension, options), width=img.width, height=img.height, card=card
    )


def store_avatar(upload) -> ContentFile:
    """Return an avatar re-encoded as a square of ``AVATAR_SIDE`` pixels (or smaller)."""
    limits = settings.UPLOADS
    side = limits["AVATAR_SIDE"]
    img, fmt = _open_image(
        upload, max_bytes=limits["AVATAR_MAX_BYTES"], label="avatar", draft_box=(side, side)
    )
    square = min(side, img.width, img.height)
    img = ImageOps.fit(img, (square, square), Image.Resampling.LANCZOS)
    extension, options = IMAGE_FORMATS[fmt]
    return _encode(img, fmt, extension, options)


@dataclass(frozen=True)
class CheckedVideo:
    """A video that passed: its duration and the name to store it under."""

    seconds: float
    name: str


def _sniff_video(head: bytes) -> str | None:
    """Return the container ('mp4', 'mov', 'webm') of a file from its first bytes."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand == b"qt  ":
            return "mov"
        return "mp4" if brand in MP4_BRANDS else None
    if head[:4] == b"\x1a\x45\xdf\xa3" and b"webm" in head:
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
        for sub, sbody, _end in boxes(body, end):
            if sub != b"mvhd" or sbody + 32 > end:
                continue
            version = data[sbody]
            if version == 1:
                timescale, duration = struct.unpack(">IQ", data[sbody + 20 : sbody + 32])
            else:
                timescale, duration = struct.unpack(">II", data[sbody + 12 : sbody + 20])
            return duration / timescale if timescale else None
    return None


def check_video(upload, *, declared_seconds: float | None = None) -> CheckedVideo:
    """Return the duration and storage name of an uploaded video, or raise if refused.

    The container is read from the file's first bytes, whatever its name says. The
    duration is read from the MP4 / MOV header when the file has one; a WebM file must
    come with ``declared_seconds`` (what the browser's player reported).
    """
    limits = settings.UPLOADS
    name = getattr(upload, "name", "video")
    if upload.size > limits["VIDEO_MAX_BYTES"]:
        raise ValidationError(
            _("{name} is {size}; a video may be at most {limit}.").format(
                name=name, size=_human(upload.size), limit=_human(limits["VIDEO_MAX_BYTES"])
            ),
            code="too_large",
        )
    upload.seek(0)
    container = _sniff_video(upload.read(64))
    upload.seek(0)
    if container is None:
        raise ValidationError(
            _("{name} is not a video file (no MP4, MOV or WebM header).").format(name=name), code="invalid_video"
        )
    seconds = mp4_duration_seconds(upload) if container in ("mp4", "mov") else None
    if seconds is None:
        seconds = declared_seconds
    if seconds is None:
        raise ValidationError(
            _("{name}: the video's duration could not be read; send video_seconds.").format(name=name),
            code="invalid_video",
        )
    low, high = limits["VIDEO_MIN_SECONDS"], limits["VIDEO_MAX_SECONDS"]
    if not low <= seconds <= high:
        raise ValidationError(
            _("{name} lasts {seconds} s; a video must last {low} s to {high} min.").format(
                name=name, seconds=f"{seconds:.0f}", low=low, high=high // 60
            ),
            code="invalid_video",
        )
    return CheckedVideo(
        seconds=round(float(seconds), 2), name=random_name(VIDEO_CONTAINERS[container])
    )


def served_type(path: str) -> str | None:
    """Return the Content-Type a media file is served with, or None if it is not served."""
    return SERVED_TYPES.get(PurePosixPath(path).suffix.lower())
