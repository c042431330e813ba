"""Traffic pools (流量池赛马) as a creator and an operator would describe them."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from content.models import ReviewRequest
from feeds.models import AccountWeight, PoolEntry, PoolTransition
from feeds.services.pools import _moderation_transition, pool_hold, pool_release, pools_evaluate
from feeds.services.weights import weights_recompute
from tests.feeds.conftest import GOOD_BODY


@pytest.fixture
def good_post(make_post):
    return make_post(title="武康路咖啡店探店", body=GOOD_BODY, tags=["咖啡", "探店"])


def test_a_post_shown_to_100_users_with_2_likes_stops_at_tier_0(good_post, audience, show):
    show(good_post, audience(100), likes=2)
    moved = pools_evaluate()
    entry = PoolEntry.objects.get(post=good_post)
    assert moved == {"early_stop": 1}
    assert (entry.tier, entry.state) == (0, "stopped")
    last = PoolTransition.objects.filter(post=good_post).last()
    assert last.action == "early_stop"
    assert "2.0%" in last.reason and "100 impressions" in last.reason
    assert last.rates["like_rate_raw"] == pytest.approx(0.02)


def test_a_post_under_its_quota_is_held_and_keeps_its_counts(good_post, audience, show):
    show(good_post, audience(60), likes=10)
    assert pools_evaluate() == {}
    entry = PoolEntry.objects.get(post=good_post)
    assert (entry.state, entry.tier, entry.impressions_in_tier) == ("active", 0, 60)


def test_strong_rates_climb_to_tier_2_once_tier_0_and_tier_1_quotas_fill(good_post, audience, show):
    viewers = audience(150)
    show(good_post, viewers, likes=20, comments=4, favourites=6, shares=2)
    assert pools_evaluate() == {"promote": 1}
    entry = PoolEntry.objects.get(post=good_post)
    assert (entry.tier, entry.quota, entry.impressions_in_tier) == (1, 1000, 0)

    # Tier 1 counts only what happens after the promotion.
    later = timezone.now() + timedelta(seconds=1)
    show(good_post, viewers * 6 + viewers[:100], likes=130, comments=25, favourites=40, shares=15, at=later)
    assert pools_evaluate(post_ids=[good_post.pk], now=later + timedelta(seconds=1)) == {"promote": 1}
    entry.refresh_from_db()
    assert (entry.tier, entry.state, entry.quota) == (2, "active", 5000)
    assert entry.impressions_total == 150 + 1000
    moves = list(PoolTransition.objects.filter(post=good_post).values_list("action", "from_tier", "to_tier"))
    assert moves == [("enter", None, 0), ("promote", 0, 1), ("promote", 1, 2)]
    assert all("quota filled" in t.reason for t in PoolTransition.objects.filter(action="promote"))


def test_a_clear_winner_above_the_base_pool_is_promoted_before_its_quota_fills(
    good_post, make_post, audience, show
):
    """Half of tier 1's 1 000 impressions are enough to call a post far above the bar; a
    post near the bar, or one with too few impressions yet, waits for the quota."""
    near = make_post(title="武康路咖啡店探店二", body=GOOD_BODY, tags=["咖啡"])
    viewers = audience(150)
    for post in (good_post, near):
        show(post, viewers, likes=20, comments=4, favourites=6, shares=2)
    assert pools_evaluate() == {"promote": 2}
    later = timezone.now() + timedelta(seconds=1)
    show(good_post, viewers * 2 + viewers[:100], likes=52, comments=10, favourites=16, shares=6, at=later)
    assert pools_evaluate(post_ids=[good_post.pk], now=later + timedelta(seconds=1)) == {}, "400 of 1 000: too few"

    later += timedelta(seconds=2)
    show(good_post, viewers[:100], likes=13, comments=2, favourites=4, shares=1, at=later)
    show(near, viewers * 3 + viewers[:50], likes=55, comments=3, favourites=3, shares=1, at=later)
    assert pools_evaluate(now=later + timedelta(seconds=1)) == {"promote": 1}
    entry = PoolEntry.objects.get(post=good_post)
    assert (entry.tier, entry.quota, entry.impressions_total) == (2, 5000, 150 + 500)
    last = PoolTransition.objects.filter(post=good_post).last()
    assert (last.action, last.from_tier, last.to_tier) == ("promote", 1, 2)
    assert last.reason.startswith("clear early, 500/1000 impressions"), last.reason
    held = PoolEntry.objects.get(post=near)
    assert (held.tier, held.state, held.impressions_in_tier) == (1, "active", 500)


def test_weak_rates_stop_when_the_quota_fills(good_post, audience, show, settings):
    # The plain verdict; the base pool's extensions have tests of their own below.
    settings.ENGINE = {**settings.ENGINE, "POOL_VERDICT_Z": 0.0}
    show(good_post, audience(150), likes=6)  # 4 %: no early stop, but weak
    assert pools_evaluate() == {"stop": 1}
    last = PoolTransition.objects.filter(post=good_post).last()
    assert last.action == "stop" and "engagement" in last.reason


def test_the_window_ending_evaluates_a_post_that_never_filled_its_quota(good_post, audience, show):
    show(good_post, audience(80), likes=24, favourites=10)  # 80 of 150: enough for a verdict
    later = timezone.now() + timedelta(hours=49)
    assert pools_evaluate(now=later) == {"promote": 1}
    assert "window ended" in PoolTransition.objects.filter(post=good_post).last().reason


def test_base_quota_scales_with_account_weight(make_post, make_user):
    strong = make_user("strong")
    AccountWeight.objects.create(user=strong, weight=1.8)
    weak = make_user("weak")
    AccountWeight.objects.create(user=weak, weight=0.5)
    a = make_post(strong, title="武康路咖啡店探店", body=GOOD_BODY, tags=["咖啡"])
    b = make_post(weak, title="西湖边的早餐", body="早上七点去西湖边吃了片儿川和葱包桧，汤头鲜美，价格也很实在，吃完沿着湖边走了一圈。", tags=["早餐"])
    assert PoolEntry.objects.get(post=a).quota == 270
    assert PoolEntry.objects.get(post=b).quota == 100  # 75, clamped to 100


def test_a_reported_post_stops_goes_to_moderation_and_its_author_loses_weight(good_post, audience, show):
    author = good_post.author
    weights_recompute(user_ids=[author.pk])
    before = AccountWeight.objects.get(user=author).weight
    show(good_post, audience(80), likes=8, reports=5)
    assert pools_evaluate() == {"negative_stop": 1}
    entry = PoolEntry.objects.get(post=good_post)
    assert entry.state == "stopped"
    last = PoolTransition.objects.filter(post=good_post).last()
    assert last.action == "negative_stop" and "report rate" in last.reason
    assert ReviewRequest.objects.filter(post=good_post, source="reports", resolved_at__isnull=True).exists()
    weights_recompute()  # the next scheduled recompute
    after = AccountWeight.objects.get(user=author)
    assert after.weight < before
    assert after.negative_rate > 0


def test_quick_skips_stop_a_post(good_post, audience, show):
    show(good_post, audience(60), likes=5, quick_skips=45)
    assert pools_evaluate() == {"negative_stop": 1}
    assert "quick-skip" in PoolTransition.objects.filter(post=good_post).last().reason


def test_evaluating_twice_changes_nothing_the_second_time(good_post, audience, show):
    show(good_post, audience(150), likes=25, favourites=8)
    assert pools_evaluate(post_ids=[good_post.pk]) == {"promote": 1}
    assert pools_evaluate(post_ids=[good_post.pk]) == {}
    assert PoolTransition.objects.filter(post=good_post, action="promote").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_evaluations_promote_a_post_once(make_post, audience, show):
    post = make_post(title="武康路咖啡店探店", body=GOOD_BODY, tags=["咖啡"])
    show(post, audience(150), likes=25, favourites=8)
    barrier = threading.Barrier(2)
    results = []

    def run():
        try:
            barrier.wait()
            results.append(pools_evaluate(post_ids=[post.pk]))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.get("promote", 0) for r in results) == [0, 1]
    assert PoolEntry.objects.get(post=post).tier == 1
    assert PoolTransition.objects.filter(post=post, action="promote").count() == 1


def test_active_pool_posts_are_in_redis_and_leave_when_stopped(
    make_post, audience, show, redis_conn, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        good_post = make_post(title="武康路咖啡店探店", body=GOOD_BODY, tags=["咖啡"])
    key_all = "fd:pool:all"
    assert redis_conn.zscore(key_all, str(good_post.pk)) == 1.0  # a base pool, nothing served yet
    show(good_post, audience(100), likes=1)
    with django_capture_on_commit_callbacks(execute=True):
        pools_evaluate()
    assert redis_conn.zscore(key_all, str(good_post.pk)) is None
    assert redis_conn.zscore(f"fd:pool:ch:{good_post.channel_id}", str(good_post.pk)) is None


@pytest.fixture
def one_extension(settings):
    settings.ENGINE = {**settings.ENGINE, "POOL_VERDICT_Z": 1.0, "POOL_BASE_EXTENSIONS": 1}


def test_a_near_miss_in_the_base_pool_gets_one_more_base_quota_then_a_verdict_on_all_of_it(
    good_post, audience, show, one_extension
):
    viewers = audience(300)
    show(good_post, viewers[:150], likes=10)  # 0.082 weighted: under 0.11 by less than its error (0.034)
    assert pools_evaluate() == {"extend": 1}
    entry = PoolEntry.objects.get(post=good_post)
    assert (entry.tier, entry.state, entry.quota, entry.extensions) == (0, "active", 300, 1)
    last = PoolTransition.objects.filter(post=good_post).last()
    assert last.action == "extend" and "not yet clear" in last.reason

    later = timezone.now() + timedelta(seconds=1)
    show(good_post, viewers[150:], likes=20, favourites=5, at=later)
    assert pools_evaluate(post_ids=[good_post.pk], now=later + timedelta(seconds=1)) == {"promote": 1}
    entry.refresh_from_db()
    assert (entry.tier, entry.quota) == (1, 1000)
    promote = PoolTransition.objects.filter(post=good_post).last()
    assert promote.impressions == 300  # judged on both base quotas


def test_a_clear_miss_stops_and_a_second_near_miss_is_not_extended_again(
    good_post, make_post, audience, show, one_extension
):
    show(good_post, audience(150), likes=5)  # 0.057: under the bar by more than its error
    assert pools_evaluate() == {"stop": 1}

    other = make_post(title="西湖边的早餐", body="早上七点去西湖边吃了片儿川和葱包桧，汤头鲜美，价格也很实在。", tags=["早餐"])
    viewers = audience(300)
    show(other, viewers[:150], likes=10)
    assert pools_evaluate(post_ids=[other.pk]) == {"extend": 1}
    later = timezone.now() + timedelta(seconds=1)
    show(other, viewers[150:], likes=8, at=later)  # still short on 300 impressions
    assert pools_evaluate(post_ids=[other.pk], now=later + timedelta(seconds=1)) == {"stop": 1}
    entry = PoolEntry.objects.get(post=other)
    assert (entry.state, entry.tier, entry.extensions) == ("stopped", 0, 1)


def test_a_narrow_pass_in_the_base_pool_is_checked_on_another_base_quota_before_promotion(
    good_post, audience, show, one_extension
):
    viewers = audience(300)
    show(good_post, viewers[:150], likes=12, favourites=2)  # 0.12: over 0.11, but within its error
    assert pools_evaluate() == {"extend": 1}
    assert PoolEntry.objects.get(post=good_post).tier == 0

    later = timezone.now() + timedelta(seconds=1)
    show(good_post, viewers[150:], likes=4, at=later)  # the first quota was luck
    assert pools_evaluate(post_ids=[good_post.pk], now=later + timedelta(seconds=1)) == {"stop": 1}
    assert PoolEntry.objects.get(post=good_post).state == "stopped"
    stop = PoolTransition.objects.filter(post=good_post).last()
    assert (stop.from_tier, stop.impressions) == (0, 300)  # judged on both base quotas


def test_without_the_evidence_rule_a_narrow_pass_is_promoted_at_once(good_post, audience, show, settings):
    settings.ENGINE = {**settings.ENGINE, "POOL_VERDICT_Z": 0.0}
    show(good_post, audience(150), likes=12, favourites=2)
    assert pools_evaluate() == {"promote": 1}


def test_a_moderation_hold_never_overwrites_a_pool_move_it_did_not_see(good_post, audience, show):
    seen_by_moderation = PoolEntry.objects.get(post=good_post)  # read before the evaluation
    show(good_post, audience(100), likes=2)
    assert pools_evaluate() == {"early_stop": 1}

    # Written on the version it read, the hold changes nothing: the stop stands.
    assert not _moderation_transition(seen_by_moderation, "held", reason="held by moderation", now=timezone.now())
    assert PoolEntry.objects.get(post=good_post).state == "stopped"
    assert not PoolTransition.objects.filter(post=good_post, action="moderation").exists()

    # The hold reads the entry again, and a release gives back the state it had.
    assert pool_hold(post=good_post, reason="spam")
    held = PoolEntry.objects.get(post=good_post)
    assert (held.state, held.tier) == ("held", 0)
    assert PoolTransition.objects.filter(post=good_post).last().from_state == "stopped"
    assert not pool_hold(post=good_post, reason="again"), "a held post is not held twice"
    pool_release(post=good_post, admit=False)
    assert PoolEntry.objects.get(post=good_post).state == "stopped"
