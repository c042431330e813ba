"""Sharing a post and following its author, through Django's test client: the share
sheet's record, the link a visitor opens, follow buttons on the post page and feed cards."""

from __future__ import annotations

import pytest

from accounts import services as accounts
from accounts.models import Follow
from content.models import Event, Post, Share
from feeds.services.hot import hot_and_trending_recompute

pytestmark = pytest.mark.django_db

FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


def text_of(response) -> str:
    return response.content.decode()


@pytest.fixture
def alice(make_user):
    return make_user("alice", display_name="爱丽丝")


@pytest.fixture
def post(make_user, make_post):
    return make_post(make_user("writer", display_name="作者"), title="外滩夜景")


# ---------------------------------------------------------------- share
def test_a_shared_link_opens_the_post_for_a_visitor_with_a_sign_in_prompt(client, post):
    response = client.get(f"/p/{post.pk}/")
    assert response.status_code == 200
    page = text_of(response)
    assert "外滩夜景" in page
    assert (
        'data-testid="share-sheet"' in page
        and f'data-share-url="http://testserver/p/{post.pk}/"' in page
    )
    assert "data-share-record" not in page  # a visitor's copy is not counted
    assert f"/login/?next=/p/{post.pk}/" in page  # the follow button and the actions ask to sign in
    assert 'data-testid="login-to-interact"' in page


def test_a_limited_or_removed_post_is_not_opened_by_a_shared_link(client, post):
    Post.objects.filter(pk=post.pk).update(status=Post.Status.REMOVED)
    assert client.get(f"/p/{post.pk}/").status_code == 404


def test_the_share_sheet_records_one_share_per_person_and_post(client, alice, post):
    client.force_login(alice)
    page = text_of(client.get(f"/p/{post.pk}/"))
    assert f'data-share-record="/p/{post.pk}/share/"' in page
    first = client.post(f"/p/{post.pk}/share/", {"target": "link"}, **FETCH)
    assert first.json() == {"action": "share", "changed": True, "share_count": 1}
    again = client.post(f"/p/{post.pk}/share/", {"target": "other"}, **FETCH)
    assert again.json() == {"action": "share", "changed": False, "share_count": 1}
    assert Share.objects.filter(post=post).count() == 1
    assert (
        Event.objects.filter(post=post, kind=Event.Kind.SHARE).count() == 2
    )  # each share is an event


def test_a_share_to_an_unknown_target_is_refused_and_changes_nothing(client, alice, post):
    client.force_login(alice)
    response = client.post(f"/p/{post.pk}/share/", {"target": "carrier-pigeon"}, **FETCH)
    assert response.status_code == 400 and "target" in response.json()["detail"]
    post.refresh_from_db()
    assert post.share_count == 0 and not Share.objects.exists()


def test_a_visitor_cannot_record_a_share(client, post):
    response = client.post(f"/p/{post.pk}/share/", {"target": "link"}, **FETCH)
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not Share.objects.exists()


def test_sharing_without_javascript_shows_the_posts_own_link(client, alice, post):
    client.force_login(alice)
    page = text_of(client.post(f"/p/{post.pk}/share/", follow=True))
    assert f"分享链接：http://testserver/p/{post.pk}/<" in page
    assert Share.objects.filter(user=alice, post=post).exists()


# ---------------------------------------------------------------- follow from the post page
def test_following_from_the_post_page(client, alice, post):
    client.force_login(alice)
    page = text_of(client.get(f"/p/{post.pk}/"))
    assert 'action="/u/writer/do/follow/"' in page and 'data-testid="follow-author"' in page
    answer = client.post("/u/writer/do/follow/", {"next": f"/p/{post.pk}/"}, **FETCH)
    assert answer.json() == {"action": "follow", "following": True, "follower_count": 1}
    assert Follow.objects.filter(follower=alice, followee=post.author).exists()
    page = text_of(client.get(f"/p/{post.pk}/"))
    assert 'action="/u/writer/do/unfollow/"' in page and "已关注" in page
    # Without JavaScript the form goes back to the post; a foreign "next" is ignored.
    back = client.post("/u/writer/do/unfollow/", {"next": f"/p/{post.pk}/"})
    assert back.status_code == 302 and back["Location"] == f"/p/{post.pk}/"
    assert not Follow.objects.filter(follower=alice).exists()
    away = client.post("/u/writer/do/follow/", {"next": "https://evil.example/"})
    assert away["Location"] == "/u/writer/"


def test_the_author_sees_no_follow_button_on_their_own_post(client, post):
    client.force_login(post.author)
    assert 'data-testid="follow-author"' not in text_of(client.get(f"/p/{post.pk}/"))


def test_following_oneself_from_a_button_is_a_clear_400(client, post):
    client.force_login(post.author)
    response = client.post("/u/writer/do/follow/", **FETCH)
    assert response.status_code == 400 and response.json()["detail"]
    assert not Follow.objects.exists()


def test_a_card_button_cannot_block(client, alice, post):
    client.force_login(alice)
    assert client.post("/u/writer/do/block/", **FETCH).status_code == 404
    assert not alice.blocking_rows.exists()


# ---------------------------------------------------------------- follow from a feed card
def test_feed_cards_carry_a_follow_button_that_knows_whom_you_follow(
    client, make_user, publish, person, django_assert_num_queries
):
    followed, other = make_user("followed"), make_user("other")
    publish(followed, "food")
    publish(other, "food")
    reader = person("reader", ["food", "tech", "games"])
    accounts.follow_create(follower=reader, followee=followed)
    hot_and_trending_recompute()
    client.force_login(reader)
    page = text_of(client.get("/c/food/"))
    assert page.count('data-testid="card"') == 2
    assert 'action="/u/followed/do/unfollow/"' in page and 'action="/u/other/do/follow/"' in page


@pytest.mark.parametrize("following", [False, True])
def test_the_follow_buttons_cost_no_query_on_a_feed_page(
    following, client, make_user, publish, person, django_assert_num_queries
):
    """The hearts, stars and follow buttons of a page come from one UNION query, so the
    channel page costs what it cost before the follow buttons."""
    authors = [make_user(f"w{i}") for i in range(6)]
    for i in range(12):
        publish(authors[i % 6], "food")
    reader = person("reader", ["food", "tech", "games"])
    if following:
        for author in authors:
            accounts.follow_create(follower=reader, followee=author)
    hot_and_trending_recompute()
    client.force_login(reader)
    client.get("/c/food/")  # the channel bar's cache, the seen set
    with django_assert_num_queries(WEB_CHANNEL_PAGE_QUERIES):
        page = text_of(client.get("/c/food/"))
    assert page.count('data-testid="follow-author"') == page.count('data-testid="card"') > 0
    assert page.count(">已关注</button>") == (page.count('data-testid="card"') if following else 0)


WEB_CHANNEL_PAGE_QUERIES = 15
