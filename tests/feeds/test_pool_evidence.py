"""No pool verdict without evidence: a window that closes on too few impressions waits,
then ends the post's test as "expired", never as a stop decided by the prior."""

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from feeds.engine import pools
from feeds.models import PoolEntry, PoolTransition
from feeds.services.discover import candidates_for
from feeds.services.pools import pools_evaluate
from feeds.services.serving import Exclusions
from tests.feeds.conftest import GOOD_BODY

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
WINDOW_OVER = NOW - timedelta(minutes=1)


def _decide(tier, counts, *, waits=0, quota=None, extensions=0):
    k = django_settings.ENGINE
    return pools.decide(
        tier=tier,
        kind="note",
        quota=quota or pools.tier_quota(tier, 1.0, k),
        counts=counts,
        window_ends_at=WINDOW_OVER,
        now=NOW,
        k=k,
        extensions=extensions,
        waits=waits,
    )


# ---------------------------------------------------------------- the rule, plain values
def test_a_base_pool_window_that_closes_unseen_waits_instead_of_promoting_on_the_prior():
    decision = _decide(0, pools.TierCounts())
    assert decision.action == pools.WAIT, decision
    assert "0 of the 75 impressions" in decision.reason


def test_a_tier_two_window_with_three_impressions_does_not_stop_the_post():
    decision = _decide(2, pools.TierCounts(impressions=3))
    assert decision.action == pools.WAIT, decision


def test_after_the_last_window_a_post_still_short_of_evidence_expires():
    k = django_settings.ENGINE
    last = k["POOL_EVIDENCE_MAX_WINDOWS"] - 1
    assert (
        _decide(1, pools.TierCounts(impressions=12, likes=3), waits=last - 1).action == pools.WAIT
    )
    decision = _decide(1, pools.TierCounts(impressions=12, likes=3), waits=last)
    assert decision.action == pools.EXPIRE
    assert (
        "shown to only 12 people in tier 1" in decision.reason and "not a stop" in decision.reason
    )


def test_with_enough_impressions_the_window_still_decides():
    weak = pools.TierCounts(impressions=80, likes=4)  # 5 %: over the early-stop line, under the bar
    assert _decide(0, weak).action == pools.STOP
    strong = pools.TierCounts(impressions=80, likes=20, favourites=6)
    assert _decide(0, strong).action == pools.PROMOTE


def test_an_extended_base_pool_needs_the_evidence_of_one_base_quota_not_of_all_its_extensions():
    k = django_settings.ENGINE
    assert pools.min_evidence(0, 450, 2, k) == 75
    assert pools.min_evidence(1, 1000, 2, k) == 500


def test_negative_feedback_still_stops_a_post_on_its_own_minimums():
    reported = pools.TierCounts(impressions=20, reports=3)
    assert _decide(0, reported).action == pools.NEGATIVE_STOP


# ---------------------------------------------------------------- through the services
@pytest.fixture
def good_post(make_post):
    return make_post(title="武康路咖啡店探店", body=GOOD_BODY, tags=["咖啡", "探店"])


def test_a_post_nobody_saw_in_three_windows_expires_and_the_creator_is_told_why(
    good_post, audience, show, client
):
    show(good_post, audience(10), likes=3)
    start = PoolEntry.objects.get(post=good_post).window_ends_at
    assert pools_evaluate(now=start + timedelta(minutes=1)) == {"wait": 1}
    entry = PoolEntry.objects.get(post=good_post)
    assert (entry.state, entry.tier, entry.waits) == ("active", 0, 1)
    assert entry.window_ends_at > start + timedelta(hours=47)

    assert pools_evaluate(now=entry.window_ends_at + timedelta(minutes=1)) == {"wait": 1}
    entry.refresh_from_db()
    client.force_login(good_post.author)
    waiting = client.get(f"/creator/p/{good_post.pk}/").content.decode()
    assert "第 3 轮，共 3 轮" in waiting and "不到 75 个" in waiting
    assert pools_evaluate(now=entry.window_ends_at + timedelta(minutes=1)) == {"expire": 1}
    entry.refresh_from_db()
    assert (entry.state, entry.tier) == ("expired", 0)
    actions = list(PoolTransition.objects.filter(post=good_post).values_list("action", flat=True))
    assert actions == ["enter", "wait", "wait", "expire"]

    listing = client.get("/creator/").content.decode()
    assert "测试结束" in listing and "在初始流量池测试结束，没有结论" in listing
    assert "在初始流量池里，3 轮共 144 小时只有 10 人看到（需要 75 人才能判断），测试结束：没有晋级，也没有停止" in listing
    detail = client.get(f"/creator/p/{good_post.pk}/").content.decode()
    assert "不够判断" in detail and "这不是处罚" in detail


def test_an_expired_post_is_ranked_on_what_it_measured_not_marked_down_as_stopped(
    good_post, audience, show
):
    show(good_post, audience(10), likes=3)
    later = timezone.now()
    for _ in range(django_settings.ENGINE["POOL_EVIDENCE_MAX_WINDOWS"]):
        later = PoolEntry.objects.get(post=good_post).window_ends_at + timedelta(minutes=1)
        pools_evaluate(now=later)
    assert PoolEntry.objects.get(post=good_post).state == "expired"
    (candidate,) = candidates_for([good_post.pk], Exclusions())
    assert not candidate.stopped and not candidate.in_pool and not candidate.under_test
