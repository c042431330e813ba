"""Redis that heals itself: lost or restarted structures are rebuilt by the worker, the
feeds answer from the database meanwhile, rate limits hold without Redis, and a
restarted Redis keeps its data."""

from __future__ import annotations

import os
import signal
import time
from datetime import timedelta

import pytest
import redis as redis_py
from django.utils import timezone

from accounts import services as accounts
from config import redis_embedded
from content.models import Post
from feeds import stores
from feeds.services.healing import fanout_repair, redis_heal, structures_to_heal
from tests.conftest import _test_redis_socket, wait_for

NEARBY = "/api/v1/feeds/nearby/?lat=31.24&lng=121.49&size=20"


def _kill_and_restart(var_dir, name: str, *, lose_data: bool) -> None:
    """SIGKILL a Redis server (no shutdown, no save) and start it again."""
    pid = int((var_dir / f"{name}.pid").read_text())
    os.kill(pid, signal.SIGKILL)
    wait_for(lambda: not redis_embedded.ping(redis_embedded.socket_path(var_dir, name)), timeout=10)
    if lose_data:
        for leftover in (f"{name}.aof", f"{name}.rdb"):
            (var_dir / leftover).unlink(missing_ok=True)
    redis_embedded.start(var_dir, name)


def _ids(body) -> list[int]:
    return [r["post"]["id"] for r in body["results"]]


@pytest.mark.django_db(transaction=True)
def test_after_redis_restarts_nearby_shows_the_posts_again_within_a_minute(
    celery_worker_with_beat, make_user, publish, client_for
):
    sock = _test_redis_socket()
    if sock is None:
        pytest.skip("the suite runs against an external Redis (TEST_REDIS_URL)")
    author = make_user("shanghai-author")
    posts = [
        publish(author, "food", place_name="外滩", lat=31.24 + i * 0.001, lng=121.49)
        for i in range(5)
    ]
    viewer = client_for(make_user("viewer"))
    before = viewer.get(NEARBY).json()
    assert before["fallback"] is False and set(_ids(before)) == {p.pk for p in posts}

    _kill_and_restart(sock.parent, sock.name.removesuffix(".sock"), lose_data=True)

    # At once: the map is gone, the feed answers from the database.
    during = viewer.get(NEARBY)
    assert during.status_code == 200
    assert during.json()["fallback"] is True and set(_ids(during.json())) == {p.pk for p in posts}
    # Within a minute, without anyone typing a command, Redis serves the map again.
    healed = wait_for(
        lambda: (body := viewer.get(NEARBY).json())["fallback"] is False and body,
        timeout=60,
        interval=1,
    )
    assert set(_ids(healed)) == {p.pk for p in posts}
    stores.redis().connection_pool.disconnect()  # the next test starts on fresh connections


@pytest.mark.django_db(transaction=True)
def test_a_worker_that_starts_rebuilds_what_redis_lost(make_user, publish, client_for, request):
    author = make_user("map-author")
    posts = [
        publish(author, "travel", place_name="外滩", lat=31.24, lng=121.49 + i * 0.001)
        for i in range(3)
    ]
    stores.redis().flushdb()  # Redis lost everything while no worker ran
    viewer = client_for(make_user("viewer"))
    assert viewer.get(NEARBY).json()["fallback"] is True

    request.getfixturevalue("celery_worker_process")

    healed = wait_for(
        lambda: (body := viewer.get(NEARBY).json())["fallback"] is False and body, timeout=60
    )
    assert set(_ids(healed)) == {p.pk for p in posts}


def test_a_nearby_map_missing_posts_is_found_incomplete_and_rebuilt(make_user, publish, client_for):
    author = make_user("author")
    posts = [
        publish(author, "food", place_name="外滩", lat=31.24 + i * 0.001, lng=121.49)
        for i in range(8)
    ]
    # Writes skipped while Redis was unreachable: the map holds 1 of 8 posts.
    stores.redis().zrem(stores.geo_key(), *[str(p.pk) for p in posts[1:]])
    assert structures_to_heal() == {stores.GEO: "incomplete (1 of 8)"}

    redis_heal()

    assert structures_to_heal() == {}
    body = client_for(make_user("viewer")).get(NEARBY).json()
    assert body["fallback"] is False and set(_ids(body)) == {p.pk for p in posts}


def test_while_structures_are_rebuilt_every_feed_answers_from_the_database(
    make_user, person, publish, client_for, committed
):
    from feeds.services.hot import hot_and_trending_recompute

    author = make_user("author")
    fan = person("fan", ["food", "travel", "tech"])
    with committed():
        accounts.follow_create(follower=fan, followee=author)
    posts = [
        publish(author, slug, place_name="外滩", lat=31.24, lng=121.49)
        for slug in ["food", "travel"] * 3
    ]
    for p in posts:
        with committed():
            from content import services as content

            content.like_create(user=fan, post=p)
    hot_and_trending_recompute()
    client = client_for(fan)
    feeds = {  # discover first: it leaves out what the other feeds just served
        "discover": "/api/v1/feeds/discover/?size=5",
        "nearby": NEARBY,
        "hot": "/api/v1/feeds/hot/",
        "follow": "/api/v1/feeds/follow/",
    }
    stores.redis().flushdb()  # Redis lost everything: no structure is marked complete

    for name, url in feeds.items():
        answer = client.get(url)
        assert answer.status_code == 200, name
        assert answer.json()["fallback"] is True and answer.json()["results"], name

    redis_heal()

    for name, url in feeds.items():
        assert client.get(url).json()["fallback"] is False, name
    assert set(_ids(client.get("/api/v1/feeds/follow/").json())) == {p.pk for p in posts}


def test_a_fan_out_that_never_ran_is_delivered_by_the_next_check(
    make_user, publish, client_for, committed
):
    author, fan = make_user("author"), make_user("fan")
    with committed():
        accounts.follow_create(follower=fan, followee=author)
    first = publish(author, "food")
    client = client_for(fan)
    assert _ids(client.get("/api/v1/feeds/follow/").json()) == [first.pk]  # the inbox is warm
    # No worker runs here: the fan-out task of the next post is queued and never run,
    # as when the worker is killed before it gets to it.
    lost = publish(author, "food")
    Post.objects.filter(pk=lost.pk).update(published_at=timezone.now() - timedelta(seconds=30))
    assert _ids(client.get("/api/v1/feeds/follow/").json()) == [first.pk]

    assert fanout_repair() == 1  # the first post is too recent to be checked yet
    assert _ids(client.get("/api/v1/feeds/follow/").json()) == [first.pk, lost.pk]
    assert fanout_repair() == 0  # delivered once, recorded


@pytest.fixture
def redis_stopped(redis_server):
    """Stop the suite's real Redis server for the test, then start it again."""
    sock = _test_redis_socket()
    if sock is None:
        pytest.skip("the suite runs against an external Redis (TEST_REDIS_URL)")
    name = sock.name.removesuffix(".sock")
    redis_embedded.stop(sock.parent, name)
    try:
        yield
    finally:
        redis_embedded.start(sock.parent, name, persist=False)


@pytest.mark.django_db
def test_thirty_wrong_passwords_with_redis_down_get_a_429(api, make_user, settings, request):
    from config.throttles import ThrottleCounters

    make_user("alice")
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "auth": "20/min",
        },
    }
    ThrottleCounters.local.clear()
    request.getfixturevalue("redis_stopped")

    codes = [
        api.post(
            "/api/v1/auth/token/", {"username": "alice", "password": f"guess-{i}"}, format="json"
        ).status_code
        for i in range(30)
    ]

    assert codes[:20] == [400] * 20
    assert codes[20:] == [429] * 10


def test_a_restarted_redis_keeps_its_data(tmp_path):
    var_dir = tmp_path / "var"
    sock = redis_embedded.start(var_dir, "keeper")
    try:
        client = redis_py.Redis(unix_socket_path=str(sock))
        client.set("kept", "yes")
        client.zadd("fd:geo-like", {"1": 1.0})
        first_run = client.info("server")["run_id"]
        time.sleep(1.5)  # the append-only file is written every second
        _kill_and_restart(var_dir, "keeper", lose_data=False)
        client = redis_py.Redis(unix_socket_path=str(sock))
        assert client.info("server")["run_id"] != first_run  # it really was restarted
        assert client.get("kept") == b"yes" and client.zcard("fd:geo-like") == 1
    finally:
        redis_embedded.stop(var_dir, "keeper")


def test_a_throwaway_redis_writes_nothing_to_disk_and_stops_at_once(tmp_path, monkeypatch):
    """The replay's and the suite's own servers: no append-only file, no snapshot, and a
    stop that does not wait out the client's reconnect back-off."""
    var_dir = tmp_path / "var"
    sock = redis_embedded.start(var_dir, "scratch", persist=False)
    redis_py.Redis(unix_socket_path=str(sock)).set("written", "yes")
    sleeps = []
    monkeypatch.setattr(redis_py.retry, "sleep", sleeps.append)  # redis-py's back-off
    redis_embedded.stop(var_dir, "scratch", save=False)
    assert not redis_embedded.ping(sock)
    assert sleeps == []
    assert (
        sorted(p.name for p in var_dir.iterdir() if p.suffix in {".aof", ".rdb"} or p.is_dir())
        == []
    )
