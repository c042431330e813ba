"""Reads of commerce: a post's products, a seller's figures, the pools' order counts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet, Sum

from commerce.models import Order, Product, ProductEvent, Shop
from content.models import Post
from feeds.engine.pools import conversion_bar
from feeds.knobs import knobs
from feeds.models import PoolEntry, PoolTransition
from feeds.services.serving import published_by_active_authors


def has_shop(*, user) -> bool:
    return bool(user.is_authenticated and Shop.objects.filter(user=user, active=True).exists())


def products_live(*, post_id: int) -> list[Product]:
    """Return the products on sale on a post (removed ones are gone from every post)."""
    return list(Product.objects.filter(post_id=post_id, status=Product.Status.LIVE).order_by("id"))


def products_listed(
    *, post_id: int | None = None, seller_id: int | None = None
) -> QuerySet[Product]:
    """Live products on public posts, newest first, optionally of one post or seller."""
    public = Post.objects.filter(published_by_active_authors()).values("pk")
    qs = Product.objects.filter(status=Product.Status.LIVE, post__in=public)
    if post_id is not None:
        qs = qs.filter(post_id=post_id)
    if seller_id is not None:
        qs = qs.filter(seller_id=seller_id)
    return qs.order_by("-created_at", "-id")


def orders_of(*, user) -> QuerySet[Order]:
    return Order.objects.filter(buyer=user)


def orders_in_tier(*, since: dict[int, datetime]) -> dict[int, int]:
    """Return, per post, the people with a paid order of its products since the time given
    (when it entered its pool tier): the pools' conversion count (one query)."""
    if not since:
        return {}
    buyers: dict[int, set[int]] = {}
    for post_id, buyer_id, at in Order.objects.filter(
        post_id__in=list(since), status=Order.Status.PAID, created_at__gte=min(since.values())
    ).values_list("post_id", "buyer_id", "created_at"):
        if at >= since[post_id]:
            buyers.setdefault(post_id, set()).add(buyer_id)
    return {post_id: len(people) for post_id, people in buyers.items()}


def conversions_among(*, post_id: int, user_ids, since: datetime) -> dict[str, int]:
    """Return the people among ``user_ids`` who opened one of the post's products, and who
    paid an order of one, since ``since`` (a boost's report; two queries)."""
    clicks = (
        ProductEvent.objects.filter(
            post_id=post_id,
            kind=ProductEvent.Kind.CLICK,
            user_id__in=user_ids,
            created_at__gte=since,
        )
        .values("user_id")
        .distinct()
        .count()
    )
    orders = (
        Order.objects.filter(
            post_id=post_id, status=Order.Status.PAID, buyer_id__in=user_ids, created_at__gte=since
        )
        .values("buyer_id")
        .distinct()
        .count()
    )
    return {"clicks": clicks, "orders": orders}


@dataclass
class Figures:
    """What happened to one product (or all of a post's): people, not events."""

    impressions: int = 0
    clicks: int = 0
    orders: int = 0  # people with a paid order
    items: int = 0
    gmv: int = 0  # 分 of paid orders

    @property
    def conversion(self) -> float:
        return self.orders / self.impressions if self.impressions else 0.0

    @property
    def click_rate(self) -> float:
        return self.clicks / self.impressions if self.impressions else 0.0


def figures(*, product_ids: Iterable[int]) -> dict[int, Figures]:
    """Return each product's impressions, clicks, orders and GMV (two queries)."""
    ids = list(product_ids)
    out = {pid: Figures() for pid in ids}
    for row in (
        ProductEvent.objects.filter(product_id__in=ids)
        .values("product_id")
        .annotate(
            seen=Count("id", filter=Q(kind=ProductEvent.Kind.IMPRESSION)),
            opened=Count("id", filter=Q(kind=ProductEvent.Kind.CLICK)),
        )
        .order_by()
    ):
        f = out[row["product_id"]]
        f.impressions, f.clicks = row["seen"], row["opened"]
    for row in (
        Order.objects.filter(product_id__in=ids, status=Order.Status.PAID)
        .values("product_id")
        .annotate(people=Count("buyer", distinct=True), items=Sum("quantity"), gmv=Sum("amount"))
        .order_by()
    ):
        f = out[row["product_id"]]
        f.orders, f.items, f.gmv = row["people"], row["items"] or 0, row["gmv"] or 0
    return out


@dataclass
class PostShop:
    """A selling post in the creator center: its products' figures against the pools' bar."""

    post_id: int
    title: str
    products: list[tuple[Product, Figures]]
    total: Figures
    tier: int | None
    state: str | None
    conversion: float | None  # smoothed orders per impression in the tier (the pools' measure)
    bar: float  # the tier's conversion bar
    moves: list[str]  # the pool moves conversion took part in, as sentences


def shop_of(*, seller, before: int | None = None, limit: int | None = None) -> list[PostShop]:
    """Return the seller's selling posts with their figures, newest post first (a fixed
    number of queries); ``before`` a post id to start below, ``limit`` how many posts."""
    k = knobs()
    mine = Product.objects.filter(seller=seller)
    if before is not None:
        mine = mine.filter(post_id__lt=before)
    if limit is not None:
        ids = mine.order_by("-post_id").values_list("post_id", flat=True).distinct()[:limit]
        mine = Product.objects.filter(seller=seller, post_id__in=list(ids))
    products = list(mine.select_related("post").order_by("-post_id", "id"))
    figs = figures(product_ids=[p.pk for p in products])
    post_ids = list(dict.fromkeys(p.post_id for p in products))
    pools = {e.post_id: e for e in PoolEntry.objects.filter(post_id__in=post_ids)}
    moves: dict[int, list[str]] = {}
    for t in PoolTransition.objects.filter(
        post_id__in=post_ids, rates__has_key="conversion"
    ).order_by("created_at", "id"):
        moves.setdefault(t.post_id, []).append(move_sentence(t, k))
    out = []
    for post_id in post_ids:
        mine = [(p, figs[p.pk]) for p in products if p.post_id == post_id]
        total = Figures()
        for _, f in mine:
            total.impressions += f.impressions
            total.clicks += f.clicks
            total.orders += f.orders
            total.items += f.items
            total.gmv += f.gmv
        entry = pools.get(post_id)
        tier = entry.tier if entry else None
        conversion = (entry.rates or {}).get("conversion") if entry else None
        out.append(
            PostShop(
                post_id=post_id,
                title=(mine[0][0].post.title or mine[0][0].post.body)[:60],
                products=mine,
                total=total,
                tier=tier,
                state=entry.state if entry else None,
                conversion=conversion,
                bar=conversion_bar(tier or 0, k),
                moves=moves.get(post_id, []),
            )
        )
    return out


def move_sentence(t: PoolTransition, k: dict) -> str:
    """Say in a sentence how conversion weighed in one pool move, and whether it decided it
    (the same rates without conversion would have met the other verdict)."""
    r, tier = t.rates, t.from_tier or 0
    bar = conversion_bar(tier, k)
    conv, engagement = r.get("conversion", 0.0), r.get("engagement", 0.0)
    w = k["POOL_CONVERSION_WEIGHT"]
    need = k["POOL_PROMOTE_ENGAGEMENT"][min(tier, len(k["POOL_PROMOTE_ENGAGEMENT"]) - 1)]
    side = "above" if conv >= bar else "below"
    sentence = (
        f"{t.get_action_display()} from tier {tier}: orders per impression {conv:.2%} ({side} the bar "
        f"{bar:.2%}) moved its engagement by {w * (conv - bar):+.3f}"
    )
    if t.action == PoolTransition.Action.PROMOTE and engagement < need:
        return (
            sentence
            + f": conversion earned it (engagement alone, {engagement:.3f}, was under {need:.3f})."
        )
    if t.action == PoolTransition.Action.STOP and engagement >= need:
        return (
            sentence
            + f": conversion stopped it (engagement alone, {engagement:.3f}, met {need:.3f})."
        )
    return (
        sentence
        + f"; engagement alone ({engagement:.3f} against {need:.3f}) would have done the same."
    )
