"""Writes on content: one function per action (HackSoft-style services)."""

from .counters import counters_reconcile, counters_reconcile_recent
from .interactions import (
    comment_create,
    comment_delete,
    comment_like_create,
    comment_like_delete,
    events_ingest,
    favourite_create,
    favourite_delete,
    impressions_record,
    like_create,
    like_delete,
    not_interested_create,
    not_interested_delete,
    report_create,
    share_create,
)
from .posts import post_create, post_delete, post_update

__all__ = [
    "comment_create",
    "comment_delete",
    "comment_like_create",
    "comment_like_delete",
    "counters_reconcile",
    "counters_reconcile_recent",
    "events_ingest",
    "favourite_create",
    "favourite_delete",
    "impressions_record",
    "like_create",
    "like_delete",
    "not_interested_create",
    "not_interested_delete",
    "post_create",
    "post_delete",
    "post_update",
    "report_create",
    "share_create",
]
