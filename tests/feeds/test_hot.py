"""Hot lists with timeliness decay (热门), diversity, overrides and trending topics."""

from datetime import timedelta

import pytest
from django.utils import timezone

from content.models import Post, Tag
from feeds.engine import hot
from feeds.models import HotEntry, HotOverride, TrendingTag
from feeds.services.hot import hot_list, hot_recompute, trending_recompute


@pytest.fixture
def crafted(make_post, make_user):
    """Posts by different authors with chosen ages and likes."""
    now = timezone.now()

    def make(name, *, hours_old, likes, channel="food", author=None):
        post = make_post(author or make_user(name), title=f"{name} 的笔记分享", body=f"{name} 今天写了一篇很长的分享笔记，内容丰富，欢迎大家来看看", channel=channel)
        Post.objects.filter(pk=post.pk).update(published_at=now - timedelta(hours=hours_old), like_count=likes)
        return post

    return now, make


def test_the_hot_list_ranks_by_engagement_over_age_to_the_power_1_8(crafted):
    now, make = crafted
    old_big = make("old", hours_old=20, likes=200)    # 200 / 22**1.8 ≈ 0.77
    new_small = make("new", hours_old=1, likes=20)    # 20 / 3**1.8  ≈ 2.76
    mid = make("mid", hours_old=5, likes=30)          # 30 / 7**1.8  ≈ 0.91
    stale = make("stale", hours_old=80, likes=5000)   # outside the 72 h window
    hot_recompute(now=now)
    assert hot_list("global") == [new_small.pk, mid.pk, old_big.pk]
    assert stale.pk not in hot_list("global")
    scores = dict(HotEntry.objects.filter(list_key="global").values_list("post_id", "score"))
    assert scores[new_small.pk] == pytest.approx(20 / 3**1.8, rel=1e-3)


def test_a_newer_post_overtakes_an_older_one_with_more_engagement(crafted):
    now, make = crafted
    older = make("older", hours_old=10, likes=100)   # 100 / 12**1.8 ≈ 1.14
    newer = make("newer", hours_old=1, likes=3)      # 3 / 3**1.8    ≈ 0.41
    hot_recompute(now=now)
    assert hot_list("global")[:2] == [older.pk, newer.pk]
    # An hour later the new post has 15 likes, still far fewer than 100, but it is fresh:
    # 15 / 4**1.8 ≈ 1.25 against 100 / 13**1.8 ≈ 0.99.
    Post.objects.filter(pk=newer.pk).update(like_count=15)
    hot_recompute(now=now + timedelta(hours=1))
    assert hot_list("global")[:2] == [newer.pk, older.pk]


def test_no_author_twice_in_the_top_10(crafted, make_user):
    now, make = crafted
    star = make_user("star")
    star_posts = [make(f"star{i}", hours_old=1 + i * 0.1, likes=500, author=star) for i in range(3)]
    others = [make(f"o{i}", hours_old=3, likes=10) for i in range(4)]
    hot_recompute(now=now)
    ranked = hot_list("global")
    top = ranked[:10]
    assert sum(1 for pid in top[: len(others) + 1] if pid in {p.pk for p in star_posts}) == 1
    assert ranked[0] == star_posts[0].pk
    # The star's other posts wait below the diverse top, not removed.
    assert set(p.pk for p in star_posts) <= set(ranked)


def test_channels_are_mixed_in_the_global_top():
    k = {"HOT_WINDOW_HOURS": 72, "HOT_GRAVITY": 1.8, "HOT_LIST_SIZE": 100,
         "HOT_TOP_DIVERSITY": 10, "HOT_MAX_PER_CHANNEL_IN_TOP": 3,
         "HOT_ENGAGEMENT_WEIGHTS": {"like": 1, "comment": 2, "favourite": 3, "share": 3}}
    food = [hot.HotCandidate(i, 100 + i, 1, 1.0, likes=100 - i) for i in range(6)]
    others = [
        hot.HotCandidate(10 * channel + i, 100 * channel + i, channel, 1.0, likes=10)
        for channel in (2, 3, 4)
        for i in range(4)
    ]
    ranked = [c.post_id for c, _ in hot.rank_hot(food + others, k)]
    assert ranked[:3] == [0, 1, 2]  # the best food posts lead …
    assert sum(1 for pid in ranked[:10] if pid < 10) == 3  # … but only 3 in the top 10
    assert {3, 4, 5} <= set(ranked[10:])  # the others wait below, not dropped


def test_the_channel_list_holds_only_that_channel_and_its_sub_channels(crafted):
    now, make = crafted
    soup = make("soup", hours_old=1, likes=10, channel="home-cooking")
    trip = make("trip", hours_old=1, likes=50, channel="travel")
    hot_recompute(now=now)
    assert hot_list("food") == [soup.pk]
    assert hot_list("travel") == [trip.pk]


def test_moderators_can_pin_and_remove_entries(crafted):
    now, make = crafted
    a = make("a", hours_old=1, likes=50)
    b = make("b", hours_old=1, likes=40)
    c = make("c", hours_old=1, likes=1)
    HotOverride.objects.create(post=c, kind="pin", position=1)
    HotOverride.objects.create(post=a, kind="remove")
    hot_recompute(now=now)
    assert hot_list("global") == [c.pk, b.pk]
    assert HotEntry.objects.get(list_key="global", rank=1).pinned


def test_low_quality_posts_are_never_hot(crafted, make_post, make_user):
    now, make = crafted
    good = make("good", hours_old=1, likes=5)
    junk = make_post(make_user("junk"), title="", body="好")
    Post.objects.filter(pk=junk.pk).update(like_count=999, published_at=now - timedelta(hours=1))
    hot_recompute(now=now)
    assert hot_list("global") == [good.pk]


def test_the_hot_list_is_read_from_the_database_when_redis_lost_it(crafted, redis_conn):
    now, make = crafted
    a = make("a", hours_old=1, likes=5)
    hot_recompute(now=now)
    redis_conn.flushdb()
    assert hot_list("global") == [a.pk]


def test_trending_topics_are_tags_rising_against_their_own_baseline(make_post, make_user):
    author = make_user("writer")
    steady = [make_post(author, title=f"日常咖啡第{i}杯", body=f"每天一杯咖啡的记录，第{i}天，今天换了新的豆子", tags=["咖啡"]) for i in range(8)]
    [make_post(author, title=f"露营装备第{i}件", body=f"第一次去露营，准备了很多装备，第{i}件是帐篷配件", tags=["露营"]) for i in range(4)]
    now = timezone.now()
    # The coffee posts are spread over the past week (a baseline); camping is all new.
    for i, p in enumerate(steady):
        Post.objects.filter(pk=p.pk).update(published_at=now - timedelta(days=1 + i % 7))
    Post.objects.filter(pk=steady[0].pk).update(published_at=now - timedelta(hours=2))
    trending_recompute(now=now)
    names = list(TrendingTag.objects.order_by("rank").values_list("tag__name", flat=True))
    assert names[0] == "露营"
    assert "咖啡" not in names  # 1 recent use: below the minimum and not rising
    camping = TrendingTag.objects.get(tag=Tag.objects.get(name="露营"))
    assert camping.recent == 4 and camping.baseline == 0
