"""Engagement counts once per person and post; bursts are kept out of the traffic pools.

Through the API as a client sends it, checked where it matters: the public counters on
the post, the pools' tier counts (what promotes and stops a post) and the moderators'
admin. Every event stays stored for analytics.
"""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from accounts.models import User
from content import services
from content.models import EngagementBurst, Event, Post
from feeds.engine.pools import TierCounts
from feeds.models import PoolEntry
from feeds.services.hot import hot_list, hot_recompute
from feeds.services.pools import pools_evaluate, tier_counts

pytestmark = pytest.mark.django_db

POSTS = "/api/v1/posts/"
EVENTS = "/api/v1/events/"
GOOD_BODY = "周末在武康路发现一家安静的咖啡店，手冲很香，拿铁奶泡细腻，店员推荐的肉桂卷也很好吃，适合一个人看书。"


def pool_counts(post) -> TierCounts:
    """What the traffic pools count for the post in its tier."""
    return tier_counts([post.pk]).get(post.pk, TierCounts())


def public_counts(api, post) -> dict:
    return api.get(f"{POSTS}{post.pk}/").json()["counts"]


def crowd(n: int, prefix: str) -> list[User]:
    User.objects.bulk_create([User(username=f"{prefix}{i}", password="!") for i in range(n)])
    return list(User.objects.filter(username__startswith=prefix).order_by("pk"))


def engine(settings, **knobs):
    settings.ENGINE = {**settings.ENGINE, **knobs}


def test_fifty_shares_from_one_account_count_once(make_user, make_post, client_for, api):
    post = make_post()
    sharer = client_for(make_user("sharer"))

    answers = [
        sharer.post(f"{POSTS}{post.pk}/share/", {"target": "wechat"}, format="json")
        for _ in range(50)
    ]

    assert {a.status_code for a in answers} == {200}
    assert answers[0].json() == {"changed": True, "count": 1}
    assert answers[-1].json() == {"changed": False, "count": 1}
    assert public_counts(api, post)["shares"] == 1
    assert pool_counts(post).shares == 1
    assert Event.objects.filter(post=post, kind="share").count() == 50, (
        "every share is kept for analytics"
    )
    services.counters_reconcile(post_ids=[post.pk])
    assert public_counts(api, post)["shares"] == 1, "a recount from the rows agrees"


def test_two_hundred_zero_second_views_from_one_account_are_one_quick_skip(
    make_user, make_post, client_for, api
):
    post = make_post(title="武康路咖啡店探店", body=GOOD_BODY, tags=["咖啡", "探店"])
    for person in crowd(60, "reader"):
        services.impressions_record(user=person, post_ids=[post.pk], source="discover")
    skipper = client_for(make_user("skipper"))

    response = skipper.post(
        EVENTS, {"events": [{"post": post.pk, "seconds": 0}] * 200}, format="json"
    )

    assert response.status_code == 202 and response.json()["count"] == 200
    counted = pool_counts(post)
    assert (counted.impressions, counted.views, counted.quick_skips) == (60, 1, 1)
    assert public_counts(api, post)["views"] == 1
    pools_evaluate(post_ids=[post.pk])
    assert PoolEntry.objects.get(post=post).state == "active", (
        "one person's skips do not stop a post"
    )
    assert Event.objects.filter(post=post, kind="view").count() == 200


def test_a_burst_from_one_address_is_ignored_for_distribution_and_listed_for_moderators(
    settings, make_user, make_post, client_for, client
):
    engine(settings, ENGAGEMENT_BURST_ADDRESS_EVENTS=20)
    post = make_post(title="一键三连的笔记")
    for i in range(12):  # a dozen accounts run from one machine: a like and a share each
        ring = client_for(make_user(f"ring{i}"))
        ring.post(f"{POSTS}{post.pk}/like/", REMOTE_ADDR="203.0.113.7")
        ring.post(f"{POSTS}{post.pk}/share/", {}, format="json", REMOTE_ADDR="203.0.113.7")
    client_for(make_user("honest")).post(f"{POSTS}{post.pk}/like/", REMOTE_ADDR="198.51.100.20")

    counted = pool_counts(post)
    assert (counted.likes, counted.shares) == (1, 0), "only the honest like counts for the pools"
    burst = EngagementBurst.objects.get()
    assert (burst.address, burst.events, burst.accounts, burst.posts) == ("203.0.113.7", 24, 12, 1)

    moderator = make_user("mod-wang")
    moderator.is_staff = True
    moderator.save(update_fields=["is_staff"])
    moderator.groups.add(Group.objects.get(name="moderator"))
    client.force_login(moderator)
    listed = client.get("/admin/content/engagementburst/")
    assert listed.status_code == 200
    assert "地址 203.0.113.7" in listed.content.decode()
    shown = client.get(f"/admin/content/engagementburst/{burst.pk}/change/").content.decode()
    assert "一键三连的笔记" in shown and "点赞 × 12" in shown and "分享 × 12" in shown


def test_a_bursts_likes_and_shares_do_not_lift_a_post_onto_the_hot_list(
    settings, make_user, make_post, client_for
):
    engine(settings, ENGAGEMENT_BURST_ADDRESS_EVENTS=10)
    pumped = make_post(
        make_user("pumper"),
        title="刷出来的热门",
        body="这家店的招牌菜真的很好吃，价格也实惠，周末人很多需要排队",
    )
    loved = make_post(
        make_user("cook"),
        title="真正受欢迎的笔记",
        body="自己在家做的红烧肉，步骤简单，肥而不腻，家里人都说好吃",
    )
    for i in range(8):
        ring = client_for(make_user(f"ring{i}"))
        ring.post(f"{POSTS}{pumped.pk}/like/", REMOTE_ADDR="203.0.113.7")
        ring.post(f"{POSTS}{pumped.pk}/share/", {}, format="json", REMOTE_ADDR="203.0.113.7")
    for i in range(3):
        client_for(make_user(f"fan{i}")).post(
            f"{POSTS}{loved.pk}/like/", REMOTE_ADDR=f"198.51.100.{i + 1}"
        )

    hot_recompute()

    assert hot_list("global") == [loved.pk], (
        "three people's likes count; a burst of sixteen events does not"
    )


def test_an_account_sending_events_faster_than_a_person_is_ignored_for_distribution(
    settings, make_user, make_post, client_for
):
    engine(settings, ENGAGEMENT_BURST_ACCOUNT_EVENTS=10)
    posts = [make_post(title=f"笔记 {i}") for i in range(3)]
    bot = make_user("bot")
    batch = [{"post": p.pk, "seconds": 30, "completed": True} for p in posts] * 2

    client_for(bot).post(EVENTS, {"events": batch}, format="json")  # 6: under the limit
    assert [pool_counts(p).completions for p in posts] == [1, 1, 1]
    client_for(bot).post(EVENTS, {"events": batch}, format="json")  # 12 in a minute: a burst

    assert [pool_counts(p).completions for p in posts] == [0, 0, 0], (
        "the whole burst, the first six too"
    )
    burst = EngagementBurst.objects.get()
    assert (burst.user, burst.events, burst.posts) == (bot, 12, 3)
    assert Event.objects.filter(user=bot, kind="view").count() == 12


def test_the_burst_screen_is_off_at_zero_for_a_replay_of_logs(
    settings, make_user, make_post, client_for
):
    engine(settings, ENGAGEMENT_BURST_ACCOUNT_EVENTS=0, ENGAGEMENT_BURST_ADDRESS_EVENTS=0)
    posts = [make_post(title=f"笔记 {i}") for i in range(3)]
    batch = [{"post": p.pk, "seconds": 30, "completed": True} for p in posts] * 60

    client_for(make_user("replayed")).post(
        EVENTS, {"events": batch}, format="json", REMOTE_ADDR="10.0.0.1"
    )

    assert [pool_counts(p).completions for p in posts] == [1, 1, 1]
    assert not EngagementBurst.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_simultaneous_shares_and_views_from_one_account_count_once(make_user, make_post):
    post = make_post()
    person = make_user("fast")
    barrier = threading.Barrier(4)
    errors: list[str] = []

    def act(i):
        try:
            barrier.wait(timeout=30)
            services.share_create(user=person, post=post)
            services.events_ingest(user=person, events=[{"post": post.pk, "seconds": 0}])
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert not errors, errors
    fresh = Post.objects.get(pk=post.pk)
    assert (fresh.share_count, fresh.view_count) == (1, 1)
    assert Event.objects.filter(post=post, kind__in=["share", "view"]).count() == 8
