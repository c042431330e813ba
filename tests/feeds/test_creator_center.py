"""The creator center in plain words: where each post is on its way to 热门, why each move
happened in a sentence with its numbers, what to do about it, impressions per hour and
rates against their bars, at a constant number of queries."""

import re
from datetime import timedelta

from django.utils import timezone

from content.models import Event, Post
from feeds.engine import narrate
from feeds.models import AccountWeight, PoolEntry
from feeds.services.pools import pools_evaluate
from tests.feeds.conftest import GOOD_BODY


def _steps(page: str) -> list[tuple[str, str]]:
    """Return the journey strip's (status, label) pairs of the first strip on a page."""
    strip = page[page.index('data-testid="journey"') :]
    strip = strip[: strip.index("</ol>")]
    return re.findall(r'class="step step-(\w+)"[^>]*>\s*<span class="step-label">([^<]+)</span>', strip)


def test_the_early_stopped_posts_sentence_names_the_like_rate_and_the_bar(
    make_post, audience, show, client, client_for, settings
):
    post = make_post(title="武康路咖啡店探店", body=GOOD_BODY, tags=["咖啡"])
    show(post, audience(100), likes=2)
    pools_evaluate()

    api = client_for(post.author)
    pool = api.get("/api/v1/creator/posts/").json()["results"][0]["pool"]
    assert (pool["tier"], pool["state"]) == (0, "stopped")
    assert pool["thresholds"]["early_stop_like_rate"] == 0.03
    assert [t["action"] for t in pool["transitions"]] == ["enter", "early_stop"]
    assert pool["transitions"][-1]["said"] == "前 100 次曝光的点赞率 2%，低于 3%，暂停推荐"
    assert pool["where"] == "在初始流量池停止推荐" and pool["transitions"][-1]["advice"]

    client.force_login(post.author)
    center = client.get("/creator/").content.decode()
    assert "前 100 次曝光的点赞率 2%，低于 3%，暂停推荐" in center
    assert "可以做的：第一眼没打动人" in center
    assert _steps(center) == [
        ("stopped", "初始流量池"), ("ahead", "1\u00a0000"), ("ahead", "5\u00a0000"),
        ("ahead", "20\u00a0000"), ("ahead", "100\u00a0000"), ("ahead", "热门"),
    ]
    assert "在这里停止推荐" in center and "engagement" not in center

    # The bar is the knob's: raise it and the sentence says so.
    settings.ENGINE = {**settings.ENGINE, "POOL_EARLY_STOP_LIKE_RATE": 0.05}
    detail = client.get(f"/creator/p/{post.pk}/").content.decode()
    assert "前 100 次曝光的点赞率 2%，低于 5%，暂停推荐" in detail


def test_a_promotion_is_told_with_the_rate_and_the_tiers_bar(make_post, audience, show, client):
    post = make_post(title="武康路咖啡店探店", body=GOOD_BODY, tags=["咖啡"])
    show(post, audience(150), likes=20, comments=4, favourites=6, shares=2)
    assert pools_evaluate() == {"promote": 1}
    rates = post.pool_transitions.get(action="promote").rates

    client.force_login(post.author)
    detail = client.get(f"/creator/p/{post.pk}/").content.decode()
    engagement = narrate.pct(rates["engagement"])
    assert f"综合互动率 {engagement}，高于本级门槛 11%，进入下一级流量池（1\u00a0000 次曝光）" in detail
    assert _steps(detail)[:3] == [("done", "初始流量池"), ("current", "1\u00a0000"), ("ahead", "5\u00a0000")]
    assert "正在第 1 级流量池（1\u00a0000 次曝光）测试" in detail


def test_the_journey_says_hot_expired_and_not_entered_in_words():
    k = {"POOL_HOT_TIER": 5, "POOL_QUOTAS": [150, 1000, 5000, 20000, 100000]}
    assert [s.status for s in narrate.journey(tier=5, state="hot", k=k)] == ["done"] * 5 + ["current"]
    expired = narrate.journey(tier=1, state="expired", k=k)
    assert [s.status for s in expired[:3]] == ["done", "expired", "ahead"]
    assert "不是处罚" in expired[1].note
    assert {s.status for s in narrate.journey(tier=0, state="not_entered", k=k)} == {"ahead"}


def test_the_chart_has_a_point_per_hour_and_its_counts_agree_with_the_tier(
    make_post, audience, show, client, client_for
):
    post = make_post(title="武康路咖啡店探店", body=GOOD_BODY, tags=["咖啡"])
    now = timezone.now()
    five_hours_ago = now - timedelta(hours=5)
    Post.objects.filter(pk=post.pk).update(created_at=five_hours_ago)
    PoolEntry.objects.filter(post=post).update(tier_entered_at=five_hours_ago)
    show(post, audience(10), likes=3, at=now - timedelta(hours=4, minutes=30))
    show(post, audience(5), likes=1, at=now - timedelta(minutes=50))
    # A boost's viewers are shown the post but do not count in its tier.
    boosted = audience(3)
    Event.objects.bulk_create(
        Event(user=u, post=post, kind=Event.Kind.IMPRESSION, source="boost", created_at=now - timedelta(hours=2))
        for u in boosted
    )
    pools_evaluate()
    assert PoolEntry.objects.get(post=post).impressions_in_tier == 15

    client.force_login(post.author)
    detail = client.get(f"/creator/p/{post.pk}/").content.decode()
    assert 'data-testid="hour-chart"' in detail
    assert detail.count('<g class="hour">') == 6  # five hours back to this one
    assert "这段时间共曝光 <b>18</b> 次，其中 <b>15</b> 次计入本级流量池" in detail
    assert "本级已曝光 <b>15</b> / 150 次" in detail
    assert "曝光 10 次，计入本级 10 次" in detail and "曝光 3 次，计入本级 0 次" in detail

    # The API gives the same hours with the same split.
    hours = client_for(post.author).get(f"/api/v1/creator/posts/{post.pk}/").json()["impressions_by_hour"]
    assert len(hours) == 6
    shown = [(h["impressions"], h["counted"]) for h in hours if h["impressions"]]
    assert shown == [(10, 10), (3, 0), (5, 5)]


def test_the_quality_reason_counts_characters_as_a_person_does(make_post, client, settings):
    settings.ENGINE = {**settings.ENGINE, "QUALITY_BODY_CHARS": (40, 80)}
    body = "周末去了武康路#咖啡探店，拿铁很香，窗边的位置安静又明亮，适合一个人看书。"
    post = make_post(title="武康路咖啡店探店", body=body, tags=["咖啡"])
    assert "very little text (32 characters)" in PoolEntry.objects.get(post=post).quality_reasons

    client.force_login(post.author)
    detail = client.get(f"/creator/p/{post.pk}/").content.decode()
    assert "正文只有 32 个字（至少 40 个字更好）" in detail


def _posts_with_history(make_post, audience, show, author, n):
    for i in range(n):
        post = make_post(author, title=f"武康路咖啡店探店 {i}", body=GOOD_BODY, tags=["咖啡"])
        show(post, audience(100), likes=2)
    pools_evaluate()


def test_the_creator_pages_cost_the_same_queries_for_one_post_or_many(
    make_post, make_user, audience, show, client, django_assert_num_queries
):
    author = make_user("busy-writer")
    _posts_with_history(make_post, audience, show, author, 1)
    client.force_login(author)
    first = Post.objects.filter(author=author).get()
    client.get("/creator/")  # the page chrome's channel menu is cached after the first page
    # session, user, count, posts with their pool entries, transitions, account weight
    with django_assert_num_queries(6):
        client.get("/creator/")
    # session, user, the post with its pool entry, its transitions, impressions per hour
    with django_assert_num_queries(5):
        client.get(f"/creator/p/{first.pk}/")

    _posts_with_history(make_post, audience, show, author, 3)
    show(first, audience(5), at=timezone.now())
    with django_assert_num_queries(6):
        page = client.get("/creator/").content.decode()
    assert page.count('data-testid="creator-card"') == 4
    with django_assert_num_queries(5):
        client.get(f"/creator/p/{first.pk}/")


def test_the_account_weight_reads_in_words_not_a_table(make_user, client):
    author = make_user("weighed")
    AccountWeight.objects.create(
        user=author, weight=1.2, performance=1.5, follower_activity=0.4, verticality=0.8, negative_rate=0.004,
        factors={"performance": 1.1, "follower_activity": 1.05, "verticality": 1.0, "originality": 1.0,
                 "violations": 1.0, "negative": 0.98},
    )
    client.force_login(author)
    page = client.get("/creator/").content.decode()
    weight = page[page.index('data-testid="weight"') :]
    weight = weight[: weight.index("</section>")]
    assert "账号权重 <b>1.20</b>" in weight and "<table" not in weight
    assert "粉丝活跃：7 天内活跃的粉丝</span><b>40%</b>" in weight and "<b>4‰</b>" in weight


def test_nobody_sees_another_creators_center_entries(make_post, make_user, client_for, client):
    post = make_post(title="武康路咖啡店探店", body=GOOD_BODY)
    other = client_for(make_user("nosy"))
    assert other.get("/api/v1/creator/posts/").json()["results"] == []
    assert other.get(f"/api/v1/creator/posts/{post.pk}/").status_code == 404
    assert client.get("/creator/").status_code == 302  # anonymous: to the login page
