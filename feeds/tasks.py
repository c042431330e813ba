"""Celery tasks of the engine: take a Redis lock, call a service. Scheduled by beat.

Each lock expires no later than the task's period, so a crashed run never blocks the
next one for long; a run that finds the lock taken skips (the other run does the work).
"""

import logging

from celery import shared_task
from celery.signals import worker_ready
from redis.exceptions import RedisError

from content.cards import warm
from feeds import stores
from feeds.knobs import knob
from feeds.services.coengagement import coengagement_recompute
from feeds.services.follow import fanout
from feeds.services.healing import redis_heal
from feeds.services.hot import hot_and_trending_recompute
from feeds.services.interests import interests_decay
from feeds.services.learned import learned_train
from feeds.services.pools import pools_evaluate
from feeds.services.weights import weights_recompute

log = logging.getLogger(__name__)


@shared_task
def evaluate_pools(post_ids: list[int] | None = None) -> dict:
    """Promote, hold or stop the pool posts that changed (every minute)."""
    with stores.lock("pools", knob("PERIOD_POOLS")) as got:
        return pools_evaluate(post_ids=post_ids) if got else {"skipped": 1}


@shared_task
def recompute_hot() -> dict:
    """Recompute hot lists and trending topics (every few minutes)."""
    with stores.lock("hot", knob("PERIOD_HOT")) as got:
        return hot_and_trending_recompute() if got else {"skipped": 1}


@shared_task
def recompute_weights() -> int:
    """Recompute the account weight of authors with new activity (hourly)."""
    with stores.lock("weights", knob("PERIOD_WEIGHTS")) as got:
        return weights_recompute() if got else -1


@shared_task
def decay_interests() -> int:
    """Apply interest-profile decay for the time since the last run (hourly)."""
    with stores.lock("interests", knob("PERIOD_INTERESTS")) as got:
        return interests_decay() if got else -1


@shared_task
def render_cards(post_ids: list[int]) -> int:
    """Render new posts' API cards into the card cache (queued on publish)."""
    return warm(post_ids)


@shared_task
def fanout_post(post_id: int) -> int:
    """Push a newly published post into its followers' inboxes (queued on publish), then
    record it in the fan-out ledger (a post missing there is fanned out again)."""
    written = fanout(post_id)
    stores.fanout_done(post_id)
    return written


@shared_task
def heal_redis() -> dict:
    """Rebuild the Redis structures that are missing or incomplete (every few seconds)."""
    with stores.lock("heal", knob("HEAL_LOCK_SECONDS")) as got:
        if not got:
            return {"skipped": 1}
        try:
            return redis_heal()
        except (RedisError, OSError) as exc:  # Redis is down: the next run tries again
            log.warning("redis heal postponed: %s", exc)
            return {"redis": "unavailable"}


@worker_ready.connect
def _heal_on_start(sender, **kwargs):
    """A worker that starts checks the structures at once, not at the next beat."""
    try:
        heal_redis.apply_async(retry=False)
    except Exception as exc:  # the broker is down: beat queues the check when it is back
        log.warning("redis heal not queued at start: %s", exc)


@shared_task
def recompute_coengagement() -> int:
    """Recompute "people who liked this also liked" for posts with new likes."""
    with stores.lock("coengagement", knob("PERIOD_COENGAGEMENT")) as got:
        return coengagement_recompute() if got else -1


@shared_task
def train_learned() -> dict:
    """Retrain the learned stage's factors on recent engagement (hourly)."""
    with stores.lock("learned", knob("PERIOD_LEARNED")) as got:
        return learned_train() if got else {"skipped": 1}
