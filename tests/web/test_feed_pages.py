"""The feed pages without a browser: tabs, the next-page fragment, errors."""

from __future__ import annotations

import pytest

from content import services as content
from feeds.services.hot import hot_and_trending_recompute

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return response.content.decode()


def test_the_tabs_lead_to_each_feed(client, make_user):
    client.force_login(make_user("tabby"))
    page = text_of(client.get("/"))
    for label, url in [("关注", "/follow/"), ("发现", "/"), ("附近", "/nearby/"), ("热门", "/hot/"), ("最新", "/latest/")]:
        assert f'href="{url}"' in page and label in page
    assert client.get("/follow/").status_code == 200


def test_visitors_see_discover_but_the_follow_tab_asks_them_to_log_in(client, make_post):
    make_post(title="给访客看的笔记")
    assert client.get("/").status_code == 200
    response = client.get("/follow/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_next_page_fragment_holds_only_cards_and_the_next_link(client, make_user, publish):
    author = make_user("many")
    for i in range(25):
        publish(author, ["food", "tech", "games", "music", "film"][i % 5])
    client.force_login(make_user("reader"))
    page = text_of(client.get("/"))
    assert page.count('data-testid="card"') == 20
    more = page.split('data-testid="more"')[0].rsplit('href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    fragment = text_of(client.get(more + "&partial=1"))
    assert "<html" not in fragment and fragment.count('data-testid="card"') == 5
    assert 'data-testid="more"' not in fragment


def test_a_stale_cursor_on_the_web_starts_the_feed_again(client, make_post):
    make_post(title="重新开始")
    response = client.get("/?cursor=garbage")
    assert response.status_code == 200 and "列表已刷新" in text_of(response)


def test_nearby_without_a_location_asks_for_it_and_a_bad_one_is_refused(client, make_user):
    user = make_user("homebody", home_place="静安", home_lat=31.229, home_lng=121.448)
    client.force_login(user)
    page = text_of(client.get("/nearby/"))
    assert 'data-testid="nearby-ask"' in page and "使用我的位置" in page
    assert "lat=31.229&lng=121.448" in page  # a shortcut to the home place
    response = client.get("/nearby/?lat=100&lng=10")
    assert response.status_code == 400 and "lat 须在 −90 到 90 之间" in text_of(response)


def test_the_hot_page_lists_hot_posts_and_trending_topics(client, make_user, publish):
    author = make_user("hotshot")
    post = publish(author, "music", tags=["民谣"])
    for i in range(4):
        content.like_create(user=make_user(f"clapper{i}"), post=post)
    hot_and_trending_recompute()
    page = text_of(client.get("/hot/"))
    assert f'data-post-id="{post.pk}"' in page
    assert 'data-testid="trending"' in page and "#民谣" in page
    assert client.get("/hot/?channel=nope").status_code == 404


def test_a_card_action_sent_by_the_page_script_gets_json(client, make_user, make_post):
    post = make_post(title="卡片点赞")
    client.force_login(make_user("json-liker"))
    response = client.post(f"/p/{post.pk}/like/", HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 200
    assert response.json() == {
        "action": "like", "liked": True, "favourited": False, "like_count": 1, "favourite_count": 0, "hidden": False,
    }
    response = client.post(f"/p/{post.pk}/not-interested/", HTTP_X_REQUESTED_WITH="fetch")
    assert response.json()["hidden"] is True
