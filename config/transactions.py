"""A transaction for writes that may be lost in a crash but must never be half-written."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper


@contextmanager
def relaxed_commit() -> Iterator[BaseDatabaseWrapper]:
    """Run the block in a transaction whose commit does not wait for the disk; yield the
    connection.

    On PostgreSQL, ``synchronous_commit`` is off for this transaction only, and only when
    it is not part of a larger one (whose commit decides): a crash may lose the last
    fraction of a second of such writes, never leave a half-written one, and the request
    is not held up by an fsync. For the writes every page or search makes (impressions,
    the search log); anything a person would miss (a like, a post, an order) commits
    normally. Elsewhere a plain ``transaction.atomic``.
    """
    db = transaction.get_connection()
    relaxed = db.vendor == "postgresql" and not db.in_atomic_block
    with transaction.atomic():
        if relaxed:
            with db.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        yield db
