"""Notifications 消息: what people are told, folded, muted, blocked, counted and read.

The worker's delivery (``outbox_deliver``) is called in-process here; the real worker,
killed and restarted, is in test_worker.py.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import services as accounts
from content import services as content
from content.models import Post
from feeds import stores
from moderation import services as moderation
from notifications import selectors
from notifications.models import Notification, Outbox
from notifications.services import notification_settings_update, outbox_deliver
from notifications.text import sentence

pytestmark = pytest.mark.django_db


def deliver() -> int:
    """Run the worker's delivery of everything in the outbox."""
    return outbox_deliver()


def lines(user, category=None) -> list[str]:
    return [sentence(n) for n in selectors.notifications_page(user=user, category=category).items]


@pytest.fixture
def alice(make_user):
    return make_user("alice", display_name="alice")


@pytest.fixture
def note(alice, make_post):
    return make_post(alice, title="咖啡")


def test_bob_likes_alices_note_and_she_sees_it_with_one_unread(alice, note, make_user):
    bob = make_user("bob", display_name="bob")
    content.like_create(user=bob, post=note)
    assert Notification.objects.count() == 0  # decided, not yet delivered
    assert Outbox.objects.count() == 1

    deliver()

    assert lines(alice, "likes") == ["bob 赞了你的笔记"]
    assert selectors.unread_counts(user=alice) == {
        "total": 1,
        "likes": 1,
        "follows": 0,
        "comments": 0,
        "system": 0,
    }
    assert not Outbox.objects.exists()


def test_twelve_more_likes_fold_into_one_line(alice, note, make_user):
    content.like_create(user=make_user("bob", display_name="bob"), post=note)
    deliver()
    for i in range(12):
        content.like_create(user=make_user(f"fan{i}", display_name=f"fan{i}"), post=note)
    deliver()

    assert lines(alice, "likes") == ["fan11 和其他 12 人赞了你的笔记"]
    assert Notification.objects.filter(recipient=alice).count() == 1
    assert selectors.unread_counts(user=alice)["likes"] == 1


def test_a_like_after_the_line_was_read_starts_a_new_line(alice, note, make_user, client_for):
    content.like_create(user=make_user("bob"), post=note)
    deliver()
    client_for(alice).post("/api/v1/notifications/read/", {}, format="json")
    content.like_create(user=make_user("carol", display_name="carol"), post=note)
    deliver()
    assert lines(alice, "likes")[0] == "carol 赞了你的笔记"
    assert Notification.objects.filter(recipient=alice).count() == 2
    assert selectors.unread_counts(user=alice)["total"] == 1


def test_unliking_and_liking_again_does_not_count_twice(alice, note, make_user):
    bob = make_user("bob", display_name="bob")
    content.like_create(user=bob, post=note)
    content.like_delete(user=bob, post=note)
    content.like_create(user=bob, post=note)
    deliver()
    assert lines(alice, "likes") == ["bob 赞了你的笔记"]


def test_saves_and_comment_likes_are_in_likes_and_saves(alice, note, make_user):
    bob = make_user("bob", display_name="bob")
    content.favourite_create(user=bob, post=note)
    comment = content.comment_create(user=alice, post=note, body="欢迎来喝")
    content.comment_like_create(user=bob, comment=comment)
    deliver()
    assert sorted(lines(alice, "likes")) == ["bob 收藏了你的笔记", "bob 赞了你的评论"]


def test_no_notification_for_ones_own_actions(alice, note):
    content.like_create(user=alice, post=note)
    content.comment_create(user=alice, post=note, body="自己评论 @alice")
    deliver()
    assert not Outbox.objects.exists()
    assert not Notification.objects.exists()


def test_a_blocked_persons_like_does_not_notify(alice, note, make_user):
    bob = make_user("bob")
    content.like_create(user=bob, post=note)  # decided before the block …
    accounts.block_create(blocker=alice, blocked=bob)
    deliver()  # … delivered after it: nothing
    assert not Notification.objects.exists()
    assert selectors.unread_counts(user=alice)["total"] == 0


def test_a_muted_category_stays_silent(alice, note, make_user):
    notification_settings_update(user=alice, mute_likes=True)
    bob = make_user("bob", display_name="bob")
    content.like_create(user=bob, post=note)
    accounts.follow_create(follower=bob, followee=alice)
    deliver()
    assert lines(alice, "likes") == []
    assert lines(alice, "follows") == ["bob 开始关注你了"]


def test_new_followers_are_told_once_even_if_they_follow_twice(alice, make_user):
    bob = make_user("bob", display_name="bob")
    accounts.follow_create(follower=bob, followee=alice)
    accounts.follow_delete(follower=bob, followee=alice)
    accounts.follow_create(follower=bob, followee=alice)
    deliver()
    assert lines(alice, "follows") == ["bob 开始关注你了"]


def test_a_reply_with_an_at_mention_notifies_the_one_named(alice, note, make_user):
    bob, chen = make_user("bob", display_name="bob"), make_user("chen", display_name="chen")
    top = content.comment_create(user=bob, post=note, body="好喝吗")
    content.comment_create(user=alice, post=note, body="好喝！@chen 你也来", parent=top)
    deliver()

    assert lines(chen, "comments") == ["alice 在评论中@了你"]
    assert lines(bob, "comments") == ["alice 回复了你的评论"]
    assert lines(alice, "comments") == ["bob 评论了你的笔记"]
    assert Notification.objects.get(recipient=chen).text == "好喝！@chen 你也来"


def test_mentions_of_unknown_people_are_plain_text_and_notify_nobody(alice, note, make_user):
    bob = make_user("bob")
    comment = content.comment_create(user=bob, post=note, body="@nobody 和 @alice 看这里")
    assert comment.mentions == ["alice"]
    deliver()
    # alice is the author: the mention is her line, the unknown name tells no one.
    assert Notification.objects.count() == 1


def test_a_thousand_mentions_notify_at_most_the_documented_number(alice, note, make_user, settings):
    people = [make_user(f"p{i}") for i in range(15)]
    body = " ".join(f"@p{i % 15}" for i in range(1000))[:1000]
    comment = content.comment_create(user=alice, post=note, body=body)
    deliver()
    cap = settings.ENGINE["MENTIONS_PER_COMMENT_MAX"]
    assert len(comment.mentions) == cap
    told = set(Notification.objects.filter(verb="mention").values_list("recipient_id", flat=True))
    assert told == {p.pk for p in people[:cap]}


def test_a_moderators_removal_tells_the_author_why(alice, note, make_user):
    mod = make_user("mod")
    mod.is_staff = True
    mod.save()
    moderation.post_remove(post=note, moderator=mod, reason="引流广告 ads")
    deliver()
    assert lines(alice, "system") == ["你的笔记被删除《咖啡》，理由：引流广告 ads"]


def test_a_report_acted_on_tells_the_reporter(alice, note, make_user):
    reporter, mod = make_user("reporter"), make_user("mod", onboard=False)
    content.report_create(user=reporter, post=note, reason="spam")
    moderation.reports_accept(post=note, moderator=mod, reason="spam", then="limit")
    deliver()
    assert lines(reporter, "system") == ["你举报的笔记《咖啡》已被处理，感谢你的反馈"]
    assert lines(alice, "system") == ["你的笔记被限流《咖啡》，理由：spam"]


def test_a_moderator_removing_a_comment_writes_the_audit_and_tells_its_author(
    alice, note, make_user
):
    from moderation.models import AuditEntry

    bob, mod = make_user("bob"), make_user("mod", onboard=False)
    comment = content.comment_create(user=bob, post=note, body="买粉丝加微信")
    content.comment_create(user=alice, post=note, body="不要", parent=comment)
    moderation.comment_remove(comment=comment, moderator=mod, reason="广告 spam")

    assert Post.objects.get(pk=note.pk).comment_count == 0
    entry = AuditEntry.objects.get(target_type="comment", target_id=comment.pk)
    assert entry.before["body"] == "买粉丝加微信" and entry.reason == "广告 spam"
    deliver()
    assert lines(bob, "system") == ["你的评论「买粉丝加微信」已被删除，理由：广告 spam"]


def test_engine_milestones_and_boost_endings_reach_the_author(alice, note):
    from feeds import events as feeds_events
    from notifications import receivers

    # The engine's hooks, as the pools and the hot recompute send them.
    receivers.pool_promoted(post_id=note.pk, to_tier=1, hot=False)
    feeds_events.hot_entered.send(post_ids=[note.pk])
    receivers.boost_ended(
        boost_id=7,
        buyer_id=alice.pk,
        post_id=note.pk,
        status="completed",
        delivered=1000,
        refunded=30,
        reason="budget spent",
    )
    deliver()
    assert sorted(lines(alice, "system")) == sorted(
        [
            "你的笔记《咖啡》进入了下一级流量池（第 1 级）",
            "你的笔记《咖啡》上了热门榜",
            "薯条投放已结束《咖啡》：展示 1000 次，退回 30 薯币",
        ]
    )


# ---------------------------------------------------------------- reading, marking, costs
def test_marking_someone_elses_notification_read_is_a_404(alice, note, make_user, client_for):
    content.like_create(user=make_user("bob"), post=note)
    deliver()
    mine = Notification.objects.get(recipient=alice)
    eve = client_for(make_user("eve"))

    assert eve.post(f"/api/v1/notifications/{mine.pk}/read/").status_code == 404
    assert (
        eve.post("/api/v1/notifications/read/", {"ids": [mine.pk]}, format="json").status_code
        == 404
    )
    mine.refresh_from_db()
    assert mine.read_at is None

    answer = client_for(alice).post(f"/api/v1/notifications/{mine.pk}/read/")
    assert answer.status_code == 200 and answer.json() == {"marked": 1}
    assert client_for(alice).get("/api/v1/notifications/unread/").json()["total"] == 0


def test_the_api_lists_by_category_with_a_cursor(alice, note, make_user, client_for, committed):
    posts = [note] + [
        Post.objects.create(author=alice, kind="note", title=f"n{i}", channel=note.channel)
        for i in range(24)
    ]
    liker = make_user("bob", display_name="bob")
    for p in posts:
        content.like_create(user=liker, post=p)
    accounts.follow_create(follower=liker, followee=alice)
    deliver()
    client = client_for(alice)

    first = client.get("/api/v1/notifications/", {"category": "likes"}).json()
    assert len(first["results"]) == 20 and first["next_cursor"]
    assert parse_qs(urlsplit(first["next"]).query)["cursor"] == [first["next_cursor"]]
    assert first["results"][0]["text"] == "bob 赞了你的笔记"
    assert first["results"][0]["actor"]["username"] == "bob"
    rest = client.get(
        "/api/v1/notifications/", {"category": "likes", "cursor": first["next_cursor"]}
    ).json()
    assert len(rest["results"]) == 5 and rest["next_cursor"] is None and rest["next"] is None
    assert {r["id"] for r in first["results"]}.isdisjoint(r["id"] for r in rest["results"])

    assert client.get("/api/v1/notifications/", {"category": "nope"}).status_code == 400
    assert client.get("/api/v1/notifications/", {"cursor": "forged"}).status_code == 400
    unread = client.get("/api/v1/notifications/unread/").json()
    assert unread == {"total": 26, "likes": 25, "follows": 1, "comments": 0, "system": 0}

    with committed():  # the unread version moves when the marking commits
        marked = client.post("/api/v1/notifications/read/", {"category": "follows"}, format="json")
    assert marked.json() == {"marked": 1}
    assert client.get("/api/v1/notifications/unread/").json()["follows"] == 0


def test_the_api_needs_a_signed_in_person(api):
    for path in (
        "/api/v1/notifications/",
        "/api/v1/notifications/unread/",
        "/api/v1/me/notifications/",
    ):
        assert api.get(path).status_code == 401
    assert api.post("/api/v1/notifications/read/", {}, format="json").status_code == 401


def test_mute_switches_in_me(alice, client_for):
    client = client_for(alice)
    assert client.get("/api/v1/me/notifications/").json() == {
        "mute_likes": False,
        "mute_follows": False,
        "mute_comments": False,
        "mute_system": False,
    }
    changed = client.patch("/api/v1/me/notifications/", {"mute_comments": True}, format="json")
    assert changed.status_code == 200 and changed.json()["mute_comments"] is True
    assert (
        client.patch(
            "/api/v1/me/notifications/", {"mute_comments": "perhaps"}, format="json"
        ).status_code
        == 400
    )


def _many_notifications(alice, note, make_user, n):
    for i in range(n):
        fan = make_user(f"fan{i}", onboard=False)
        accounts.follow_create(follower=fan, followee=alice)
        content.comment_create(user=fan, post=note, body=f"第{i}条")
    deliver()


@pytest.mark.parametrize("n", [1, 6])
def test_the_list_costs_the_same_queries_whatever_the_count(
    alice, note, make_user, client_for, django_assert_num_queries, n
):
    _many_notifications(alice, note, make_user, n)
    client = client_for(alice)
    # token → user, one page query (actors, posts and comments joined in).
    with django_assert_num_queries(2):
        page = client.get("/api/v1/notifications/").json()
    assert len(page["results"]) == 2 * n


@pytest.mark.parametrize("n", [1, 6])
def test_the_unread_count_costs_one_query_then_none(
    alice, note, make_user, client_for, django_assert_num_queries, n
):
    _many_notifications(alice, note, make_user, n)
    client = client_for(alice)
    with django_assert_num_queries(2):  # token → user, one grouped count (filed in Redis)
        assert client.get("/api/v1/notifications/unread/").json()["total"] == 2 * n
    with django_assert_num_queries(1):  # token → user; Redis answers
        assert client.get("/api/v1/notifications/unread/").json()["total"] == 2 * n


def test_a_new_delivery_or_a_read_moves_the_cached_count(alice, note, make_user):
    content.like_create(user=make_user("bob"), post=note)
    deliver()
    assert selectors.unread_counts(user=alice)["total"] == 1
    assert selectors.unread_counts_cached(user=alice)["total"] == 1
    accounts.follow_create(follower=make_user("carol"), followee=alice)
    deliver()
    assert selectors.unread_counts_cached(user=alice) is None  # the version moved on
    assert selectors.unread_counts(user=alice)["total"] == 2


def test_rebuild_redis_drops_the_counts_and_they_come_back_from_the_database(
    alice, note, make_user
):
    from feeds.services.rebuild import rebuild_redis

    content.like_create(user=make_user("bob"), post=note)
    deliver()
    selectors.unread_counts(user=alice)
    stores.redis().hset(stores.unread_key(alice.pk), "likes", 99)  # drifted
    assert selectors.unread_counts(user=alice)["likes"] == 99
    rebuild_redis()
    assert not stores.redis().exists(stores.unread_key(alice.pk))
    assert selectors.unread_counts(user=alice)["likes"] == 1


def test_a_redis_restart_is_healed_not_believed(alice, note, make_user):
    """Without the generation marker (Redis lost or restarted), counts come from the database."""
    content.like_create(user=make_user("bob"), post=note)
    deliver()
    selectors.unread_counts(user=alice)
    stores.redis().hset(stores.unread_key(alice.pk), "likes", 99)
    stores.generation_clear([stores.UNREAD])
    assert selectors.unread_counts(user=alice)["likes"] == 1
    assert selectors.unread_counts_cached(user=alice) is None


def test_the_like_request_only_writes_one_outbox_row(alice, note, make_user, client_for):
    """Fan-out is the worker's: a like pays one INSERT for its notification, whatever the
    author's following."""
    bob = make_user("bob")
    client = client_for(bob)
    with CaptureQueriesContext(connection) as queries:
        assert client.post(f"/api/v1/posts/{note.pk}/like/").status_code == 200
    writes = [q["sql"] for q in queries.captured_queries if "notifications_" in q["sql"]]
    assert len(writes) == 1 and writes[0].startswith("INSERT")


def test_deleting_a_post_takes_its_lines_and_the_count_follows(alice, note, make_user, committed):
    content.like_create(user=make_user("bob"), post=note)
    deliver()
    assert selectors.unread_counts(user=alice)["total"] == 1
    with committed():
        content.post_delete(post=note, actor=alice)
    assert not Notification.objects.exists()
    assert selectors.unread_counts(user=alice)["total"] == 0


def test_an_author_with_10000_followers_costs_a_like_nothing_more(
    alice, note, make_user, client_for
):
    """Likes notify the author alone: the like request's queries do not grow with followers."""
    from accounts.models import Follow, User

    def like_queries(liker) -> list[str]:
        client = client_for(liker)
        with CaptureQueriesContext(connection) as queries:
            assert client.post(f"/api/v1/posts/{note.pk}/like/").json()["changed"] is True
        return [q["sql"] for q in queries.captured_queries]

    before = like_queries(make_user("first", onboard=False))
    User.objects.bulk_create(
        [User(username=f"follower{i}", password="!") for i in range(10_000)], batch_size=2000
    )
    followers = User.objects.filter(username__startswith="follower").values_list("pk", flat=True)
    Follow.objects.bulk_create(
        [Follow(follower_id=pk, followee=alice) for pk in followers], batch_size=2000
    )
    after = like_queries(make_user("second", onboard=False))
    assert len(after) == len(before)
    assert Outbox.objects.count() == 2
