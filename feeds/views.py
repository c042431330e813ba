"""Web pages: the feeds (关注 / 发现 / 附近, channels, 热门) and the creator center.

Each feed page renders a first page of cards and a "more" link carrying the cursor;
``static/js/site.js`` turns that link into infinite scroll by fetching the next page with
``?partial=1`` (only the cards and the next link). Without JavaScript the link still works.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from content.models import Channel
from content.selectors import viewer_state

from . import selectors
from .cursor import BadCursor
from .services.discover import channel_page, discover_page
from .services.follow import follow_page
from .services.lists import hot_page, trending_topics
from .services.nearby import BadPoint, nearby_page
from .services.serving import FeedPage, with_cards


def _render_feed(request, fetch, template: str, context: dict):
    """Fetch a page (restarting on a bad cursor) and render the grid or just its cards."""
    token = request.GET.get("cursor")
    try:
        page: FeedPage = fetch(token)
    except BadCursor:
        messages.info(request, _("The feed was refreshed."))
        page = fetch(None)
    page = with_cards(page)
    # The follow buttons on the cards ride on the same query as the hearts and stars.
    state = viewer_state(
        user=request.user, post_ids=[p.pk for p in page.posts], author_ids={p.author_id for p in page.posts}
    )
    context = {**context, "page": page, "state": state, "more_url": _more_url(request, page)}
    if request.GET.get("partial"):
        return render(request, "feeds/_page.html", context)
    return render(request, template, context)


def _more_url(request, page: FeedPage) -> str | None:
    if not page.next_cursor:
        return None
    params = request.GET.copy()
    params.pop("partial", None)
    params["cursor"] = page.next_cursor
    return f"{request.path}?{params.urlencode()}"


def discover(request):
    """发现: the home page, ranked for the viewer (cold start for visitors)."""
    if request.user.is_authenticated and request.user.onboarded_at is None:
        return redirect("web:onboarding")
    return _render_feed(
        request, lambda token: discover_page(request.user, token), "feeds/feed.html", {"tab": "discover"}
    )


@login_required
def follow(request):
    """关注: posts of the people I follow, newest first."""
    return _render_feed(request, lambda token: follow_page(request.user, token), "feeds/feed.html", {"tab": "follow"})


def nearby(request):
    """附近: with ?lat=&lng= (the page asks the browser), posts nearest first."""
    lat, lng = request.GET.get("lat"), request.GET.get("lng")
    home = request.user if request.user.is_authenticated and request.user.has_home else None
    if not request.GET.get("cursor") and (lat in (None, "") or lng in (None, "")):
        return render(request, "feeds/nearby_ask.html", {"tab": "nearby", "home": home})
    try:
        return _render_feed(
            request,
            lambda token: nearby_page(request.user, lat=lat, lng=lng, token=token),
            "feeds/feed.html",
            {"tab": "nearby"},
        )
    except BadPoint as exc:
        messages.error(request, str(exc))
        return render(request, "feeds/nearby_ask.html", {"tab": "nearby", "home": home}, status=400)


def channel(request, slug):
    """A channel (and its sub-channels), ranked by interest and heat."""
    current = get_object_or_404(Channel.objects.select_related("parent").prefetch_related("children"), slug=slug)
    return _render_feed(
        request,
        lambda token: channel_page(request.user, current, token),
        "feeds/feed.html",
        {"tab": "channel", "current_channel": current},
    )


def hot(request):
    """热门: the hot list (global or ?channel=slug) and trending topics."""
    slug = request.GET.get("channel")
    current = get_object_or_404(Channel.objects.select_related("parent"), slug=slug) if slug else None
    return _render_feed(
        request,
        lambda token: hot_page(request.user, current, token),
        "feeds/hot.html",
        {"tab": "hot", "current_channel": current, "trending": trending_topics()},
    )


@login_required
def creator_center(request):
    """My posts with their pool tier and why, and my account weight with its components."""
    page = Paginator(selectors.creator_posts(author=request.user), 20).get_page(request.GET.get("page"))
    rows = [(post, selectors.pool_in_words(post)) for post in page]
    context = {"page": page, "rows": rows, "weight": selectors.account_weight_of(user=request.user)}
    return render(request, "feeds/creator_center.html", context)


@login_required
def creator_post(request, pk):
    """One of my posts: its journey through the pools, each move in a sentence, its
    impressions per hour and its rates against the bars."""
    post = get_object_or_404(selectors.creator_posts(author=request.user), pk=pk)
    context = {"post": post, "pool": selectors.pool_in_words(post), "chart": selectors.impressions_chart(post=post)}
    return render(request, "feeds/creator_post.html", context)
