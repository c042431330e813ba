"""Interest profiles: seed from onboarding, move with every signal, decay over time."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import InterestPick
from content.models import Post, PostTag
from feeds.engine.interests import Signal, affinity_deltas, affinity_floor, decay_factor
from feeds.knobs import knobs
from feeds.models import InterestAffinity, Watermark

Kind = InterestAffinity.Kind


def _upsert(deltas: dict[tuple[int, str, int], float], now: datetime, k: dict) -> None:
    """Add ``deltas`` to affinities, keeping each one's peak and floor up to date.

    One INSERT … ON CONFLICT DO UPDATE writes new and changed rows alike: every like
    lands here, and ``bulk_update``'s CASE expressions cost several times as much to
    build as the statement costs to run.
    """
    if not deltas:
        return
    users = {u for u, _, _ in deltas}
    keys = {key for _, _, key in deltas}
    existing = {
        (a.user_id, a.kind, a.key): a
        for a in InterestAffinity.objects.filter(user_id__in=users, key__in=keys)
    }
    rows = []
    for (user_id, kind, key), delta in deltas.items():
        row = existing.get((user_id, kind, key))
        if row is None:
            score, peak, floor, first_at = delta, max(delta, 0.0), 0.0, now
        else:
            score, first_at = row.score + delta, row.first_at
            peak = max(row.peak, score)
            held_days = (now - first_at).total_seconds() / 86400
            floor = max(row.floor, affinity_floor(peak=peak, held_days=held_days, picked=False, k=k))
        rows.append(
            InterestAffinity(
                user_id=user_id, kind=kind, key=key, score=score, peak=peak, floor=floor,
                updated_at=now, first_at=first_at,
            )
        )
    InterestAffinity.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["user", "kind", "key"],
        update_fields=["score", "updated_at", "peak", "floor"],
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
    post_ids = {s.post_id for s in signals}
    tags: dict[int, list[int]] = defaultdict(list)
    for post_id, tag_id in PostTag.objects.filter(post_id__in=post_ids).values_list("post_id", "tag_id"):
        tags[post_id].append(tag_id)
    channels = {
        pid: [c for c in (channel, parent) if c]
        for pid, channel, parent in Post.objects.filter(pk__in=post_ids).values_list(
            "pk", "channel_id", "channel__parent_id"
        )
    }
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
    with transaction.atomic():
        _upsert(deltas, now or timezone.now(), knobs())
    return len(deltas)
