"""The index order: tiers of the static score, and the shortlist a read keeps."""

from search.ranking import TIER_ONE, rank_key, shortlist, tier, tier_of


def test_a_tier_is_a_five_percent_step_of_the_static_score():
    assert tier(1.0) == TIER_ONE
    assert tier(1.049) == TIER_ONE and tier(1.051) == TIER_ONE + 1
    assert tier(0.5) == TIER_ONE - 15  # 1.05 ** -15 = 0.48
    assert tier(0.0) == 0  # no one may find it: last in every read


def test_the_index_reads_a_better_tier_first_and_within_a_tier_the_newer_post():
    keys = {rank_key(7, tier(1.3)): "old, well liked", rank_key(9, tier(1.0)): "new", rank_key(8, tier(1.0)): "older"}
    assert [keys[k] for k in sorted(keys, reverse=True)] == ["old, well liked", "new", "older"]
    assert tier_of(rank_key(9, tier(1.3))) == tier(1.3)


def test_the_shortlist_weighs_the_text_score_against_the_tier():
    hits = [(1, 1.0, TIER_ONE), (2, 3.0, TIER_ONE - 15), (3, 1.2, TIER_ONE - 15)]
    # 3.0 × 0.48 beats 1.0 × 1; 1.2 × 0.48 does not.
    assert [pk for pk, _ in shortlist(hits, 2)] == [2, 1]
