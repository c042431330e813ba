"""One way to page every list of the API: ``cursor`` and ``size`` in, ``next_cursor`` out.

Every paged answer is ``{"results": [...], "next_cursor": str | null, "next": url | null}``
(docs/decisions/one-cursor-convention.md): ``next_cursor`` is an opaque token to pass back
as ``?cursor=``, ``next`` the same page's URL for clients that follow links, and both are
null on the last page. ``size`` is 1–50; a size outside that, or a cursor that is not
one of ours, is the same 400 (``errors.size`` / ``errors.cursor``) on every list, the
feeds included (``feeds.api`` uses the helpers below).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

MAX_PAGE_SIZE = 50
# Lazy: translated when the error is raised, in the request's language (docs/i18n.md).
CURSOR_INVALID = gettext_lazy("This cursor is not valid; start again without one.")
SIZE_INVALID = format_lazy(gettext_lazy("size is a whole number from 1 to {high}."), high=MAX_PAGE_SIZE)

CURSOR_DESCRIPTION = "the `next_cursor` of the previous page; omit it for the first page"
CURSOR_SCHEMA = {"type": "string", "maxLength": 1000}
# For views that page by hand (the feeds, search, the wallet): @extend_schema(parameters=…).
CURSOR_PARAMETER = OpenApiParameter("cursor", CURSOR_SCHEMA, description=CURSOR_DESCRIPTION)


def _size_schema(default: int) -> dict:
    return {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": default}


def size_parameter(default: int) -> OpenApiParameter:
    """The ``size`` query parameter as the schema states it."""
    return OpenApiParameter(
        "size",
        _size_schema(default),
        description=f"items per page, 1–{MAX_PAGE_SIZE} (default {default})",
    )


def page_schema(results: dict, **extra: dict) -> dict:
    """The schema of a page whose items are ``results`` (plus ``extra`` properties)."""
    return {
        "type": "object",
        "required": ["results", "next_cursor", "next", *extra],
        "properties": {
            "results": results,
            "next_cursor": {
                "type": "string",
                "nullable": True,
                "description": "pass as `cursor` for the next page; null on the last page",
            },
            "next": {
                "type": "string",
                "format": "uri",
                "nullable": True,
                "description": "the next page's URL (the same cursor); null on the last page",
            },
            **extra,
        },
    }


def next_link(request, cursor: str | None) -> str | None:
    """Return the URL of the next page (this request with ``cursor``), or None on the last."""
    if cursor is None:
        return None
    params = request.query_params.copy()
    params["cursor"] = cursor
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


def page_response(request, results: list, next_cursor: str | None, **extra) -> Response:
    """The one page shape for a view that pages by hand: ``results``, ``next_cursor`` and
    ``next`` (plus ``extra`` keys the list adds, such as search's ``total``)."""
    return Response(
        {**extra, "results": results, "next_cursor": next_cursor, "next": next_link(request, next_cursor)}
    )


def bad_cursor() -> exceptions.ValidationError:
    """The one answer to a cursor that is not valid, on every list."""
    return exceptions.ValidationError({"cursor": [CURSOR_INVALID]})


def page_size_of(request, *, default: int) -> int:
    """Return the ``size`` the request asks for (``default`` without one); 400 outside 1–50."""
    raw = request.query_params.get("size")
    if raw in (None, ""):
        return default
    try:
        size = int(raw)
    except ValueError:
        size = 0
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise exceptions.ValidationError({"size": [SIZE_INVALID]})
    return size


class CursorPage(CursorPagination):
    """DRF's cursor pagination in the API's one page shape (see the module docstring)."""

    cursor_query_param = "cursor"
    page_size_query_param = "size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request) -> int:
        return page_size_of(request, default=self.page_size)

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound as exc:
            raise bad_cursor() from exc

    def next_cursor(self) -> str | None:
        """Return the token of the next page (the ``cursor`` of DRF's next link)."""
        link = self.get_next_link()
        if not link:
            return None
        return parse_qs(urlsplit(link).query)[self.cursor_query_param][0]

    def get_paginated_response(self, data) -> Response:
        return Response(
            {"results": data, "next_cursor": self.next_cursor(), "next": self.get_next_link()}
        )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return page_schema(schema)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": "cursor",
                "in": "query",
                "required": False,
                "description": CURSOR_DESCRIPTION,
                "schema": CURSOR_SCHEMA,
            },
            {
                "name": "size",
                "in": "query",
                "required": False,
                "description": f"items per page, 1–{MAX_PAGE_SIZE} (default {self.page_size})",
                "schema": _size_schema(self.page_size),
            },
        ]


class NewestFirstCursorPagination(CursorPage):
    """Page newest first by ``-created_at`` with ``-id`` breaking ties."""

    ordering = ("-created_at", "-id")


class PopularFirstCursorPagination(CursorPage):
    """Page most-used first (tags), ``name`` breaking ties."""

    ordering = ("-post_count", "name")
