"""A person away for months is not a stranger: onboarding picks and long-held interests
keep a floor that decay and forgetting cannot cross."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from accounts import services as accounts
from content.models import Channel
from feeds.engine.interests import Signal, affinity_floor, decayed
from feeds.models import InterestAffinity
from feeds.services.discover import profile_of
from feeds.services.interests import interests_apply, interests_decay, interests_seed, top_interests

K = django_settings.ENGINE


# ---------------------------------------------------------------- the rule, plain values
def test_decay_stops_at_the_floor_of_an_affinity_that_was_above_it():
    assert decayed(10.0, 0.5, 2.0) == 5.0
    assert decayed(3.0, 0.5, 2.0) == 2.0
    assert decayed(2.0, 0.001, 2.0) == 2.0


def test_a_score_the_person_took_below_the_floor_decays_as_before():
    assert decayed(1.0, 0.5, 2.0) == 0.5
    assert decayed(-6.0, 0.5, 2.0) == -3.0


def test_a_pick_has_a_floor_and_only_an_interest_held_for_weeks_earns_one():
    assert affinity_floor(peak=0.0, held_days=0, picked=True, k=K) == K["INTEREST_PICK_FLOOR"]
    held = K["INTEREST_HELD_DAYS"]
    assert affinity_floor(peak=20.0, held_days=held, picked=False, k=K) == pytest.approx(
        K["INTEREST_HELD_FLOOR_SHARE"] * 20.0
    )
    assert affinity_floor(peak=20.0, held_days=held - 1, picked=False, k=K) == 0.0, (
        "a one-week binge"
    )
    assert affinity_floor(peak=1.0, held_days=held * 3, picked=False, k=K) == 0.0, (
        "a passing glance"
    )


# ---------------------------------------------------------------- through the services
def _months_pass(months: int) -> None:
    start = timezone.now()
    interests_decay(now=start)  # the first run sets the watermark
    for month in range(1, months + 1):
        interests_decay(now=start + timedelta(days=30 * month))


def test_someone_back_after_four_months_still_has_their_onboarding_picks(make_user):
    user = make_user("traveller")
    interests_seed(user_id=user.pk)  # what the onboarding hook does once the picks commit
    picked = set(user.interest_picks.values_list("channel_id", flat=True))
    assert len(picked) == 3
    _months_pass(4)
    kept = dict(top_interests(user_id=user.pk, kind="channel"))
    assert set(kept) == picked
    assert all(score >= K["INTEREST_PICK_FLOOR"] for score in kept.values())
    profile, _, _ = profile_of(user.pk, K)
    assert not profile.empty, "a returning person is not served a cold-start feed"


def test_an_interest_followed_for_weeks_survives_months_away_and_a_one_off_does_not(
    make_user, make_post
):
    user = make_user("reader", onboard=False)
    cooking = make_post(
        title="家常红烧肉做法", body="五花肉焯水后炒糖色，小火炖一小时，软糯不腻。", tags=["红烧肉"]
    )
    once = make_post(title="第一次跑半马", body="二十一公里跑了两小时，配速还要练", tags=["跑步"])
    start = timezone.now()
    for day in (0, 10, 20, 30, 40):
        interests_apply([Signal(user.pk, cooking.pk, "like")], now=start + timedelta(days=day))
    interests_apply([Signal(user.pk, once.pk, "favourite")], now=start + timedelta(days=40))
    _months_pass(6)
    tags = dict(top_interests(user_id=user.pk, kind="tag", limit=50))
    braised = cooking.post_tags.get(tag__name="红烧肉").tag_id
    running = once.post_tags.get(tag__name="跑步").tag_id
    assert braised in tags, "five likes over forty days are not forgotten"
    assert tags[braised] == pytest.approx(K["INTEREST_HELD_FLOOR_SHARE"] * 10.0)  # a fifth of its peak
    assert running not in tags


def test_a_channel_no_longer_picked_loses_its_pick_floor(make_user):
    user = make_user("changer")
    interests_seed(user_id=user.pk)
    first = Channel.objects.filter(parent__isnull=True).order_by("pk")
    dropped = user.interest_picks.order_by("channel_id").first().channel_id
    accounts.interests_set(user=user, channels=first.exclude(pk=dropped)[:3])
    interests_seed(user_id=user.pk)
    _months_pass(4)
    assert not InterestAffinity.objects.filter(user=user, kind="channel", key=dropped).exists()
