"""Read an interaction log (and an optional item file) into plain values.

The generic format is a CSV or TSV file with the columns ``user``, ``item``,
``timestamp`` (ISO 8601, or epoch seconds or milliseconds) and any of ``like``,
``dislike``, ``favourite``, ``comment``, ``share``, ``follow`` (0/1), ``watch_seconds``,
``duration_seconds``, ``rating``; the item file has ``item`` and any of ``title``,
``channel``, ``tags`` (separated by ``|``), ``duration_seconds``, ``lat``, ``lng``.
Adapters read the public formats into the same values: MovieLens (``ratings.csv``,
``movies.csv``, ``tags.csv``) and the Kuaishou logs KuaiRec / KuaiRand.

Every problem is an ``InputError`` whose message names the file, the row or the column.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

FLAGS = ("like", "dislike", "favourite", "comment", "share", "follow")
NUMBERS = ("watch_seconds", "duration_seconds", "rating")
ADAPTERS = ("generic", "movielens", "kuairand")
ML_LIKE, ML_DISLIKE = 4.0, 2.5  # MovieLens: a rating of 4 or more is a like, under 2.5 a dislike
EPOCH_MS = (
    100_000_000_000  # a numeric timestamp above this is in milliseconds (year 5138 in seconds)
)


class InputError(Exception):
    """A log the replay cannot read; the message names the file and the row or column."""


@dataclass(slots=True)
class Interaction:
    user: str
    item: str
    ts: float  # epoch seconds, UTC
    like: bool = False
    dislike: bool = False
    favourite: bool = False
    comment: str = ""  # the comment's text ("" for none)
    share: bool = False
    follow: bool = False
    watch_seconds: float | None = None
    duration_seconds: float | None = None
    rating: float | None = None


@dataclass(slots=True)
class Item:
    item: str
    title: str = ""
    channel: str = ""
    tags: list[str] = field(default_factory=list)
    duration_seconds: float | None = None
    lat: float | None = None
    lng: float | None = None


@dataclass
class Log:
    interactions: list[Interaction]  # in time order
    items: dict[str, Item]
    source: str  # what was read, for the report


# ---------------------------------------------------------------- values
def parse_time(raw: str, where: str) -> float:
    """Return epoch seconds from ISO 8601 or epoch seconds / milliseconds."""
    text = (raw or "").strip()
    if not text:
        raise InputError(f"{where}: the timestamp is empty")
    try:
        number = float(text)
    except ValueError:
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise InputError(
                f"{where}: timestamp {text!r} is neither ISO 8601 nor epoch seconds or milliseconds"
            ) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.timestamp()
    return number / 1000 if number >= EPOCH_MS else number


def _flag(raw: str | None, where: str, column: str) -> bool:
    text = (raw or "").strip().lower()
    if text in ("", "0", "0.0", "false", "no"):
        return False
    if text in ("1", "1.0", "true", "yes"):
        return True
    raise InputError(f"{where}: column {column!r} must be 0 or 1, not {raw!r}")


def _number(raw: str | None, where: str, column: str, scale: float = 1.0) -> float | None:
    text = (raw or "").strip()
    if not text:
        return None
    try:
        return float(text) * scale
    except ValueError:
        raise InputError(f"{where}: column {column!r} must be a number, not {raw!r}") from None


# ---------------------------------------------------------------- files
def _rows(
    path: Path, required: tuple[str, ...], aliases: dict[str, tuple[str, ...]] | None = None
) -> Iterator[tuple[str, dict]]:
    """Yield (where, row) of a CSV / TSV file with the ``required`` columns.

    ``aliases`` maps a column to the names it may have in the file (first found wins).
    """
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror or error})") from None
    with handle:
        try:
            head = handle.readline()
        except UnicodeDecodeError:
            raise InputError(f"{path}: not a UTF-8 text file") from None
        if not head.strip():
            raise InputError(f"{path}: the file is empty")
        delimiter = "\t" if "\t" in head else ","
        header = [h.strip() for h in next(csv.reader([head], delimiter=delimiter))]
        names = {}
        for column, options in (aliases or {}).items():
            found = next((o for o in options if o in header), None)
            if found:
                names[column] = found
        for column in required:
            names.setdefault(column, column)
            if names[column] not in header:
                wanted = " or ".join(repr(o) for o in (aliases or {}).get(column, (column,)))
                raise InputError(
                    f"{path}: missing column {wanted} (the header has {', '.join(header)})"
                )
        reader = csv.DictReader(handle, fieldnames=header, delimiter=delimiter)
        count = 0
        try:
            for number, row in enumerate(reader, start=2):
                count += 1
                yield (
                    f"{path.name} row {number}",
                    {c: row.get(n) for c, n in names.items()}
                    | {k: v for k, v in row.items() if k not in names.values()},
                )
        except (csv.Error, UnicodeDecodeError) as error:
            raise InputError(f"{path} row {count + 2}: {error}") from None
        if not count:
            raise InputError(f"{path}: no rows under the header")


def _generic_log(path: Path) -> list[Interaction]:
    out = []
    for where, row in _rows(path, ("user", "item", "timestamp")):
        user, item = (row["user"] or "").strip(), (row["item"] or "").strip()
        if not user or not item:
            raise InputError(f"{where}: 'user' and 'item' must not be empty")
        out.append(
            Interaction(
                user=user,
                item=item,
                ts=parse_time(row["timestamp"], where),
                like=_flag(row.get("like"), where, "like"),
                dislike=_flag(row.get("dislike"), where, "dislike"),
                favourite=_flag(row.get("favourite"), where, "favourite"),
                comment="comment" if _flag(row.get("comment"), where, "comment") else "",
                share=_flag(row.get("share"), where, "share"),
                follow=_flag(row.get("follow"), where, "follow"),
                watch_seconds=_number(row.get("watch_seconds"), where, "watch_seconds"),
                duration_seconds=_number(row.get("duration_seconds"), where, "duration_seconds"),
                rating=_number(row.get("rating"), where, "rating"),
            )
        )
    return out


def _generic_items(path: Path) -> dict[str, Item]:
    items = {}
    for where, row in _rows(path, ("item",)):
        key = (row["item"] or "").strip()
        if not key:
            raise InputError(f"{where}: 'item' must not be empty")
        items[key] = Item(
            item=key,
            title=(row.get("title") or "").strip(),
            channel=(row.get("channel") or "").strip(),
            tags=[t.strip() for t in (row.get("tags") or "").split("|") if t.strip()],
            duration_seconds=_number(row.get("duration_seconds"), where, "duration_seconds"),
            lat=_number(row.get("lat"), where, "lat"),
            lng=_number(row.get("lng"), where, "lng"),
        )
    return items


# ---------------------------------------------------------------- adapters
def _movielens(path: Path) -> tuple[list[Interaction], dict[str, Item]]:
    """ratings.csv (a like at 4 or more, a dislike under 2.5), movies.csv (the first genre
    is the channel, every genre a tag), tags.csv (a person's tag on a movie is a comment)."""
    folder = path if path.is_dir() else path.parent
    out = []
    for where, row in _rows(folder / "ratings.csv", ("userId", "movieId", "rating", "timestamp")):
        rating = _number(row["rating"], where, "rating")
        if rating is None:
            raise InputError(f"{where}: the rating is empty")
        out.append(
            Interaction(
                user=row["userId"],
                item=row["movieId"],
                ts=parse_time(row["timestamp"], where),
                like=rating >= ML_LIKE,
                dislike=rating < ML_DISLIKE,
                rating=rating,
            )
        )
    items = {}
    if (folder / "movies.csv").exists():
        for _where, row in _rows(folder / "movies.csv", ("movieId", "title", "genres")):
            genres = [
                g for g in (row["genres"] or "").split("|") if g and g != "(no genres listed)"
            ]
            items[row["movieId"]] = Item(
                item=row["movieId"],
                title=row["title"] or "",
                channel=genres[0] if genres else "",
                tags=genres,
            )
    if (folder / "tags.csv").exists():
        for where, row in _rows(folder / "tags.csv", ("userId", "movieId", "tag", "timestamp")):
            out.append(
                Interaction(
                    user=row["userId"],
                    item=row["movieId"],
                    ts=parse_time(row["timestamp"], where),
                    comment=(row["tag"] or "").strip() or "tag",
                )
            )
    return out, items


KUAI_ALIASES = {
    "user": ("user_id",),
    "item": ("video_id",),
    "timestamp": ("time_ms", "timestamp"),
}


def _kuairand(path: Path) -> list[Interaction]:
    """KuaiRec / KuaiRand: play and video durations in ms (KuaiRand) or as KuaiRec spells
    them, the is_* flags (is_forward is a share, is_hate a dislike)."""
    out = []
    for where, row in _rows(path, ("user", "item", "timestamp"), KUAI_ALIASES):
        if row.get("play_time_ms") not in (None, ""):
            watch = _number(row["play_time_ms"], where, "play_time_ms", 0.001)
        else:
            watch = _number(row.get("play_duration"), where, "play_duration", 0.001)
        if row.get("duration_ms") not in (None, ""):
            duration = _number(row["duration_ms"], where, "duration_ms", 0.001)
        else:
            duration = _number(row.get("video_duration"), where, "video_duration", 0.001)
        if watch is None and duration and row.get("watch_ratio") not in (None, ""):
            watch = _number(row["watch_ratio"], where, "watch_ratio") * duration
        out.append(
            Interaction(
                user=row["user"],
                item=row["item"],
                ts=parse_time(row["timestamp"], where),
                like=_flag(row.get("is_like"), where, "is_like"),
                dislike=_flag(row.get("is_hate"), where, "is_hate"),
                comment="comment" if _flag(row.get("is_comment"), where, "is_comment") else "",
                share=_flag(row.get("is_forward"), where, "is_forward"),
                follow=_flag(row.get("is_follow"), where, "is_follow"),
                watch_seconds=watch,
                duration_seconds=duration,
            )
        )
    return out


def _kuai_items(path: Path) -> dict[str, Item]:
    """KuaiRec item_categories.csv (``feat``, a list like ``[8, 12]``) or KuaiRand
    video_features_basic (``tag``, ``8,12``; ``video_duration`` in ms): categories are tags,
    the first one the channel."""
    items = {}
    for where, row in _rows(path, ("item",), {"item": ("video_id", "item")}):
        raw = (row.get("feat") or row.get("tag") or row.get("category") or "").strip()
        try:
            cats = (
                [str(c) for c in json.loads(raw)]
                if raw.startswith("[")
                else [c.strip() for c in raw.split(",")]
            )
        except json.JSONDecodeError:
            raise InputError(f"{where}: categories {raw!r} are not a list") from None
        cats = [f"cat-{c}" for c in cats if c]
        items[row["item"]] = Item(
            item=row["item"],
            channel=cats[0] if cats else "",
            tags=cats,
            duration_seconds=_number(row.get("video_duration"), where, "video_duration", 0.001),
        )
    return items


def read_log(path: str | Path, *, adapter: str = "generic", items: str | Path | None = None) -> Log:
    """Read the interaction log at ``path`` with ``adapter``; return it in time order."""
    path = Path(path)
    if adapter not in ADAPTERS:
        raise InputError(f"unknown adapter {adapter!r}: choose one of {', '.join(ADAPTERS)}")
    if not path.exists():
        raise InputError(f"{path}: no such file or directory")
    found: dict[str, Item] = {}
    if adapter == "movielens":
        interactions, found = _movielens(path)
    elif path.is_dir():
        raise InputError(f"{path}: a directory; give the log file itself")
    elif adapter == "kuairand":
        interactions = _kuairand(path)
    else:
        interactions = _generic_log(path)
    if items:
        found |= (_kuai_items if adapter == "kuairand" else _generic_items)(Path(items))
    interactions.sort(key=lambda i: i.ts)
    return Log(interactions, found, f"{path} ({adapter})")
