"""Celery task of boosts: close the ones that are spent or out of time, refunding the rest.

Pacing itself happens where impressions are served (``boosts.delivery``): a boost may
deliver only what its elapsed share of time allows, so no task has to push it along.
"""

from celery import shared_task

from boosts.services import boosts_close
from feeds import stores
from feeds.knobs import knob


@shared_task
def close_boosts() -> dict:
    """Complete spent boosts and expire timed-out ones, with refunds (every minute)."""
    with stores.lock("boosts", knob("PERIOD_BOOSTS")) as got:
        return boosts_close() if got else {"skipped": 1}
