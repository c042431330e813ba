"""The admin: an operator can open every list and every record; others are kept out."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.auth.models import Group
from django.urls import reverse
from rest_framework.authtoken.models import Token

from accounts import services as account_services
from accounts.models import User
from boosts import services as boosts
from content import services
from content.models import Channel, Post, ReviewRequest, Tag
from moderation import services as moderation

pytestmark = pytest.mark.django_db


def _admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def operator(channels):
    return User.objects.create_superuser("operator", "ops@example.com", "ops-pass-12345")


@pytest.fixture
def admin_client_for(client, operator):
    client.force_login(operator)
    return client


@pytest.fixture
def world(make_user, make_post, operator, tmp_path, settings):
    """One of every kind of record the admin shows."""
    author = make_user("xiaohong", display_name="小红", region="上海")
    reader = make_user("reader", display_name="读者")
    other = make_user("other")
    coffee = make_post(author, title="上海咖啡探店", body="手冲咖啡很好喝", tags=["咖啡"])
    hotpot = make_post(author, title="成都火锅", body="麻辣鲜香", channel="food", tags=["火锅"])
    account_services.follow_create(follower=reader, followee=author)
    account_services.block_create(blocker=other, blocked=reader)
    services.like_create(user=reader, post=coffee)
    services.favourite_create(user=reader, post=coffee)
    comment = services.comment_create(user=reader, post=coffee, body="看起来好好喝")
    services.comment_create(user=author, post=coffee, body="谢谢！", parent=comment)
    services.report_create(user=reader, post=hotpot, reason="spam", detail="广告")
    services.not_interested_create(user=reader, kind="post", post=hotpot)
    services.share_create(user=reader, post=coffee)
    services.events_ingest(
        user=reader, events=[{"post": coffee.pk, "seconds": 12.5, "completed": True}]
    )
    # A burst of engagement: more events from the reader in a minute than 3.
    settings.ENGINE = {**settings.ENGINE, "ENGAGEMENT_BURST_ACCOUNT_EVENTS": 3}
    services.events_ingest(user=reader, events=[{"post": coffee.pk, "seconds": 0}] * 5)
    Token.objects.get_or_create(user=reader)
    # Searches: one in the history, a hot one, one moderators took down.
    from search import services as search_services

    for person in (reader, author, other):
        search_services.search_record(user=person, query="火锅")
    search_services.hot_searches_recompute()
    search_services.hot_search_block(query="谣言", by=operator)
    Group.objects.create(name="moderators 审核员")
    ReviewRequest.objects.create(post=hotpot, source=ReviewRequest.Source.REPORTS, reason="reported")
    moderation.hot_remove(post=coffee, moderator=operator, reason="not for the hot list")
    boosts.topup(user=author, amount=5000, key="admin-world-topup")
    boosts.boost_create(buyer=author, post=coffee, budget=1000, hours=24,
                        targeting=boosts.Targeting("interests", channels=["food"]))
    # Notifications: the ones above delivered, one more waiting in the outbox, a mute.
    from notifications.services import notification_settings_update, outbox_deliver

    outbox_deliver()
    services.like_create(user=other, post=hotpot)
    notification_settings_update(user=author, mute_system=True)

    # A shop, a product seen, opened and ordered.
    from commerce import services as commerce

    commerce.shop_grant(user=author, granted_by=operator, name="小红的店")
    product = commerce.product_create(seller=author, post=hotpot, title="火锅底料", price=2900, stock=9)
    commerce.product_seen(user=reader, products=[product])
    commerce.product_opened(user=reader, product=product)
    boosts.topup(user=reader, amount=5000, key="admin-world-reader")
    commerce.order_create(buyer=reader, product_id=product.pk, quantity=1, key="admin-world-order")
    return {"coffee": coffee, "hotpot": hotpot, "author": author}


def test_every_registered_model_has_a_working_list_and_change_page(admin_client_for, world):
    problems = []
    checked = 0
    for model, model_admin in admin.site._registry.items():
        label = f"{model._meta.app_label}.{model._meta.model_name}"
        changelist = admin_client_for.get(_admin_url(model, "changelist"))
        if changelist.status_code != 200:
            problems.append(f"{label} changelist: {changelist.status_code}")
            continue
        obj = model._default_manager.all().first()
        if obj is None:
            problems.append(f"{label}: the test world has no row to open")
            continue
        change = admin_client_for.get(_admin_url(model, "change", quote(obj.pk)))
        if change.status_code != 200:
            problems.append(f"{label} change page: {change.status_code}")
        request = change.wsgi_request
        if model_admin.has_add_permission(request):
            add = admin_client_for.get(_admin_url(model, "add"))
            if add.status_code != 200:
                problems.append(f"{label} add page: {add.status_code}")
        checked += 1
    assert not problems, problems
    assert checked == len(admin.site._registry)
    for label in (
        "accounts.user",
        "content.post",
        "content.comment",
        "content.like",
        "content.report",
    ):
        assert label in {f"{m._meta.app_label}.{m._meta.model_name}" for m in admin.site._registry}


def test_the_post_change_page_shows_its_images_tags_and_counters(admin_client_for, world):
    coffee = world["coffee"]
    page = admin_client_for.get(_admin_url(Post, "change", coffee.pk)).content.decode()
    assert "上海咖啡探店" in page
    assert '<img src="/media/images/' in page  # the image preview inline
    assert "咖啡" in page


def test_searching_posts_with_a_chinese_word(admin_client_for, world):
    response = admin_client_for.get(_admin_url(Post, "changelist"), {"q": "咖啡"})
    assert response.status_code == 200
    found = list(response.context["cl"].result_list)
    assert found == [world["coffee"]]
    page = response.content.decode()
    assert "上海咖啡探店" in page
    assert "成都火锅" not in page

    by_body = admin_client_for.get(_admin_url(Post, "changelist"), {"q": "麻辣"})
    assert list(by_body.context["cl"].result_list) == [world["hotpot"]]

    nothing = admin_client_for.get(_admin_url(Post, "changelist"), {"q": "不存在的词"})
    assert list(nothing.context["cl"].result_list) == []


def test_searching_people_by_chinese_display_name(admin_client_for, world):
    response = admin_client_for.get(_admin_url(User, "changelist"), {"q": "小红"})
    assert response.status_code == 200
    assert [u.username for u in response.context["cl"].result_list] == ["xiaohong"]


def test_filtering_posts_by_status(admin_client_for, world):
    Post.objects.filter(pk=world["hotpot"].pk).update(status=Post.Status.REMOVED)
    response = admin_client_for.get(_admin_url(Post, "changelist"), {"status__exact": "removed"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [world["hotpot"]]


def test_an_operator_can_take_a_post_down_from_the_admin(admin_client_for, world):
    """Through the remove action (status is read-only in the form: changes are audited)."""
    hotpot = world["hotpot"]
    form = admin_client_for.get(_admin_url(Post, "change", hotpot.pk)).context["adminform"].form
    assert "status" not in form.fields
    response = admin_client_for.post(
        _admin_url(Post, "changelist"),
        {"action": "remove_posts", "_selected_action": [hotpot.pk], "index": 0, "reason": "spam"},
    )
    assert response.status_code == 302
    hotpot.refresh_from_db()
    assert hotpot.status == Post.Status.REMOVED
    assert hotpot.status_reason == "spam"


def test_a_regular_member_is_sent_to_the_admin_login(client, make_user):
    client.force_login(make_user("plain"))
    for url in ("/admin/", _admin_url(Post, "changelist"), _admin_url(User, "changelist")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url


def test_a_visitor_is_sent_to_the_admin_login(client, channels):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_admin_link_shows_only_for_staff(client, make_user, operator):
    client.force_login(make_user("plain2"))
    assert 'data-testid="admin-link"' not in client.get("/").content.decode()
    client.force_login(operator)
    User.objects.filter(pk=operator.pk).update(onboarded_at="2024-01-01T00:00:00Z")
    assert 'data-testid="admin-link">管理<' in client.get("/").content.decode()


def test_a_video_post_opens_in_the_admin(admin_client_for, make_post, video_file):
    video = make_post(title="西湖骑行 vlog", kind="video", video=video_file(), images=[])
    response = admin_client_for.get(_admin_url(Post, "change", video.pk))
    assert response.status_code == 200
    assert "西湖骑行 vlog" in response.content.decode()
    assert "/media/videos/" in response.content.decode()


def test_deleting_a_post_in_the_admin_keeps_the_authors_post_count_right(
    admin_client_for, world, client
):
    author, hotpot = world["author"], world["hotpot"]
    author.refresh_from_db()
    assert author.post_count == 2
    response = admin_client_for.post(_admin_url(Post, "delete", hotpot.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Post.objects.filter(pk=hotpot.pk).exists()

    # What a visitor notices on the profile: one post left, and the count says one.
    author.refresh_from_db()
    assert author.post_count == Post.objects.filter(author=author).count() == 1
    assert Tag.objects.get(name="火锅").post_count == 0


def test_deleting_a_like_in_the_admin_never_leaves_the_like_count_wrong(admin_client_for, world):
    """Either the admin refuses to delete interaction rows, or the count follows the rows."""
    from content.models import Like

    coffee = world["coffee"]
    like = Like.objects.get(post=coffee)
    admin_client_for.post(_admin_url(Like, "delete", like.pk), {"post": "yes"})
    coffee.refresh_from_db()
    assert coffee.like_count == Like.objects.filter(post=coffee).count()


def test_a_moderator_stops_a_boost_from_the_admin_with_a_refund(client, make_user, world):
    from boosts.models import Boost

    moderator = make_user("boost-moderator")
    moderator.is_staff = True
    moderator.save(update_fields=["is_staff"])
    moderator.groups.add(Group.objects.get(name="moderator"))
    client.force_login(moderator)
    boost = Boost.objects.get()
    url = reverse("admin:boosts_boost_changelist")
    data = {"action": "stop_boosts", "_selected_action": [boost.pk], "index": 0}
    refused = client.post(url, data, follow=True)  # no reason: refused, nothing changes
    assert "请填写停止推广的原因" in refused.content.decode()
    boost.refresh_from_db()
    assert boost.status == Boost.Status.ACTIVE
    client.post(url, {**data, "reason": "虚假宣传"})
    boost.refresh_from_db()
    assert boost.status == Boost.Status.STOPPED_BY_MODERATION and boost.refunded == boost.cost
    assert boosts.balance_of(world["author"]) == 5000
    assert client.get(reverse("admin:boosts_ledgerentry_changelist")).status_code == 403  # not theirs to see


def test_follows_blocks_and_not_interested_edited_in_the_admin_act_as_the_apps_own(
    admin_client_for, make_user, publish, client_for, committed
):
    """A follow or a block added or deleted in the admin, or a "not interested" taken
    back there, does what the app's own buttons do: the counts, the follow feed and the
    viewer's channel feed follow at once, not when a kept copy expires."""
    from accounts.models import Block, Follow
    from content.models import NotInterested

    fan, author = make_user("fan"), make_user("author")
    post = publish(author, "food")
    api = client_for(fan)

    def follow_feed() -> list[int]:
        return [r["post"]["id"] for r in api.get("/api/v1/feeds/follow/").json()["results"]]

    def food_feed() -> list[int]:
        return [r["post"]["id"] for r in api.get("/api/v1/feeds/channels/food/").json()["results"]]

    with committed():
        response = admin_client_for.post(_admin_url(Follow, "add"), {"follower": fan.pk, "followee": author.pk})
    assert response.status_code == 302
    fan.refresh_from_db()
    author.refresh_from_db()
    assert (fan.following_count, author.follower_count) == (1, 1)
    assert follow_feed() == [post.pk]

    # The app's own refusals, with its words; nothing is saved.
    response = admin_client_for.post(_admin_url(Follow, "add"), {"follower": fan.pk, "followee": fan.pk})
    assert response.status_code == 200 and "不能关注自己。" in response.content.decode()
    response = admin_client_for.post(_admin_url(Block, "add"), {"blocker": fan.pk, "blocked": fan.pk})
    assert response.status_code == 200 and "不能拉黑自己。" in response.content.decode()
    assert Follow.objects.count() == 1 and not Block.objects.exists()

    assert post.pk in food_feed()  # the fan's exclusions are now kept in Redis
    with committed():
        response = admin_client_for.post(_admin_url(Block, "add"), {"blocker": fan.pk, "blocked": author.pk})
    assert response.status_code == 302
    assert post.pk not in food_feed() and follow_feed() == []
    fan.refresh_from_db()
    assert fan.following_count == 0 and not Follow.objects.exists()

    with committed():
        response = admin_client_for.post(_admin_url(Block, "delete", Block.objects.get().pk), {"post": "yes"})
    assert response.status_code == 302 and not Block.objects.exists()
    assert post.pk in food_feed()

    with committed():
        services.not_interested_create(user=fan, kind="author", author=author)
    assert post.pk not in food_feed()
    choice = NotInterested.objects.get(user=fan)
    with committed():
        response = admin_client_for.post(_admin_url(NotInterested, "delete", choice.pk), {"post": "yes"})
    assert response.status_code == 302 and not NotInterested.objects.exists()
    assert post.pk in food_feed()


def _change_form_data(page) -> dict:
    """Return what a browser would post back for an admin change page left as it is."""
    from django import forms

    data: dict = {}
    bound = [*page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        bound += [*formset.management_form, *(bf for f in formset.forms for bf in f)]
    for bf in bound:
        value, widget = bf.value(), bf.field.widget
        if bf.field.disabled or value is None or value is False:
            continue
        if isinstance(widget, forms.MultiWidget):
            for i, part in enumerate(widget.decompress(value)):
                data[f"{bf.html_name}_{i}"] = "" if part is None else str(part)
        elif value is True:
            data[bf.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bf.html_name] = [str(v) for v in value]
        else:
            data[bf.html_name] = str(value)
    return data


def test_interest_picks_edited_on_a_users_admin_page_seed_their_feed(
    admin_client_for, make_user, publish, person, client_for, committed
):
    """A channel an operator adds to someone's picks counts as one they picked at
    sign-up: its posts reach their discover feed as an interest, not as exploration."""
    from accounts.models import InterestPick

    gamer = make_user("gamer")
    games = {publish(gamer, "games").pk for _ in range(3)}
    reader = person("reader", ["food", "travel", "pets"])
    url = _admin_url(User, "change", reader.pk)
    data = _change_form_data(admin_client_for.get(url))
    prefix = next(k for k in data if k.endswith("-TOTAL_FORMS")).removesuffix("-TOTAL_FORMS")
    n = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(n + 1)
    data[f"{prefix}-{n}-channel"] = str(Channel.objects.get(slug="games").pk)
    with committed():
        response = admin_client_for.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert InterestPick.objects.filter(user=reader, channel__slug="games").exists()

    results = client_for(reader).get("/api/v1/feeds/discover/?size=20").json()["results"]
    sources = {r["source"] for r in results if r["post"]["id"] in games}
    assert sources and not sources & {"explore", "reserve"}, sources
