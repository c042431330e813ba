"""Account weight (账号权重): components a creator can read, and the weight they make."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Follow
from content.models import Channel, Event, Post, Report
from feeds.engine.weight import WeightComponents, account_weight
from feeds.models import AccountWeight
from feeds.services.weights import weights_recompute

K = {"WEIGHT_RANGE": (0.5, 2.0), "WEIGHT_VIOLATION_FACTOR": 0.8}

BODIES = [
    "今天做了番茄炒蛋，火候很关键，鸡蛋要先炒到半熟再盛出来",
    "周末试了新的红烧肉做法，冰糖炒色之后小火炖一个小时",
    "清蒸鲈鱼十分钟出锅，葱丝和热油是灵魂，简单又好吃",
    "早餐做了葱油饼，面团要醒半小时，煎到两面金黄",
    "第一次做提拉米苏，马斯卡彭奶酪打发要耐心，冷藏一夜",
    "在家复刻网红酸菜鱼，鱼片用蛋清抓匀就会很嫩",
    "下雨天最适合炖一锅排骨汤，加玉米和胡萝卜很清甜",
    "凉拌黄瓜拍碎再切，蒜末香醋小米辣，夏天开胃",
    "自制酸奶只需要牛奶和菌粉，酸奶机八小时就好",
    "给孩子做的南瓜小馒头，颜色漂亮又松软",
]


def _posts(make_post, author, channels, start=0):
    """Publish original posts (each a different text) in the given channels."""
    return [
        make_post(author, channel=slug, title=f"厨房笔记第{start + i}篇", body=BODIES[start + i])
        for i, slug in enumerate(channels)
    ]


def test_a_new_account_weighs_1():
    weight, factors = account_weight(WeightComponents(), K)
    assert weight == 1.0 and set(factors.values()) == {1.0}


def test_a_vertical_author_outweighs_a_scattered_one(make_user, make_post):
    vertical = make_user("vertical")
    scattered = make_user("scattered")
    _posts(make_post, vertical, ["food", "home-cooking", "baking", "food"])
    _posts(make_post, scattered, ["food", "travel", "pets", "games"], start=4)
    weights_recompute(user_ids=[vertical.pk, scattered.pk])
    v = AccountWeight.objects.get(user=vertical)
    s = AccountWeight.objects.get(user=scattered)
    assert v.verticality == 1.0  # sub-channels count toward 美食
    assert s.verticality == 0.25
    assert v.factors["verticality"] == pytest.approx(1.2)
    assert s.factors["verticality"] == pytest.approx(0.9)
    assert v.weight > s.weight


def test_violations_lower_the_weight(make_user, make_post):
    clean, offender = make_user("clean"), make_user("offender")
    _posts(make_post, clean, ["food", "food"])
    posts = _posts(make_post, offender, ["food", "food"], start=2)
    reporter = make_user("reporter")
    Report.objects.create(reporter=reporter, post=posts[0], reason="spam", status="accepted", resolved_at=timezone.now())
    Post.objects.filter(pk=posts[1].pk).update(status="removed")
    weights_recompute(user_ids=[clean.pk, offender.pk])
    c = AccountWeight.objects.get(user=clean)
    o = AccountWeight.objects.get(user=offender)
    assert (c.violations, o.violations) == (0, 2)
    assert o.factors["violations"] == pytest.approx(0.64)
    assert o.weight == pytest.approx(c.weight * 0.64, rel=1e-3)


def test_old_violations_are_forgotten_after_90_days(make_user, make_post):
    author = make_user("reformed")
    post = _posts(make_post, author, ["food"])[0]
    Report.objects.create(reporter=make_user("r"), post=post, reason="spam", status="accepted",
                          resolved_at=timezone.now() - timedelta(days=91))
    weights_recompute(user_ids=[author.pk])
    assert AccountWeight.objects.get(user=author).violations == 0


def test_copies_lower_originality(make_user, make_post):
    original, copier = make_user("original"), make_user("copier")
    source = _posts(make_post, original, ["food"])[0]
    make_post(copier, channel="food", title=source.title, body=source.body)
    _posts(make_post, copier, ["baking"], start=3)
    weights_recompute(user_ids=[original.pk, copier.pk])
    assert AccountWeight.objects.get(user=original).originality == 1.0
    assert AccountWeight.objects.get(user=copier).originality == 0.5


def test_followers_who_are_active_raise_the_weight(make_user, make_post, audience):
    author = make_user("popular")
    post = _posts(make_post, author, ["food"])[0]
    fans = audience(10)
    Follow.objects.bulk_create([Follow(follower=f, followee=author) for f in fans])
    Event.objects.bulk_create([Event(user=f, post=post, kind="view", seconds=10) for f in fans[:8]])
    weights_recompute(user_ids=[author.pk])
    row = AccountWeight.objects.get(user=author)
    assert row.follower_activity == pytest.approx(0.8)
    assert row.factors["follower_activity"] == pytest.approx(1.12)


def test_the_weight_stays_within_half_and_double():
    low, _ = account_weight(WeightComponents(performance=0.1, originality=0.0, violations=5, negative_rate=1), K)
    high, _ = account_weight(WeightComponents(performance=9, follower_activity=1, verticality=1), K)
    assert (low, high) == (0.5, 2.0)  # 0.13 and 2.03 before clamping


def test_only_authors_with_new_activity_are_recomputed(make_user, make_post):
    a = make_user("a")
    _posts(make_post, a, ["food"])
    assert weights_recompute() == 1
    assert weights_recompute() == 0  # nothing changed since the last run


def test_the_creator_sees_the_components_through_the_api(make_user, make_post, client_for):
    author = make_user("creator")
    _posts(make_post, author, ["food", "travel"])
    weights_recompute(user_ids=[author.pk])
    body = client_for(author).get("/api/v1/creator/weight/").json()
    assert body["weight"] == AccountWeight.objects.get(user=author).weight
    assert body["components"]["verticality"] == 0.5
    assert set(body["factors"]) == {"performance", "follower_activity", "verticality", "originality", "violations", "negative"}
    assert Channel.objects.filter(slug="travel").exists()
