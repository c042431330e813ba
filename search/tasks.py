"""Celery tasks of search: take a lock, call a service."""

from celery import shared_task

from feeds import stores
from feeds.knobs import knob
from search.services import hot_searches_recompute, index_retier


@shared_task
def recompute_hot_searches() -> int:
    """Recompute the hot searches (every few minutes)."""
    with stores.lock("search-hot", knob("PERIOD_SEARCH_HOT")) as got:
        return hot_searches_recompute() if got else -1


@shared_task
def retier_search() -> int:
    """Move search documents whose static score crossed a tier (every hour or so)."""
    with stores.lock("search-tiers", knob("PERIOD_SEARCH_TIERS")) as got:
        return index_retier() if got else -1
