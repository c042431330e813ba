"""Cursor pagination used by every list endpoint: stable under inserts, opaque cursors."""

from rest_framework.pagination import CursorPagination


class NewestFirstCursorPagination(CursorPagination):
    """Page newest first by ``-created_at`` with ``-id`` breaking ties."""

    ordering = ("-created_at", "-id")
    page_size_query_param = "page_size"
    max_page_size = 100


class PopularFirstCursorPagination(CursorPagination):
    """Page most-used first (tags), ``name`` breaking ties."""

    ordering = ("-post_count", "name")
    page_size_query_param = "page_size"
    max_page_size = 100
