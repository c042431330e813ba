"""Celery tasks of the content app: thin wrappers over services."""

from celery import shared_task

from content import services


@shared_task
def reconcile_counters(post_ids: list[int]) -> int:
    """Recount the counters of the given posts from their rows."""
    return services.counters_reconcile(post_ids=post_ids)


@shared_task
def reconcile_recent_counters(minutes: int = 15) -> int:
    """Recount the counters of posts with events in the last ``minutes`` (beat)."""
    return services.counters_reconcile_recent(minutes=minutes)
