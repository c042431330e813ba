"""Interest profiles: seed from onboarding, move with every signal, decay over time."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import InterestPick
from config.sql import insert_rows
from content.models import Post
from feeds.engine.interests import Signal, affinity_deltas, affinity_floor, decay_factor
from feeds.knobs import knobs
from feeds.models import InterestAffinity, Watermark

Kind = InterestAffinity.Kind


def _upsert(deltas: dict[tuple[int, str, int], float], now: datetime, k: dict) -> None:
    """Add ``deltas`` to affinities in one INSERT … ON CONFLICT DO UPDATE per 500 rows.

    A new row starts at its delta (peak ``max(delta, 0)``, no floor). An existing row
    adds the delta in the database, so two signals committing at once both count (a
    read-then-write would lose one); its peak follows the new score, and its floor
    becomes ``affinity_floor`` of a row that is not a pick: the held share of the peak
    once its first signal is ``INTEREST_HELD_DAYS`` before this one and its peak reaches
    ``INTEREST_HELD_MIN_PEAK``, never lower than the floor it had. Every like lands
    here: one statement, nothing read first.
    """
    if not deltas:
        return
    connection = transaction.get_connection()
    qn = connection.ops.quote_name
    table = qn(InterestAffinity._meta.db_table)
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"  # SQLite's scalar max
    when = InterestAffinity._meta.get_field("updated_at").get_db_prep_save(now, connection)
    held_since = InterestAffinity._meta.get_field("first_at").get_db_prep_save(
        now - timedelta(days=k["INTEREST_HELD_DAYS"]), connection
    )
    score, peak, floor = (f"{table}.{qn(c)}" for c in ("score", "peak", "floor"))
    new_score = f"{score} + excluded.{qn('score')}"
    new_peak = f"{greatest}({peak}, {new_score})"
    insert_rows(
        InterestAffinity,
        ("user", "kind", "key", "score", "peak", "floor", "updated_at", "first_at"),
        [(user_id, kind, key, delta, max(delta, 0.0), 0.0, when, when) for (user_id, kind, key), delta in deltas.items()],
        conflict=f"ON CONFLICT ({qn('user_id')}, {qn('kind')}, {qn('key')}) DO UPDATE SET "
        f"{qn('score')} = {new_score}, {qn('peak')} = {new_peak}, "
        f"{qn('floor')} = CASE WHEN {table}.{qn('first_at')} <= %s AND {new_peak} >= %s "
        f"THEN {greatest}({floor}, %s * {new_peak}) ELSE {floor} END, "
        f"{qn('updated_at')} = excluded.{qn('updated_at')}",
        params=(held_since, k["INTEREST_HELD_MIN_PEAK"], k["INTEREST_HELD_FLOOR_SHARE"]),
        db=connection,
    )


@transaction.atomic
def interests_seed(*, user_id: int, now: datetime | None = None) -> None:
    """Give the channels a user picked at onboarding a starting affinity and its floor.

    Runs whenever the picks change: a channel no longer picked keeps only the floor its
    own history earns.
    """
    k = knobs()
    now = now or timezone.now()
    seed = k["INTEREST_SEED_SCORE"]
    picks = set(InterestPick.objects.filter(user_id=user_id).values_list("channel_id", flat=True))
    rows = {a.key: a for a in InterestAffinity.objects.filter(user_id=user_id, kind=Kind.CHANNEL)}
    changed, created = [], []
    for key, row in rows.items():
        picked = key in picks
        if picked:
            row.score = max(row.score, seed)
            row.peak = max(row.peak, row.score)
            row.updated_at = now
        held_days = (row.updated_at - row.first_at).total_seconds() / 86400
        row.floor = affinity_floor(peak=row.peak, held_days=held_days, picked=picked, k=k)
        changed.append(row)
    floor = affinity_floor(peak=seed, held_days=0, picked=True, k=k)
    for key in picks - set(rows):
        created.append(
            InterestAffinity(
                user_id=user_id, kind=Kind.CHANNEL, key=key, score=seed, peak=seed, floor=floor,
                updated_at=now, first_at=now,
            )
        )
    InterestAffinity.objects.bulk_update(changed, ["score", "updated_at", "peak", "floor"], batch_size=1000)
    InterestAffinity.objects.bulk_create(created, batch_size=1000, ignore_conflicts=True)


def interests_apply(signals: Iterable[Signal], *, now: datetime | None = None) -> int:
    """Move affinities by the signals (tags of each post and its channels); return count."""
    signals = list(signals)
    if not signals:
        return 0
    tags: dict[int, list[int]] = defaultdict(list)
    channels: dict[int, list[int]] = {}
    # One query: each post's channel and its parent, once per tag (or once, untagged).
    for pid, channel, parent, tag_id in Post.objects.filter(pk__in={s.post_id for s in signals}).values_list(
        "pk", "channel_id", "channel__parent_id", "post_tags__tag_id"
    ):
        channels[pid] = [c for c in (channel, parent) if c]
        if tag_id is not None:
            tags[pid].append(tag_id)
    k = knobs()
    deltas = affinity_deltas(signals, tags, channels, k)
    with transaction.atomic():
        _upsert(deltas, now or timezone.now(), k)
    return len(deltas)


def interests_decay(*, now: datetime | None = None) -> int:
    """Apply half-life decay for the time since the last run; forget tiny affinities.

    An affinity at or above its floor (an onboarding pick, a long-held interest) is not
    taken below it: ``decayed`` in SQL, in two updates (the second puts back at their
    floor the rows the first took from above it to below it).
    """
    k = knobs()
    now = now or timezone.now()
    mark, created = Watermark.objects.get_or_create(name="interests", defaults={"at": now})
    elapsed = (now - mark.at).total_seconds() / 86400
    if created or elapsed <= 0:
        return 0
    factor = decay_factor(elapsed, k)
    with transaction.atomic():
        changed = InterestAffinity.objects.update(score=F("score") * factor)
        InterestAffinity.objects.filter(
            floor__gt=0, score__lt=F("floor"), score__gte=F("floor") * factor
        ).update(score=F("floor"))
        InterestAffinity.objects.filter(
            score__gt=-k["INTEREST_MIN_SCORE"], score__lt=k["INTEREST_MIN_SCORE"]
        ).delete()
        Watermark.objects.filter(name="interests").update(at=now)
    return changed


def top_interests(*, user_id: int, kind: str, limit: int = 10) -> list[tuple[int, float]]:
    """Return the user's strongest positive affinities of one kind, as (key, score)."""
    return list(
        InterestAffinity.objects.filter(user_id=user_id, kind=kind, score__gt=0)
        .order_by("-score")
        .values_list("key", "score")[:limit]
    )




def interests_boost_tags(
    *, user_id: int, tag_ids: Iterable[int], weight: float, now: datetime | None = None
) -> int:
    """Raise one user's affinity to these tags by ``weight`` (a search names them)."""
    deltas = {(user_id, Kind.TAG, tag_id): weight for tag_id in tag_ids}
    # No savepoint: a search records this inside its own transaction, and two round trips
    # for one statement are a tenth of a search's time in the database.
    with transaction.atomic(savepoint=False):
        _upsert(deltas, now or timezone.now(), knobs())
    return len(deltas)
