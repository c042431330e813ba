"""The simulator runs the real feeds in simulated time and reports the issue's figures."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from content.models import Event, Post
from lab.simulator import TOPIC_SUFFIXES


@pytest.mark.django_db(transaction=True)
def test_simulate_writes_the_figures_as_json(simulate, channels):
    figures = simulate(pages=2, knob=["FEED_POOL_SHARE=0.3"], unpicked="0.4,0.3", topics=3, opens=1)
    epi = figures["engagement_per_impression"]
    assert set(epi) == {"discover", "chronological", "most_liked", "random"}
    assert all(0 < v < 1 for v in epi.values())
    for key in ["high_quality_new_reached_tier2", "low_quality_new_stopped_tier0"]:
        assert figures[key] is None or 0 <= figures[key] <= 1
    assert "channels_per_100_items" in figures
    assert figures["samples"]["discover_impressions"] > 0
    assert figures["world"]["knobs"] == {"FEED_POOL_SHARE": 0.3}
    # The simulator is a tool, not a target: it compares discover with the baselines and
    # with the oracle, and keeps targets only for the pools and the channel mix.
    assert (
        figures["discover_share_of_oracle"] == figures["ratio_ceiling"]["discover_share_of_oracle"]
    )
    assert set(figures["targets"]) == {
        "high_quality_new_reached_tier2",
        "low_quality_new_stopped_tier0",
        "channels_per_100_items",
    }
    # How far the rules let discover go: the share of people's feeds the channel rule allows
    # in their tastes, what discover would reach if all of that earned the main lane's
    # rate, and the oracle (true tastes and quality known, same rules, nothing to test).
    ceiling = figures["ratio_ceiling"]
    assert 0 < ceiling["in_taste_capacity"] <= 1
    assert 0 < ceiling["in_taste_share"] < 1
    assert ceiling["engagement_in_taste"] > ceiling["engagement_outside"] > 0
    assert ceiling["main_lane_everywhere_vs_most_liked"] > 0
    assert ceiling["oracle_engagement"] > epi["random"]
    assert ceiling["oracle_vs_most_liked"] == pytest.approx(
        ceiling["oracle_engagement"] / epi["most_liked"], abs=0.011
    )
    assert 0 < ceiling["discover_share_of_oracle"] <= 1.5
    # The testing oracle keeps the new posts discover's pool lane tested and chooses the
    # rest: never more than the oracle, which tests nothing.
    assert 0 < ceiling["oracle_testing_engagement"] <= ceiling["oracle_engagement"]
    assert ceiling["oracle_testing_vs_most_liked"] == pytest.approx(
        ceiling["oracle_testing_engagement"] / epi["most_liked"], abs=0.011
    )
    # Where discover's impressions went by hidden taste, overall and on the first and
    # last day: the channels people picked, those they like but did not pick, the rest.
    taste = figures["discover_by_taste"]
    assert set(taste) == {"all days", "first day", "last day"}
    for split in taste.values():
        assert set(split) == {"picked", "unpicked", "outside"}
        assert sum(kind["share"] for kind in split.values()) == pytest.approx(1, abs=0.001)
    assert taste["all days"]["picked"]["engagement"] > taste["all days"]["outside"]["engagement"]
    assert figures["world"]["unpicked_interests"] == [0.4, 0.3]
    # Tastes over tags: every post carries its sub-channel's name and one of its three
    # topic tags, and people engage more with their favourite topic of a channel.
    assert figures["world"]["topics_per_channel"] == 3
    for post in Post.objects.prefetch_related("tags").select_related("channel")[:20]:
        names = {t.name for t in post.tags.all()}
        assert post.channel.name_zh in names
        assert len(names & {post.channel.name_zh + suffix for suffix in TOPIC_SUFFIXES}) == 1
    by_topic = figures["discover_by_topic"]
    assert set(by_topic) == {"all days", "first day", "last day", "profile at the end"}
    learnt = by_topic["profile at the end"]
    assert (
        learnt["pairs"] >= learnt["informed_pairs"] > 0
        and 0 <= learnt["favourite_is_strongest"] <= 1
    )
    assert learnt["affinity_favourite"] >= 0 and learnt["affinity_other"] >= 0
    assert 0 < by_topic["all days"]["favourite_share"] < 1
    assert by_topic["all days"]["engagement_favourite"] > by_topic["all days"]["engagement_other"]
    lanes = figures["discover_by_lane"]
    assert (
        sum(lane["impressions"] for lane in lanes.values())
        == figures["samples"]["discover_impressions"]
    )
    # The people really scrolled the real feed: impressions and reactions are events.
    # (Held-back pool posts that filled a page are recorded as the reserve lane's.)
    assert (
        Event.objects.filter(kind="impression", source__in=["discover", "reserve"]).count()
        == figures["samples"]["discover_impressions"]
    )
    assert Event.objects.filter(kind="like", source="sim").exists()
    # With --opens people also open cards to read them: views of five seconds or more,
    # which the interest profiles take as a weak signal.
    assert figures["world"]["opens"] == 1
    assert Event.objects.filter(kind="view", source="sim", seconds__gte=5).exists()


@pytest.mark.django_db
def test_simulate_refuses_a_database_with_posts_and_bad_options(make_post):
    make_post()
    with pytest.raises(CommandError, match="empty database"):
        call_command("simulate", users=20, authors=4, days=2)
    Post.objects.all().delete()
    with pytest.raises(CommandError, match="--days"):
        call_command("simulate", days=1)
    with pytest.raises(CommandError, match="--quota-scale"):
        call_command("simulate", quota_scale=0)
    with pytest.raises(CommandError, match="one of the ENGINE knobs"):
        call_command("simulate", knob=["NO_SUCH_KNOB=1"])
    with pytest.raises(CommandError, match=r"--knob FEED_POOL_SHARE: must lie in \[0, 1\], not 2"):
        call_command("simulate", knob=["FEED_POOL_SHARE=2"])
    for bad in ["0.7", "abc", "0.4,-1", "0.1,0.1,0.1,0.1,0.1,0.1"]:
        with pytest.raises(CommandError, match="--unpicked"):
            call_command("simulate", unpicked=bad)
    for bad in [1, 7, -1]:
        with pytest.raises(CommandError, match="--topics"):
            call_command("simulate", topics=bad)
    for bad in [-0.5, 4]:
        with pytest.raises(CommandError, match="--opens"):
            call_command("simulate", opens=bad)
