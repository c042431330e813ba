"""Refuse NUL characters and deeply nested JSON before any code sees them.

PostgreSQL cannot store a NUL character in text, nor even compare with one: a query
like ``username = 'a\\x00b'`` raises instead of finding nothing, so every lookup by a
client's string (a username in the path, a channel slug in a body, an author filter in
the query) would be a 500 on PostgreSQL and a plain miss on SQLite. Fuzzing the API on
PostgreSQL found them one by one; this stops them in one place. No real text contains
NUL, so the answer is a 400.

The middleware checks the path and the query string; the API's parsers check bodies
(JSON, forms, multipart) after parsing. The web forms' text fields already refuse NUL.

Python's JSON decoder recurses once per ``[`` or ``{``: a body of a hundred thousand
brackets raises RecursionError (a 500), and one just under the interpreter's limit parses
but then breaks whatever walks it (these checks, DRF's serializers). No request of this
API nests deeper than a few levels, so the JSON parser refuses anything deeper than
``MAX_JSON_DEPTH`` with a 400.
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from django.http import HttpResponseBadRequest
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from config.api_errors import error_response, is_api

NUL = "\x00"
MESSAGE = "文本不能包含 NUL 字符。"
# The deepest request body is an event batch: {"events": [{...}]}, three levels.
MAX_JSON_DEPTH = 20
TOO_DEEP = f"JSON 的嵌套不能超过 {MAX_JSON_DEPTH} 层。"


def json_depth(value) -> int:
    """Return how deeply lists and objects nest in ``value`` (0 for a scalar), without
    recursion, so no input can exhaust the stack."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > MAX_JSON_DEPTH:
            return deepest
        pending.extend((child, depth + 1) for child in children)
    return deepest


def has_nul(value) -> bool:
    """Return True when a NUL character is in ``value`` or any string inside it."""
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(has_nul(v) for v in value)
    if hasattr(value, "lists"):  # a QueryDict
        return any(has_nul(k) or has_nul(v) for k, v in value.lists())
    return False


class NulByteGuardMiddleware:
    """Answer 400 to a request whose path or query string holds a NUL character."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = unquote_to_bytes(request.META.get("QUERY_STRING", ""))
        if NUL in request.path or b"\x00" in query:
            if is_api(request):
                return error_response(MESSAGE, "invalid", 400)
            return HttpResponseBadRequest(MESSAGE)
        return self.get_response(request)


class _RefuseNul:
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        if has_nul(getattr(parsed, "data", parsed)):
            raise ParseError(MESSAGE)
        return parsed


class _LimitNesting:
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            parsed = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
        if json_depth(parsed) > MAX_JSON_DEPTH:
            raise ParseError(TOO_DEEP)
        return parsed


class JSONParser(_RefuseNul, _LimitNesting, parsers.JSONParser):
    """DRF's JSON parser, refusing JSON nested deeper than ``MAX_JSON_DEPTH`` and NUL
    characters in any string."""


class FormParser(_RefuseNul, parsers.FormParser):
    """DRF's form parser, refusing NUL characters in any value."""


class MultiPartParser(_RefuseNul, parsers.MultiPartParser):
    """DRF's multipart parser, refusing NUL characters in any field (files are bytes)."""
