"""In the system Chromium: a post's product cards load (static script, no inline code),
a buyer opens one, orders it from the wallet, and cancels."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from accounts import services as accounts
from boosts import services as boosts
from commerce import services as commerce
from commerce.models import Order, ProductEvent
from content import services as content
from tests.conftest import png_bytes, varied_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-pass-4567"


def test_a_buyer_sees_product_cards_on_a_post_orders_one_and_cancels(page, channels, media_root):
    seller = accounts.user_signup(username="pot-seller", password=PASSWORD)
    commerce.shop_grant(user=seller, name="锅店")
    image = SimpleUploadedFile("pot.png", png_bytes(size=(200, 200)), content_type="image/png")
    post = content.post_create(
        author=seller,
        kind="note",
        channel=channels["food"],
        title="铸铁锅三个月使用感受",
        body=varied_text(77),
        images=[image],
    )
    product = commerce.product_create(
        seller=seller, post=post, title="铸铁锅 24cm", price=1999, stock=3
    )
    buyer = accounts.user_signup(username="pot-buyer", password=PASSWORD)
    boosts.topup(user=buyer, amount=5000, key="browser-topup-1")

    page.goto("/login/")
    page.fill("input[name=username]", buyer.username)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.wait_for_url(lambda url: "/login/" not in url)

    page.goto(f"/p/{post.pk}/")
    card = page.get_by_test_id("product-card")
    expect(card).to_contain_text("铸铁锅 24cm")
    expect(card).to_contain_text("¥19.99")
    card.get_by_role("link").click()
    page.wait_for_url(f"**/products/{product.pk}/")
    page.get_by_test_id("order-form").locator("input[name=quantity]").fill("2")
    page.get_by_test_id("order").click()
    page.wait_for_url("**/orders/")
    expect(page.get_by_test_id("balance")).to_have_text(str(5000 - 2 * 1999))
    assert ProductEvent.objects.filter(user=buyer).count() == 2  # the card seen, then opened

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("cancel").click()
    expect(page.get_by_test_id("balance")).to_have_text("5000")
    assert Order.objects.get().status == "cancelled"
