"""Blocking holds on every surface: profiles, follower lists, comments and replies,
over the API and on the web pages alike.

In each test alice blocks bob; carol is a third person whose posts both can open.
"""

import pytest

from accounts import services
from content.models import Comment


@pytest.fixture
def alice_blocks_bob(make_user):
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    services.follow_create(follower=carol, followee=alice)
    services.follow_create(follower=alice, followee=carol)
    services.block_create(blocker=alice, blocked=bob)
    return alice, bob, carol


# ---------------------------------------------------------------- profiles
def test_a_blocked_person_cannot_read_the_blockers_profile_over_the_api(
    alice_blocks_bob, client_for
):
    _, bob, _ = alice_blocks_bob

    response = client_for(bob).get("/api/v1/users/alice/")

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert "alice" not in response.content.decode()


def test_the_blocker_cannot_read_the_blocked_persons_profile_over_the_api_either(
    alice_blocks_bob, client_for
):
    alice, _, _ = alice_blocks_bob

    assert client_for(alice).get("/api/v1/users/bob/").status_code == 403


def test_a_blocked_person_sees_no_profile_on_the_web(alice_blocks_bob, client):
    _, bob, _ = alice_blocks_bob
    client.force_login(bob)

    response = client.get("/u/alice/")

    assert response.status_code == 403
    assert "你们之间有拉黑关系" in response.content.decode()


def test_anyone_else_still_reads_the_profile(alice_blocks_bob, client_for, api):
    _, _, carol = alice_blocks_bob

    assert client_for(carol).get("/api/v1/users/alice/").status_code == 200
    assert api.get("/api/v1/users/alice/").status_code == 200


# ---------------------------------------------------------------- follower lists
@pytest.mark.parametrize("which", ["followers", "following"])
def test_a_blocked_person_cannot_list_the_blockers_follows_over_the_api(
    alice_blocks_bob, client_for, which
):
    _, bob, _ = alice_blocks_bob

    response = client_for(bob).get(f"/api/v1/users/alice/{which}/")

    assert response.status_code == 403
    assert "carol" not in response.content.decode()


@pytest.mark.parametrize("which", ["followers", "following"])
def test_a_blocked_person_cannot_list_the_blockers_follows_on_the_web(
    alice_blocks_bob, client, which
):
    _, bob, _ = alice_blocks_bob
    client.force_login(bob)

    response = client.get(f"/u/alice/{which}/")

    assert response.status_code == 403
    assert "carol" not in response.content.decode()


def test_anyone_else_still_lists_the_blockers_followers(alice_blocks_bob, client_for):
    _, _, carol = alice_blocks_bob

    response = client_for(carol).get("/api/v1/users/alice/followers/")

    assert [row["user"]["username"] for row in response.json()["results"]] == ["carol"]


# ---------------------------------------------------------------- comments
def test_a_blocked_person_cannot_comment_on_the_blockers_post_over_the_api(
    alice_blocks_bob, make_post, client_for
):
    alice, bob, _ = alice_blocks_bob
    post = make_post(alice)

    response = client_for(bob).post(
        f"/api/v1/posts/{post.pk}/comments/", {"body": "hello"}, format="json"
    )

    assert response.status_code in (403, 404)
    assert not Comment.objects.filter(post=post).exists()


def test_a_blocked_person_cannot_comment_on_the_blockers_post_on_the_web(
    alice_blocks_bob, make_post, client
):
    alice, bob, _ = alice_blocks_bob
    post = make_post(alice)
    client.force_login(bob)

    client.post(f"/p/{post.pk}/comment/", {"body": "hello"})

    assert not Comment.objects.filter(post=post).exists()


def test_the_comment_service_refuses_a_blocked_person_on_the_blockers_post(
    alice_blocks_bob, make_post
):
    from django.core.exceptions import PermissionDenied

    from content.services import comment_create

    alice, bob, _ = alice_blocks_bob
    with pytest.raises(PermissionDenied):
        comment_create(user=bob, post=make_post(alice), body="hello")


def _carols_post_with_alices_comment(make_post, alice, carol):
    from content.services import comment_create

    post = make_post(carol)
    return post, comment_create(user=alice, post=post, body="好看")


def test_a_blocked_person_cannot_reply_to_the_blockers_comment_over_the_api(
    alice_blocks_bob, make_post, client_for
):
    alice, bob, carol = alice_blocks_bob
    post, alices = _carols_post_with_alices_comment(make_post, alice, carol)

    response = client_for(bob).post(
        f"/api/v1/posts/{post.pk}/comments/",
        {"body": "reply", "parent": alices.pk},
        format="json",
    )

    assert response.status_code == 404  # her comment is hidden from him, as if deleted
    assert not alices.replies.exists()


def test_a_blocked_person_cannot_reply_to_the_blockers_comment_on_the_web(
    alice_blocks_bob, make_post, client
):
    alice, bob, carol = alice_blocks_bob
    post, alices = _carols_post_with_alices_comment(make_post, alice, carol)
    client.force_login(bob)

    response = client.post(f"/p/{post.pk}/comment/", {"body": "reply", "parent": alices.pk})

    assert response.status_code == 404  # her comment is hidden from him, as if deleted
    assert not alices.replies.exists()


def test_a_blocked_person_cannot_reply_inside_the_blockers_thread(
    alice_blocks_bob, make_post, make_user, client_for
):
    alice, bob, carol = alice_blocks_bob
    post, alices = _carols_post_with_alices_comment(make_post, alice, carol)
    from content.services import comment_create

    dave_reply = comment_create(user=make_user("dave"), post=post, body="同意", parent=alices)

    response = client_for(bob).post(
        f"/api/v1/posts/{post.pk}/comments/",
        {"body": "reply", "parent": dave_reply.pk},
        format="json",
    )

    assert response.status_code == 403
    assert alices.replies.count() == 1


def test_the_blocker_cannot_reply_to_the_blocked_persons_comment_either(
    alice_blocks_bob, make_post, client_for
):
    alice, bob, carol = alice_blocks_bob
    from content.services import comment_create

    post = make_post(carol)
    bobs = comment_create(user=bob, post=post, body="nice")

    response = client_for(alice).post(
        f"/api/v1/posts/{post.pk}/comments/", {"body": "reply", "parent": bobs.pk}, format="json"
    )

    assert response.status_code == 404  # his comment is hidden from her, as if deleted


def test_others_still_reply_to_the_blockers_comment(
    alice_blocks_bob, make_post, make_user, client_for
):
    alice, _, carol = alice_blocks_bob
    post, alices = _carols_post_with_alices_comment(make_post, alice, carol)

    response = client_for(make_user("erin")).post(
        f"/api/v1/posts/{post.pk}/comments/", {"body": "me too", "parent": alices.pk}, format="json"
    )

    assert response.status_code == 201
