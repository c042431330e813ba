"""The simulator with products and buying intent: orders per 1 000 impressions by feed,
and how far strong sellers with ordinary likes travel."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from commerce.models import Order, Product


@pytest.mark.django_db(transaction=True)
def test_simulate_with_commerce_reports_orders_per_thousand_impressions(simulate, channels):
    figures = simulate(commerce=0.5)
    shop = figures["commerce"]
    assert set(shop["orders_per_1000_impressions"]) == {
        "discover",
        "chronological",
        "most_liked",
        "random",
    }
    assert all(v >= 0 for v in shop["orders_per_1000_impressions"].values())
    assert shop["selling_posts"] == Product.objects.count() > 0
    # The cap: at most FEED_SELLING_SHARE of discover sells.
    assert 0 < shop["discover_selling_share"] <= 0.2 + 1e-9
    assert Order.objects.exists()  # people bought through the real services
    assert {"strong_conversion_ordinary_likes", "same_quality_not_selling"} <= set(shop)
    assert figures["world"]["commerce"] == 0.5


@pytest.mark.django_db
def test_simulate_refuses_a_commerce_share_outside_0_to_1():
    for bad in (-0.1, 1.5):
        with pytest.raises(CommandError, match="--commerce"):
            call_command("simulate", commerce=bad)
