"""Web pages of boosts: order one for my post, my boosts with reports, my wallet."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from boosts import selectors, services
from boosts.forms import BoostForm, TopUpForm
from boosts.models import Boost
from config.forms_errors import add_service_errors
from content.models import Post
from feeds.knobs import knobs
from feeds.selectors import sparkline_points


@login_required
def wallet(request):
    """My balance, a top-up form (simulated payment) and my ledger."""
    form = TopUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.topup(user=request.user, amount=form.cleaned_data["amount"], key=form.cleaned_data["key"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if result.created:
                messages.success(request, f"充值成功 Topped up {result.entry.amount} credits.")
            return redirect("web:wallet")
    page = Paginator(selectors.ledger_of(user=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "boosts/wallet.html", {
        "form": form, "page": page, "balance": services.balance_of(request.user),
    })


@login_required
def boost_new(request, post_pk):
    """Order a boost of one of my posts."""
    post = get_object_or_404(Post, pk=post_pk)
    if post.author_id != request.user.pk:
        raise PermissionDenied(_("You can only boost your own posts."))
    form = BoostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        targeting = services.Targeting(
            kind=d["targeting"], channels=[c.slug for c in d["channels"]],
            tags=[t for t in (d["tags"] or "").replace("，", ",").split(",") if t.strip()],
            lat=d["lat"], lng=d["lng"], radius_km=d["radius_km"],
        )
        try:
            boost = services.boost_create(buyer=request.user, post=post, budget=d["budget"], hours=d["hours"],
                                          targeting=targeting, goal=d["goal"] or Boost.Goal.IMPRESSIONS)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已下单 Boost ordered: {boost.cost} credits charged.")
            return redirect("web:boost", pk=boost.pk)
    return render(request, "boosts/boost_new.html", {
        "post": post, "form": form, "balance": services.balance_of(request.user),
        "price": knobs()["BOOST_PRICE_PER_THOUSAND"],
    })


@login_required
def boost_list(request):
    page = Paginator(selectors.boosts_of(user=request.user), 20).get_page(request.GET.get("page"))
    return render(request, "boosts/boost_list.html", {"page": page})


@login_required
def boost_detail(request, pk):
    """A boost's report: delivered impressions, engagement, cost, a chart over time."""
    boost = get_object_or_404(selectors.boosts_of(user=request.user), pk=pk)
    report = selectors.boost_report(boost)
    return render(request, "boosts/boost_detail.html", {
        "boost": boost, "report": report, "points": sparkline_points(report["by_hour"]),
    })


@login_required
@require_POST
def boost_stop(request, pk):
    boost = get_object_or_404(selectors.boosts_of(user=request.user), pk=pk)
    try:
        boost = services.boost_stop(boost=boost, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied:  # pragma: no cover - boosts_of already limits to the buyer
        raise Http404 from None
    else:
        messages.success(request, f"已停止 Stopped; {boost.refunded} credits refunded.")
    return redirect("web:boost", pk=boost.pk)
