"""Interest commerce in the simulated world (``commerce`` > 0; off by default).

Every author has a shop; a ``commerce`` share of new posts carries one product of hidden
*appeal* (0.05–1, uniform). Every person has a hidden *buying propensity* per top-level
channel: for a channel they like, 0.2–1 with probability one half, otherwise 0.02 (they
browse, they rarely buy). Shown a selling post, a person sees its product card (an
impression), opens it with probability ``min(0.9, 0.25 · propensity · appeal)`` and, having
opened it, orders with ``min(0.9, 0.6 · appeal)``, paid from a wallet topped up at the
start, through the real services (so the pools learn conversion and the profiles learn
buying interest). *Orders per 1 000 impressions* is the expected number of orders per
thousand impressions of a feed (the product of those two, 0 for a post that does not
sell), measured on discover and on the three baselines alike.

The streams are their own (``seed + 5`` for the world's products and propensities,
``seed + 6`` for clicks and orders), so the rest of the world and of the behaviour is
drawn alike with and without commerce, and with any conversion weight.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime, timedelta

from django.db.models import Count

from boosts import services as wallets
from commerce import services as commerce
from commerce.models import Product
from content.models import Event
from feeds.models import PoolEntry
from lab.simulator.world import Person

PRICE = 1000  # 分 of every simulated product
FUNDS = 10_000_000  # credits each person starts with: enough never to be the limit
STRONG_APPEAL = 0.6  # "strong conversion": products at least this appealing
ORDINARY = (0.3, 0.6)  # "ordinary likes": posts of a true quality in this range


class Shopping:
    """Products, buying intent and the orders they lead to (state on the ``Simulation``)."""

    def shopping_init(self, commerce_share: float, seed: int) -> None:
        self.commerce = commerce_share
        self.shop_rng = random.Random(seed + 5)
        self.buy_rng = random.Random(seed + 6)
        self.appeal: dict[int, float] = {}  # post id → its product's appeal
        self.product_of: dict[int, int] = {}  # post id → product id
        self.propensity: dict[int, dict[int, float]] = {}  # user id → top channel → propensity
        self.orders_seen: dict[str, list[float]] = defaultdict(
            list
        )  # feed → expected orders per impression
        self.selling_served = 0
        self.order_keys = 0

    def shops_open(self) -> None:
        """Open a shop for every author and fund every wallet; draw the hidden propensities."""
        if not self.commerce:
            return
        for author in self.authors:
            commerce.shop_grant(user=author.user)
        for person in self.people:
            liked = {self.top_of[leaf] for leaf in person.taste}
            self.propensity[person.user.pk] = {
                top: (
                    self.shop_rng.uniform(0.2, 1.0)
                    if top in liked and self.shop_rng.random() < 0.5
                    else 0.02
                )
                for top in sorted(self.groups)
            }
            wallets.topup(user=person.user, amount=FUNDS, key=f"sim-funds-{person.user.pk}")

    def maybe_sell(self, author: Person, post) -> None:
        """Give a new post a product (with the ``commerce`` probability)."""
        if not self.commerce or self.shop_rng.random() >= self.commerce:
            return
        product = commerce.product_create(
            seller=author.user, post=post, title="好物", price=PRICE, stock=100_000
        )
        self.appeal[post.pk] = self.shop_rng.uniform(0.05, 1.0)
        self.product_of[post.pk] = product.pk

    def buying(self, person: Person, post_id: int) -> tuple[float, float]:
        """Return the chances that the person opens the post's product, and then orders it."""
        appeal = self.appeal.get(post_id)
        if appeal is None:
            return 0.0, 0.0
        propensity = self.propensity[person.user.pk].get(
            self.top_of[self.post_channel[post_id]], 0.02
        )
        return min(0.9, 0.25 * propensity * appeal), min(0.9, 0.6 * appeal)

    def expected_orders(self, person: Person, post_id: int) -> float:
        click, order = self.buying(person, post_id)
        return click * order

    def shop(self, person: Person, post) -> None:
        """The person meets a served post's product card: seen, perhaps opened, perhaps bought."""
        if not self.commerce:
            return
        self.orders_seen["discover"].append(self.expected_orders(person, post.pk))
        if post.pk not in self.appeal:
            return
        self.selling_served += 1
        product = Product.objects.get(pk=self.product_of[post.pk])
        commerce.product_seen(user=person.user, products=[product])
        click, order = self.buying(person, post.pk)
        if self.buy_rng.random() >= click:
            return
        commerce.product_opened(user=person.user, product=product)
        if self.buy_rng.random() < order:
            self.order_keys += 1
            commerce.order_create(
                buyer=person.user,
                product_id=product.pk,
                quantity=1,
                key=f"sim-order-{self.order_keys:08d}",
            )

    def shop_baseline(self, name: str, person: Person, post_ids: list[int]) -> None:
        if self.commerce:
            self.orders_seen[name].extend(self.expected_orders(person, pid) for pid in post_ids)

    def commerce_figures(self, end: datetime, started: datetime) -> dict | None:
        """Orders per 1 000 impressions by feed, and how far strong sellers with ordinary
        likes travelled (beside posts of the same quality that do not sell)."""
        if not self.commerce:
            return None
        per_thousand = {
            name: round(1000 * sum(v) / len(v), 2) if v else 0.0
            for name, v in (
                (n, self.orders_seen[n])
                for n in ("discover", "chronological", "most_liked", "random")
            )
        }
        judged = [
            pid for pid, at in self.published_at.items() if started <= at <= end - timedelta(days=1)
        ]
        ordinary = [pid for pid in judged if ORDINARY[0] <= self.truth[pid] < ORDINARY[1]]
        strong = [pid for pid in ordinary if self.appeal.get(pid, 0) >= STRONG_APPEAL]
        plain = [pid for pid in ordinary if pid not in self.appeal]
        impressions = dict(
            Event.objects.filter(post_id__in=strong + plain, kind=Event.Kind.IMPRESSION)
            .values_list("post_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        tiers = dict(
            PoolEntry.objects.filter(post_id__in=strong + plain).values_list("post_id", "tier")
        )

        def travel(ids: list[int]) -> dict:
            if not ids:
                return {"posts": 0}
            return {
                "posts": len(ids),
                "impressions_mean": round(sum(impressions.get(p, 0) for p in ids) / len(ids), 1),
                "reached_tier1": round(sum(tiers.get(p, 0) >= 1 for p in ids) / len(ids), 4),
            }

        served = len(self.orders_seen["discover"])
        return {
            "orders_per_1000_impressions": per_thousand,
            "discover_selling_share": round(self.selling_served / served, 4) if served else 0.0,
            "strong_conversion_ordinary_likes": travel(strong),
            "same_quality_not_selling": travel(plain),
            "selling_posts": len(self.appeal),
        }
