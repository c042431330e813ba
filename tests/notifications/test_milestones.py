"""The engine's milestones and a boost's end, from the services that cause them to the author's line."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from boosts import services as boosts
from feeds.services.hot import hot_recompute
from feeds.services.pools import pools_evaluate
from notifications import selectors
from notifications.services import outbox_deliver
from notifications.text import sentence
from tests.feeds.conftest import GOOD_BODY, audience, show  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def system_lines(user) -> list[str]:
    outbox_deliver()
    return [sentence(n) for n in selectors.notifications_page(user=user, category="system").items]


def test_a_promotion_to_the_next_pool_tells_the_author(make_user, make_post, audience, show):  # noqa: F811
    alice = make_user("alice")
    post = make_post(alice, title="武康路咖啡", body=GOOD_BODY, tags=["咖啡"])
    show(post, audience(150), likes=20, comments=4, favourites=6, shares=2)
    assert pools_evaluate() == {"promote": 1}
    assert system_lines(alice) == ["你的笔记《武康路咖啡》进入了下一级流量池（第 1 级）"]


def test_a_post_that_stops_in_the_base_pool_tells_nobody(make_user, make_post, audience, show):  # noqa: F811
    alice = make_user("alice")
    post = make_post(alice, title="普通", body=GOOD_BODY)
    show(post, audience(100), likes=2)
    assert pools_evaluate() == {"early_stop": 1}
    assert system_lines(alice) == []


def test_a_post_entering_the_hot_list_tells_its_author_once(make_user, make_post):
    from content.models import Post

    alice = make_user("alice")
    post = make_post(
        alice, title="爆款", body="今天写了一篇很长的分享笔记，内容丰富，欢迎大家来看看"
    )
    Post.objects.filter(pk=post.pk).update(
        published_at=timezone.now() - timedelta(hours=1), like_count=50
    )
    hot_recompute()
    hot_recompute()  # still on the list: nothing new to say
    assert system_lines(alice) == ["你的笔记《爆款》上了热门榜"]


def test_a_boost_that_ends_tells_the_buyer_the_refund(make_user, make_post):
    alice = make_user("alice")
    post = make_post(alice, title="推广")
    boosts.topup(user=alice, amount=1000, key="fund-alice")
    boost = boosts.boost_create(
        buyer=alice,
        post=post,
        budget=1000,
        hours=24,
        targeting=boosts.Targeting("interests", channels=["food"]),
    )
    boosts.boost_stop(boost=boost, actor=alice)
    boost.refresh_from_db()
    assert boost.refunded > 0
    assert system_lines(alice) == [f"薯条投放已结束《推广》：展示 0 次，退回 {boost.refunded} 薯币"]
