"""The people API as a client uses it: sign-up, tokens, profile, interests, follows, blocks."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token

from accounts.models import Block, Follow, InterestPick, User

pytestmark = pytest.mark.django_db

SIGNUP = "/api/v1/auth/signup/"
TOKEN = "/api/v1/auth/token/"
LOGOUT = "/api/v1/auth/logout/"
ME = "/api/v1/me/"
AVATAR = "/api/v1/me/avatar/"
INTERESTS = "/api/v1/me/interests/"
BLOCKS = "/api/v1/me/blocks/"
POSTS = "/api/v1/posts/"


def user_url(name: str, suffix: str = "") -> str:
    return f"/api/v1/users/{name}/{suffix}"


def media_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


# ---------------------------------------------------------------- sign-up and tokens
def test_signing_up_returns_a_token_that_opens_my_profile(api, channels):
    response = api.post(
        SIGNUP, {"username": "xiaohong", "password": "s3cret-pass-99", "display_name": "小红"}, format="json"
    )

    assert response.status_code == 201
    body = response.json()
    assert body["username"] == "xiaohong"
    assert Token.objects.get(user__username="xiaohong").key == body["token"]

    api.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    me = api.get(ME)
    assert me.status_code == 200
    assert me.json()["username"] == "xiaohong"
    assert me.json()["display_name"] == "小红"
    assert me.json()["onboarded"] is False


def test_signing_up_with_a_short_password_is_refused_and_creates_nobody(api, channels):
    response = api.post(SIGNUP, {"username": "shorty", "password": "abc12"}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "password" in response.json()["errors"]
    assert not User.objects.filter(username="shorty").exists()


@pytest.mark.parametrize("password", ["password123", "12345678"])
def test_signing_up_with_a_common_password_is_refused_and_creates_nobody(api, channels, password):
    response = api.post(SIGNUP, {"username": "commoner", "password": password}, format="json")

    assert response.status_code == 400, "a well-known password must be refused at sign-up"
    assert "password" in response.json()["errors"]
    assert not User.objects.filter(username="commoner").exists()


def test_signing_up_with_a_taken_username_is_refused_whatever_the_case(api, make_user):
    make_user("alice")

    response = api.post(SIGNUP, {"username": "ALICE", "password": "s3cret-pass-99"}, format="json")

    assert response.status_code == 400
    assert "username" in response.json()["errors"]
    assert User.objects.filter(username__iexact="alice").count() == 1


@pytest.mark.parametrize("username", ["bad name", "no/slash", "x!", "ab", "a" * 31])
def test_signing_up_with_an_invalid_username_is_refused(api, channels, username):
    response = api.post(SIGNUP, {"username": username, "password": "s3cret-pass-99"}, format="json")

    assert response.status_code == 400
    assert "username" in response.json()["errors"]
    assert User.objects.count() == 0


def test_a_password_exchanges_for_the_accounts_token(api, make_user):
    user = make_user("bob")

    response = api.post(TOKEN, {"username": "bob", "password": "s3cret-pass-99"}, format="json")

    assert response.status_code == 200
    assert response.json()["token"] == Token.objects.get(user=user).key
    assert response.json()["username"] == "bob"


def test_a_wrong_password_gets_no_token(api, make_user):
    make_user("bob")

    response = api.post(TOKEN, {"username": "bob", "password": "not-my-password"}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "token" not in response.json()
    assert not Token.objects.exists()


def test_logging_out_revokes_the_token(make_user, client_for):
    user = make_user()
    client = client_for(user)
    assert client.get(ME).status_code == 200

    assert client.post(LOGOUT).status_code == 204

    again = client.get(ME)
    assert again.status_code == 401
    assert not Token.objects.filter(user=user).exists()


def test_an_anonymous_visitor_has_no_me(api):
    response = api.get(ME)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


# ---------------------------------------------------------------- me
def test_editing_my_display_name_and_bio(make_user, client_for):
    user = make_user()
    client = client_for(user)

    response = client.patch(ME, {"display_name": "咖啡控", "bio": "只喝手冲"}, format="json")

    assert response.status_code == 200
    assert response.json()["display_name"] == "咖啡控"
    assert response.json()["bio"] == "只喝手冲"
    user.refresh_from_db()
    assert (user.display_name, user.bio) == ("咖啡控", "只喝手冲")


def test_setting_my_home_needs_latitude_and_longitude_together(make_user, client_for):
    user = make_user()
    client = client_for(user)

    both = client.patch(ME, {"home_lat": 31.23, "home_lng": 121.47}, format="json")
    assert both.status_code == 200
    assert (both.json()["home_lat"], both.json()["home_lng"]) == (31.23, 121.47)

    only_lat = client.patch(ME, {"home_lat": 30.0}, format="json")
    assert only_lat.status_code == 400
    assert "home_lat" in only_lat.json()["errors"]

    only_lng = client.patch(ME, {"home_lng": 120.0}, format="json")
    assert only_lng.status_code == 400

    lat_with_null_lng = client.patch(ME, {"home_lat": 30.0, "home_lng": None}, format="json")
    assert lat_with_null_lng.status_code == 400

    user.refresh_from_db()
    assert (user.home_lat, user.home_lng) == (31.23, 121.47)

    cleared = client.patch(ME, {"home_lat": None, "home_lng": None}, format="json")
    assert cleared.status_code == 200
    user.refresh_from_db()
    assert user.home_lat is None and user.home_lng is None


def test_a_home_off_the_globe_is_refused(make_user, client_for):
    user = make_user()

    response = client_for(user).patch(ME, {"home_lat": 95, "home_lng": 10}, format="json")

    assert response.status_code == 400
    assert "home_lat" in response.json()["errors"]
    user.refresh_from_db()
    assert user.home_lat is None


def test_uploading_a_png_avatar(make_user, client_for, image_file, media_root):
    user = make_user()

    response = client_for(user).put(AVATAR, {"avatar": image_file("me.png")}, format="multipart")

    assert response.status_code == 200
    assert response.json()["avatar"]
    user.refresh_from_db()
    assert user.avatar.name.startswith("avatars/")
    assert (media_root / user.avatar.name).is_file()


def test_a_text_file_sent_as_avatar_is_refused_and_the_avatar_stays(
    make_user, client_for, image_file, media_root
):
    user = make_user()
    client = client_for(user)
    client.put(AVATAR, {"avatar": image_file("first.png")}, format="multipart")
    user.refresh_from_db()
    before = user.avatar.name
    files_before = media_files(media_root)

    fake = SimpleUploadedFile("me.png", b"this is not a picture at all", content_type="image/png")
    response = client.put(AVATAR, {"avatar": fake}, format="multipart")

    assert response.status_code == 400
    assert "avatar" in response.json()["errors"]
    user.refresh_from_db()
    assert user.avatar.name == before
    assert media_files(media_root) == files_before


# ---------------------------------------------------------------- interests
def test_picking_two_channels_is_not_enough_to_onboard(make_user, client_for):
    user = make_user(onboard=False)
    client = client_for(user)

    response = client.put(INTERESTS, {"channels": ["food", "travel"]}, format="json")

    assert response.status_code == 400
    assert "channels" in response.json()["errors"]
    assert not InterestPick.objects.filter(user=user).exists()
    assert client.get(ME).json()["onboarded"] is False


def test_the_same_channel_twice_counts_once(make_user, client_for):
    user = make_user(onboard=False)

    response = client_for(user).put(INTERESTS, {"channels": ["food", "food", "travel"]}, format="json")

    assert response.status_code == 400
    assert not InterestPick.objects.filter(user=user).exists()


def test_picking_three_channels_onboards_me(make_user, client_for):
    user = make_user(onboard=False)
    client = client_for(user)

    response = client.put(INTERESTS, {"channels": ["food", "travel", "pets"]}, format="json")

    assert response.status_code == 200
    assert sorted(response.json()["channels"]) == ["food", "pets", "travel"]
    me = client.get(ME).json()
    assert me["onboarded"] is True
    assert sorted(me["interests"]) == ["food", "pets", "travel"]
    assert sorted(client.get(INTERESTS).json()["channels"]) == ["food", "pets", "travel"]


def test_repicking_replaces_the_old_picks(make_user, client_for):
    user = make_user(onboard=False)
    client = client_for(user)
    client.put(INTERESTS, {"channels": ["food", "travel", "pets"]}, format="json")

    response = client.put(INTERESTS, {"channels": ["music", "games", "food"]}, format="json")

    assert response.status_code == 200
    assert sorted(client.get(INTERESTS).json()["channels"]) == ["food", "games", "music"]


def test_an_unknown_channel_is_refused(make_user, client_for):
    user = make_user(onboard=False)

    response = client_for(user).put(
        INTERESTS, {"channels": ["food", "travel", "no-such-channel"]}, format="json"
    )

    assert response.status_code == 400
    assert "channels" in response.json()["errors"]
    assert not InterestPick.objects.filter(user=user).exists()
    user.refresh_from_db()
    assert user.onboarded_at is None


# ---------------------------------------------------------------- profiles and follows
def test_anyone_can_read_a_public_profile(api, make_user):
    make_user("lily", display_name="莉莉", bio="爱旅行")

    response = api.get(user_url("lily"))

    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "lily"
    assert body["display_name"] == "莉莉"
    assert body["bio"] == "爱旅行"
    assert body["follower_count"] == 0
    assert body["is_following"] is False
    assert "email" not in body
    assert api.get(user_url("nobody-here")).status_code == 404


def test_following_and_unfollowing_moves_both_counters(make_user, client_for):
    fan, star = make_user("fan"), make_user("star")
    client = client_for(fan)

    followed = client.post(user_url("star", "follow/"))
    assert followed.status_code == 200
    assert followed.json() == {"changed": True, "following": True, "follower_count": 1}
    fan.refresh_from_db()
    star.refresh_from_db()
    assert (fan.following_count, star.follower_count) == (1, 1)
    assert client.get(user_url("star")).json()["is_following"] is True

    unfollowed = client.delete(user_url("star", "follow/"))
    assert unfollowed.status_code == 200
    assert unfollowed.json() == {"changed": True, "following": False, "follower_count": 0}
    fan.refresh_from_db()
    star.refresh_from_db()
    assert (fan.following_count, star.follower_count) == (0, 0)
    assert not Follow.objects.exists()

    again = client.delete(user_url("star", "follow/"))
    assert again.json()["changed"] is False
    fan.refresh_from_db()
    star.refresh_from_db()
    assert (fan.following_count, star.follower_count) == (0, 0)


def test_following_twice_changes_nothing_the_second_time(make_user, client_for):
    fan, star = make_user("fan"), make_user("star")
    client = client_for(fan)
    client.post(user_url("star", "follow/"))

    second = client.post(user_url("star", "follow/"))

    assert second.status_code == 200
    assert second.json()["changed"] is False
    assert second.json()["follower_count"] == 1
    fan.refresh_from_db()
    star.refresh_from_db()
    assert (fan.following_count, star.follower_count) == (1, 1)
    assert Follow.objects.count() == 1


def test_nobody_can_follow_themselves(make_user, client_for):
    me = make_user("me")

    response = client_for(me).post(user_url("me", "follow/"))

    assert response.status_code == 400
    assert response.json()["detail"] == "不能关注自己。"
    me.refresh_from_db()
    assert (me.following_count, me.follower_count) == (0, 0)


def test_an_anonymous_visitor_cannot_follow(api, make_user):
    star = make_user("star")

    response = api.post(user_url("star", "follow/"))

    assert response.status_code == 401
    star.refresh_from_db()
    assert star.follower_count == 0


def test_following_an_unknown_user_is_not_found(make_user, client_for):
    response = client_for(make_user()).post(user_url("ghost", "follow/"))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_followers_and_following_lists_page_newest_first(api, make_user, client_for):
    star = make_user("star")
    fans = [make_user(f"fan{i}") for i in range(5)]
    for fan in fans:
        assert client_for(fan).post(user_url("star", "follow/")).status_code == 200
    client_for(star).post(user_url("fan0", "follow/"))

    seen, url = [], user_url("star", "followers/") + "?size=2"
    pages = 0
    while url:
        response = api.get(url)
        assert response.status_code == 200
        body = response.json()
        assert set(body) == {"results", "next_cursor", "next"}
        seen += [row["user"]["username"] for row in body["results"]]
        url = body["next"]
        pages += 1
    assert pages == 3
    assert seen == [f"fan{i}" for i in reversed(range(5))]

    following = api.get(user_url("star", "following/")).json()
    assert [row["user"]["username"] for row in following["results"]] == ["fan0"]
    assert following["next"] is None
    assert api.get(user_url("fan3", "following/")).json()["results"][0]["user"]["username"] == "star"


# ---------------------------------------------------------------- blocks
def test_blocking_removes_follows_both_ways_and_fixes_the_counts(make_user, client_for):
    alice, bob = make_user("alice"), make_user("bob")
    client_for(alice).post(user_url("bob", "follow/"))
    client_for(bob).post(user_url("alice", "follow/"))

    response = client_for(alice).post(user_url("bob", "block/"))

    assert response.status_code == 200
    assert response.json() == {"changed": True, "blocked": True}
    assert not Follow.objects.exists()
    alice.refresh_from_db()
    bob.refresh_from_db()
    assert (alice.follower_count, alice.following_count) == (0, 0)
    assert (bob.follower_count, bob.following_count) == (0, 0)

    again = client_for(alice).post(user_url("bob", "block/"))
    assert again.json()["changed"] is False
    assert Block.objects.count() == 1


def test_a_blocked_user_cannot_follow_the_blocker(make_user, client_for):
    alice, bob = make_user("alice"), make_user("bob")
    client_for(alice).post(user_url("bob", "block/"))

    response = client_for(bob).post(user_url("alice", "follow/"))

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not Follow.objects.exists()
    alice.refresh_from_db()
    assert alice.follower_count == 0
    # nor can the blocker follow the person they block
    assert client_for(alice).post(user_url("bob", "follow/")).status_code == 403


def test_the_blocker_no_longer_sees_the_blocked_users_posts(make_user, make_post, client_for):
    alice, bob = make_user("alice"), make_user("bob")
    bobs = make_post(bob, title="bob的咖啡")
    other = make_post(make_user("carol"), title="carol的面包")
    client = client_for(alice)
    before = {p["id"] for p in client.get(POSTS).json()["results"]}
    assert {bobs.pk, other.pk} <= before

    client.post(user_url("bob", "block/"))

    after = {p["id"] for p in client.get(POSTS).json()["results"]}
    assert bobs.pk not in after
    assert other.pk in after
    assert client.get(f"{POSTS}{bobs.pk}/").status_code == 404
    assert client.get(POSTS, {"author": "bob"}).json()["results"] == []
    # and the blocked user no longer sees the blocker's posts either
    alices = make_post(alice, title="alice的甜品")
    assert client_for(bob).get(f"{POSTS}{alices.pk}/").status_code == 404


def test_my_blocks_are_listed(make_user, client_for):
    alice = make_user("alice")
    make_user("bob")
    make_user("carol")
    client = client_for(alice)
    client.post(user_url("bob", "block/"))
    client.post(user_url("carol", "block/"))

    listed = client.get(BLOCKS)

    assert listed.status_code == 200
    assert sorted(row["user"]["username"] for row in listed.json()["results"]) == ["bob", "carol"]


def test_unblocking_lets_us_follow_again(make_user, client_for):
    alice, bob = make_user("alice"), make_user("bob")
    client = client_for(alice)
    client.post(user_url("bob", "block/"))

    unblocked = client.delete(user_url("bob", "block/"))

    assert unblocked.status_code == 200
    assert unblocked.json() == {"changed": True, "blocked": False}
    assert not Block.objects.exists()
    assert client.delete(user_url("bob", "block/")).json()["changed"] is False
    assert client.post(user_url("bob", "follow/")).json()["changed"] is True
    bob.refresh_from_db()
    assert bob.follower_count == 1


def test_nobody_can_block_themselves(make_user, client_for):
    me = make_user("me")
    response = client_for(me).post(user_url("me", "block/"))
    assert response.status_code == 400
    assert not Block.objects.exists()


def test_the_blocks_list_needs_a_signed_in_user(api):
    assert api.get(BLOCKS).status_code == 401
