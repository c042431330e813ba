"""Freshness sorts what someone is not looking for and does not bury what they are: a
note in their interests is read for days, not hours."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from content.models import Channel, Post
from feeds.engine.discover import Candidate, Profile, freshness, rank
from feeds.models import InterestAffinity, PoolEntry
from feeds.services.rebuild import rebuild_redis

K = django_settings.ENGINE
NOW = timezone.now()


def _post(pk, *, channel, age_hours, likes=0, impressions=0):
    return Candidate(
        post_id=pk,
        author_id=pk,
        channel_id=channel,
        parent_channel_id=None,
        kind="note",
        published_at=NOW - timedelta(hours=age_hours),
        likes=likes,
        impressions=impressions,
    )


# ---------------------------------------------------------------- the rule, plain values
def test_a_week_old_post_keeps_more_freshness_the_better_it_matches():
    week_old = NOW - timedelta(days=7)
    assert freshness(week_old, NOW, K, match=0.0) == pytest.approx(K["FEED_FRESHNESS_FLOOR"])
    assert freshness(week_old, NOW, K, match=1.0) == pytest.approx(
        K["FEED_FRESHNESS_RELEVANT_FLOOR"]
    )
    assert freshness(week_old, NOW, K, match=0.5) < freshness(week_old, NOW, K, match=1.0)


def test_a_new_post_is_fresh_whatever_it_matches():
    assert freshness(NOW, NOW, K, match=0.0) == freshness(NOW, NOW, K, match=1.0) == 1.0


def test_a_liked_post_from_last_week_in_my_interests_outranks_a_new_post_i_half_care_about():
    profile = Profile(channels={1: 1.0, 2: 0.4})
    proven = _post(1, channel=1, age_hours=24 * 5, likes=15, impressions=100)
    new = [_post(pk, channel=2, age_hours=0.5) for pk in range(2, 8)]
    ranked = rank([*new, proven], profile=profile, weights={}, now=NOW, k=K)
    assert ranked[0].post_id == 1, [(c.post_id, round(c.score, 3)) for c in ranked]


def test_between_two_equally_relevant_posts_the_newer_still_comes_first():
    profile = Profile(channels={1: 1.0})
    ranked = rank(
        [_post(1, channel=1, age_hours=24 * 5), _post(2, channel=1, age_hours=2)],
        profile=profile,
        weights={},
        now=NOW,
        k=K,
    )
    assert [c.post_id for c in ranked] == [2, 1]


# ---------------------------------------------------------------- through the services
def test_a_well_liked_food_note_from_four_days_ago_tops_a_food_lovers_page_of_new_travel_notes(
    make_user, publish, person, client_for, settings
):
    # The channel rule would let the food note in after three travel notes anyway: off, so
    # the page shows the ranking itself.
    settings.ENGINE = {**settings.ENGINE, "FEED_MAX_PER_CHANNEL": 20}
    proven = publish(make_user("cook"), "food")
    Post.objects.filter(pk=proven.pk).update(
        published_at=timezone.now() - timedelta(days=4), like_count=15
    )
    new = [publish(make_user(f"traveller{i}"), "travel") for i in range(8)]
    # The pools are done with every post (promoted to hot): they compete on their rank.
    PoolEntry.objects.update(state=PoolEntry.State.HOT, tier=5)
    PoolEntry.objects.filter(post=proven).update(impressions_total=100)
    viewer = person("foodie", ["food", "travel", "pets"])
    travel = Channel.objects.get(slug="travel")
    InterestAffinity.objects.filter(user=viewer, kind="channel", key=travel.pk).update(score=4.0)
    rebuild_redis()

    results = client_for(viewer).get("/api/v1/feeds/discover/?size=5").json()["results"]
    served = [r["post"]["id"] for r in results]
    assert len(served) == 5 and set(served) <= {proven.pk, *(p.pk for p in new)}
    assert served[0] == proven.pk, served
