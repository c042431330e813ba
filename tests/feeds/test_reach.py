"""The reach-back pointer (``fd:reach:…``): a heavy reader's walk down the timeline goes
on from where it stopped, from the top once it reaches the oldest post, and starts anew
a day after it began by the application's clock, which is the clock a replay in
simulated time moves (Redis's own expiry never sees it)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from feeds import stores
from feeds.knobs import knobs
from feeds.services.discover import DISCOVER, Scope, Tree, _older_sources

pytestmark = pytest.mark.django_db


def test_a_walk_is_over_a_day_after_it_began_by_the_apps_clock(redis_conn):
    key = stores.reach_key(1, DISCOVER, "latest")
    at = timezone.now() - timedelta(days=30)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        stores.reach_set(key, at)
        began = stores.reach_get(key).began
        clock.shift(timedelta(hours=23))
        stores.reach_set(key, at - timedelta(days=1), began)  # the same walk, further down
        assert stores.reach_get(key).at == at - timedelta(days=1), "within the day the walk goes on"
        clock.shift(timedelta(hours=1))
        assert stores.reach_get(key) is None, "a day after it began, the walk starts anew"
    assert redis_conn.ttl(key) > 0, "Redis still drops the key itself"


@pytest.fixture
def timeline(make_user, publish):
    """Return a function walking the reach-back for one reader, two posts at a time, and
    the posts newest first."""

    def make(n: int):
        author = make_user("walker-author")
        posts = [publish(author, "food") for _ in range(n)]
        reader = make_user("heavy-reader")
        k = {**knobs(), "FEED_CANDIDATES_PER_SOURCE": 2}

        def walk() -> list[int]:
            return list(_older_sources(reader.pk, Scope(DISCOVER), Tree.load(), [], set(), k))

        return walk, [p.pk for p in reversed(posts)]

    return make


def test_posts_a_walk_passed_over_come_back_a_day_after_it_began(timeline):
    walk, newest_first = timeline(8)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert walk() == newest_first[:2]
        assert walk() == newest_first[2:4], "the next reach-back walks on from where the last stopped"
        clock.shift(timedelta(hours=23))
        assert walk() == newest_first[4:6]
        clock.shift(timedelta(hours=1))
        assert walk() == newest_first[:2], "a day after the walk began, it starts from the top again"


def test_a_walk_that_reaches_the_oldest_post_goes_on_from_the_top(timeline):
    walk, newest_first = timeline(5)
    with time_machine.travel(timezone.now(), tick=False):
        assert walk() == newest_first[:2]
        assert walk() == newest_first[2:4]
        assert walk() == [newest_first[4], newest_first[0]], "a full batch: the oldest, then the newest"
        assert walk() == newest_first[1:3]
