"""The moderation panel as moderators, authors and viewers meet it.

Moderators act through the Django admin (the action bar of a list page, as a browser
posts it); the effect is checked where people notice it: the feeds served by the API,
the Redis structures the feeds read, the login page, the audit log.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from accounts import services as accounts
from content import services as content
from content.models import Post, Report, ReviewRequest
from feeds import stores
from feeds.models import AccountWeight, PoolEntry
from feeds.services.hot import hot_and_trending_recompute
from moderation.models import AuditEntry

pytestmark = pytest.mark.django_db

PASSWORD = "s3cret-pass-99"
POSTS = "/admin/content/post/"
USERS = "/admin/accounts/user/"
QUEUE = "/admin/moderation/queueitem/"
TRIAGE = "/admin/moderation/reportedpost/"
AUDIT = "/admin/moderation/auditentry/"


def ids_of(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["post"]["id"] for item in response.json()["results"]]


@pytest.fixture
def act(committed):
    """Post the admin action bar as the browser does (committing, so the Redis updates
    run as in production); return the page it leads to."""

    def post(client, url: str, action: str, ids, **fields):
        data = {"action": action, "_selected_action": [str(i) for i in ids], "index": "0", "select_across": "0"}
        data.update({k: str(v) for k, v in fields.items()})
        with committed():
            return client.post(url, data, follow=True)

    return post


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def moderator(make_user, client):
    """A staff member in the moderator group (not a superuser), logged in to the admin."""
    user = make_user("mod-li")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(Group.objects.get(name="moderator"))
    client.force_login(user)
    return user


@pytest.fixture
def world(make_user, publish, person, committed):
    """An author with a placed post that a fan follows and that is on the hot list."""
    author = make_user("shanghai-eats")
    fan = person("fan", ["food", "tech", "games"])
    accounts.follow_create(follower=fan, followee=author)
    post = publish(author, "food", place_name="外滩", lat=31.2400, lng=121.4900)
    other = publish(make_user("other-cook"), "food", place_name="外滩", lat=31.2410, lng=121.4910)
    with committed():
        content.like_create(user=fan, post=post)
    hot_and_trending_recompute()
    return author, fan, post, other


FEEDS = {
    "discover": "/api/v1/feeds/discover/?size=50",
    "nearby": "/api/v1/feeds/nearby/?lat=31.24&lng=121.49&size=50",
    "channel": "/api/v1/feeds/channels/food/?size=50",
    "hot": "/api/v1/feeds/hot/?size=50",
    "follow": "/api/v1/feeds/follow/?size=50",
}


def shown_in(client, names=FEEDS) -> dict[str, list[int]]:
    return {name: ids_of(client.get(FEEDS[name])) for name in names}


def redis_holds(redis_conn, post: Post, follower) -> dict[str, bool]:
    member = str(post.pk)
    return {
        "pool": redis_conn.zscore(stores.pool_all_key(), member) is not None,
        "geo": redis_conn.zscore(stores.geo_key(), member) is not None,
        "hot": redis_conn.zscore(stores.hot_key("global"), member) is not None,
        "inbox": redis_conn.zscore(stores.inbox_key(follower.pk), member) is not None,
        "outbox": redis_conn.zscore(stores.outbox_key(post.author_id), member) is not None,
    }


# ---------------------------------------------------------------- who may moderate
def test_the_moderator_group_holds_exactly_the_moderation_permissions():
    perms = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Group.objects.get(name="moderator").permissions.select_related("content_type")
    }
    assert perms == {
        "content.view_post", "content.view_comment", "content.view_report", "accounts.view_user",
        "moderation.view_queueitem", "moderation.view_reportedpost", "moderation.view_auditentry",
        "moderation.moderate_post", "moderation.triage_report", "moderation.ban_user",
        "moderation.pin_hot", "moderation.stop_boost", "boosts.view_boost",
        "search.view_hotsearch", "search.delete_hotsearch", "search.view_blockedsearch",
        "search.add_blockedsearch", "search.delete_blockedsearch",
        "content.view_engagementburst",
    }


@pytest.mark.parametrize(
    ("action", "fields", "status"),
    [
        ("limit_posts", {"reason": "标题党"}, Post.Status.LIMITED),
        ("remove_posts", {"reason": "广告引流"}, Post.Status.REMOVED),
        ("approve_posts", {}, Post.Status.PUBLISHED),
    ],
)
def test_a_moderator_who_is_not_a_superuser_can_act_on_posts(act, moderator, client, make_post, action, fields, status):
    post = make_post()
    assert not moderator.is_superuser
    page = act(client, POSTS, action, [post.pk], **fields)
    assert page.status_code == 200
    post.refresh_from_db()
    assert post.status == status, messages_of(page)
    assert AuditEntry.objects.filter(moderator=moderator, target_id=post.pk).exists()


def test_a_moderator_can_restore_a_removed_post(act, moderator, client, make_post):
    post = make_post()
    act(client, POSTS, "remove_posts", [post.pk], reason="误判前")
    act(client, POSTS, "restore_posts", [post.pk], reason="申诉成功")
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED and post.status_reason == ""
    assert PoolEntry.objects.get(post=post).state == PoolEntry.State.ACTIVE
    assert list(AuditEntry.objects.filter(target_id=post.pk).values_list("action", flat=True)) == ["restore", "remove"]


def test_a_regular_user_gets_a_refusal(act, make_user, make_post, client):
    post = make_post()
    client.force_login(make_user("nosy"))
    for url in (POSTS, QUEUE, TRIAGE, AUDIT, USERS):
        assert client.get(url).status_code == 302  # to the admin login
    response = act(client, POSTS, "remove_posts", [post.pk], reason="x")
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED
    assert "/admin/login/" in response.redirect_chain[0][0]


def test_staff_outside_the_moderator_group_cannot_moderate(act, make_user, make_post, client):
    post = make_post()
    clerk = make_user("clerk")
    clerk.is_staff = True
    clerk.save(update_fields=["is_staff"])
    client.force_login(clerk)
    assert client.get(QUEUE).status_code == 403
    assert act(client, POSTS, "remove_posts", [post.pk], reason="x").status_code == 403
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED and not AuditEntry.objects.exists()


def test_a_removal_without_a_reason_is_refused_and_changes_nothing(act, moderator, client, make_post):
    post = make_post()
    page = act(client, POSTS, "remove_posts", [post.pk])
    assert any("请填写删除笔记的原因" in m for m in messages_of(page))
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED and not AuditEntry.objects.exists()


# ---------------------------------------------------------------- immediate effect
def test_removing_a_post_takes_it_out_of_every_feed_at_once(act, world, moderator, client, client_for, person, redis_conn):
    author, fan, post, other = world
    # Someone like the fan sees it in every feed before the removal …
    before = shown_in(client_for(person("twin-before", ["food", "tech", "games"])), ["discover", "nearby", "channel", "hot"])
    before["follow"] = ids_of(client_for(fan).get(FEEDS["follow"]))
    assert all(post.pk in ids for ids in before.values()), before
    holds = redis_holds(redis_conn, post, fan)
    assert holds["pool"] and holds["geo"] and holds["hot"] and holds["inbox"], holds

    act(client, POSTS, "remove_posts", [post.pk], reason="抄袭 copied")

    # … and nobody does right after: no recompute ran in between.
    assert not any(redis_holds(redis_conn, post, fan).values()), redis_holds(redis_conn, post, fan)
    after = shown_in(client_for(person("twin-after", ["food", "tech", "games"])), ["discover", "nearby", "channel", "hot"])
    after["follow"] = ids_of(client_for(fan).get(FEEDS["follow"]))
    for name, ids in after.items():
        assert post.pk not in ids, name
    assert other.pk in after["nearby"] and other.pk in after["channel"]


def test_a_limited_post_stays_with_followers_and_on_the_profile_but_is_never_recommended(act, 
    world, moderator, client, client_for, person, redis_conn, api
):
    author, fan, post, other = world
    assert post.pk in ids_of(client_for(fan).get(FEEDS["follow"]))  # the fan's inbox is warm
    act(client, POSTS, "limit_posts", [post.pk], reason="低质搬运")
    holds = redis_holds(redis_conn, post, fan)
    assert holds == {"pool": False, "geo": False, "hot": False, "inbox": True, "outbox": True}, holds
    stranger = shown_in(client_for(person("stranger", ["food", "tech", "games"])), ["discover", "nearby", "channel", "hot"])
    for name, ids in stranger.items():
        assert post.pk not in ids, name
    assert post.pk in ids_of(client_for(fan).get(FEEDS["follow"]))
    profile = api.get(f"/api/v1/posts/?author={author.username}")
    assert profile.status_code == 200, profile.content
    assert post.pk in [p["id"] for p in profile.json()["results"]]


def test_a_banned_author_cannot_log_in_or_post_and_their_posts_leave_the_feeds(act, 
    world, moderator, client, client_for, person, redis_conn, image_file
):
    from django.test import Client

    author, fan, post, other = world
    author_api = client_for(author)
    author_web = Client()
    author_web.force_login(author)
    assert author_web.get("/creator/").status_code == 200

    page = act(client, USERS, "ban_users", [author.pk], reason="批量引流 spam ring")
    assert "已封禁 1 个账号。" in messages_of(page)

    # Cannot log in, on the web or the API, and is told why; old sessions and tokens stop.
    login = Client().post("/login/", {"username": author.username, "password": PASSWORD})
    assert login.status_code == 200 and "该账号已被封禁：批量引流 spam ring" in login.content.decode()
    token = Client().post(
        "/api/v1/auth/token/", {"username": author.username, "password": PASSWORD}, content_type="application/json"
    )
    assert token.status_code in (400, 401, 403) and "该账号已被封禁" in token.content.decode()
    assert author_web.get("/creator/").status_code == 302
    assert author_api.get("/api/v1/me/").status_code == 401
    # Cannot post, whatever the door.
    with pytest.raises(Exception, match="不能发布笔记"):
        content.post_create(author=Post.objects.get(pk=post.pk).author, kind="note", channel=post.channel,
                            title="又来了", images=[image_file()])
    # The posts leave every feed at once.
    assert not any(redis_holds(redis_conn, post, fan).values())
    viewer = client_for(person("after-ban", ["food", "tech", "games"]))
    for name, ids in shown_in(viewer, ["discover", "nearby", "channel", "hot"]).items():
        assert post.pk not in ids, name
    assert post.pk not in ids_of(client_for(fan).get(FEEDS["follow"]))

    # Lifting the ban brings the posts back.
    act(client, USERS, "unban_users", [author.pk], reason="appeal")
    assert post.pk in ids_of(client_for(fan).get(FEEDS["follow"]))
    assert redis_holds(redis_conn, post, fan)["geo"]


# ---------------------------------------------------------------- hot lists
def test_a_pin_places_a_post_on_the_hot_list_at_once_and_an_unpin_takes_it_back(act, 
    world, moderator, client, client_for, make_user, publish
):
    author, fan, post, other = world
    quiet = publish(make_user("quiet"), "travel")
    hot_and_trending_recompute()
    top = ids_of(client_for(fan).get(FEEDS["hot"]))
    assert top[0] == post.pk and quiet.pk not in top[:1]

    act(client, POSTS, "pin_posts", [quiet.pk], hot_list="global", position=1, reason="官方活动")
    assert ids_of(client_for(fan).get(FEEDS["hot"]))[0] == quiet.pk
    hot_and_trending_recompute()  # the pin holds in later recomputes too
    assert ids_of(client_for(fan).get(FEEDS["hot"]))[0] == quiet.pk

    act(client, POSTS, "unpin_posts", [quiet.pk], hot_list="global")
    assert ids_of(client_for(fan).get(FEEDS["hot"]))[0] == post.pk

    act(client, POSTS, "hot_remove_posts", [post.pk], hot_list="global", reason="争议内容")
    assert post.pk not in ids_of(client_for(fan).get(FEEDS["hot"]))
    assert post.pk in ids_of(client_for(fan).get(FEEDS["follow"]))


def test_a_limited_post_cannot_be_pinned(act, moderator, client, make_post):
    post = make_post()
    act(client, POSTS, "limit_posts", [post.pk])
    page = act(client, POSTS, "pin_posts", [post.pk], hot_list="global", position=1)
    assert any("无法置顶" in m for m in messages_of(page))


# ---------------------------------------------------------------- queue and triage
def test_posts_pending_by_policy_wait_in_the_queue_until_approved(act, 
    settings, moderator, client, make_user, client_for, committed, image_file, channels
):
    settings.ENGINE = {**settings.ENGINE, "REVIEW_FIRST_POSTS": 1}
    newcomer = make_user("newcomer")
    fan = make_user("early-fan")
    accounts.follow_create(follower=fan, followee=newcomer)
    with committed():
        post = content.post_create(author=newcomer, kind="note", channel=channels["food"],
                                   title="第一篇笔记", body="你好小红书，第一次发帖", images=[image_file()])
    assert post.status == Post.Status.PENDING
    assert post.pk not in ids_of(client_for(fan).get(FEEDS["follow"]))
    queue = client.get(QUEUE)
    assert "第一篇笔记" in queue.content.decode() and "按规定先审后发" in queue.content.decode()

    item = ReviewRequest.objects.get(post=post)
    act(client, QUEUE, "approve_posts", [item.pk])
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED and post.published_at is not None
    assert PoolEntry.objects.get(post=post).state == PoolEntry.State.ACTIVE
    assert post.pk in ids_of(client_for(fan).get(FEEDS["follow"]))
    assert "第一篇笔记" not in client.get(QUEUE).content.decode()
    # The author's second post needs no review.
    second = content.post_create(author=newcomer, kind="note", channel=channels["food"], title="第二篇",
                                 images=[image_file()])
    assert second.status == Post.Status.PUBLISHED


def test_the_queue_shows_oldest_first_with_media_author_history_and_reports(moderator, client, make_user, make_post):
    author = make_user("repeat-offender")
    old = make_post(author, title="旧的可疑笔记")
    new = make_post(author, title="新的可疑笔记")
    ReviewRequest.objects.create(post=old, source=ReviewRequest.Source.QUALITY, reason="spam words: 加微信")
    ReviewRequest.objects.create(post=new, source=ReviewRequest.Source.REPORTS, reason="3 reports")
    for i in range(2):
        content.report_create(user=make_user(f"reporter{i}"), post=old, reason="spam", detail="让人加微信")
    page = client.get(QUEUE).content.decode()
    assert page.index("旧的可疑笔记") < page.index("新的可疑笔记")
    assert "repeat-offender" in page and "2 篇笔记" in page and "垃圾信息 / 广告 ×2" in page
    detail = client.get(f"{QUEUE}{ReviewRequest.objects.get(post=old).pk}/change/").content.decode()
    assert "<img" in detail and "让人加微信" in detail and "spam words: 加微信" in detail
    assert "value=\"remove_posts\" class=\"button\">下架</button>" in detail  # the decision buttons, in Chinese


def test_upheld_reports_remove_the_post_and_weigh_on_the_author_at_once(act, moderator, client, make_user, make_post, committed):
    author = make_user("reported-author")
    post = make_post(author)
    for i in range(3):
        content.report_create(user=make_user(f"r{i}"), post=post, reason="abuse")
    triage = client.get(TRIAGE).content.decode()
    assert post.title in triage and "骚扰或仇恨 ×3" in triage
    page = act(client, TRIAGE, "accept_and_remove", [post.pk], reason="人身攻击")
    assert "举报成立，已下架 1 篇笔记。" in messages_of(page)
    post.refresh_from_db()
    assert post.status == Post.Status.REMOVED and post.status_reason == "人身攻击"
    assert set(Report.objects.filter(post=post).values_list("status", flat=True)) == {Report.Status.ACCEPTED}
    weight = AccountWeight.objects.get(user=author)
    assert weight.violations == 1 and weight.weight < 1.0  # one post: one violation, however many reports
    assert post.title not in client.get(TRIAGE).content.decode()  # triaged: off the open list


def test_dismissed_reports_leave_the_post_alone(act, moderator, client, make_user, make_post):
    post = make_post()
    content.report_create(user=make_user("grumpy"), post=post, reason="other")
    act(client, TRIAGE, "dismiss_reports", [post.pk], reason="不违规")
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED
    assert Report.objects.get(post=post).status == Report.Status.DISMISSED


# ---------------------------------------------------------------- the audit log
def test_every_action_writes_an_audit_entry_that_cannot_be_edited(act, moderator, client, make_user, make_post, admin_client):
    post = make_post()
    act(client, POSTS, "limit_posts", [post.pk], reason="标题党")
    act(client, POSTS, "restore_posts", [post.pk])
    act(client, POSTS, "remove_posts", [post.pk], reason="违规")
    act(client, USERS, "ban_users", [post.author_id], reason="多次违规")
    entries = list(AuditEntry.objects.order_by("created_at", "id"))
    assert [e.action for e in entries] == ["limit", "restore", "remove", "ban"]
    remove = entries[2]
    assert remove.moderator == moderator and remove.reason == "违规"
    assert remove.before["status"] == "published" and remove.after["status"] == "removed"
    assert entries[3].after == {"is_banned": True, "ban_reason": "多次违规"}

    # Not even a superuser can change or delete it; a moderator can read it.
    url = f"{AUDIT}{remove.pk}/change/"
    assert "违规" in client.get(AUDIT).content.decode()
    assert admin_client.post(url, {"reason": "改掉"}).status_code == 403
    assert admin_client.post(f"{AUDIT}{remove.pk}/delete/", {"post": "yes"}).status_code == 403
    assert admin_client.get(f"{AUDIT}add/").status_code == 403
    remove.refresh_from_db()
    assert remove.reason == "违规"


def test_authors_see_the_state_of_their_posts_and_the_reasons(act, moderator, client, make_post):
    from django.test import Client

    post = make_post(title="被下架的笔记")
    act(client, POSTS, "remove_posts", [post.pk], reason="含有广告链接")
    author_web = Client()
    author_web.force_login(post.author)
    center = author_web.get("/creator/").content.decode()
    assert "被下架的笔记" in center and "含有广告链接" in center
    detail = author_web.get(f"/creator/p/{post.pk}/").content.decode()
    assert "含有广告链接" in detail and "只有你能看到" in detail


def test_approving_a_post_the_quality_rules_flagged_lets_it_into_the_pools(act, moderator, client, make_post, redis_conn):
    post = make_post(title="刷单", body="加微信")
    assert PoolEntry.objects.get(post=post).state == PoolEntry.State.NOT_ENTERED
    item = ReviewRequest.objects.get(post=post, source=ReviewRequest.Source.QUALITY)
    act(client, QUEUE, "approve_posts", [item.pk], reason="误判: 真实分享")
    entry = PoolEntry.objects.get(post=post)
    assert entry.state == PoolEntry.State.ACTIVE and entry.quota > 0
    assert redis_conn.zscore(stores.pool_all_key(), str(post.pk)) is not None
    item.refresh_from_db()
    assert item.resolved_at is not None
