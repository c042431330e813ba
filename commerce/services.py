"""Products on posts, what people do with them, and orders paid from the wallet.

One write path per table: ``product_create`` and ``product_remove`` (moderation, with an
audit entry) for products, ``product_seen`` / ``product_opened`` for events (one per
person, product and kind), ``order_create`` and ``order_cancel`` for orders.

Money and stock: an order takes its items with one conditional update (``stock >=
quantity``), so concurrent orders for the last item cannot both pass and stock never
goes below zero (a check constraint is the backstop), then charges the buyer's wallet
through the boosts ledger (the wallet row locked, never negative). Either failing rolls
the whole order back. An order carries the client's idempotency key, unique per buyer:
a retried request returns the first order and charges nothing again. A cancel refunds
once (a conditional update from "paid") and puts the items back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from boosts.services import wallet_charge, wallet_refund
from commerce.models import Order, Product, ProductEvent, Shop
from content.models import Channel, Post
from feeds.engine.interests import Signal
from feeds.knobs import knobs
from feeds.services.interests import interests_apply
from feeds.services.pools import pool_selling_set
from feeds.services.serving import published_by_active_authors
from moderation.models import AuditEntry
from moderation.services import audit


def _whole(value, name: str, low: int, high: int, what: str) -> int:
    """Return ``value`` if it is a whole number within [low, high]; refuse it otherwise."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError({name: _("{what} is a whole number from {low} to {high}.").format(what=what, low=low, high=high)})
    return value


def _key(key: str) -> str:
    key = (key or "").strip()
    if not 8 <= len(key) <= 64:
        raise ValidationError(
            {"key": _("Send an idempotency key of 8 to 64 characters (a fresh one per order).")}
        )
    return key


def on_sale(post_id: int) -> bool:
    """Return True when the post carries live products and is public (so it sells)."""
    return Post.objects.filter(
        published_by_active_authors(), pk=post_id, products__status=Product.Status.LIVE
    ).exists()


def _sync_selling(post_id: int) -> None:
    """Tell the pools whether the post sells now (its verdict then weighs conversion)."""
    pool_selling_set(
        post_id=post_id,
        selling=Product.objects.filter(post_id=post_id, status=Product.Status.LIVE).exists(),
    )


# ---------------------------------------------------------------- shops and products
def shop_grant(*, user: User, granted_by: User | None = None, name: str = "") -> Shop:
    """Give an account the right to sell (the admin's action)."""
    shop, _ = Shop.objects.update_or_create(
        user=user, defaults={"active": True, "granted_by": granted_by, "name": name[:40]}
    )
    return shop


@transaction.atomic
def product_create(
    *,
    seller: User,
    post: Post,
    title: str,
    price: int,
    stock: int,
    channel: Channel | None = None,
    checkout: str = Product.Checkout.IN_APP,
    external_url: str = "",
    image_url: str = "",
    now: datetime | None = None,
) -> Product:
    """Attach a product to the seller's own post (at most ``COMMERCE_PRODUCTS_PER_POST``)."""
    k = knobs()
    if not Shop.objects.filter(user=seller, active=True).exists():
        raise PermissionDenied(
            _("Selling needs a shop: ask the platform to open one for your account.")
        )
    if post.author_id != seller.pk:
        raise PermissionDenied(_("You can only put products on your own posts."))
    if post.status == Post.Status.REMOVED:
        raise ValidationError({"post": _("This post was removed: it cannot carry products.")})
    title = (title or "").strip()
    if not 1 <= len(title) <= 60:
        raise ValidationError({"title": _("A product needs a title of 1 to 60 characters.")})
    price = _whole(price, "price", *k["COMMERCE_PRICE_RANGE"], _("A price (in 分)"))
    stock = _whole(stock, "stock", *k["COMMERCE_STOCK_RANGE"], _("Stock"))
    if checkout not in Product.Checkout.values:
        raise ValidationError({"checkout": _("Choose in_app or external.")})
    if checkout == Product.Checkout.EXTERNAL and not external_url:
        raise ValidationError({"external_url": _("An external product needs its link.")})
    Post.objects.select_for_update().filter(
        pk=post.pk
    ).first()  # products of one post are added in turn
    limit = k["COMMERCE_PRODUCTS_PER_POST"]
    if Product.objects.filter(post=post, status=Product.Status.LIVE).count() >= limit:
        raise ValidationError({"post": _("A post carries at most {limit} products.").format(limit=limit)})
    product = Product.objects.create(
        seller=seller,
        post=post,
        title=title,
        price=price,
        stock=stock,
        channel=channel or post.channel,
        checkout=checkout,
        external_url=external_url if checkout == Product.Checkout.EXTERNAL else "",
        image_url=image_url,
        created_at=now or timezone.now(),
    )
    pool_selling_set(post_id=post.pk, selling=True)
    return product


@transaction.atomic
def product_remove(*, product: Product, moderator: User, reason: str) -> Product:
    """Take a product off sale everywhere at once (moderation), with an audit entry."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the product is removed.")})
    locked = Product.objects.select_for_update().get(pk=product.pk)
    if locked.status == Product.Status.REMOVED:
        raise ValidationError(_("This product is removed already."))
    before = {"status": locked.status}
    locked.status, locked.status_reason = Product.Status.REMOVED, reason[:300]
    locked.save(update_fields=["status", "status_reason"])
    audit(
        moderator=moderator,
        action=AuditEntry.Action.REMOVE,
        target=locked,
        reason=reason,
        before=before,
        after={"status": locked.status},
    )
    _sync_selling(locked.post_id)
    return locked


@transaction.atomic
def product_delete(*, product: Product) -> None:
    """Delete a product (the admin's delete; its orders keep their title and amount)."""
    post_id = product.post_id
    product.delete()
    _sync_selling(post_id)


# ---------------------------------------------------------------- events
def _signal(user_id: int, post_id: int, name: str) -> None:
    """Feed a product click or order into the person's interests (after the commit)."""
    transaction.on_commit(lambda: interests_apply([Signal(user_id, post_id, name)]))


def product_seen(*, user: User, products: list[Product], now: datetime | None = None) -> int:
    """Record that ``user`` saw these product cards (once per person); return how many were new."""
    if not user.is_authenticated or not products:
        return 0
    now = now or timezone.now()
    rows = [
        ProductEvent(
            product_id=p.pk,
            post_id=p.post_id,
            user_id=user.pk,
            kind=ProductEvent.Kind.IMPRESSION,
            created_at=now,
        )
        for p in products
        if p.seller_id != user.pk
    ]
    before = ProductEvent.objects.filter(
        user=user, kind=ProductEvent.Kind.IMPRESSION, product_id__in=[r.product_id for r in rows]
    ).count()
    ProductEvent.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows) - before


@transaction.atomic
def product_opened(*, user: User, product: Product, now: datetime | None = None) -> bool:
    """Record a click on a product card (once per person); the first one teaches the
    person's interests. Return True if it was the first."""
    if not product.is_live:
        raise ValidationError(_("This product is no longer on sale."))
    if product.seller_id == user.pk:
        return False
    _event, created = ProductEvent.objects.get_or_create(
        product=product,
        user=user,
        kind=ProductEvent.Kind.CLICK,
        defaults={"post_id": product.post_id, "created_at": now or timezone.now()},
    )
    if created:
        _signal(user.pk, product.post_id, "product_click")
    return created


# ---------------------------------------------------------------- orders
@dataclass
class Placed:
    order: Order
    created: bool  # False: a retry of an earlier request with the same key


def order_create(
    *, buyer: User, product_id: int, quantity: int, key: str, now: datetime | None = None
) -> Placed:
    """Buy ``quantity`` of a product in the app, paid from the buyer's wallet, once per ``key``.

    The same key again for the same product and quantity returns the first order and
    changes nothing; for anything else it is refused (a client bug, not a retry).
    """
    key = _key(key)
    quantity = _whole(quantity, "quantity", *knobs()["COMMERCE_QUANTITY_RANGE"], _("A quantity"))
    earlier = Order.objects.filter(buyer=buyer, key=key).first()
    if earlier is None:
        try:
            return Placed(_order(buyer, product_id, quantity, key, now or timezone.now()), True)
        except IntegrityError:  # the same key committed by a concurrent retry
            earlier = Order.objects.filter(buyer=buyer, key=key).first()
            if earlier is None:
                raise
    if earlier.product_id != product_id or earlier.quantity != quantity:
        raise ValidationError({"key": _("This key was already used for another order.")})
    return Placed(earlier, False)


@transaction.atomic
def _order(buyer: User, product_id: int, quantity: int, key: str, now: datetime) -> Order:
    product = Product.objects.select_related("post").filter(pk=product_id).first()
    if product is None:
        raise Product.DoesNotExist(_("No such product."))
    if not product.is_live or not on_sale(product.post_id):
        raise ValidationError({"product": _("This product is no longer on sale.")})
    if product.seller_id == buyer.pk:
        raise ValidationError({"product": _("You cannot buy your own product.")})
    if product.checkout != Product.Checkout.IN_APP:
        raise ValidationError(
            {"product": _("This product is sold at its external link, not in the app.")}
        )
    taken = Product.objects.filter(
        pk=product.pk, status=Product.Status.LIVE, stock__gte=quantity
    ).update(stock=F("stock") - quantity)
    if not taken:
        left = Product.objects.filter(pk=product.pk).values_list("stock", flat=True).first() or 0
        raise ValidationError({"quantity": _("Only {left} left in stock.").format(left=left) if left else _("Sold out.")})
    amount = product.price * quantity
    first = not Order.objects.filter(buyer=buyer, product=product).exists()
    order = Order.objects.create(
        buyer=buyer,
        product=product,
        post_id=product.post_id,
        seller_id=product.seller_id,
        product_title=product.title,
        quantity=quantity,
        unit_price=product.price,
        amount=amount,
        key=key,
        created_at=now,
    )
    wallet_charge(
        user_id=buyer.pk, amount=amount, memo=f"order {order.pk}: {quantity} × {product.title}"
    )
    if first:
        _signal(buyer.pk, product.post_id, "product_order")
    return order


@transaction.atomic
def order_cancel(*, order: Order, actor: User, now: datetime | None = None) -> Order:
    """The buyer cancels a paid order: the credits come back and the items go back in stock."""
    if order.buyer_id != actor.pk:
        raise PermissionDenied(_("Only the buyer can cancel this order."))
    now = now or timezone.now()
    cancelled = Order.objects.filter(pk=order.pk, status=Order.Status.PAID).update(
        status=Order.Status.CANCELLED, cancelled_at=now
    )
    if not cancelled:
        raise ValidationError(_("This order is cancelled already."))
    if order.product_id:
        Product.objects.filter(pk=order.product_id).update(stock=F("stock") + order.quantity)
    wallet_refund(user_id=order.buyer_id, amount=order.amount, memo=f"order {order.pk} cancelled")
    order.refresh_from_db()
    return order
