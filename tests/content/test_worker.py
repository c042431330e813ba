"""Counter repair through a real Celery worker process (on the test Redis and database)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from content import services
from content.models import Event, Like, Post
from content.tasks import reconcile_counters, reconcile_recent_counters
from tests.conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _count(post_id: int, field: str) -> int:
    return Post.objects.values_list(field, flat=True).get(pk=post_id)


def test_the_worker_repairs_a_drifted_like_count(celery_worker_process, make_user, make_post):
    post = make_post(title="计数修复")
    for name in ("fan1", "fan2"):
        services.like_create(user=make_user(name), post=post)
    assert _count(post.pk, "like_count") == 2

    Post.objects.filter(pk=post.pk).update(like_count=99, comment_count=7)
    assert _count(post.pk, "like_count") == 99

    reconcile_counters.delay([post.pk])

    wait_for(lambda: _count(post.pk, "like_count") == 2, timeout=30)
    assert _count(post.pk, "comment_count") == 0
    assert Like.objects.filter(post=post).count() == 2
    assert celery_worker_process.poll() is None  # the worker is still up


def test_the_periodic_task_repairs_posts_with_recent_activity(
    celery_worker_process, make_user, make_post
):
    recent = make_post(title="最近有人点赞")
    quiet = make_post(title="很久没人看")
    services.like_create(user=make_user("fan"), post=recent)
    # The quiet post's only activity is two hours old.
    liker = make_user("oldfan")
    Like.objects.create(user=liker, post=quiet)
    Event.objects.create(
        user=liker, post=quiet, kind=Event.Kind.LIKE, created_at=timezone.now() - timedelta(hours=2)
    )
    Post.objects.filter(pk__in=[recent.pk, quiet.pk]).update(like_count=50)

    reconcile_recent_counters.delay(15)

    wait_for(lambda: _count(recent.pk, "like_count") == 1, timeout=30)
    # Only posts with events in the window are recounted: the quiet one is left alone.
    assert _count(quiet.pk, "like_count") == 50

    reconcile_recent_counters.delay(24 * 60)
    wait_for(lambda: _count(quiet.pk, "like_count") == 1, timeout=30)
    assert _count(recent.pk, "like_count") == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_event_batches_on_the_same_posts_all_land(make_post, make_user):
    """Two clients send batches over the same posts in opposite orders at once: no
    deadlock (PostgreSQL would abort one), every view is stored."""
    import threading

    from django.db import connection

    from content import services
    from content.models import Event, Post

    posts = [make_post(title=f"热门 {i}") for i in range(6)]
    viewers = [make_user("viewer-a"), make_user("viewer-b")]
    barrier = threading.Barrier(2)
    errors: list[str] = []

    def send(user, ordered):
        try:
            for _ in range(10):
                barrier.wait()
                services.events_ingest(user=user, events=[{"post": p.pk, "seconds": 3.0} for p in ordered])
        except Exception as exc:  # a deadlock or anything else fails the test below
            errors.append(repr(exc))
            barrier.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(viewers[0], posts)),
               threading.Thread(target=send, args=(viewers[1], posts[::-1]))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    # Every event is stored; the view counter counts each person once.
    assert Event.objects.filter(kind="view", post__in=posts).count() == 6 * 20
    assert set(Post.objects.filter(pk__in=[p.pk for p in posts]).values_list("view_count", flat=True)) == {2}


@pytest.mark.django_db(transaction=True)
def test_a_feed_pages_impressions_do_not_wait_for_the_disk_on_postgresql(make_post, make_user):
    """Impressions are written on every page: on PostgreSQL their transaction commits
    without waiting for its WAL flush (and only theirs: a like still does)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("synchronous_commit is PostgreSQL's")
    post, viewer = make_post(), make_user("viewer")
    with CaptureQueriesContext(connection) as queries:
        assert services.impressions_record(user=viewer, post_ids=[post.pk], source="discover") == 1
    sql = [q["sql"] for q in queries.captured_queries]
    assert any("synchronous_commit" in s for s in sql), sql
    assert Event.objects.filter(user=viewer, post=post, kind="impression").count() == 1
    with CaptureQueriesContext(connection) as queries:
        services.like_create(user=viewer, post=post)
    assert not any("synchronous_commit" in q["sql"] for q in queries.captured_queries)
