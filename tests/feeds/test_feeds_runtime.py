"""The feeds under real runtime conditions: a real Celery worker, and Redis going away."""

from __future__ import annotations

import pytest
from django.conf import settings

from accounts import services as accounts
from config import redis_embedded
from feeds import stores
from tests.conftest import _test_redis_socket, wait_for


def test_a_followed_authors_new_post_tops_the_follow_feed_right_after_publishing(
    celery_worker_process, make_user, image_file, client_for, channels
):
    """Publishing queues the fan-out and the card; the real worker pushes the post to the
    inbox and renders its card."""
    from content import services as content
    from tests.conftest import varied_text

    fan, author = make_user("worker-fan"), make_user("worker-author")
    accounts.follow_create(follower=fan, followee=author)
    older = content.post_create(author=author, kind="note", channel=channels["food"], title="第一篇 先发的",
                                body=varied_text(1), tags=["早餐"], images=[image_file()])
    client = client_for(fan)
    first = client.get("/api/v1/feeds/follow/").json()
    assert [r["post"]["id"] for r in first["results"]] == [older.pk]  # the inbox is warm now

    import redis

    conn = redis.Redis.from_url(settings.REDIS_URL)
    post = content.post_create(author=author, kind="note", channel=channels["food"], title="第二篇 刚发布",
                               body=varied_text(2), tags=["午餐"], images=[image_file()])
    wait_for(lambda: conn.zscore(f"fd:inbox:{fan.pk}", str(post.pk)) is not None)
    # The worker has also rendered the post's API card before anyone asked for it.

    post.refresh_from_db()
    wait_for(lambda: conn.exists(stores.card_key(post.pk, post.updated_at)))
    top = client.get("/api/v1/feeds/follow/").json()["results"][0]["post"]
    assert top["id"] == post.pk and top["title"] == "第二篇 刚发布"
    assert top == client.get(f"/api/v1/posts/{post.pk}/").json()


@pytest.fixture
def redis_stopped(redis_server):
    """Stop the suite's real Redis server for the test, then start it again."""
    sock = _test_redis_socket()
    if sock is None:
        pytest.skip("the suite runs against an external Redis (TEST_REDIS_URL)")
    name = sock.name.removesuffix(".sock")
    redis_embedded.stop(sock.parent, name)
    assert not sock.exists() or not redis_embedded.ping(sock)
    try:
        yield
    finally:
        redis_embedded.start(sock.parent, name, persist=False)


@pytest.mark.django_db
def test_feeds_are_served_from_the_database_when_redis_is_down(
    make_user, publish, person, client_for, committed, redis_server, request
):
    """Stop the real Redis server: every feed still answers, from the database."""
    from feeds.services.hot import hot_and_trending_recompute

    authors = [make_user(f"a{i}") for i in range(4)]
    fan = person("resilient", ["food", "tech", "games"])
    for a in authors:
        with committed():
            accounts.follow_create(follower=fan, followee=a)
    made = [
        publish(authors[i % 4], slug, place_name="外滩", lat=31.24 + i * 0.001, lng=121.49)
        for i, slug in enumerate(["food", "baking", "tech", "games", "music", "film"] * 2)
    ]
    from content import services as content

    for post in made[6:]:
        content.like_create(user=authors[0] if post.author_id != authors[0].pk else authors[1], post=post)
    hot_and_trending_recompute()
    client = client_for(fan)
    request.getfixturevalue("redis_stopped")

    discover = client.get("/api/v1/feeds/discover/?size=5")
    assert discover.status_code == 200
    body = discover.json()
    assert body["fallback"] is True and len(body["results"]) == 5
    page2 = client.get(body["next"]).json()
    assert not {r["post"]["id"] for r in body["results"]} & {r["post"]["id"] for r in page2["results"]}

    follow = client.get("/api/v1/feeds/follow/?size=20").json()
    assert follow["fallback"] is True
    assert [r["post"]["id"] for r in follow["results"]] == [p.pk for p in reversed(made)]

    nearby = client.get("/api/v1/feeds/nearby/?lat=31.24&lng=121.49&size=3").json()
    assert nearby["fallback"] is True
    assert [r["post"]["id"] for r in nearby["results"]] == [made[0].pk, made[1].pk, made[2].pk]

    hot = client.get("/api/v1/feeds/hot/")
    assert hot.status_code == 200 and hot.json()["results"]
    channel = client.get("/api/v1/feeds/channels/food/")
    assert channel.status_code == 200 and channel.json()["results"], channel.json()

    # The web pages too, for another follower who has seen nothing yet.
    from django.test import Client

    other = person("resilient-too", ["food", "music", "film"])
    for a in authors:
        accounts.follow_create(follower=other, followee=a)
    web = Client()
    web.force_login(other)
    for url in ["/", "/follow/", "/nearby/?lat=31.24&lng=121.49", "/hot/", "/c/food/"]:
        response = web.get(url)
        assert response.status_code == 200, url
        assert 'data-testid="card"' in response.content.decode(), url
