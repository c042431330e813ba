"""The engine's tasks through a real Celery worker process, as beat would run them."""

import pytest

from content.models import Post
from feeds.models import AccountWeight, HotEntry, PoolEntry, PoolTransition
from feeds.tasks import evaluate_pools, recompute_hot, recompute_weights
from tests.conftest import wait_for
from tests.feeds.conftest import GOOD_BODY

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_beat_tasks_promote_a_post_and_refresh_hot_lists_and_weights(
    celery_worker_process, make_post, audience, show
):
    post = make_post(title="武康路咖啡店探店", body=GOOD_BODY, tags=["咖啡", "探店"])
    show(post, audience(150), likes=30, favourites=10)
    evaluate_pools.delay()
    wait_for(lambda: PoolEntry.objects.get(post=post).tier == 1, timeout=30)
    assert PoolTransition.objects.filter(post=post, action="promote").count() == 1

    Post.objects.filter(pk=post.pk).update(like_count=30, favourite_count=10)
    recompute_hot.delay()
    wait_for(lambda: HotEntry.objects.filter(list_key="global", post=post).exists(), timeout=30)

    recompute_weights.delay()
    wait_for(lambda: AccountWeight.objects.filter(user=post.author).exists(), timeout=30)
    assert celery_worker_process.poll() is None


def test_a_task_that_finds_the_lock_taken_skips(redis_conn, db):
    redis_conn.set("fd:lock:pools", "someone-else", ex=30)
    assert evaluate_pools() == {"skipped": 1}
    redis_conn.delete("fd:lock:pools")
    assert "skipped" not in evaluate_pools()
