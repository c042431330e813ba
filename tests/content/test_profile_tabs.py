"""A profile's tabs 笔记 / 收藏 / 赞过, the privacy switch, and the totals 获赞与收藏."""

from __future__ import annotations

import re

import pytest

from accounts import services as accounts
from accounts.models import User
from content import services
from content.models import Post

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return response.content.decode()


def card_titles(page: str) -> list[str]:
    return [chunk.split("</a>", 1)[0] for chunk in page.split('class="card-title">')[1:]]


@pytest.fixture
def alice(make_user):
    return make_user("alice", display_name="爱丽丝")


@pytest.fixture
def bob(make_user):
    return make_user("bob")


def hide_collections(user: User) -> None:
    accounts.profile_update(user=user, collections_public=False)


# ---------------------------------------------------------------- 收藏 on the web
def test_alices_saved_tab_lists_what_she_saved_newest_first(client, alice, make_post):
    first, second = make_post(title="武康路咖啡"), make_post(title="西湖骑行")
    make_post(title="没收藏的")
    services.favourite_create(user=alice, post=first)
    services.favourite_create(user=alice, post=second)

    page = text_of(client.get("/u/alice/saved/"))  # a visitor
    assert card_titles(page) == ["西湖骑行", "武康路咖啡"]
    assert 'data-testid="tab-saved"' in page and 'class="active" data-testid="tab-saved"' in page


def test_alices_saved_tab_is_hidden_from_others_when_she_says_so(client, alice, bob, make_post):
    post = make_post(title="私藏的店")
    services.favourite_create(user=alice, post=post)
    services.like_create(user=alice, post=post)
    hide_collections(alice)

    client.force_login(bob)
    for tab in ("saved", "liked"):
        response = client.get(f"/u/alice/{tab}/")
        assert response.status_code == 200  # the profile opens; the tab says it is private
        page = text_of(response)
        assert 'data-testid="tab-private"' in page and "私藏的店" not in page
        assert 'data-testid="profile-name"' in page
    assert client.get("/api/v1/users/alice/favourites/").status_code == 403

    client.force_login(alice)
    page = text_of(client.get("/u/alice/saved/"))
    assert card_titles(page) == ["私藏的店"] and 'data-testid="private-note"' in page


def test_the_liked_tab_leaves_out_limited_removed_and_blocked_authors_posts(
    client, alice, make_user, make_post
):
    carol, mallory = make_user("carol"), make_user("mallory")
    kept = make_post(title="留下的")
    limited = make_post(title="限流的")
    removed = make_post(title="下架的")
    by_mallory = make_post(mallory, title="拉黑的人发的")
    for post in (kept, limited, removed, by_mallory):
        services.like_create(user=alice, post=post)
    Post.objects.filter(pk=limited.pk).update(status=Post.Status.LIMITED)
    Post.objects.filter(pk=removed.pk).update(status=Post.Status.REMOVED)
    accounts.block_create(blocker=carol, blocked=mallory)

    client.force_login(carol)
    assert card_titles(text_of(client.get("/u/alice/liked/"))) == ["留下的"]
    client.force_login(alice)  # alice blocks nobody: she still sees mallory's post
    assert card_titles(text_of(client.get("/u/alice/liked/"))) == ["拉黑的人发的", "留下的"]


def test_an_unknown_tab_is_a_404(client, alice):
    assert client.get("/u/alice/secret/").status_code == 404


# ---------------------------------------------------------------- constant queries
# The session, the viewer, the profile's owner, the viewer's blocks (either way), the
# page's count, its rows, their images, their tags, the viewer's hearts and stars (one
# UNION), 获赞与收藏. (The channel bar is cached after the first page.)
QUERIES_PER_TAB_PAGE = 10


@pytest.mark.parametrize("tab", ["saved", "liked"])
def test_a_saved_or_liked_tab_costs_the_same_queries_for_2_or_30_posts(
    client, alice, bob, make_post, tab, django_assert_num_queries
):
    mark = services.favourite_create if tab == "saved" else services.like_create
    posts = [make_post(title=f"第{i}篇") for i in range(30)]
    client.force_login(bob)
    client.get("/u/alice/")  # the channel bar's cache
    for post in posts[:2]:
        mark(user=alice, post=post)
    with django_assert_num_queries(QUERIES_PER_TAB_PAGE):
        page = text_of(client.get(f"/u/alice/{tab}/"))
    assert page.count('data-testid="card"') == 2
    for post in posts[2:]:
        mark(user=alice, post=post)
    with django_assert_num_queries(QUERIES_PER_TAB_PAGE):
        page = text_of(client.get(f"/u/alice/{tab}/"))
    assert page.count('data-testid="card"') == 24 and "?page=2" in page


# ---------------------------------------------------------------- totals
def test_the_profile_shows_likes_and_saves_received_and_they_drop_after_unlike(
    client, alice, make_user, make_post
):
    a, b = make_post(alice, title="一"), make_post(alice, title="二")
    fans = [make_user(f"fan{i}") for i in range(3)]
    for fan in fans:
        services.like_create(user=fan, post=a)
    services.favourite_create(user=fans[0], post=b)
    hidden = make_post(alice, title="下架")
    services.like_create(user=fans[1], post=hidden)
    Post.objects.filter(pk=hidden.pk).update(status=Post.Status.REMOVED)
    accounts.follow_create(follower=fans[0], followee=alice)

    def shown() -> str:
        page = text_of(client.get("/u/alice/"))
        return page.split('data-testid="received-total">', 1)[1].split("<", 1)[0]

    assert shown() == "4"  # the removed post's like does not count
    assert client.get("/api/v1/users/alice/").json()["received_total"] == 4
    services.like_delete(user=fans[0], post=a)
    services.favourite_delete(user=fans[0], post=b)
    assert shown() == "2"
    assert client.get("/api/v1/users/alice/").json()["received_total"] == 2
    page = text_of(client.get("/u/alice/"))
    assert 'data-testid="follower-count">1<' in page and 'data-testid="following-count">0<' in page


# ---------------------------------------------------------------- the privacy switch
def test_the_privacy_switch_is_on_the_profile_edit_page(client, alice):
    client.force_login(alice)
    page = text_of(client.get("/settings/profile/"))
    box = re.search(r'<input[^>]*name="collections_public"[^>]*>', page).group(0)
    assert "checked" in box
    response = client.post("/settings/profile/", {"display_name": "爱丽丝", "language": "zh"})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.collections_public is False  # the box left unticked
    client.post(
        "/settings/profile/",
        {"display_name": "爱丽丝", "language": "zh", "collections_public": "on"},
    )
    alice.refresh_from_db()
    assert alice.collections_public is True


def test_the_privacy_switch_in_patch_me(alice, client_for):
    api = client_for(alice)
    response = api.patch("/api/v1/me/", {"collections_public": False}, format="json")
    assert response.status_code == 200 and response.json()["collections_public"] is False
    alice.refresh_from_db()
    assert alice.collections_public is False
    bad = api.patch("/api/v1/me/", {"collections_public": "maybe"}, format="json")
    assert bad.status_code == 400
    alice.refresh_from_db()
    assert alice.collections_public is False


# ---------------------------------------------------------------- the API lists
def test_the_api_lists_alices_saves_and_likes_with_a_cursor(alice, bob, make_post, client_for, api):
    posts = [make_post(title=f"收藏{i}") for i in range(5)]
    for post in posts:
        services.favourite_create(user=alice, post=post)
    services.like_create(user=alice, post=posts[0])
    services.like_create(user=bob, post=posts[4])

    first = api.get("/api/v1/users/alice/favourites/?size=3").json()
    assert [r["post"]["title"] for r in first["results"]] == ["收藏4", "收藏3", "收藏2"]
    assert first["results"][0]["created_at"]
    rest = api.get(first["next"]).json()
    assert [r["post"]["title"] for r in rest["results"]] == ["收藏1", "收藏0"] and rest[
        "next"
    ] is None

    # bob's own hearts and stars on alice's list.
    as_bob = client_for(bob).get("/api/v1/users/alice/favourites/?size=1").json()
    assert as_bob["results"][0]["post"]["viewer"] == {"liked": True, "favourited": False}
    liked = api.get("/api/v1/users/alice/likes/").json()
    assert [r["post"]["title"] for r in liked["results"]] == ["收藏0"]


def test_the_api_answers_403_for_a_private_list_but_not_to_its_owner(
    alice, bob, make_post, client_for, api
):
    services.favourite_create(user=alice, post=make_post(title="私藏"))
    hide_collections(alice)
    for client in (api, client_for(bob)):
        for tab in ("favourites", "likes"):
            response = client.get(f"/api/v1/users/alice/{tab}/")
            assert response.status_code == 403
            assert "private" in response.json()["detail"]
    assert (
        client_for(alice)
        .get("/api/v1/users/alice/favourites/")
        .json()["results"][0]["post"]["title"]
        == "私藏"
    )
    assert api.get("/api/v1/users/alice/").json()["collections_public"] is False
    assert api.get("/api/v1/users/nobody/favourites/").status_code == 404


def test_the_api_refuses_lists_across_a_block(alice, bob, client_for):
    accounts.block_create(blocker=alice, blocked=bob)
    assert client_for(bob).get("/api/v1/users/alice/likes/").status_code == 403


def test_an_api_list_page_costs_the_same_queries_for_2_or_12_saves(
    alice, bob, make_post, client_for, django_assert_num_queries
):
    posts = [make_post(title=f"第{i}篇") for i in range(12)]
    client = client_for(bob)
    for post in posts[:2]:
        services.favourite_create(user=alice, post=post)
    # token, owner, the caller's blocks, page, images, tags, viewer state.
    with django_assert_num_queries(7):
        assert len(client.get("/api/v1/users/alice/favourites/").json()["results"]) == 2
    for post in posts[2:]:
        services.favourite_create(user=alice, post=post)
    with django_assert_num_queries(7):
        assert len(client.get("/api/v1/users/alice/favourites/").json()["results"]) == 12
