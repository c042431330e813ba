"""What the engine does when content changes; called by the content services.

Kept in one place so the flow is visible (no ``post_save`` receivers): publishing enters
the pools, interactions move interest profiles, onboarding seeds them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from feeds.interests import Signal


def post_published(post) -> None:
    """Score the new post and enter it into the base pool (same transaction)."""
    from feeds.services.pools import pool_enter

    pool_enter(post=post)


def signals_recorded(signals: Iterable[Signal]) -> None:
    """Move the users' interest profiles once the interaction has committed."""
    from feeds.services.interests import interests_apply

    batch = list(signals)
    if batch:
        transaction.on_commit(lambda: interests_apply(batch))


def interests_picked(user_id: int) -> None:
    """Seed the interest profile from onboarding picks once they have committed."""
    from feeds.services.interests import interests_seed

    transaction.on_commit(lambda: interests_seed(user_id=user_id))
