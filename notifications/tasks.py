"""Delivery of notifications by the worker: a few lines each, ids in, a service called."""

import logging

from celery import shared_task
from celery.signals import worker_ready

from feeds import stores
from feeds.knobs import knob
from notifications.services import outbox_deliver, outbox_sweep

log = logging.getLogger(__name__)


@shared_task(acks_late=True)
def deliver_notifications(outbox_ids: list[int]) -> int:
    """Deliver these outbox rows (queued when the action that decided them commits)."""
    return outbox_deliver(ids=outbox_ids)


@shared_task
def sweep_outbox(on_start: bool = False) -> int:
    """Deliver outbox rows whose own task was lost (periodically, and when a worker starts)."""
    with stores.lock("notify-sweep", knob("PERIOD_NOTIFY_SWEEP")) as got:
        return outbox_sweep(on_start=on_start) if got else -1


@worker_ready.connect
def _sweep_on_start(sender, **kwargs):
    """A worker that starts delivers what waited while no worker ran (a lost task too)."""
    try:
        sweep_outbox.apply_async(kwargs={"on_start": True}, retry=False)
    except Exception as exc:  # the broker is down: beat queues the sweep when it is back
        log.warning("notification sweep not queued at start: %s", exc)
