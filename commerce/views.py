"""Web pages of commerce: a post's product cards, a product with its order form, my
orders, and the shop section of the creator center."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from boosts.services import balance_of
from commerce import selectors, services
from commerce.forms import OrderForm, ProductForm
from commerce.models import Product
from config.forms_errors import add_service_errors
from content.models import Post
from content.selectors import post_get_for_viewer


def post_products(request, post_pk):
    """The product cards of a post: a fragment the post page fetches (an impression per
    card for a signed-in viewer), or a page of its own without script."""
    try:
        post = post_get_for_viewer(pk=post_pk, user=request.user)
    except Post.DoesNotExist:
        raise Http404(_("No such post.")) from None
    products = (
        selectors.products_live(post_id=post.pk) if post.status == Post.Status.PUBLISHED else []
    )
    fragment = request.headers.get("X-Requested-With") == "fetch"
    if fragment and not products:
        return HttpResponse(status=204)
    services.product_seen(user=request.user, products=products)
    template = "commerce/_cards.html" if fragment else "commerce/post_products.html"
    return render(request, template, {"post": post, "products": products})


def product_detail(request, pk):
    """A product on sale: a click for a signed-in viewer, and its order form."""
    product = get_object_or_404(selectors.products_listed().select_related("post", "seller"), pk=pk)
    if request.user.is_authenticated:
        services.product_opened(user=request.user, product=product)
    return render(
        request,
        "commerce/product_detail.html",
        {
            "product": product,
            "form": OrderForm(),
            "balance": balance_of(request.user) if request.user.is_authenticated else None,
        },
    )


@login_required
@require_POST
def product_order(request, pk):
    """Buy a product in the app, paid from my wallet (a retried form buys once)."""
    form = OrderForm(request.POST)
    product = get_object_or_404(Product, pk=pk)
    if form.is_valid():
        try:
            placed = services.order_create(
                buyer=request.user,
                product_id=product.pk,
                quantity=form.cleaned_data["quantity"],
                key=form.cleaned_data["key"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if placed.created:
                messages.success(request, _("Ordered: {amount} credits paid.").format(amount=placed.order.amount))
            return redirect("web:orders")
    live = selectors.products_listed().filter(pk=pk).select_related("post", "seller").first()
    status = 400
    if live is None:
        form.add_error(None, _("This product is no longer on sale."))
    return render(
        request,
        "commerce/product_detail.html",
        {
            "product": live or product,
            "form": form,
            "balance": balance_of(request.user),
        },
        status=status,
    )


@login_required
def orders(request):
    """My orders, newest first, with cancel buttons."""
    return render(
        request,
        "commerce/orders.html",
        {
            "orders": selectors.orders_of(user=request.user)[:100],
            "balance": balance_of(request.user),
        },
    )


@login_required
@require_POST
def order_cancel(request, pk):
    order = get_object_or_404(selectors.orders_of(user=request.user), pk=pk)
    try:
        services.order_cancel(order=order, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Cancelled: {amount} credits refunded.").format(amount=order.amount))
    return redirect("web:orders")


@login_required
def shop(request):
    """The creator center's shop: my selling posts' figures and a form to add a product."""
    if not selectors.has_shop(user=request.user):
        return render(request, "commerce/shop.html", {"no_shop": True}, status=403)
    form = ProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        post = Post.objects.filter(pk=d["post"]).first()
        try:
            if post is None:
                raise ValidationError({"post": _("No such post.")})
            services.product_create(
                seller=request.user,
                post=post,
                title=d["title"],
                price=d["price"],
                stock=d["stock"],
                checkout=d["checkout"],
                external_url=d["external_url"] or "",
                image_url=d["image_url"] or "",
            )
        except PermissionDenied as exc:
            form.add_error("post", str(exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Product added."))
            return redirect("web:shop")
    status = 400 if form.errors else 200
    return render(
        request,
        "commerce/shop.html",
        {
            "form": form,
            "posts": selectors.shop_of(seller=request.user),
        },
        status=status,
    )
