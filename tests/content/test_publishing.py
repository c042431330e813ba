"""Publishing from the web form: images in the chosen order with alt texts, a typed place
geocoded or kept as text, tags suggested rather than forced, and JSON answers for
publish.js. The browser side is tests/web/test_publish_browser.py."""

from __future__ import annotations

import pytest

from content.models import Post, PostImage, Tag
from content.places import geocode
from content.tagging import suggest_tags

pytestmark = pytest.mark.django_db

XHR = {"HTTP_X_REQUESTED_WITH": "fetch"}


@pytest.fixture
def member(make_user, client):
    user = make_user("meimei", display_name="梅梅")
    client.force_login(user)
    return user


@pytest.fixture
def note(channels, image_file):
    """The fields of a two-image note: a wide image first, then a tall one."""

    def make(**extra):
        return {
            "kind": "note",
            "title": "武康路咖啡",
            "body": "周末在武康路喝到一杯很棒的手冲咖啡",
            "channel": channels["food"].pk,
            "images": [image_file("wide.png", size=(80, 40)), image_file("tall.png", size=(30, 60))],
            **extra,
        }

    return make


def sizes(post: Post) -> list[tuple[int, int]]:
    return [(i.width, i.height) for i in post.images.all()]


# ---------------------------------------------------------------- order and alt texts
def test_images_are_stored_in_the_order_the_person_chose(client, member, note):
    response = client.post("/publish/", note(order="1,0"))
    post = Post.objects.get()
    assert response.status_code == 302
    assert sizes(post) == [(30, 60), (80, 40)]


def test_without_an_order_the_images_keep_the_order_they_were_chosen_in(client, member, note):
    client.post("/publish/", note())
    assert sizes(Post.objects.get()) == [(80, 40), (30, 60)]


@pytest.mark.parametrize("order", ["0,0", "0", "0,1,2", "1,x", "-1,0"])
def test_an_order_that_is_not_the_chosen_images_is_refused_and_nothing_is_written(
    client, member, note, order, media_root
):
    response = client.post("/publish/", note(order=order))
    assert response.status_code == 200
    assert "图片顺序与所选图片不一致" in response.content.decode()
    assert Post.objects.count() == 0
    assert not any(p.is_file() for p in media_root.rglob("*"))


def test_each_alt_text_follows_its_image_when_reordered(client, member, note):
    # alt_<i> belongs to the i-th chosen file, wherever the person moved it.
    client.post("/publish/", note(order="1,0", alt_0="一条有梧桐树的街", alt_1=""))
    first, second = Post.objects.get().images.all()
    assert (first.width, first.alt) == (30, "")
    assert (second.width, second.alt) == (80, "一条有梧桐树的街")


def test_a_missing_alt_text_is_generated_and_an_authors_is_shown(client, member, note):
    client.post("/publish/", note(alt_1="一杯拉花拿铁"))
    post = Post.objects.get()
    page = client.get(f"/p/{post.pk}/").content.decode()
    assert 'alt="图片 1/2：武康路咖啡"' in page
    assert 'alt="一杯拉花拿铁"' in page
    # The card on the latest list carries the first image's alt text.
    assert 'alt="图片 1/2：武康路咖啡"' in client.get("/latest/").content.decode()


def test_an_alt_text_over_200_characters_is_refused(client, member, note):
    response = client.post("/publish/", note(alt_0="长" * 201))
    assert response.status_code == 200
    assert Post.objects.count() == 0


def test_the_api_takes_alt_texts_and_returns_them(make_user, client_for, image_file, channels, media_root):
    client = client_for(make_user("apiwriter"))
    response = client.post(
        "/api/v1/posts/",
        {
            "kind": "note", "title": "猫", "channel": "cats",
            "images": [image_file("a.png"), image_file("b.png")], "alts": ["睡觉的橘猫", ""],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert [i["alt"] for i in response.json()["images"]] == ["睡觉的橘猫", "图片 2/2：猫"]


def test_the_api_refuses_more_alt_texts_than_images(make_user, client_for, image_file, channels, media_root):
    client = client_for(make_user("apiwriter"))
    response = client.post(
        "/api/v1/posts/",
        {
            "kind": "note", "title": "猫", "channel": "cats",
            "images": [image_file("a.png")], "alts": ["一", "二"],
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert "alts" in response.json()["errors"]
    assert Post.objects.count() == 0 and PostImage.objects.count() == 0


# ---------------------------------------------------------------- places
def test_a_known_place_typed_without_a_location_is_put_on_the_map_and_shows_in_nearby(
    client, member, note, api, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/publish/", note(place_name="武康路"))
    post = Post.objects.get()
    wukang = geocode("武康路")
    # Stored under its full name, city first.
    assert (post.place_name, post.lat, post.lng) == ("上海·武康路", wukang.lat, wukang.lng)
    nearby = api.get(f"/api/v1/feeds/nearby/?lat={wukang.lat}&lng={wukang.lng}").json()
    assert [r["post"]["id"] for r in nearby["results"]] == [post.pk]


def test_an_unknown_place_is_kept_as_text_with_a_note_that_it_is_not_in_nearby(client, member, note):
    response = client.post("/publish/", note(place_name="我家楼下的小店"), follow=True)
    post = Post.objects.get()
    assert (post.place_name, post.lat, post.lng) == ("我家楼下的小店", None, None)
    page = response.content.decode()
    assert "我家楼下的小店" in page
    assert "不会出现在「附近」" in page


def test_the_browsers_location_wins_over_the_typed_name(client, member, note):
    client.post("/publish/", note(place_name="武康路", lat=39.9, lng=116.4))
    post = Post.objects.get()
    assert (post.place_name, post.lat, post.lng) == ("武康路", 39.9, 116.4)


def test_geocoding_needs_the_whole_text_to_name_a_known_place():
    assert geocode("上海·武康路") == geocode("武康路")
    assert geocode("上海") is not None
    assert geocode("武康路的咖啡店") is None
    assert geocode("") is None


# ---------------------------------------------------------------- tags
def test_the_web_form_adds_only_the_tags_the_person_chose(client, member, note):
    client.post("/publish/", note(tags="咖啡"))
    post = Post.objects.get()
    assert set(post.tags.values_list("name", flat=True)) == {"咖啡"}
    # No keyword of the text was forced on the post.
    assert not Tag.objects.filter(name="武康路").exists()


def test_suggestions_come_from_the_text_and_leave_out_chosen_tags_and_filler(client, member):
    response = client.post(
        "/publish/tags/",
        {"title": "武康路咖啡", "body": "第一篇笔记！周末在武康路喝到一杯很棒的手冲咖啡，第3天打卡 #拿铁", "tags": "咖啡"},
    )
    assert response.status_code == 200
    suggested = response.json()["tags"]
    assert "武康路" in suggested and "手冲" in suggested
    for word in ["咖啡", "拿铁", "很棒", "第一篇", "第3天", "一杯", "打卡"]:
        assert word not in suggested


def test_suggestions_need_a_signed_in_person_and_a_post(client, make_user):
    assert client.post("/publish/tags/", {"title": "咖啡"}).status_code == 403
    client.force_login(make_user("someone"))
    assert client.get("/publish/tags/").status_code == 405
    assert client.post("/publish/tags/", {"body": "长" * 5001}).status_code == 400


def test_suggest_tags_respects_its_limit():
    text = "上海 咖啡 烘焙 蛋糕 面包 旅行 徒步 露营 摄影 猫咪 狗狗"
    assert len(suggest_tags("", text, limit=3)) == 3


# ---------------------------------------------------------------- answers for publish.js
def test_publishing_by_script_answers_with_the_posts_address(client, member, note):
    response = client.post("/publish/", note(), **XHR)
    post = Post.objects.get()
    assert response.status_code == 200
    assert response.json() == {"redirect": f"/p/{post.pk}/"}


def test_a_refused_post_by_script_answers_400_with_the_messages_by_field(client, member, note):
    response = client.post("/publish/", note(images=[], title=""), **XHR)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors and all(isinstance(m, str) for found in errors.values() for m in found)
    assert Post.objects.count() == 0
