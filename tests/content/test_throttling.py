"""Rate limits: counters live in the real Redis cache, rates are read per request."""

from __future__ import annotations

import pytest

from accounts.models import User
from content.models import Like, Post

pytestmark = pytest.mark.django_db

POSTS = "/api/v1/posts/"


@pytest.fixture
def rates(settings):
    """Override some throttle rates for one test."""

    def set_rates(**overrides):
        current = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {**current, **overrides},
        }

    return set_rates


def assert_throttled(response):
    assert response.status_code == 429, response.content
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


def test_the_fourth_token_request_in_a_minute_is_throttled(api, make_user, rates):
    make_user("bob")
    rates(auth="3/min")

    answers = [
        api.post("/api/v1/auth/token/", {"username": "bob", "password": f"guess-{i}"}, format="json")
        for i in range(3)
    ]
    assert [a.status_code for a in answers] == [400, 400, 400]

    fourth = api.post("/api/v1/auth/token/", {"username": "bob", "password": "s3cret-pass-99"}, format="json")

    assert_throttled(fourth)


def test_the_fourth_sign_up_in_a_minute_is_throttled(api, channels, rates):
    rates(auth="3/min")

    for i in range(3):
        response = api.post(
            "/api/v1/auth/signup/", {"username": f"new{i}", "password": "s3cret-pass-99"}, format="json"
        )
        assert response.status_code == 201

    fourth = api.post("/api/v1/auth/signup/", {"username": "new3", "password": "s3cret-pass-99"}, format="json")

    assert_throttled(fourth)
    assert not User.objects.filter(username="new3").exists()


def test_publishing_is_limited_per_author(make_user, client_for, image_file, rates, api):
    rates(post="2/min")
    alice, bob = make_user("alice"), make_user("bob")
    client = client_for(alice)

    def publish(c, title):
        return c.post(
            POSTS,
            {"kind": "note", "title": title, "channel": "food", "images": [image_file()]},
            format="multipart",
        )

    assert publish(client, "第一篇").status_code == 201
    assert publish(client, "第二篇").status_code == 201

    third = publish(client, "第三篇")

    assert_throttled(third)
    assert Post.objects.filter(author=alice).count() == 2
    alice.refresh_from_db()
    assert alice.post_count == 2
    # another author is not held back, and reading is not limited by the publishing rate
    assert publish(client_for(bob), "bob的第一篇").status_code == 201
    assert client.get(POSTS).status_code == 200
    assert api.get(POSTS).status_code == 200


def test_interactions_are_limited_by_their_own_scope(make_user, make_post, client_for, rates):
    rates(interact="2/min")
    posts = [make_post(title=f"帖子{i}") for i in range(3)]
    client = client_for(make_user("fan"))

    assert client.post(f"{POSTS}{posts[0].pk}/like/").status_code == 200
    assert client.post(f"{POSTS}{posts[1].pk}/like/").status_code == 200
    assert_throttled(client.post(f"{POSTS}{posts[2].pk}/like/"))

    assert Like.objects.count() == 2
    assert Post.objects.get(pk=posts[2].pk).like_count == 0


def test_throttle_counters_are_kept_in_redis(make_user, make_post, client_for, rates, redis_conn):
    rates(interact="5/min")
    post = make_post()
    client_for(make_user()).post(f"{POSTS}{post.pk}/like/")

    keys = [k.decode() for k in redis_conn.keys("*throttle:interact:*")]
    assert keys, "the throttle history should be stored in the Redis cache"


# ---------------------------------------------------------------- the web forms
def assert_throttled_page(response):
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "操作太频繁" in response.content.decode()


def test_the_fourth_login_on_the_web_page_in_a_minute_is_refused(client, make_user, rates):
    make_user("bob")
    rates(auth="3/min")

    for i in range(3):
        wrong = client.post("/login/", {"username": "bob", "password": f"guess-{i}"})
        assert wrong.status_code == 200  # the form again, with its error

    fourth = client.post("/login/", {"username": "bob", "password": "s3cret-pass-99"})

    assert_throttled_page(fourth)
    assert "_auth_user_id" not in client.session
    assert client.get("/login/").status_code == 200  # reading the page is not limited


def test_login_guesses_on_the_page_and_the_api_count_together(client, api, make_user, rates):
    make_user("bob")
    rates(auth="2/min")
    client.post("/login/", {"username": "bob", "password": "guess-1"})
    api.post("/api/v1/auth/token/", {"username": "bob", "password": "guess-2"}, format="json")

    assert_throttled(api.post("/api/v1/auth/token/", {"username": "bob", "password": "guess-3"}, format="json"))
    assert_throttled_page(client.post("/login/", {"username": "bob", "password": "guess-4"}))


def test_the_fourth_sign_up_on_the_web_page_in_a_minute_is_refused(client, channels, rates):
    rates(auth="3/min")

    def sign_up(name):
        client.logout()
        return client.post(
            "/signup/",
            {"username": name, "password1": "s3cret-pass-99", "password2": "s3cret-pass-99", "language": "zh"},
        )

    for i in range(3):
        assert sign_up(f"web{i}").status_code == 302

    assert_throttled_page(sign_up("web3"))
    assert not User.objects.filter(username="web3").exists()


def test_publishing_on_the_web_page_is_limited_per_author(client, make_user, image_file, rates, channels):
    rates(post="2/min")
    alice = make_user("alice")
    client.force_login(alice)

    def publish(title):
        return client.post(
            "/publish/",
            {"kind": "note", "title": title, "channel": channels["food"].pk, "images": [image_file()]},
        )

    assert publish("第一篇").status_code == 302
    assert publish("第二篇").status_code == 302

    assert_throttled_page(publish("第三篇"))
    assert Post.objects.filter(author=alice).count() == 2


def test_card_likes_on_the_web_are_limited_and_answered_in_json(client, make_user, make_post, rates):
    rates(interact="2/min")
    posts = [make_post(title=f"帖子{i}") for i in range(3)]
    client.force_login(make_user("fan"))

    def like(post):
        return client.post(f"/p/{post.pk}/like/", headers={"X-Requested-With": "fetch"})

    assert like(posts[0]).status_code == 200
    assert like(posts[1]).status_code == 200
    third = like(posts[2])

    assert third.status_code == 429
    assert third.json()["code"] == "throttled"
    assert int(third["Retry-After"]) > 0
    assert Like.objects.count() == 2


def test_following_from_a_profile_page_is_limited(client, make_user, rates):
    rates(interact="1/min")
    ann, ben = make_user("ann"), make_user("ben")
    client.force_login(make_user("fan"))

    assert client.post(f"/u/{ann.username}/do/follow/").status_code == 302

    assert_throttled_page(client.post(f"/u/{ben.username}/do/follow/"))
    ben.refresh_from_db()
    assert ben.follower_count == 0


def test_a_forged_forwarded_for_header_does_not_reset_the_login_limit(client, make_user, rates):
    make_user("bob")
    rates(auth="2/min")

    def guess(i):
        return client.post(
            "/login/", {"username": "bob", "password": f"guess-{i}"}, headers={"X-Forwarded-For": f"10.0.0.{i}"}
        )

    assert guess(1).status_code == 200
    assert guess(2).status_code == 200
    assert_throttled_page(guess(3))


def test_tag_suggestions_while_typing_are_limited(client, make_user, rates):
    rates(interact="2/min")
    client.force_login(make_user("typist"))

    def ask():
        return client.post("/publish/tags/", {"title": "武康路咖啡"}, headers={"X-Requested-With": "fetch"})

    assert ask().status_code == 200
    assert ask().status_code == 200
    assert_throttled(ask())
