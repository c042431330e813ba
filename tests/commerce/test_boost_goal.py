"""Boosts with a commerce goal: aimed at product clicks, shown to people who buy, and
reported per click and per order."""

from __future__ import annotations

import pytest

from boosts import services as boosts
from boosts.models import Boost, BoostImpression
from boosts.selectors import boost_report
from commerce import services
from feeds.engine.interests import Signal
from feeds.services.discover import discover_page
from feeds.services.interests import interests_apply

pytestmark = pytest.mark.django_db
FOOD = boosts.Targeting("interests", channels=["food"])


def test_only_a_selling_post_can_aim_at_product_clicks(
    seller, selling_post, publish, fund, client_for
):
    fund(seller, 10_000)
    plain = publish(seller, "food", title="没有商品的笔记")
    answer = client_for(seller).post(
        "/api/v1/boosts/",
        {
            "post": plain.pk,
            "budget": 1000,
            "hours": 24,
            "targeting": "interests",
            "channels": ["food"],
            "goal": "product_clicks",
        },
        format="json",
    )
    assert answer.status_code == 400 and "在售商品" in answer.json()["detail"]
    assert not Boost.objects.exists() and boosts.balance_of(seller) == 10_000
    services.product_create(seller=seller, post=selling_post, title="锅", price=100, stock=9)
    answer = client_for(seller).post(
        "/api/v1/boosts/",
        {
            "post": selling_post.pk,
            "budget": 1000,
            "hours": 24,
            "targeting": "interests",
            "channels": ["food"],
            "goal": "product_clicks",
        },
        format="json",
    )
    assert answer.status_code == 201 and answer.json()["goal"] == "product_clicks"


def test_a_click_goal_boost_reaches_people_who_buy_and_reports_cost_per_click_and_order(
    seller, selling_post, product, person, publish, make_user, fund, settings
):
    # Without the ranking lift (which would bring the post to the shopper by itself, and
    # a post shown organically is not promoted on the same page).
    settings.ENGINE = dict(settings.ENGINE, FEED_CONVERSION_RANK_WEIGHT=0)
    for i in range(25):
        publish(make_user(f"organic{i}"), ["food", "baking", "travel", "pets", "tech"][i % 5])
    fund(seller, 10_000)
    boost = boosts.boost_create(
        buyer=seller,
        post=selling_post,
        budget=1000,
        hours=24,
        targeting=FOOD,
        goal=Boost.Goal.PRODUCT_CLICKS,
    )
    browser = person("just-looking", ["food", "travel", "pets"])
    shopper = person("shopper", ["food", "travel", "pets"])
    other = publish(make_user("kitchen-seller"), "food")
    interests_apply(
        [Signal(shopper.pk, other.pk, "product_order")]
    )  # has bought food things before
    discover_page(browser, size=20)
    discover_page(shopper, size=20)
    reached = set(BoostImpression.objects.filter(boost=boost).values_list("user_id", flat=True))
    assert reached == {shopper.pk}

    fund(shopper, 5000)
    services.product_opened(user=shopper, product=product)
    services.order_create(buyer=shopper, product_id=product.pk, quantity=1, key="boost-order-01")
    services.product_opened(user=browser, product=product)  # not a boost viewer: not counted
    boost.refresh_from_db()
    report = boost_report(boost)
    assert (report["goal"], report["product_clicks"], report["product_orders"]) == (
        "product_clicks",
        1,
        1,
    )
    assert report["cost_per_click"] == report["cost_per_order"] == report["spent"] > 0
