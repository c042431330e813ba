"""Feed cards over the API: what a post looks like on a feed page, kept rendered in Redis
(``content.cards``) while its counts, status and the viewer's marks are read fresh."""

from __future__ import annotations

import pytest

from accounts import services as accounts
from content import services as content
from content.models import Post
from feeds import stores

pytestmark = pytest.mark.django_db


def card_of(response, post_id: int) -> dict:
    assert response.status_code == 200, response.content
    cards = {item["post"]["id"]: item["post"] for item in response.json()["results"]}
    assert post_id in cards, list(cards)
    return cards[post_id]


def test_a_feed_card_is_the_post_as_its_own_page_shows_it_and_follows_every_change(
    make_user, publish, person, client_for, committed
):
    author = make_user("writer")
    post = publish(author, "food", title="第一版")
    reader = person("reader", ["food", "travel", "pets"])
    fan = make_user("fan")
    with committed():
        accounts.follow_create(follower=reader, followee=author)
    api = client_for(reader)

    first = card_of(api.get("/api/v1/feeds/follow/"), post.pk)
    assert first == api.get(f"/api/v1/posts/{post.pk}/").json()
    post.refresh_from_db()
    assert stores.redis().exists(stores.card_key(post.pk, post.updated_at)), "the rendered card is kept for the next page"
    assert card_of(api.get("/api/v1/feeds/follow/"), post.pk) == first

    # The author edits the post, someone likes it, the reader saves it.
    with committed():
        content.post_update(post=post, actor=author, title="第二版", tags=["新标签"])
        content.like_create(user=fan, post=post)
        content.favourite_create(user=reader, post=post)
    after = card_of(api.get("/api/v1/feeds/follow/"), post.pk)
    assert after["title"] == "第二版"
    assert "新标签" in [t["name"] for t in after["tags"]]
    assert after["counts"]["likes"] == 1
    assert after["viewer"] == {"liked": False, "favourited": True}
    assert after == api.get(f"/api/v1/posts/{post.pk}/").json()

    # The author renames themselves.
    with committed():
        accounts.profile_update(user=author, display_name="新名字")
    renamed = card_of(api.get("/api/v1/feeds/follow/"), post.pk)
    assert renamed["author"]["display_name"] == "新名字"
    assert renamed == api.get(f"/api/v1/posts/{post.pk}/").json()


def test_a_cached_card_never_brings_back_a_removed_post(make_user, publish, person, client_for, committed):
    author = make_user("writer")
    kept = publish(author, "food", title="留下")
    removed = publish(author, "food", title="删除")
    reader = person("reader", ["food", "travel", "pets"])
    with committed():
        accounts.follow_create(follower=reader, followee=author)
    api = client_for(reader)
    card_of(api.get("/api/v1/feeds/follow/"), removed.pk)  # rendered and cached
    # (A status set without an edit: the cached card's version does not change.)
    Post.objects.filter(pk=removed.pk).update(status=Post.Status.REMOVED)
    ids = [item["post"]["id"] for item in api.get("/api/v1/feeds/follow/").json()["results"]]
    assert kept.pk in ids and removed.pk not in ids


def test_rebuilding_redis_renders_the_cards_of_recent_posts(make_user, publish):
    from feeds.services.rebuild import rebuild_redis

    post = publish(make_user("writer"), "food")
    stores.redis().flushdb()
    assert rebuild_redis()["cards"] == 1
    post.refresh_from_db()
    assert stores.redis().exists(stores.card_key(post.pk, post.updated_at))


def test_an_expired_author_brief_is_rendered_again_on_its_own(
    make_user, publish, person, client_for, committed, django_assert_max_num_queries, django_assert_num_queries
):
    author = make_user("writer")
    post = publish(author, "food")
    reader = person("reader", ["food", "travel", "pets"])
    with committed():
        accounts.follow_create(follower=reader, followee=author)
    api = client_for(reader)
    first = card_of(api.get("/api/v1/feeds/follow/"), post.pk)
    with django_assert_max_num_queries(100) as warm:
        api.get("/api/v1/feeds/follow/")

    stores.redis().delete(stores.card_author_key(author.pk))  # as when it expires
    with django_assert_num_queries(len(warm.captured_queries) + 1):  # the author's row, once
        again = card_of(api.get("/api/v1/feeds/follow/"), post.pk)
    assert again == first
