"""Self-healing of the Redis structures the feeds read, and the fan-out repair.

A structure needs a rebuild when its generation marker is missing (Redis lost its data),
names another server run (Redis restarted: writes after its last save may be gone), or
when Redis holds fewer entries than the database says by more than
``HEAL_MISSING_SLACK`` (writes skipped while Redis was unreachable). The worker checks
every ``PERIOD_HEAL`` seconds and when it starts (``feeds.tasks.heal_redis``); readers
answer from the database, with ``fallback: true``, until the marker is back.

Fan-outs that never finished (the worker died, the broker lost the task) are found in
the ledger (``stores.fanout_done``) and run again; a fan-out is idempotent (ZADD).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.utils import timezone

from content.models import Post
from feeds import stores
from feeds.knobs import knobs
from feeds.services.follow import fanout, followable
from feeds.services.rebuild import COUNTS, structure_rebuild

log = logging.getLogger(__name__)


def structures_to_heal() -> dict[str, str]:
    """Return each structure that needs a rebuild, with the reason (raises if Redis is down)."""
    run_id = stores.server_run_id()
    slack = knobs()["HEAL_MISSING_SLACK"]
    reasons: dict[str, str] = {}
    for structure, marker in stores.generations().items():
        if marker is None:
            reasons[structure] = "missing"
        elif marker.split(":", 1)[0] != run_id:
            reasons[structure] = "redis restarted"
        elif structure in COUNTS:
            held, expected = (count() for count in COUNTS[structure])
            if held < expected - slack:
                reasons[structure] = f"incomplete ({held} of {expected})"
    return reasons


def redis_heal() -> dict:
    """Rebuild every structure that needs it; re-run unfinished fan-outs. Return what was done."""
    reasons = structures_to_heal()
    # Readers switch to the database at once, not when each rebuild begins.
    stores.generation_clear(reasons)
    healed = {}
    for structure, reason in reasons.items():
        log.warning("rebuilding redis structure %s: %s", structure, reason)
        healed[structure] = structure_rebuild(structure)["written"]
    return {"healed": healed, "fanouts_repaired": fanout_repair()}


def fanout_repair() -> int:
    """Fan out again the recent posts whose fan-out is not in the ledger; return how many.

    Posts published within ``FANOUT_REPAIR_MINUTES`` and at least
    ``FANOUT_REPAIR_GRACE_SECONDS`` ago (their own task has had its chance) are checked.
    """
    k = knobs()
    now = timezone.now()
    window = timedelta(minutes=k["FANOUT_REPAIR_MINUTES"])
    recent = list(
        Post.objects.filter(
            followable(),
            published_at__gte=now - window,
            published_at__lte=now - timedelta(seconds=k["FANOUT_REPAIR_GRACE_SECONDS"]),
        ).values_list("pk", flat=True)
    )
    if not recent:
        return 0
    done = stores.fanout_done_among(recent, keep_seconds=int(window.total_seconds()) * 2)
    missing = [pid for pid in recent if pid not in done]
    for post_id in missing:
        fanout(post_id)
        stores.fanout_done(post_id)
    if missing:
        log.warning("fan-out repaired for %d posts", len(missing))
    return len(missing)
