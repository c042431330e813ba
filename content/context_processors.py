"""Template context shared by every page."""

from django.core.cache import cache

from .selectors import channel_tree


def channels(request):
    """Return the channel bar (top-level channels), cached briefly in Redis."""
    top = cache.get("channels:top")
    if top is None:
        top = [{"slug": c.slug, "name_zh": c.name_zh, "name_en": c.name_en} for c in channel_tree()]
        cache.set("channels:top", top, 300)
    return {"channel_bar": top}
