"""Conversion in the engine: the pools' verdict on selling posts, the selling cap on a
discover page, and expected conversion in ranking for people who buy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from commerce import selectors, services
from feeds.engine import pools
from feeds.engine.discover import MAIN, Candidate, Profile, buying_interest, mix, rank
from feeds.models import PoolEntry, PoolTransition
from feeds.services.pools import pools_evaluate

NOW = datetime(2026, 5, 1, 12, tzinfo=UTC)


def verdict(k, *, likes: int, orders: int = 0, selling: bool, tier: int = 1) -> pools.Decision:
    """The verdict of a tier whose quota (1 000) just filled."""
    counts = pools.TierCounts(
        impressions=1000, likes=likes, comments=likes // 10, favourites=likes // 10, orders=orders
    )
    return pools.decide(
        tier=tier,
        kind="note",
        quota=1000,
        counts=counts,
        window_ends_at=NOW + timedelta(hours=1),
        now=NOW,
        k=k,
        selling=selling,
    )


# ---------------------------------------------------------------- the pools' verdict
def test_a_post_with_strong_conversion_but_ordinary_likes_is_promoted_only_with_the_weight(
    settings,
):
    k = dict(settings.ENGINE)
    selling = verdict(k, likes=70, orders=25, selling=True)
    assert selling.action == pools.PROMOTE
    assert "conversion 2.43%" in selling.reason
    assert verdict(k, likes=70, orders=25, selling=False).action == pools.STOP
    k["POOL_CONVERSION_WEIGHT"] = 0
    assert verdict(k, likes=70, orders=25, selling=True).action == pools.STOP


def test_a_selling_post_that_sells_nothing_needs_more_engagement_than_one_that_does_not_sell(
    settings,
):
    k = settings.ENGINE
    assert verdict(k, likes=90, selling=False).action == pools.PROMOTE
    stopped = verdict(k, likes=90, orders=0, selling=True)
    assert stopped.action == pools.STOP and "conversion" in stopped.reason


def test_posts_without_products_are_judged_exactly_as_before(settings):
    k = settings.ENGINE
    for likes in (40, 70, 90, 130):
        plain = verdict(k, likes=likes, orders=30, selling=False)
        off = dict(k, POOL_CONVERSION_WEIGHT=0)
        assert plain.action == verdict(off, likes=likes, orders=30, selling=False).action
        assert "conversion" not in plain.rates and "conversion" not in plain.reason


def test_the_conversion_bar_rises_with_the_tier(settings):
    k = settings.ENGINE
    bars = [pools.conversion_bar(t, k) for t in range(5)]
    assert bars == sorted(bars) and bars[0] == k["POOL_PROMOTE_CONVERSION"][0]
    assert pools.thresholds(3, k)["conversion"] == k["POOL_PROMOTE_CONVERSION"][3]


@pytest.mark.django_db
def test_the_evaluation_counts_the_orders_of_a_selling_post_and_says_so(
    seller, selling_post, make_user, audience, show, fund, settings
):
    product = services.product_create(
        seller=seller, post=selling_post, title="锅", price=100, stock=50
    )
    viewers = audience(150)
    # Ordinary likes for a base pool (engagement under its bar 0.11) …
    show(selling_post, viewers, likes=8, comments=1, favourites=1)
    buyers = viewers[:12]
    for i, b in enumerate(buyers):
        fund(b, 1000)
        services.order_create(buyer=b, product_id=product.pk, quantity=1, key=f"eval-{i:08d}")
    settings.ENGINE = dict(settings.ENGINE, POOL_VERDICT_Z=0)
    assert pools_evaluate(post_ids=[selling_post.pk]) == {"promote": 1}
    move = PoolTransition.objects.filter(post=selling_post, action="promote").get()
    assert move.rates["conversion_raw"] == pytest.approx(12 / 150)
    assert "with conversion" in move.reason
    shop = selectors.shop_of(seller=seller)[0]
    assert (
        shop.moves and "above the bar" in shop.moves[0] and "conversion earned it" in shop.moves[0]
    )
    assert shop.total.orders == 12 and shop.total.gmv == 1200


@pytest.mark.django_db
def test_without_the_weight_the_same_post_stops(
    seller, selling_post, make_user, audience, show, fund, settings
):
    product = services.product_create(
        seller=seller, post=selling_post, title="锅", price=100, stock=50
    )
    viewers = audience(150)
    show(selling_post, viewers, likes=8, comments=1, favourites=1)
    for i, b in enumerate(viewers[:12]):
        fund(b, 1000)
        services.order_create(buyer=b, product_id=product.pk, quantity=1, key=f"eval-{i:08d}")
    settings.ENGINE = dict(settings.ENGINE, POOL_VERDICT_Z=0, POOL_CONVERSION_WEIGHT=0)
    pools_evaluate(post_ids=[selling_post.pk])
    entry = PoolEntry.objects.get(post=selling_post)
    assert (entry.tier, entry.state) == (0, "stopped")


def test_the_creator_center_says_when_conversion_decided_a_move(settings):
    k = settings.ENGINE
    stop = PoolTransition(
        action="stop", from_tier=1, rates={"engagement": 0.13, "conversion": 0.001}
    )
    said = selectors.move_sentence(stop, k)
    assert "below the bar 1.20%" in said and "conversion stopped it" in said
    plain = PoolTransition(
        action="promote", from_tier=1, rates={"engagement": 0.2, "conversion": 0.02}
    )
    assert "would have done the same" in selectors.move_sentence(plain, k)


# ---------------------------------------------------------------- discover
def candidate(
    pid: int, *, selling: bool = False, channel: int = 1, conversion: float | None = None
) -> Candidate:
    return Candidate(
        post_id=pid,
        author_id=100 + pid,
        channel_id=channel + pid % 7,
        parent_channel_id=None,
        kind="note",
        published_at=NOW,
        selling=selling,
        conversion=conversion,
    )


def test_selling_posts_come_at_most_once_in_any_five_items_of_a_page(settings):
    k = dict(settings.ENGINE, FEED_EXPLORATION_SHARE=0, FEED_POOL_SHARE=0, FEED_MAX_PER_CHANNEL=20)
    items = [candidate(i, selling=i % 2 == 0) for i in range(40)]
    slots = mix({MAIN: items}, size=20, k=k)
    selling = [s.post_id % 2 == 0 for s in slots]
    assert len(slots) == 20 and sum(selling) == 4
    assert all(sum(selling[i : i + 5]) <= 1 for i in range(16))
    assert all(sum(selling[:n]) <= 0.2 * n for n in range(1, 21))  # never ahead of the share
    unlimited = mix({MAIN: items}, size=20, k=dict(k, FEED_SELLING_SHARE=1))
    assert sum(s.post_id % 2 == 0 for s in unlimited) == 10


def test_a_page_that_could_only_sell_ends_short_rather_than_become_a_shop(settings):
    k = dict(settings.ENGINE, FEED_EXPLORATION_SHARE=0, FEED_POOL_SHARE=0, FEED_MAX_PER_CHANNEL=20)
    only_selling = [candidate(i, selling=True) for i in range(10)]
    assert mix({MAIN: only_selling}, size=10, k=k) == []
    slots = mix({MAIN: [candidate(100 + i) for i in range(4)] + only_selling}, size=10, k=k)
    assert [s.post_id >= 100 for s in slots] == [True, True, True, True, False]


def test_expected_conversion_lifts_selling_posts_for_people_who_buy_there(settings):
    k = settings.ENGINE
    sells = Candidate(
        post_id=1,
        author_id=1,
        channel_id=5,
        parent_channel_id=None,
        kind="note",
        published_at=NOW,
        selling=True,
        conversion=0.03,
    )
    plain = Candidate(
        post_id=2, author_id=2, channel_id=5, parent_channel_id=None, kind="note", published_at=NOW
    )
    taste = Profile.from_scores({5: 10.0}, {})
    ranked = rank([plain, sells], profile=taste, weights={}, now=NOW, k=k)
    assert sells.score == pytest.approx(plain.score)  # no buying interest: no lift
    buyer = Profile.from_scores({5: 10.0}, {})
    buyer.buying = buying_interest({5: 8.0}, k)  # one order in the channel
    assert buyer.buying == {5: 0.5}
    ranked = rank([plain, sells], profile=buyer, weights={}, now=NOW, k=k)
    assert ranked[0] is sells
    w = k["FEED_CONVERSION_RANK_WEIGHT"]
    assert sells.score / plain.score == pytest.approx(
        1 + w * 0.5 * 0.03 / k["POOL_CONVERSION_PRIOR"]
    )
