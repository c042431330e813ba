"""The search page: tabs 综合 / 笔记 / 视频 / 用户 / 话题, sorts, channel filter, highlights."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext_lazy, pgettext_lazy

from content.selectors import posts_with_cards, viewer_state
from search import selectors, services
from search.selectors import BadQuery, Query

TABS = [
    ("all", pgettext_lazy("search results", "All")),
    ("note", gettext_lazy("Notes")),
    ("video", gettext_lazy("Videos")),
    ("user", gettext_lazy("People")),
    ("topic", gettext_lazy("Topics")),
]
SORT_LABELS = [
    ("relevance", gettext_lazy("Best match")),
    ("newest", gettext_lazy("Newest")),
    ("most_liked", gettext_lazy("Most liked")),
]
PAGE_SIZE = 24


def search(request):
    """Show results for ``q`` (or, without one, the person's history and the hot searches)."""
    params = request.GET
    raw_offset = params.get("cursor", "0")
    error = ""
    try:
        query = Query(
            text=params.get("q", ""),
            type=params.get("type") or "all",
            sort=params.get("sort") or "relevance",
            channel=params.get("channel", "")[:40],
            offset=int(raw_offset) if raw_offset.isascii() and raw_offset.isdigit() else 0,
            size=PAGE_SIZE,
        )
        results = selectors.search(query, user=request.user)
    except BadQuery as exc:
        query, results, error = Query(text=params.get("q", "")), selectors.Results(), str(exc)
    if query.text and query.offset == 0 and not error:
        services.search_record(user=request.user, query=query.text)
    full = posts_with_cards().in_bulk([p.pk for p in results.posts])
    posts = [full[p.pk] for p in results.posts if p.pk in full]
    more_url = None
    if results.next_offset is not None:
        more = params.copy()
        more["cursor"] = str(results.next_offset)
        more_url = f"{request.path}?{more.urlencode()}"
    context = {
        "query": query,
        "error": error,
        "results": results,
        "posts": posts,
        "state": viewer_state(user=request.user, post_ids=full),
        "tabs": TABS,
        "sorts": SORT_LABELS,
        "more_url": more_url,
        "history": [] if query.text else selectors.history(user=request.user, limit=10),
        "hot": [] if query.text else selectors.hot_searches(limit=10),
        "tab": "search",
    }
    status = 400 if error else 200
    return render(request, "search/search.html", context, status=status)
