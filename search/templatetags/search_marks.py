"""Template filters that mark a query's words in result text (escaped first, then marked)."""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from search.tokens import query_tokens

register = template.Library()


def _pattern(query: str) -> re.Pattern | None:
    words = sorted(query_tokens(query), key=len, reverse=True)
    if not words:
        return None
    return re.compile("|".join(re.escape(escape(w)) for w in words), re.IGNORECASE)


@register.filter
def highlight(text: str, query: str) -> str:
    """Return ``text`` HTML-escaped with the query's words wrapped in ``<mark>``."""
    safe = escape(text or "")
    pattern = _pattern(query)
    if pattern is None:
        return mark_safe(safe)  # noqa: S308 - escaped above
    return mark_safe(pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", safe))  # noqa: S308


@register.filter
def snippet(text: str, query: str, width: int = 60) -> str:
    """Return about ``width`` characters of ``text`` around the first match, marked."""
    text = text or ""
    lowered = text.lower()
    start = min((i for i in (lowered.find(w) for w in query_tokens(query)) if i >= 0), default=0)
    begin = max(0, start - width // 3)
    piece = text[begin : begin + width]
    prefix = "…" if begin > 0 else ""
    suffix = "…" if begin + width < len(text) else ""
    return mark_safe(prefix + highlight(piece, query) + escape(suffix))  # noqa: S308
