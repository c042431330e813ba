"""Delivery through a real Celery worker process, killed and started again."""

from __future__ import annotations

import contextlib
import os
import signal
import time

import pytest

from accounts import services as accounts
from content import services as content
from notifications.models import Notification, Outbox
from tests.conftest import _celery_worker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _told(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("verb", flat=True))


def test_a_worker_that_is_down_delays_notifications_but_loses_none(
    celery_worker_process, make_user, make_post, redis_conn
):
    alice = make_user("alice")
    note, video_note = make_post(alice, title="一"), make_post(alice, title="二")
    content.like_create(user=make_user("bob"), post=note)
    wait_for(lambda: _told(alice) == ["like"], timeout=30)  # the worker delivers after commit

    os.killpg(celery_worker_process.pid, signal.SIGKILL)
    celery_worker_process.wait()

    content.favourite_create(user=make_user("carol"), post=video_note)
    redis_conn.delete("celery")  # … and the broker loses its task: only the outbox remembers
    accounts.follow_create(
        follower=make_user("dave"), followee=alice
    )  # its task waits in the queue
    time.sleep(1.5)
    assert _told(alice) == ["like"]
    assert Outbox.objects.count() == 2

    restarted = _celery_worker([], "test-worker-restarted.log")
    proc = next(restarted)
    try:
        # The queued task delivers the follow; the sweep a starting worker runs, the save.
        wait_for(lambda: _told(alice) == ["favourite", "follow", "like"], timeout=45)
        assert not Outbox.objects.exists()
        assert proc.poll() is None
    finally:
        with contextlib.suppress(StopIteration):
            next(restarted)
