"""One language at a time on the pages issue #31 left bilingual (docs/i18n.md): the post
page, the cards, the creator center, the notifications and search pages, the words the
scripts write, the API's own errors and the 中文 / English switch. Each test looks at
labels (the template's and the code's words), never at what people wrote."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def speaks(page: str, *, present: tuple[str, ...], absent: tuple[str, ...]) -> None:
    assert [label for label in present if label not in page] == []
    assert [label for label in absent if label in page] == []


# ---------------------------------------------------------------- the post page and cards
POST_ZH = ("分享", "评论 (0)", "说点什么，@ 提到某人", "发送", "还没有评论", "举报", "不感兴趣", "商品")
POST_EN = ("Share", "Comments (0)", "Say something, @ someone", "Send", "No comments yet.", "Report",
           "Not interested", "Products")


def test_the_post_page_is_chinese_by_default_and_english_for_an_english_reader(make_user, make_post, client):
    post = make_post(title="coffee", body="pour over")
    reader = make_user("reader")
    client.force_login(reader)
    speaks(html(client.get(f"/p/{post.pk}/", **EN)), present=POST_ZH, absent=POST_EN)

    reader.language = "en"
    reader.save(update_fields=["language"])
    page = html(client.get(f"/p/{post.pk}/"))
    speaks(page, present=POST_EN, absent=POST_ZH)
    assert "Food" in page and "美食" not in page  # the channel by its English name


def test_a_visitors_post_page_invites_to_log_in_in_their_language(make_post, client):
    post = make_post(title="coffee", body="pour over")
    speaks(html(client.get(f"/p/{post.pk}/")), present=("登录后互动",), absent=("Log in to interact",))
    speaks(html(client.get(f"/p/{post.pk}/", **EN)), present=("Log in to interact",), absent=("登录后互动",))


CARD_ZH = ("更多操作", "☆ 收藏", "不感兴趣", " 赞</span>")
CARD_EN = ("More actions", "☆ Save", "Not interested", " likes</span>")


def test_a_feed_card_speaks_one_language(make_user, make_post, client):
    make_post(make_user("writer"), title="coffee", body="pour over")
    reader = make_user("reader")
    client.force_login(reader)
    speaks(html(client.get("/c/food/")), present=CARD_ZH, absent=CARD_EN)
    reader.language = "en"
    reader.save(update_fields=["language"])
    speaks(html(client.get("/c/food/")), present=CARD_EN, absent=CARD_ZH)


# ---------------------------------------------------------------- the creator center
CREATOR_ZH = ("创作中心", "我的薯条", "钱包", "店铺", "账号权重", "我的笔记", "流量池进度", "初始流量池")
CREATOR_EN = ("Creator center", "My boosts", "Wallet", "Shop", "Account weight", "My posts",
              "Progress through the pools", "Base pool")


def test_the_creator_center_and_its_sentences_speak_one_language(make_post, client):
    post = make_post(title="coffee", body="pour over")
    author = post.author
    client.force_login(author)
    speaks(html(client.get("/creator/", **EN)), present=CREATOR_ZH, absent=CREATOR_EN)
    detail = html(client.get(f"/creator/p/{post.pk}/"))
    speaks(detail, present=("流量池", "记录", "系统记录"), absent=("Traffic pools", "History", "System record"))

    author.language = "en"
    author.save(update_fields=["language"])
    speaks(html(client.get("/creator/")), present=CREATOR_EN, absent=CREATOR_ZH)
    detail = html(client.get(f"/creator/p/{post.pk}/"))
    speaks(detail, present=("Traffic pools", "History", "System record"), absent=("流量池", "记录", "可以做的"))


def test_the_pools_sentences_are_chinese_by_default_and_english_when_asked():
    from django.utils import translation

    from feeds.engine import narrate

    k = {"POOL_EARLY_STOP_IMPRESSIONS": 100, "POOL_EARLY_STOP_LIKE_RATE": 0.03}
    said = lambda: narrate.transition_sentence(  # noqa: E731
        action="early_stop", from_tier=0, to_tier=0, to_state="stopped", impressions=100,
        rates={"like_rate_raw": 0.02}, reason="", kind="note", k=k,
    )
    with translation.override("zh-hans"):  # what a request without a language choice gets
        assert said().text == "前 100 次曝光的点赞率 2%，低于 3%，暂停推荐"
        assert said().advice.startswith("第一眼没打动人：")
    with translation.override("en"):
        english = said()
    assert english.text == "Like rate of the first 100 impressions 2%, below 3%: recommendation paused"
    assert english.advice.startswith("It did not catch the eye")


# ---------------------------------------------------------------- notifications and search
def test_the_notification_tabs_speak_one_language(make_user, client):
    reader = make_user("reader")
    client.force_login(reader)
    zh, en = ("赞和收藏", "新增关注", "评论和@"), ("Likes and saves", "New followers", "Comments and @")
    speaks(html(client.get("/notifications/", **EN)), present=zh, absent=en)
    reader.language = "en"
    reader.save(update_fields=["language"])
    speaks(html(client.get("/notifications/")), present=en, absent=zh)


def test_a_notification_line_is_said_in_the_readers_language(make_user, make_post):
    from django.utils import translation

    from notifications.models import Notification
    from notifications.text import sentence

    post = make_post(title="coffee")
    liked = Notification(recipient=post.author, verb="like", actor=make_user("bob"), actor_count=3, post=post)
    removed = Notification(recipient=post.author, verb="post_removed", post=post, text="spam")
    with translation.override("zh-hans"):
        assert [sentence(liked), sentence(removed)] == ["bob 和其他 2 人赞了你的笔记", "你的笔记被删除《coffee》，理由：spam"]
    with translation.override("en"):
        assert [sentence(liked), sentence(removed)] == [
            "bob and 2 others liked your post", "Your post “coffee” was removed, reason: spam"]


def test_the_search_tabs_and_sorts_speak_one_language(client):
    zh = (">综合<", ">笔记<", ">用户<", ">话题<", "综合排序", "最多赞")
    en = (">All<", ">Notes<", ">People<", ">Topics<", "Best match", "Most liked")
    speaks(html(client.get("/search/?q=coffee")), present=zh, absent=en)
    speaks(html(client.get("/search/?q=coffee", **EN)), present=en, absent=zh)


# ---------------------------------------------------------------- the scripts' words
def test_the_words_the_scripts_write_come_from_the_page_in_its_language(client):
    chinese = html(client.get("/"))
    assert 'data-label-following="已关注"' in chinese and 'data-label-link-copied="链接已复制"' in chinese
    english = html(client.get("/", **EN))
    assert 'data-label-following="Following"' in english and 'data-label-link-copied="Link copied."' in english
    for name in re.findall(r'data-label-([a-z-]+)="', chinese):
        value = re.search(rf'data-label-{name}="([^"]*)"', english).group(1)
        assert value and not re.search(r"[\u4e00-\u9fff]", value), name


def test_the_scripts_carry_no_words_of_their_own():
    """Their text comes from <body data-label-…>: a literal in a script is one language for all."""
    written = []
    for path in (ROOT / "static" / "js").glob("*.js"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("//", 1)[0]
            if re.search(r"[\u4e00-\u9fff]", code):
                written.append(f"{path.name}:{number}")
    assert written == []


# ---------------------------------------------------------------- the API's own errors
def test_a_bad_cursor_is_refused_in_chinese_by_default_and_in_english_when_asked(make_user, client_for):
    api = client_for(make_user("reader"))
    chinese = api.get("/api/v1/products/?cursor=not-a-cursor")
    english = api.get("/api/v1/products/?cursor=not-a-cursor", **EN)
    assert chinese.status_code == english.status_code == 400
    assert chinese.json()["errors"]["cursor"] == ["cursor 无效：请去掉 cursor，从第一页重新开始。"]
    assert english.json()["errors"]["cursor"] == ["This cursor is not valid; start again without one."]
    assert api.get("/api/v1/products/?size=0").json()["errors"]["size"] == ["size 须为 1 到 50 的整数。"]
    assert api.get("/api/v1/no-such-thing/", **EN).json() == {"detail": "Not found.", "code": "not_found"}
    assert api.get("/api/v1/no-such-thing/").json() == {"detail": "未找到。", "code": "not_found"}



def test_a_refused_upload_is_told_in_the_readers_language(make_user, client_for, channels):
    from django.core.files.uploadedfile import SimpleUploadedFile

    api = client_for(make_user("writer"))

    def publish(**headers):
        text = SimpleUploadedFile("notes.txt", b"just text", content_type="text/plain")
        form = {"kind": "note", "title": "t", "channel": "food", "images": [text]}
        return api.post("/api/v1/posts/", form, format="multipart", **headers).json()["errors"]["images"]

    assert publish() == ["无法读取图片 notes.txt。请上传 JPEG、PNG 或 WebP 文件。"]
    assert publish(**EN) == ["notes.txt is not an image we can read. Upload a JPEG, PNG or WebP file."]
    empty = {"kind": "note", "title": "t", "channel": "food"}
    assert api.post("/api/v1/posts/", empty, format="multipart", **EN).json()["errors"]["images"] == [
        "A note needs 1 to 9 images."
    ]


# ---------------------------------------------------------------- the 中文 / English switch
def test_a_visitor_switches_to_english_and_back(client):
    assert 'data-testid="language-switch"' in html(client.get("/"))
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/hot/"})
    assert switched.status_code == 302 and switched["Location"] == "/hot/"
    page = html(client.get("/hot/", HTTP_ACCEPT_LANGUAGE="zh-CN"))  # the choice beats the browser
    assert '<html lang="en">' in page and "Discover" in page and "发现" not in page

    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert '<html lang="zh-Hans">' in html(client.get("/", **EN))


def test_a_signed_in_persons_switch_is_saved_on_their_account(make_user, client):
    meimei = make_user("meimei")
    client.force_login(meimei)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    meimei.refresh_from_db()
    assert meimei.language == "en"

    # Another browser, without the cookie: the account's choice still holds.
    client.cookies.clear()
    client.force_login(meimei)
    assert '<html lang="en">' in html(client.get("/u/meimei/", HTTP_ACCEPT_LANGUAGE="zh-CN"))

    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    meimei.refresh_from_db()
    assert meimei.language == "zh"
