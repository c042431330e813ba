"""Operator commands: rebuild Redis from the database, run a recompute by hand."""

import pytest
from django.core.management import CommandError, call_command

from feeds.models import HotEntry
from feeds.services.hot import hot_recompute
from tests.feeds.conftest import GOOD_BODY


def test_rebuild_redis_restores_pools_hot_lists_and_weights_after_redis_lost_them(
    make_post, redis_conn, capsys
):
    post = make_post(title="武康路咖啡店探店", body=GOOD_BODY, tags=["咖啡"])
    post.like_count = 5
    post.save(update_fields=["like_count"])
    hot_recompute()
    call_command("recompute", "weights")
    redis_conn.flushdb()  # Redis lost everything

    call_command("rebuild_redis")
    assert "Rebuilt Redis" in capsys.readouterr().out
    assert redis_conn.zscore("fd:pool:all", str(post.pk)) == 1.0  # tier 0, nothing served
    assert redis_conn.zscore(f"fd:pool:ch:{post.channel_id}", str(post.pk)) == 1.0
    assert redis_conn.zrevrange("fd:hot:global", 0, -1) == [str(post.pk).encode()]
    assert float(redis_conn.hget("fd:weight", str(post.author_id))) > 0


def test_rebuild_drops_keys_the_database_no_longer_backs(make_post, redis_conn):
    redis_conn.zadd("fd:hot:global", {"999999": 1})
    call_command("rebuild_redis")
    assert redis_conn.zscore("fd:hot:global", "999999") is None


@pytest.mark.parametrize("job", ["pools", "hot", "weights", "interests"])
def test_each_recompute_runs_once_by_hand(job, make_post, capsys):
    make_post(title="武康路咖啡店探店", body=GOOD_BODY, tags=["咖啡"])
    call_command("recompute", job)
    assert capsys.readouterr().out.startswith("Ran ")


def test_hot_by_hand_fills_the_hot_lists(make_post):
    post = make_post(title="武康路咖啡店探店", body=GOOD_BODY, tags=["咖啡"])
    post.like_count = 3
    post.save(update_fields=["like_count"])
    call_command("recompute", "hot")
    assert HotEntry.objects.filter(list_key="global", post=post).exists()


def test_an_unknown_recompute_is_refused_with_the_choices():
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("recompute", "everything")
