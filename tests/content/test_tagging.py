"""Tags a post gets: the author's own (and #hashtags) plus keywords extracted from its text."""

from __future__ import annotations

import pytest

from content.models import PostTag, Tag
from content.tagging import STOP_WORDS, extract_tags, hashtags_in, normalize_tag, split_tag_input

POSTS = "/api/v1/posts/"


def publish(client, image_file, **fields):
    form = {"kind": "note", "channel": "food", "images": [image_file()], **fields}
    response = client.post(POSTS, form, format="multipart")
    assert response.status_code == 201, response.json()
    return response.json()


def tag_sources(post_json) -> dict[str, str]:
    return {t["name"]: t["source"] for t in post_json["tags"]}


# ---------------------------------------------------------------- through the API
@pytest.mark.django_db
def test_a_chinese_coffee_note_is_tagged_coffee(make_user, client_for, image_file):
    post = publish(
        client_for(make_user()),
        image_file,
        title="上海咖啡探店",
        body="我们今天去了一家咖啡店，咖啡的味道非常好，探店的感觉很棒。",
    )

    tags = tag_sources(post)
    assert tags.get("咖啡") == "extracted"
    assert tags.get("探店") == "extracted"
    assert Tag.objects.get(name="咖啡").post_count == 1


@pytest.mark.django_db
def test_stop_words_never_become_tags(make_user, client_for, image_file):
    post = publish(
        client_for(make_user()),
        image_file,
        title="我们的周末 the best",
        body="我们的 我们 的 的 的 the the the and this is what we really like 真的 非常 觉得 分享 一下 推荐",
    )

    names = set(tag_sources(post))
    assert not names & {"的", "我们", "the", "and", "this", "really", "真的", "非常", "分享", "推荐"}
    assert not names & STOP_WORDS
    assert not Tag.objects.filter(name__in=["的", "我们", "the"]).exists()


@pytest.mark.django_db
def test_a_hashtag_in_the_body_becomes_an_author_tag(make_user, client_for, image_file):
    post = publish(
        client_for(make_user()),
        image_file,
        title="周末喝咖啡",
        body="这家店的拿铁很好喝 #上海探店 #Coffee",
    )

    tags = tag_sources(post)
    assert tags.get("上海探店") == "author"
    assert tags.get("coffee") == "author"
    assert "Coffee" not in tags
    assert PostTag.objects.get(tag__name="上海探店").source == "author"


@pytest.mark.django_db
def test_english_words_are_lower_cased(make_user, client_for, image_file):
    post = publish(
        client_for(make_user()),
        image_file,
        title="The Best COFFEE in Shanghai",
        body="Coffee, Latte and Espresso at a tiny Coffee shop",
        tags="Matcha, LATTE",
    )
    # Sent without tags, the same text gets its keywords (an API client that sends tags
    # gets just those: docs/decisions/tags-suggested-not-forced.md).
    untagged = publish(
        client_for(make_user()),
        image_file,
        title="The Best COFFEE in Shanghai",
        body="Coffee, Latte and Espresso at a tiny Coffee shop",
    )

    tags = tag_sources(post)
    assert tags == {"matcha": "author", "latte": "author"}
    assert tag_sources(untagged).get("coffee") == "extracted"
    assert all(name == name.lower() for name in [*tags, *tag_sources(untagged)])


@pytest.mark.django_db
def test_a_tag_given_twice_in_different_cases_is_one_tag(make_user, client_for, image_file):
    post = publish(
        client_for(make_user()), image_file, title="抹茶", body="抹茶拿铁", tags="Matcha matcha #MATCHA"
    )

    assert [t["name"] for t in post["tags"]].count("matcha") == 1
    assert Tag.objects.filter(name__iexact="matcha").count() == 1


@pytest.mark.django_db
def test_more_than_ten_author_tags_are_refused(make_user, client_for, image_file):
    author = make_user()
    tags = ",".join(f"话题{i}" for i in range(11))

    response = client_for(author).post(
        POSTS,
        {"kind": "note", "channel": "food", "title": "标签太多", "images": [image_file()], "tags": tags},
        format="multipart",
    )

    assert response.status_code == 400
    assert "tags" in response.json()["errors"]
    assert not Tag.objects.exists()


@pytest.mark.django_db
def test_tags_are_searchable_by_their_start(api, make_post):
    make_post(title="上海咖啡探店", body="手冲咖啡很好喝")

    response = api.get("/api/v1/tags/", {"search": "咖"})

    assert response.status_code == 200
    assert {"name": "咖啡", "post_count": 1} in response.json()["results"]


# ---------------------------------------------------------------- the extractor itself
def test_extraction_keeps_the_salient_words_and_drops_stop_words():
    tags = extract_tags("上海咖啡探店", "我们今天去了一家咖啡店，咖啡的味道非常好，探店的感觉很棒。")

    assert "咖啡" in tags
    assert "探店" in tags
    assert not set(tags) & STOP_WORDS
    assert len(tags) <= 5


def test_text_of_nothing_but_stop_words_yields_no_tags():
    assert extract_tags("我们的的的 the the", "我们 的 the and 我们的 真的 非常 the") == []
    assert extract_tags("", "") == []


def test_numbers_urls_and_hashtags_are_not_extracted():
    tags = extract_tags("2024 年度总结", "看这里 https://example.com/coffee-review 12345 #上海探店 咖啡 咖啡")

    assert "2024" not in tags and "12345" not in tags
    assert not any("example" in t or "http" in t for t in tags)
    assert "上海探店" not in tags


def test_extraction_respects_the_limit():
    body = "咖啡 拿铁 抹茶 蛋糕 面包 甜品 烘焙 探店 上海 徐汇 周末 早午餐"
    assert len(extract_tags("美食合集", body, limit=3)) == 3


def test_hashtags_and_typed_tags_are_normalised():
    assert hashtags_in("好喝 #上海探店 #Coffee #上海探店") == ["上海探店", "coffee"]
    assert normalize_tag("  #Coffee  Lover ") == "coffee lover"
    assert normalize_tag("!!!") == ""
    assert normalize_tag("x" * 31) == ""
    assert split_tag_input("旅行，周末 #咖啡,抹茶、 latte") == ["旅行", "周末", "咖啡", "抹茶", "latte"]
