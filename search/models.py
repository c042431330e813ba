"""The search index's rows, the searches people make, and the hot searches drawn from them.

``SearchDocument`` holds each post's tokens (``search.tokens.document``); the backend's own
index is built over that column by the migration: an FTS5 table kept in step by triggers on
SQLite, a generated ``simple`` tsvector with a GIN index on PostgreSQL. Both are read in
``rank_key`` order, best tier first, so a query can stop at its first matches. Whether a
post is found is decided at query time by the post's own row (status, author, blocks), so
removing or limiting a post takes effect at once, whatever the index holds.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    post = models.OneToOneField(
        "content.Post", on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    tokens = models.TextField(blank=True)
    # The order queries read documents in (search.ranking.rank_key): the tier of the
    # post's static score above its id. The SQLite FTS5 table is keyed by it; PostgreSQL
    # reads it through this column's index.
    rank_key = models.BigIntegerField(unique=True)
    indexed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"search document of post {self.post_id}"


class SearchLog(models.Model):
    """One search someone made: their history, and the raw material of hot searches."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    query = models.CharField(max_length=100, verbose_name=_("query"))
    created_at = models.DateTimeField(default=timezone.now, db_index=True, verbose_name=_("created at"))
    # Clearing one's history hides the rows from it; hot searches still count them.
    in_history = models.BooleanField(default=True, verbose_name=_("in history"))

    class Meta:
        verbose_name = _("search log entry")
        verbose_name_plural = _("search log")
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return self.query


class HotSearch(models.Model):
    """A query rising fastest against its own baseline (热搜), as of the last recompute."""

    query = models.CharField(max_length=100, unique=True, verbose_name=_("query"))
    rank = models.PositiveSmallIntegerField(verbose_name=_("rank"))
    score = models.FloatField(verbose_name=_("score"))
    searches = models.PositiveIntegerField(help_text=_("distinct searchers in the recent window"), verbose_name=_("searchers"))
    computed_at = models.DateTimeField(default=timezone.now, verbose_name=_("computed at"))

    class Meta:
        verbose_name = _("hot search")
        verbose_name_plural = _("hot searches")
        ordering = ["rank"]

    def __str__(self) -> str:
        return self.query


class BlockedSearch(models.Model):
    """A query moderators took off the hot list; it never comes back there."""

    query = models.CharField(max_length=100, unique=True, verbose_name=_("query"))
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("blocked by")
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("blocked search")
        verbose_name_plural = _("blocked searches")

    def __str__(self) -> str:
        return self.query
