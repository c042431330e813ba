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
from feeds.engine.interests import Signal, affinity_deltas, decay_factor
from feeds.knobs import knobs
from feeds.models import InterestAffinity, Watermark

Kind = InterestAffinity.Kind


def _upsert(deltas: dict[tuple[int, str, int], float], now: datetime, *, floor: float | None = None) -> None:
    """Add ``deltas`` to affinities (or, with ``floor``, raise them to at least it)."""
    if not deltas:
        return
    users = {u for u, _, _ in deltas}
    keys = {key for _, _, key in deltas}
    existing = {
        (a.user_id, a.kind, a.key): a
        for a in InterestAffinity.objects.filter(user_id__in=users, key__in=keys)
    }
    changed, created = [], []
    for (user_id, kind, key), delta in deltas.items():
        row = existing.get((user_id, kind, key))
        if row is None:
            created.append(InterestAffinity(user_id=user_id, kind=kind, key=key, score=delta, updated_at=now))
            continue
        row.score = max(row.score, floor) if floor is not None else row.score + delta
        row.updated_at = now
        changed.append(row)
    InterestAffinity.objects.bulk_update(changed, ["score", "updated_at"], batch_size=1000)
    InterestAffinity.objects.bulk_create(created, batch_size=1000, ignore_conflicts=True)


@transaction.atomic
def interests_seed(*, user_id: int, now: datetime | None = None) -> None:
    """Give the channels a user picked at onboarding a starting affinity."""
    k = knobs()
    seed = k["INTEREST_SEED_SCORE"]
    picks = InterestPick.objects.filter(user_id=user_id).values_list("channel_id", flat=True)
    _upsert({(user_id, Kind.CHANNEL, c): seed for c in picks}, now or timezone.now(), floor=seed)


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
    deltas = affinity_deltas(signals, tags, channels, knobs())
    with transaction.atomic():
        _upsert(deltas, now or timezone.now())
    return len(deltas)


def interests_decay(*, now: datetime | None = None) -> int:
    """Apply half-life decay for the time since the last run; forget tiny affinities."""
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
        _upsert(deltas, now or timezone.now())
    return len(deltas)
