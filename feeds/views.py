"""Web pages of the creator center."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from . import selectors


@login_required
def creator_center(request):
    """My posts with their pool tier and why, and my account weight with its components."""
    page = Paginator(selectors.creator_posts(author=request.user), 20).get_page(request.GET.get("page"))
    rows = [(post, selectors.pool_summary(post)) for post in page]
    context = {"page": page, "rows": rows, "weight": selectors.account_weight_of(user=request.user)}
    return render(request, "feeds/creator_center.html", context)


@login_required
def creator_post(request, pk):
    """One of my posts: rates against thresholds, transitions, impressions chart."""
    post = get_object_or_404(selectors.creator_posts(author=request.user), pk=pk)
    series = selectors.impressions_series(post=post)
    context = {
        "post": post,
        "pool": selectors.pool_summary(post),
        "series": series,
        "points": selectors.sparkline_points(series),
        "series_total": sum(p["impressions"] for p in series),
    }
    return render(request, "feeds/creator_post.html", context)
