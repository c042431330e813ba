"""The web pages of commerce: product cards on a post, a product page and its order
form, my orders, the shop in the creator center, and the marker on feed cards."""

from __future__ import annotations

import pytest

from boosts.services import balance_of
from commerce import services
from commerce.models import Order, Product, ProductEvent
from feeds.services.discover import discover_page
from feeds.services.serving import with_cards

pytestmark = pytest.mark.django_db
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


@pytest.fixture
def web(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_the_post_page_fetches_its_product_cards_and_records_an_impression(
    product, selling_post, make_user, web
):
    viewer = make_user("shopper")
    client = web(viewer)
    page = client.get(f"/p/{selling_post.pk}/")
    assert f'data-products-url="/p/{selling_post.pk}/products/"' in page.content.decode()
    cards = client.get(f"/p/{selling_post.pk}/products/", **FETCH)
    html = cards.content.decode()
    assert (
        cards.status_code == 200 and "铸铁锅" in html and "¥19.99" in html and "<html" not in html
    )
    assert ProductEvent.objects.filter(user=viewer, kind="impression", product=product).count() == 1
    # Without script, the same cards are a page of their own.
    assert "<html" in client.get(f"/p/{selling_post.pk}/products/").content.decode()


def test_a_post_without_products_answers_no_content(make_user, publish, web):
    post = publish(make_user("plain-author"), "food")
    assert web(make_user("v")).get(f"/p/{post.pk}/products/", **FETCH).status_code == 204


def test_a_removed_product_leaves_the_post_page(product, selling_post, make_user, web):
    services.product_remove(product=product, moderator=make_user("mod"), reason="违规")
    assert web(make_user("v2")).get(f"/p/{selling_post.pk}/products/", **FETCH).status_code == 204
    assert web(make_user("v3")).get(f"/products/{product.pk}/").status_code == 404


def test_a_buyer_orders_from_the_product_page_and_cancels_from_their_orders(
    product, make_user, web, fund
):
    buyer = make_user("web-buyer")
    fund(buyer, 5000)
    client = web(buyer)
    page = client.get(f"/products/{product.pk}/").content.decode()
    assert 'data-testid="order-form"' in page
    assert ProductEvent.objects.filter(user=buyer, kind="click").count() == 1
    answer = client.post(f"/products/{product.pk}/order/", {"quantity": 2, "key": "web-order-0001"})
    assert answer.status_code == 302 and answer["Location"] == "/orders/"
    client.post(
        f"/products/{product.pk}/order/", {"quantity": 2, "key": "web-order-0001"}
    )  # a double submit
    assert Order.objects.count() == 1 and balance_of(buyer) == 5000 - 3998
    assert "铸铁锅" in client.get("/orders/").content.decode()
    client.post(f"/orders/{Order.objects.get().pk}/cancel/")
    assert balance_of(buyer) == 5000 and Order.objects.get().status == "cancelled"


@pytest.mark.parametrize("quantity", ["0", "-3", "1.5", "999999999", "lots"])
def test_a_bad_quantity_on_the_web_is_a_400_that_changes_nothing(
    product, make_user, web, fund, quantity
):
    buyer = make_user("web-bad")
    fund(buyer, 5000)
    answer = web(buyer).post(
        f"/products/{product.pk}/order/", {"quantity": quantity, "key": "web-bad-00001"}
    )
    assert answer.status_code == 400
    product.refresh_from_db()
    assert product.stock == 5 and not Order.objects.exists() and balance_of(buyer) == 5000


def test_the_shop_lists_figures_and_adds_products_only_for_a_shop(
    seller, selling_post, product, make_user, web, fund
):
    buyer = make_user("fig-buyer")
    fund(buyer, 5000)
    services.product_seen(user=buyer, products=[product])
    services.order_create(buyer=buyer, product_id=product.pk, quantity=1, key="fig-00000001")
    client = web(seller)
    page = client.get("/creator/shop/").content.decode()
    assert (
        "铸铁锅" in page and 'data-testid="gmv">1999<' in page and 'data-testid="orders">1<' in page
    )
    added = client.post(
        "/creator/shop/",
        {"post": selling_post.pk, "title": "砂锅", "price": 2500, "stock": 2, "checkout": "in_app"},
    )
    assert added.status_code == 302 and Product.objects.filter(title="砂锅").exists()
    bad = client.post(
        "/creator/shop/",
        {"post": selling_post.pk, "title": "砂锅", "price": -5, "stock": 2, "checkout": "in_app"},
    )
    assert bad.status_code == 400 and Product.objects.count() == 2
    assert web(make_user("no-shop-web")).get("/creator/shop/").status_code == 403


def test_selling_posts_carry_a_marker_on_feed_cards_at_no_extra_query(
    product, selling_post, make_user, publish, django_assert_num_queries
):
    viewer = make_user("feed-viewer")
    for i in range(8):  # a selling post comes fifth at the earliest (the selling cap)
        publish(make_user(f"feed-author{i}"), ["food", "travel", "pets"][i % 3])
    page = discover_page(viewer, size=10)
    assert any(i.post.pk == selling_post.pk for i in page.items)
    with django_assert_num_queries(3):  # posts (with the flag), images, tags: as before
        full = with_cards(page)
    sells = {i.post.pk: i.post.sells for i in full.items}
    assert sells[selling_post.pk] is True and sum(bool(v) for v in sells.values()) == 1
