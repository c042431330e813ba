"""Paid boosts as creators and viewers meet them: wallet, orders, delivery, refunds.

Delivery goes through the real discover feed service (the page a client gets), the real
Redis server and, for the end of a boost, the real Celery task code.
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from boosts import services as boosts
from boosts.models import Boost, BoostImpression, LedgerEntry, Wallet
from boosts.tasks import close_boosts
from content.models import Event, Post
from feeds.models import PoolEntry
from feeds.services.discover import discover_page

pytestmark = pytest.mark.django_db

BOOSTS = "/api/v1/boosts/"
TOPUPS = "/api/v1/wallet/topups/"
FOOD_PICKS = ["food", "travel", "pets"]
OTHER_PICKS = ["tech", "games", "music"]


def fund(user, amount: int, key: str | None = None) -> None:
    boosts.topup(user=user, amount=amount, key=key or f"fund-{user.pk}-{amount}")


def order(client, post, **fields):
    data = {"post": post.pk, "budget": 1000, "hours": 24, "targeting": "interests", "channels": ["food"]}
    data.update(fields)
    return client.post(BOOSTS, data, format="json")


def ledger_sum(user) -> int:
    return sum(LedgerEntry.objects.filter(user=user).values_list("amount", flat=True))


@pytest.fixture
def organic(make_user, publish):
    """Enough organic posts (in many channels) to fill a few discover pages."""
    authors = [make_user(f"organic{i}") for i in range(8)]
    slugs = ["food", "baking", "restaurants", "home-cooking", "tech", "games", "music", "pets", "travel", "film"]
    return [publish(authors[i % 8], slugs[i % len(slugs)]) for i in range(55)]


@pytest.fixture
def creator(make_user, publish):
    """A creator whose film post stalled in the base pool: what a boost is for. Food
    lovers would hardly meet it by themselves; the boosts below target them."""
    author = make_user("boost-creator")
    post = publish(author, "film", title="红烧肉做法", tags=["纪录片"])
    PoolEntry.objects.filter(post=post).update(state=PoolEntry.State.STOPPED)
    return author, post


def scroll(user, pages: int, size: int = 20, token: str | None = None):
    """Scroll the discover feed; return the items in order and the last cursor."""
    items = []
    for _ in range(pages):
        page = discover_page(user, token, size=size)
        items += page.items
        token = page.next_cursor
        if token is None:
            break
    return items, token


# ---------------------------------------------------------------- wallet
def test_a_retried_top_up_with_the_same_key_charges_once(make_user, client_for):
    api = client_for(make_user("payer"))
    first = api.post(TOPUPS, {"amount": 5000, "key": "order-7f3a-0001"}, format="json")
    again = api.post(TOPUPS, {"amount": 5000, "key": "order-7f3a-0001"}, format="json")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    wallet = api.get("/api/v1/wallet/").json()
    assert wallet["balance"] == 5000 and len(wallet["results"]) == 1
    other = api.post(TOPUPS, {"amount": 9000, "key": "order-7f3a-0001"}, format="json")
    assert other.status_code == 400 and "金额不同" in other.json()["detail"]
    assert api.get("/api/v1/wallet/").json()["balance"] == 5000


@pytest.mark.parametrize("body", [{"amount": 0, "key": "k-000000001"}, {"amount": 100, "key": "short"},
                                  {"amount": -50, "key": "k-000000002"}, {"amount": 100}])
def test_a_bad_top_up_is_refused_and_changes_nothing(make_user, client_for, body):
    user = make_user("bad-payer")
    response = client_for(user).post(TOPUPS, body, format="json")
    assert response.status_code == 400, response.content
    assert not LedgerEntry.objects.exists() and boosts.balance_of(user) == 0


def test_the_wallet_is_private(make_user, client_for, api):
    owner = make_user("owner")
    fund(owner, 1000)
    assert api.get("/api/v1/wallet/").status_code == 401
    assert client_for(make_user("snoop")).get("/api/v1/wallet/").json()["balance"] == 0


@pytest.mark.django_db(transaction=True)
def test_two_orders_racing_for_the_last_credits_cannot_overdraw(make_user, publish, channels):
    author = make_user("racer")
    posts = [publish(author, "food"), publish(author, "food")]
    fund(author, 1000)  # exactly one 1 000-impression boost
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def buy(post):
        try:
            barrier.wait()
            boosts.boost_create(buyer=author, post=post, budget=1000, hours=24,
                                targeting=boosts.Targeting("interests", channels=["food"]))
            outcomes.append("ok")
        except Exception as exc:  # the loser is refused with a clear message
            outcomes.append(str(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=buy, args=(p,)) for p in posts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 1, outcomes
    assert any("余额不足" in o for o in outcomes), outcomes
    assert Boost.objects.count() == 1
    assert Wallet.objects.get(user=author).balance == 0 == ledger_sum(author)


# ---------------------------------------------------------------- orders
def test_invalid_orders_are_refused_and_charge_nothing(make_user, publish, client_for, creator, committed):
    author, post = creator
    fund(author, 2000)
    api = client_for(author)
    someone = publish(make_user("someone-else"), "food")
    removed = publish(author, "food")
    Post.objects.filter(pk=removed.pk).update(status=Post.Status.REMOVED)
    cases = [
        (order(api, someone), 403, "只能推广自己的笔记"),
        (order(api, removed), 400, "未被限流或删除"),
        (order(api, post, budget=5000), 400, "余额不足"),
        (order(api, post, budget=10), 400, "100 到 100000 次曝光"),
        (order(api, post, hours=0), 400, "1 到 168 小时"),
        (order(api, post, targeting="place", lat=31.2, lng=121.5, radius_km=9000), 400, "半径须在 1 到 500 公里"),
        (order(api, post, targeting="place", lat=123, lng=121.5, radius_km=5), 400, "纬度"),
        (order(api, post, channels=["no-such-channel"]), 400, "没有这些频道"),
        (order(api, post, targeting="followers", channels=[]), 400, "粉丝还没有可参照的兴趣"),
    ]
    for response, status, words in cases:
        assert response.status_code == status, (words, response.content)
        assert words in response.json()["detail"], response.json()
    assert not Boost.objects.exists()
    assert boosts.balance_of(author) == 2000 == ledger_sum(author)


def test_an_order_charges_its_price_through_the_ledger(creator, client_for):
    author, post = creator
    fund(author, 3000)
    response = order(client_for(author), post, budget=2000)
    assert response.status_code == 201, response.content
    assert response.json()["cost"] == 2000  # 1 000 credits per 1 000 impressions
    assert boosts.balance_of(author) == 1000 == ledger_sum(author)
    assert LedgerEntry.objects.filter(user=author, kind="charge", amount=-2000).exists()


# ---------------------------------------------------------------- delivery
def test_a_1000_impression_boost_over_a_day_delivers_1000_only_to_its_targeting(
    organic, creator, person, settings
):
    author, post = creator
    fund(author, 1000)
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False) as clock:
        boost = boosts.boost_create(buyer=author, post=post, budget=1000, hours=24,
                                    targeting=boosts.Targeting("interests", channels=["food"]))
        fans = [person(f"eater{i}", FOOD_PICKS) for i in range(384)]
        others = [person(f"coder{i}", OTHER_PICKS) for i in range(48)]
        # Through the day each fan opens the app three times, 8 hours apart, and reads a
        # page; each of the others once. 48 half-hour waves.
        waves = [[fan for f, fan in enumerate(fans) if f % 16 == n % 16] + others[n : n + 1] for n in range(48)]
        for n, wave in enumerate(waves):
            clock.move_to(start + timedelta(minutes=30 * n + 29))
            for viewer in wave:
                discover_page(viewer, size=20)
        clock.move_to(start + timedelta(hours=24, minutes=1))
        close_boosts()  # the real task: the boost is over, the rest refunded

    boost.refresh_from_db()
    assert 980 <= boost.delivered <= 1000, boost.delivered
    viewers = set(BoostImpression.objects.filter(boost=boost).values_list("user_id", flat=True))
    assert viewers <= {u.pk for u in fans}, "delivered outside the targeting"
    # Paced evenly: no half-hour wave delivered much more than its share (~21).
    # (One post is promoted at most once per page, and a viewer sees a boost at most
    # BOOST_FREQUENCY_CAP = 3 times.)
    per_wave = Counter(int((t - start).total_seconds() // 1800)
                       for t in BoostImpression.objects.filter(boost=boost).values_list("created_at", flat=True))
    assert max(per_wave.values()) <= 1000 / 48 + 12, per_wave
    assert boost.status in (Boost.Status.COMPLETED, Boost.Status.EXPIRED)
    assert boost.refunded == 1000 - boost.delivered
    assert boosts.balance_of(author) == boost.refunded == ledger_sum(author)
    # Paid impressions are counted apart: none of them is an organic impression event.
    organic_views = Event.objects.filter(post=post, kind=Event.Kind.IMPRESSION).count()
    assert organic_views < boost.delivered / 2, organic_views


def test_no_viewer_sees_a_boost_more_than_the_cap_nor_two_boosted_items_within_ten(
    organic, make_user, publish, person, settings
):
    settings.ENGINE = {**settings.ENGINE, "BOOST_FREQUENCY_CAP": 2}
    first, second = make_user("brand-a"), make_user("brand-b")
    ads = [publish(first, "food", title="火锅店开业"), publish(second, "baking", title="面包店新品")]
    for author, post in zip((first, second), ads, strict=True):
        fund(author, 1000)
        boosts.boost_create(buyer=author, post=post, budget=500, hours=1,
                            targeting=boosts.Targeting("interests", channels=["food"]))
    viewer = person("scroller", FOOD_PICKS)
    with time_machine.travel(timezone.now() + timedelta(minutes=59), tick=False):  # the whole budget is due
        items, token = scroll(viewer, pages=2)
        more, _ = scroll(viewer, pages=2)  # a new session later: the spacing carries over
    stream = items + more
    promoted = [i for i, item in enumerate(stream) if item.promoted]
    assert len(promoted) == 4, promoted  # two boosts × cap 2, then no more
    assert all(b - a >= 10 for a, b in zip(promoted, promoted[1:], strict=False)), promoted
    per_boost = Counter(BoostImpression.objects.filter(user=viewer).values_list("boost_id", flat=True))
    assert set(per_boost.values()) == {2}
    assert all(stream[i].source == "boost" for i in promoted)


def test_boosted_items_are_marked_in_the_api_and_labelled_on_the_web(organic, creator, person, client_for, client):
    author, post = creator
    fund(author, 1000)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        boosts.boost_create(buyer=author, post=post, budget=100, hours=1,
                            targeting=boosts.Targeting("interests", channels=["food"]))
        clock.shift(timedelta(minutes=59))
        viewer = person("api-viewer", FOOD_PICKS)
        results = client_for(viewer).get("/api/v1/feeds/discover/?size=20").json()["results"]
        promoted = [r for r in results if r["promoted"]]
        assert [r["post"]["id"] for r in promoted] == [post.pk] and promoted[0]["source"] == "boost"
        web_viewer = person("web-viewer", FOOD_PICKS)
        client.force_login(web_viewer)
        page = client.get("/").content.decode()
    assert 'data-testid="promoted"' in page and "推广" in page and "Promoted" not in page


def test_a_boost_impression_is_not_an_organic_one_and_its_likes_do_not_fill_the_pools(
    organic, creator, person, committed
):
    from content import services as content
    from feeds.services.pools import tier_counts

    author, post = creator
    fund(author, 1000)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        boosts.boost_create(buyer=author, post=post, budget=100, hours=1,
                            targeting=boosts.Targeting("interests", channels=["food"]))
        clock.shift(timedelta(minutes=59))
        viewer = person("liker", FOOD_PICKS)
        page = discover_page(viewer, size=20)
    assert post.pk in [i.post.pk for i in page.items if i.promoted]
    with committed():
        content.like_create(user=viewer, post=post)
    counts = tier_counts([post.pk]).get(post.pk)
    assert counts is None or (counts.impressions == 0 and counts.likes == 0)
    post.refresh_from_db()
    assert post.like_count == 1  # still a like everyone sees
    assert Event.objects.get(post=post, user=viewer, kind=Event.Kind.LIKE).source == "boost"


# ---------------------------------------------------------------- the end
def test_a_stopped_boost_refunds_exactly_the_unspent_part(organic, creator, person, client_for):
    author, post = creator
    fund(author, 1500)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        boost = boosts.boost_create(buyer=author, post=post, budget=1000, hours=1,
                                    targeting=boosts.Targeting("interests", channels=["food"]))
        clock.shift(timedelta(minutes=50))
        for i in range(3):
            scroll(person(f"watcher{i}", FOOD_PICKS), pages=2)
        response = client_for(author).post(f"{BOOSTS}{boost.pk}/stop/")
    assert response.status_code == 200, response.content
    body = response.json()
    delivered = body["delivered"]
    assert delivered == BoostImpression.objects.filter(boost=boost).count() > 0
    assert body["status"] == "stopped" and body["refunded"] == 1000 - delivered
    assert boosts.balance_of(author) == 500 + 1000 - delivered == ledger_sum(author)
    assert client_for(author).post(f"{BOOSTS}{boost.pk}/stop/").status_code == 400  # already ended
    assert boosts.balance_of(author) == 500 + 1000 - delivered


def test_an_expired_boost_is_closed_by_the_task_with_a_refund(creator):
    author, post = creator
    fund(author, 1000)
    boost = boosts.boost_create(buyer=author, post=post, budget=1000, hours=1,
                                targeting=boosts.Targeting("interests", channels=["food"]))
    Boost.objects.filter(pk=boost.pk).update(delivered=250)
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
        assert close_boosts() == {"completed": 0, "expired": 1}
    boost.refresh_from_db()
    assert boost.status == Boost.Status.EXPIRED and boost.refunded == 750
    assert boosts.balance_of(author) == 750 == ledger_sum(author)
    assert close_boosts() == {"completed": 0, "expired": 0}  # refunded once only
    assert LedgerEntry.objects.filter(boost=boost, kind="refund").count() == 1


def test_someone_else_cannot_see_or_stop_my_boost(creator, make_user, client_for):
    author, post = creator
    fund(author, 1000)
    boost = boosts.boost_create(buyer=author, post=post, budget=500, hours=2,
                                targeting=boosts.Targeting("interests", channels=["food"]))
    intruder = client_for(make_user("intruder"))
    assert intruder.get(f"{BOOSTS}{boost.pk}/").status_code == 404
    assert intruder.post(f"{BOOSTS}{boost.pk}/stop/").status_code == 404
    boost.refresh_from_db()
    assert boost.status == Boost.Status.ACTIVE


def test_a_removed_posts_boost_stops_and_refunds(creator, make_user, committed):
    from django.contrib.auth.models import Group

    from moderation import services as moderation

    author, post = creator
    fund(author, 1000)
    boost = boosts.boost_create(buyer=author, post=post, budget=800, hours=24,
                                targeting=boosts.Targeting("interests", channels=["food"]))
    Boost.objects.filter(pk=boost.pk).update(delivered=100)
    mod = make_user("boost-mod")
    mod.is_staff = True
    mod.save()
    mod.groups.add(Group.objects.get(name="moderator"))
    with committed():
        moderation.post_remove(post=post, moderator=mod, reason="虚假宣传")
    boost.refresh_from_db()
    assert boost.status == Boost.Status.STOPPED_BY_MODERATION and "虚假宣传" in boost.status_reason
    assert boost.refunded == 700
    assert boosts.balance_of(author) == 200 + 700 == ledger_sum(author)


def test_deleting_a_boosted_post_refunds_and_keeps_the_report(creator, client_for):
    author, post = creator
    fund(author, 1000)
    boost = boosts.boost_create(buyer=author, post=post, budget=600, hours=24,
                                targeting=boosts.Targeting("interests", channels=["food"]))
    assert client_for(author).delete(f"/api/v1/posts/{post.pk}/").status_code == 204
    boost.refresh_from_db()
    assert boost.post_id is None and boost.status == Boost.Status.STOPPED
    assert boost.refunded == 600 and boosts.balance_of(author) == 1000
    report = client_for(author).get(f"{BOOSTS}{boost.pk}/").json()
    assert report["post_title"] == "红烧肉做法" and report["report"]["refunded"] == 600


@pytest.mark.parametrize(("n_posts", "first_page", "second_page"), [(30, 27, 20), (60, 27, 16)])
def test_a_discover_page_with_boosts_costs_an_exact_number_of_queries(
    n_posts, first_page, second_page, make_user, publish, person, client_for, django_assert_num_queries
):
    authors = [make_user(f"q{i}") for i in range(6)]
    slugs = ["food", "baking", "tech", "games", "music", "film"]
    for i in range(n_posts):
        publish(authors[i % 6], slugs[i % 6])
    for i in range(3):
        brand = make_user(f"brand{i}")
        fund(brand, 1000)
        boosts.boost_create(buyer=brand, post=publish(brand, "film"), budget=300, hours=1,
                            targeting=boosts.Targeting("interests", channels=["food"]))
    client = client_for(person("q-viewer", FOOD_PICKS))
    with time_machine.travel(timezone.now() + timedelta(minutes=59), tick=False):
        # Boost work on a page: live boosts, the viewer's profile, their caps, the cards,
        # one UPDATE per boosted slot (at most one per 10 items) and one bulk INSERT; the
        # exact counts are measured for each world size.
        with django_assert_num_queries(first_page):
            first = client.get("/api/v1/feeds/discover/?size=30").json()
        assert sum(r["promoted"] for r in first["results"]) >= 1
        with django_assert_num_queries(second_page):
            client.get(first["next"])


def test_the_boost_pages_belong_to_their_owner(creator, make_user, publish, client):
    author, post = creator
    fund(author, 1000)
    boost = boosts.boost_create(buyer=author, post=post, budget=500, hours=2,
                                targeting=boosts.Targeting("interests", channels=["food"]))
    for url in ("/wallet/", "/boosts/", f"/boosts/{boost.pk}/", f"/p/{post.pk}/boost/"):
        assert client.get(url).status_code == 302, url  # to the login page
    client.force_login(author)
    listing = client.get("/boosts/").content.decode()
    assert "红烧肉做法" in listing and "0 / 500" in listing
    assert "500" in client.get("/wallet/").content.decode()
    # A bad order on the web shows the reason and charges nothing.
    page = client.post(f"/p/{post.pk}/boost/", {"budget": 5000, "hours": 24, "targeting": "interests",
                                                "channels": ["food"]})
    assert page.status_code == 200 and "余额不足" in page.content.decode()
    assert boosts.balance_of(author) == 500 and Boost.objects.count() == 1
    client.force_login(make_user("nosy-neighbour"))
    assert client.get(f"/boosts/{boost.pk}/").status_code == 404
    assert client.post(f"/boosts/{boost.pk}/stop/").status_code == 404
    assert client.get(f"/p/{post.pk}/boost/").status_code == 403
    boost.refresh_from_db()
    assert boost.status == Boost.Status.ACTIVE


def test_live_boosts_kept_by_a_process_place_a_new_order_at_once_and_never_a_stopped_one(
    organic, creator, make_user, person, django_assert_num_queries
):
    # The live boosts a process read are reused for BOOST_LIVE_CACHE_SECONDS: a page
    # without a boost asks Redis for the version instead of the database for the list;
    # an order replaces the version (placed on the next page); a stop is refused by the
    # delivery's UPDATE even while the copy still lists the boost.
    from boosts import delivery

    author, post = creator
    viewer = person("kept", FOOD_PICKS)
    scroll(viewer, pages=1)  # reads the (empty) list and keeps it
    assert delivery._kept["boosts"] == []
    with django_assert_num_queries(0):
        assert delivery._live(timezone.now(), settings_engine()) == []
    fund(author, 1000)
    boost = boosts.boost_create(buyer=author, post=post, budget=500, hours=1,
                                targeting=boosts.Targeting("interests", channels=["food"]))
    with time_machine.travel(timezone.now() + timedelta(minutes=30), tick=False):
        items, _ = scroll(viewer, pages=1)
        assert any(i.promoted and i.post.pk == post.pk for i in items)
        boosts.boost_stop(boost=boost, actor=author)
        assert [b.pk for b in delivery._kept["boosts"]] == [boost.pk]  # still kept
        delivered = Boost.objects.get(pk=boost.pk).delivered
        later, _ = scroll(person("kept2", FOOD_PICKS), pages=2)
    assert not any(i.promoted for i in later)
    assert Boost.objects.get(pk=boost.pk).delivered == delivered


def settings_engine() -> dict:
    from django.conf import settings

    return settings.ENGINE
