"""Products on posts and orders paid from the wallet, as sellers, buyers and moderators
meet them: the API's answers, the ledger's guarantees, bad input refused whole."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from boosts.models import LedgerEntry, Wallet
from boosts.services import balance_of
from commerce import selectors, services
from commerce.models import Order, Product, ProductEvent
from feeds.models import InterestAffinity, PoolEntry
from moderation.models import AuditEntry

pytestmark = pytest.mark.django_db

PRODUCTS = "/api/v1/products/"
ORDERS = "/api/v1/orders/"


def ledger_sum(user) -> int:
    return sum(LedgerEntry.objects.filter(user=user).values_list("amount", flat=True))


def state(product) -> tuple:
    """Everything an order could change: stock, orders, ledger, balances."""
    product.refresh_from_db()
    return (
        product.stock,
        Order.objects.count(),
        LedgerEntry.objects.count(),
        tuple(Wallet.objects.order_by("pk").values_list("balance", flat=True)),
    )


# ---------------------------------------------------------------- products
def test_a_seller_with_a_shop_puts_a_product_on_a_post_and_anyone_sees_it(
    seller, selling_post, client_for, api
):
    created = client_for(seller).post(
        PRODUCTS,
        {"post": selling_post.pk, "title": "铸铁锅", "price": 1999, "stock": 3},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["price"] == 1999 and body["channel"] == "food" and body["checkout"] == "in_app"
    listed = api.get(PRODUCTS, {"post": selling_post.pk}).json()["results"]
    assert [p["title"] for p in listed] == ["铸铁锅"]
    assert PoolEntry.objects.get(post=selling_post).selling


def test_an_account_without_a_shop_cannot_sell(make_user, publish, client_for):
    author = make_user("no-shop")
    post = publish(author, "food")
    answer = client_for(author).post(
        PRODUCTS, {"post": post.pk, "title": "锅", "price": 100, "stock": 1}, format="json"
    )
    assert answer.status_code == 403 and "开通店铺" in answer.json()["detail"]
    assert not Product.objects.exists()


def test_a_product_on_someone_elses_post_is_refused(seller, make_user, publish, client_for):
    other = publish(make_user("other-author"), "food")
    answer = client_for(seller).post(
        PRODUCTS, {"post": other.pk, "title": "锅", "price": 100, "stock": 1}, format="json"
    )
    assert answer.status_code == 403 and "自己的笔记" in answer.json()["detail"]
    assert not Product.objects.exists()
    assert not PoolEntry.objects.get(post=other).selling


@pytest.mark.parametrize(
    "field, value",
    [
        ("price", -1),
        ("price", 0),
        ("price", 19.5),
        ("price", 10**12),
        ("price", "abc"),
        ("price", True),
        ("stock", -1),
        ("stock", 1.5),
        ("stock", 10**9),
        ("title", ""),
    ],
)
def test_bad_prices_and_stock_are_refused_and_change_nothing(
    seller, selling_post, client_for, field, value
):
    body = {"post": selling_post.pk, "title": "锅", "price": 100, "stock": 1, field: value}
    answer = client_for(seller).post(PRODUCTS, body, format="json")
    assert answer.status_code == 400, (field, value, answer.content)
    assert answer.json()["code"] == "invalid"
    assert not Product.objects.exists() and not PoolEntry.objects.get(post=selling_post).selling


def test_a_post_carries_at_most_the_documented_number_of_products(seller, selling_post, settings):
    limit = settings.ENGINE["COMMERCE_PRODUCTS_PER_POST"]
    for i in range(limit):
        services.product_create(
            seller=seller, post=selling_post, title=f"商品{i}", price=100, stock=1
        )
    with pytest.raises(Exception, match=f"最多挂 {limit} 个商品"):
        services.product_create(
            seller=seller, post=selling_post, title="one more", price=100, stock=1
        )
    assert Product.objects.count() == limit


def test_removing_a_product_takes_it_off_every_post_at_once_with_an_audit_entry(
    product, selling_post, make_user, api, client_for, fund
):
    moderator = make_user("mod")
    services.product_remove(product=product, moderator=moderator, reason="假冒商品 counterfeit")
    assert api.get(PRODUCTS, {"post": selling_post.pk}).json()["results"] == []
    assert api.get(f"{PRODUCTS}{product.pk}/").status_code == 404
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.target_type, entry.target_id) == ("remove", "product", product.pk)
    assert entry.before == {"status": "live"} and entry.after == {"status": "removed"}
    assert not PoolEntry.objects.get(post=selling_post).selling
    # … and nobody can order it any more.
    buyer = make_user("late-buyer")
    fund(buyer, 5000)
    before = state(product)
    answer = client_for(buyer).post(
        ORDERS, {"product": product.pk, "quantity": 1, "key": "late-0000001"}, format="json"
    )
    assert answer.status_code == 400 and "不再出售" in answer.json()["detail"]
    assert state(product) == before


def test_a_removal_needs_a_reason(product, make_user):
    with pytest.raises(Exception, match="下架商品的原因"):
        services.product_remove(product=product, moderator=make_user("mod2"), reason=" ")
    product.refresh_from_db()
    assert product.is_live and not AuditEntry.objects.exists()


# ---------------------------------------------------------------- orders
def test_an_order_takes_stock_and_credits_once_per_key_and_a_cancel_gives_both_back(
    product, make_user, client_for, fund, seller
):
    buyer = make_user("buyer")
    fund(buyer, 10_000)
    api = client_for(buyer)
    first = api.post(
        ORDERS, {"product": product.pk, "quantity": 2, "key": "order-key-0001"}, format="json"
    )
    again = api.post(
        ORDERS, {"product": product.pk, "quantity": 2, "key": "order-key-0001"}, format="json"
    )
    assert first.status_code == 201 and again.status_code == 200, (first.content, again.content)
    assert first.json()["id"] == again.json()["id"] and first.json()["amount"] == 2 * 1999
    product.refresh_from_db()
    assert product.stock == 3
    assert balance_of(buyer) == 10_000 - 3998 == ledger_sum(buyer)
    other = api.post(
        ORDERS, {"product": product.pk, "quantity": 1, "key": "order-key-0001"}, format="json"
    )
    assert other.status_code == 400 and "另一笔订单" in other.json()["detail"]

    cancel = api.post(f"{ORDERS}{first.json()['id']}/cancel/")
    assert cancel.status_code == 200 and cancel.json()["status"] == "cancelled"
    product.refresh_from_db()
    assert product.stock == 5 and balance_of(buyer) == 10_000 == ledger_sum(buyer)
    twice = api.post(f"{ORDERS}{first.json()['id']}/cancel/")
    assert twice.status_code == 400 and balance_of(buyer) == 10_000
    # Someone else cannot cancel it, nor see it.
    assert client_for(seller).post(f"{ORDERS}{first.json()['id']}/cancel/").status_code == 404


@pytest.mark.parametrize("quantity", [0, -1, 1.5, 10**9, "two", None])
def test_bad_quantities_are_refused_and_change_nothing(
    product, make_user, client_for, fund, quantity
):
    buyer = make_user("q-buyer")
    fund(buyer, 100_000)
    before = state(product)
    answer = client_for(buyer).post(
        ORDERS, {"product": product.pk, "quantity": quantity, "key": "qty-00000001"}, format="json"
    )
    assert answer.status_code == 400, (quantity, answer.content)
    assert state(product) == before


def test_an_order_beyond_stock_or_the_balance_is_refused_and_changes_nothing(
    product, make_user, client_for, fund
):
    buyer = make_user("big-buyer")
    fund(buyer, 100_000)
    before = state(product)
    answer = client_for(buyer).post(
        ORDERS, {"product": product.pk, "quantity": 6, "key": "beyond-0000001"}, format="json"
    )
    assert answer.status_code == 400 and "库存只剩 5 件" in answer.json()["detail"]
    assert state(product) == before
    poor = make_user("poor-buyer")
    answer = client_for(poor).post(
        ORDERS, {"product": product.pk, "quantity": 1, "key": "poor-00000001"}, format="json"
    )
    assert answer.status_code == 400 and "余额不足" in answer.json()["detail"]
    assert state(product) == before  # the stock taken was put back with the rollback


def test_orders_for_missing_own_or_external_products_are_refused(
    product, seller, selling_post, client_for, fund, make_user
):
    fund(seller, 10_000)
    buyer = make_user("ext-buyer")
    fund(buyer, 10_000)
    before = state(product)
    own = client_for(seller).post(
        ORDERS, {"product": product.pk, "key": "own-000000001"}, format="json"
    )
    assert own.status_code == 400 and "自己的商品" in own.json()["detail"]
    missing = client_for(buyer).post(
        ORDERS, {"product": 999_999, "key": "missing-00001"}, format="json"
    )
    assert missing.status_code == 404
    external = services.product_create(
        seller=seller,
        post=selling_post,
        title="外链锅",
        price=100,
        stock=0,
        checkout="external",
        external_url="https://shop.example/pot",
    )
    ext = client_for(buyer).post(
        ORDERS, {"product": external.pk, "key": "external-0001"}, format="json"
    )
    assert ext.status_code == 400 and "外部链接" in ext.json()["detail"]
    assert state(product)[1:] == before[1:]


def test_orders_need_an_account(product, api):
    assert (
        api.post(ORDERS, {"product": product.pk, "key": "anon-00000001"}, format="json").status_code
        == 401
    )
    assert api.get(ORDERS).status_code == 401
    assert (
        api.post(
            PRODUCTS, {"post": product.post_id, "title": "x", "price": 1, "stock": 1}, format="json"
        ).status_code
        == 401
    )


@pytest.mark.django_db(transaction=True)
def test_concurrent_orders_for_the_last_item_sell_it_once(seller, selling_post, make_user, fund):
    product = services.product_create(
        seller=seller, post=selling_post, title="最后一件", price=500, stock=1
    )
    buyers = [make_user(f"racer{i}") for i in range(4)]
    for b in buyers:
        fund(b, 1000)
    barrier = threading.Barrier(len(buyers))
    outcomes: list[str] = []

    def buy(buyer):
        try:
            barrier.wait()
            services.order_create(
                buyer=buyer, product_id=product.pk, quantity=1, key=f"race-{buyer.pk:08d}"
            )
            outcomes.append("ok")
        except Exception as exc:  # the losers are refused with a clear message
            outcomes.append(str(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=buy, args=(b,)) for b in buyers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 1, outcomes
    assert all("已售罄" in o for o in outcomes if o != "ok"), outcomes
    product.refresh_from_db()
    assert product.stock == 0 and Order.objects.count() == 1
    assert sorted(balance_of(b) for b in buyers) == [500, 1000, 1000, 1000]
    assert all(balance_of(b) == ledger_sum(b) for b in buyers)


# ---------------------------------------------------------------- signals
def test_clicks_and_orders_count_once_per_person_and_teach_buying_interest(
    product, make_user, client_for, fund, committed
):
    buyer = make_user("curious")
    fund(buyer, 10_000)
    api = client_for(buyer)
    with committed():
        assert api.post(f"{PRODUCTS}{product.pk}/open/").json()["first"] is True
        assert api.post(f"{PRODUCTS}{product.pk}/open/").json()["first"] is False
    assert ProductEvent.objects.filter(kind="click").count() == 1
    buy = InterestAffinity.objects.get(
        user=buyer, kind=InterestAffinity.Kind.BUY, key=product.channel_id
    )
    assert buy.score == 4.0  # one click's weight, not two
    with committed():
        api.post(
            ORDERS, {"product": product.pk, "quantity": 1, "key": "sig-00000001"}, format="json"
        )
        api.post(
            ORDERS, {"product": product.pk, "quantity": 1, "key": "sig-00000002"}, format="json"
        )
    buy.refresh_from_db()
    assert buy.score == 4.0 + 8.0  # the first order only
    figures = selectors.figures(product_ids=[product.pk])[product.pk]
    assert (figures.clicks, figures.orders, figures.items, figures.gmv) == (1, 1, 2, 2 * 1999)


def test_impressions_count_people_and_skip_the_seller(product, seller, make_user, client_for):
    viewer = make_user("viewer")
    for who in (viewer, viewer, seller):
        client_for(who).post(f"{PRODUCTS}seen/", {"products": [product.pk]}, format="json")
    assert selectors.figures(product_ids=[product.pk])[product.pk].impressions == 1


def test_the_pools_learn_orders_of_a_selling_post_in_its_tier(
    product, selling_post, make_user, fund
):
    entry = PoolEntry.objects.get(post=selling_post)
    buyers = [make_user(f"b{i}") for i in range(3)]
    for i, b in enumerate(buyers):
        fund(b, 5000)
        services.order_create(buyer=b, product_id=product.pk, quantity=1, key=f"tier-{i:08d}")
    services.order_create(buyer=buyers[0], product_id=product.pk, quantity=1, key="tier-again-01")
    assert selectors.orders_in_tier(since={selling_post.pk: entry.tier_entered_at}) == {
        selling_post.pk: 3
    }


# ---------------------------------------------------------------- the admin
def test_a_moderator_removes_a_product_in_the_admin_with_a_reason(
    product, selling_post, client, make_user
):
    from django.contrib.auth.models import Permission

    moderator = make_user("admin-mod")
    moderator.is_staff = True
    moderator.save()
    client.force_login(moderator)
    url = "/admin/commerce/product/"
    body = {"action": "remove_products", "_selected_action": [product.pk], "reason": "虚假宣传"}
    assert client.post(url, body).status_code == 403  # no moderation permission yet
    moderator.user_permissions.add(
        Permission.objects.get(codename="moderate_post"),
        Permission.objects.get(codename="view_product"),
    )
    client.post(
        url, {**body, "reason": ""}, follow=True
    )  # a removal without a reason changes nothing
    product.refresh_from_db()
    assert product.is_live and not AuditEntry.objects.exists()
    client.post(url, body, follow=True)
    product.refresh_from_db()
    assert product.status == "removed" and product.status_reason == "虚假宣传"
    assert AuditEntry.objects.get().moderator == moderator
    assert not PoolEntry.objects.get(post=selling_post).selling


def test_my_shop_figures_page_by_selling_post_newest_first(
    seller, product, publish, client_for, django_assert_max_num_queries
):
    """Every selling post appears once across the pages, each with its products' figures,
    and a page costs the same queries however many posts the shop has."""
    titles = []
    for n in range(3):
        post = publish(seller, "food", title=f"第{n}篇 开箱")
        services.product_create(seller=seller, post=post, title=f"锅{n}", price=100, stock=1)
        titles.append(post.pk)
    api = client_for(seller)
    seen, cursor = [], None
    while True:
        query = "size=2" + (f"&cursor={cursor}" if cursor else "")
        with django_assert_max_num_queries(12):
            page = api.get(f"/api/v1/creator/shop/?{query}").json()
        seen += [(row["post"], [p["title"] for p in row["products"]]) for row in page["results"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert [post for post, _ in seen] == sorted(titles + [product.post_id], reverse=True)
    assert dict(seen)[product.post_id] == ["铸铁锅"]


@pytest.mark.parametrize("cursor", ["5", "abc", "9" * 40])
def test_my_shop_refuses_a_cursor_it_did_not_sign(seller, product, client_for, cursor):
    """The shop's cursor is a signed token like every list's: a post id typed by hand is
    the same 400 as any other cursor that is not one of ours."""
    answer = client_for(seller).get(f"/api/v1/creator/shop/?cursor={cursor}")
    assert answer.status_code == 400
    assert list(answer.json()["errors"]) == ["cursor"]


@pytest.mark.parametrize("post", ["128661337444161536000", "abc", "0"])
def test_a_bad_post_filter_is_a_400_not_a_server_error(product, api, post):
    """Found by bin/fuzz: a post id beyond 64 bits overflowed the database."""
    answer = api.get(f"{PRODUCTS}?post={post}&seller=seller")
    assert answer.status_code == 400
    assert list(answer.json()["errors"]) == ["post"]


def test_products_narrow_by_post_and_seller(product, api):
    assert [p["id"] for p in api.get(f"{PRODUCTS}?post={product.post_id}").json()["results"]] == [product.pk]
    assert api.get(f"{PRODUCTS}?seller=nobody").json()["results"] == []
