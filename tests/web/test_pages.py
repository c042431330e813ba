"""The web pages, seen through Django's test client: what a visitor or a member sees."""

from __future__ import annotations

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Follow, InterestPick, User
from content.models import Like, Post

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return response.content.decode()


@pytest.fixture
def member(make_user, client):
    """A signed-in, onboarded member."""
    user = make_user("meimei", display_name="梅梅")
    client.force_login(user)
    return user


# ---------------------------------------------------------------- every page renders
def test_home_signup_and_login_pages_open_for_a_visitor(client, make_post):
    make_post(title="周末去西湖")
    home = client.get("/")
    assert home.status_code == 200
    assert "周末去西湖" in text_of(home)
    assert 'data-testid="grid"' in text_of(home)

    signup = client.get("/signup/")
    assert signup.status_code == 200
    assert 'name="username"' in text_of(signup)
    assert 'name="password1"' in text_of(signup)

    login = client.get("/login/")
    assert login.status_code == 200
    assert 'name="password"' in text_of(login)


def test_the_site_icon_is_linked_and_favicon_ico_leads_to_it(client, channels):
    from pathlib import Path

    from django.contrib.staticfiles import finders

    home = text_of(client.get("/"))
    assert '<link rel="icon" href="/static/favicon.svg"' in home
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/favicon.svg"
    assert Path(finders.find("favicon.svg")).read_text(encoding="utf-8").startswith("<svg")


def test_an_empty_home_says_there_is_nothing_yet(client, channels):
    response = client.get("/")
    assert response.status_code == 200
    assert "还没有内容" in text_of(response)


def test_a_visitor_who_opens_publish_is_sent_to_log_in(client, channels):
    response = client.get("/publish/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert "next=/publish/" in response["Location"]


def test_a_visitor_who_opens_profile_settings_is_sent_to_log_in(client, channels):
    response = client.get("/settings/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_member_sees_the_publish_form(client, member):
    response = client.get("/publish/")
    assert response.status_code == 200
    page = text_of(response)
    assert 'data-testid="publish-form"' in page
    assert 'name="images"' in page
    assert 'enctype="multipart/form-data"' in page


def test_post_detail_shows_title_body_tags_and_channel(client, make_post):
    post = make_post(title="上海咖啡探店", body="手冲咖啡很好喝", tags=["咖啡", "brunch"])
    response = client.get(f"/p/{post.pk}/")
    assert response.status_code == 200
    page = text_of(response)
    assert '<h1 data-testid="post-title">上海咖啡探店</h1>' in page
    assert "手冲咖啡很好喝" in page
    assert "#咖啡" in page and "#brunch" in page
    assert "美食" in page  # the channel, in Chinese
    assert "登录后互动" in page  # a visitor is invited to log in


def test_a_missing_post_is_a_404(client, channels):
    assert client.get("/p/999999/").status_code == 404


def test_profile_page_shows_the_author_and_their_posts(client, make_user, make_post):
    author = make_user("xiaohong", display_name="小红", bio="爱吃爱玩")
    make_post(author, title="我的早餐")
    response = client.get("/u/xiaohong/")
    assert response.status_code == 200
    page = text_of(response)
    assert "小红" in page and "@xiaohong" in page
    assert "爱吃爱玩" in page
    assert 'data-testid="grid"' in page
    assert "我的早餐" in page


def test_an_unknown_profile_is_a_404(client, channels):
    assert client.get("/u/nobody-here/").status_code == 404


def test_channel_page_lists_posts_of_the_channel_and_its_sub_channels(client, make_post):
    make_post(title="楼下新开的店", channel="restaurants")  # a sub-channel of 美食
    make_post(title="秋冬大衣", channel="fashion")
    response = client.get("/c/food/")
    assert response.status_code == 200
    page = text_of(response)
    assert "<h1>美食</h1>" in page
    assert "楼下新开的店" in page
    assert "秋冬大衣" not in page


def test_an_unknown_channel_is_a_404(client, channels):
    assert client.get("/c/no-such-channel/").status_code == 404


def test_tag_page_lists_posts_with_that_tag(client, make_post):
    make_post(title="手冲入门", tags=["咖啡"])
    make_post(title="健身计划", channel="fitness", body="每天跑步", tags=["跑步"])
    response = client.get("/t/咖啡/")
    assert response.status_code == 200
    page = text_of(response)
    assert "#咖啡" in page
    assert "手冲入门" in page
    assert "健身计划" not in page


def test_a_member_can_open_profile_settings(client, member):
    response = client.get("/settings/profile/")
    assert response.status_code == 200
    assert 'name="display_name"' in text_of(response)
    assert "梅梅" in text_of(response)


def test_a_member_can_change_their_display_name(client, member):
    response = client.post(
        "/settings/profile/",
        {"display_name": "新名字", "bio": "你好", "language": "zh"},
        follow=True,
    )
    assert response.status_code == 200
    assert "资料已更新" in text_of(response)
    member.refresh_from_db()
    assert member.display_name == "新名字"
    assert member.bio == "你好"


def test_followers_and_following_lists(client, make_user):
    make_user("star", display_name="明星")
    fan = make_user("fan", display_name="粉丝一号")
    client.force_login(fan)
    client.post("/u/star/do/follow/")
    client.logout()

    followers = client.get("/u/star/followers/")
    assert followers.status_code == 200
    assert "粉丝一号" in text_of(followers) and "@fan" in text_of(followers)

    following = client.get("/u/fan/following/")
    assert following.status_code == 200
    assert "明星" in text_of(following) and "@star" in text_of(following)

    nobody = client.get("/u/star/following/")
    assert nobody.status_code == 200
    assert "@fan" not in text_of(nobody)


# ---------------------------------------------------------------- safety and languages
def test_user_text_is_escaped_everywhere_it_is_shown(client, make_user, make_post):
    evil = "<script>alert(1)</script>"
    author = make_user("evil", display_name="<b>坏人</b>", bio="<img src=x onerror=alert(2)>")
    post = make_post(author, title=evil, body=f"正文 {evil}")
    for url in ("/", f"/p/{post.pk}/", "/u/evil/", "/c/food/"):
        page = text_of(client.get(url))
        assert evil not in page, url
        assert "<b>坏人</b>" not in page, url
        assert "&lt;b&gt;坏人&lt;/b&gt;" in page, url
    detail = text_of(client.get(f"/p/{post.pk}/"))
    assert html.escape(evil) in detail or "&lt;script&gt;alert(1)&lt;/script&gt;" in detail
    profile = text_of(client.get("/u/evil/"))
    assert "<img src=x onerror" not in profile
    assert "&lt;img src=x onerror=alert(2)&gt;" in profile


def test_comments_are_escaped(client, make_user, make_post):
    post = make_post(title="普通标题")
    client.force_login(make_user())
    client.post(f"/p/{post.pk}/comment/", {"body": "<script>steal()</script>"})
    page = text_of(client.get(f"/p/{post.pk}/"))
    assert "<script>steal()</script>" not in page
    assert "&lt;script&gt;steal()&lt;/script&gt;" in page


def test_the_channel_bar_shows_chinese_and_english_names(client, channels):
    page = text_of(client.get("/"))
    assert 'aria-label="频道"' in page
    for slug in ("fashion", "food", "travel"):
        channel = channels[slug]
        assert f'href="/c/{slug}/"' in page
        assert channel.name_zh in page
        assert channel.name_en in page
    assert ">美食</a>" in page
    assert 'title="Food"' in page


def test_page_language_follows_the_members_language(client, make_user):
    assert '<html lang="zh-Hans">' in text_of(client.get("/"))
    english = make_user("tom", language="en")
    client.force_login(english)
    assert '<html lang="en">' in text_of(client.get("/"))


# ---------------------------------------------------------------- sign-up and onboarding
def test_signing_up_logs_in_and_leads_to_onboarding(client, channels):
    response = client.post(
        "/signup/",
        {
            "username": "newbie",
            "display_name": "新人",
            "language": "zh",
            "password1": "a-long-pass-4567",
            "password2": "a-long-pass-4567",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/onboarding/"
    user = User.objects.get(username="newbie")
    assert user.display_name == "新人"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_signup_with_a_taken_username_shows_an_error(client, make_user):
    make_user("taken")
    response = client.post(
        "/signup/",
        {
            "username": "Taken",
            "language": "zh",
            "password1": "a-long-pass-4567",
            "password2": "a-long-pass-4567",
        },
    )
    assert response.status_code == 200
    assert "errorlist" in text_of(response)
    assert User.objects.filter(username__iexact="taken").count() == 1


def test_a_new_user_without_interests_is_sent_from_home_to_onboarding(client, make_user):
    newbie = make_user("fresh", onboard=False)
    client.force_login(newbie)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/onboarding/"
    picker = client.get("/onboarding/")
    assert picker.status_code == 200
    assert 'data-testid="interest-picker"' in text_of(picker)


def test_onboarding_with_fewer_than_three_channels_shows_an_error_and_saves_nothing(
    client, make_user, channels
):
    newbie = make_user("picky", onboard=False)
    client.force_login(newbie)
    response = client.post(
        "/onboarding/", {"channels": [channels["food"].pk, channels["travel"].pk]}
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "请至少选择 3 个喜欢的频道" in page
    assert 'class="errorlist' in page
    # What was ticked stays ticked.
    assert f'value="{channels["food"].pk}" checked' in page
    assert not InterestPick.objects.filter(user=newbie).exists()
    newbie.refresh_from_db()
    assert newbie.onboarded_at is None
    assert client.get("/")["Location"] == "/onboarding/"


def test_onboarding_with_three_channels_saves_them_and_opens_home(client, make_user, channels):
    newbie = make_user("happy", onboard=False)
    client.force_login(newbie)
    picks = [channels["food"].pk, channels["travel"].pk, channels["cats"].pk]
    response = client.post("/onboarding/", {"channels": picks}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "已保存你的兴趣" in text_of(response)
    assert set(
        InterestPick.objects.filter(user=newbie).values_list("channel_id", flat=True)
    ) == set(picks)
    assert client.get("/").status_code == 200


# ---------------------------------------------------------------- publishing
def test_publishing_a_note_through_the_web_form(client, member, channels, image_file):
    response = client.post(
        "/publish/",
        {
            "kind": "note",
            "title": "周末烘焙",
            "body": "第一次做戚风蛋糕",
            "channel": channels["baking"].pk,
            "tags": "烘焙 蛋糕",
            "images": [image_file("a.png"), image_file("b.jpg", fmt="JPEG")],
        },
    )
    post = Post.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/p/{post.pk}/"
    assert post.author == member
    assert post.status == Post.Status.PUBLISHED
    assert post.images.count() == 2
    assert {"烘焙", "蛋糕"} <= set(post.tags.values_list("name", flat=True))
    page = text_of(client.get(response["Location"]))
    assert "发布成功" in page
    assert "周末烘焙" in page


def test_publishing_a_text_file_as_an_image_shows_a_clear_error_and_creates_nothing(
    client, member, channels
):
    fake = SimpleUploadedFile(
        "notes.txt", b"just some text, not a picture", content_type="text/plain"
    )
    response = client.post(
        "/publish/",
        {
            "kind": "note",
            "title": "不是图片",
            "body": "正文",
            "channel": channels["food"].pk,
            "images": [fake],
        },
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "无法读取图片 notes.txt" in page
    assert "请上传 JPEG、PNG 或 WebP 文件" in page
    assert Post.objects.count() == 0
    # What the person typed is still there.
    assert "不是图片" in page


def test_publishing_a_note_without_images_is_refused(client, member, channels):
    response = client.post(
        "/publish/", {"kind": "note", "title": "没有图", "channel": channels["food"].pk}
    )
    assert response.status_code == 200
    assert "图文笔记需要 1 到 9 张图片" in text_of(response)
    assert Post.objects.count() == 0


# ---------------------------------------------------------------- follows and interactions
def test_following_from_a_profile_raises_the_follower_count_shown(client, make_user):
    make_user("idol", display_name="偶像")
    fan = make_user("follower1")
    client.force_login(fan)
    before = text_of(client.get("/u/idol/"))
    assert '<b data-testid="follower-count">0</b>' in before
    assert "＋ 关注" in before

    response = client.post("/u/idol/do/follow/", follow=True)
    assert response.status_code == 200
    page = text_of(response)
    assert '<b data-testid="follower-count">1</b>' in page
    assert "已关注" in page
    assert Follow.objects.filter(follower=fan, followee__username="idol").exists()

    # Following twice changes nothing; unfollowing brings it back.
    client.post("/u/idol/do/follow/")
    assert '<b data-testid="follower-count">1</b>' in text_of(client.get("/u/idol/"))
    client.post("/u/idol/do/unfollow/")
    assert '<b data-testid="follower-count">0</b>' in text_of(client.get("/u/idol/"))


def test_following_yourself_shows_an_error(client, member):
    response = client.post(f"/u/{member.username}/do/follow/", follow=True)
    assert "不能关注自己" in text_of(response)
    assert not Follow.objects.exists()


def test_a_visitor_cannot_follow(client, make_user):
    make_user("idol2")
    response = client.post("/u/idol2/do/follow/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert not Follow.objects.exists()


def test_like_and_unlike_change_the_count_shown(client, make_user, make_post):
    post = make_post(title="点赞测试")
    client.force_login(make_user("liker"))
    assert 'data-testid="like">♥ <span>0</span>' in text_of(client.get(f"/p/{post.pk}/"))

    response = client.post(f"/p/{post.pk}/like/", follow=True)
    assert response.redirect_chain[-1][0] == f"/p/{post.pk}/"
    assert 'data-testid="like">♥ <span>1</span>' in text_of(response)
    assert f'action="/p/{post.pk}/unlike/"' in text_of(response)

    client.post(f"/p/{post.pk}/like/")  # a double click does not count twice
    post.refresh_from_db()
    assert post.like_count == 1 and Like.objects.filter(post=post).count() == 1

    response = client.post(f"/p/{post.pk}/unlike/", follow=True)
    assert 'data-testid="like">♥ <span>0</span>' in text_of(response)
    post.refresh_from_db()
    assert post.like_count == 0 and not Like.objects.filter(post=post).exists()


def test_a_liked_post_shows_a_filled_heart_on_the_home_card(client, make_user, make_post):
    post = make_post(title="卡片")
    client.force_login(make_user("liker2"))
    client.post(f"/p/{post.pk}/like/")
    page = text_of(client.get("/"))
    assert 'data-testid="card-like" aria-pressed="true">♥ <span data-count>1</span>' in page


def test_favourite_and_comment_from_the_detail_page(client, make_user, make_post):
    post = make_post(title="收藏评论")
    client.force_login(make_user("reader"))
    client.post(f"/p/{post.pk}/favourite/")
    response = client.post(f"/p/{post.pk}/comment/", {"body": "太好看了"}, follow=True)
    page = text_of(response)
    assert 'data-testid="favourite">★ <span>1</span>' in page
    assert "评论 (1)" in page
    assert "太好看了" in page


def test_a_visitor_cannot_like(client, make_post):
    post = make_post()
    response = client.post(f"/p/{post.pk}/like/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert not Like.objects.exists()


def test_a_non_author_cannot_delete_a_post(client, make_user, make_post):
    post = make_post(title="别删我")
    client.force_login(make_user("stranger"))
    response = client.post(f"/p/{post.pk}/delete/", follow=True)
    assert Post.objects.filter(pk=post.pk).exists()
    assert "只有作者可以修改这篇笔记" in text_of(response)
    assert '<button class="danger">删除</button>' not in text_of(client.get(f"/p/{post.pk}/"))


def test_the_author_can_delete_their_post(client, make_user, make_post):
    author = make_user("owner")
    post = make_post(author, title="删掉这篇")
    client.force_login(author)
    assert '<button class="danger">删除</button>' in text_of(client.get(f"/p/{post.pk}/"))
    response = client.post(f"/p/{post.pk}/delete/", follow=True)
    assert response.redirect_chain[-1][0] == "/u/owner/"
    assert not Post.objects.filter(pk=post.pk).exists()
    assert "删掉这篇" not in text_of(response)
    author.refresh_from_db()
    assert author.post_count == 0


def test_a_removed_post_is_hidden_from_others_but_its_author_can_open_it(
    client, make_user, make_post
):
    author = make_user("removedauthor")
    post = make_post(author, title="被下架的笔记")
    Post.objects.filter(pk=post.pk).update(status=Post.Status.REMOVED, status_reason="违反社区规范")

    assert client.get(f"/p/{post.pk}/").status_code == 404  # a visitor
    assert "被下架的笔记" not in text_of(client.get("/"))
    assert "被下架的笔记" not in text_of(client.get("/u/removedauthor/"))

    client.force_login(make_user("someoneelse"))
    assert client.get(f"/p/{post.pk}/").status_code == 404
    assert client.post(f"/p/{post.pk}/like/").status_code == 404

    client.force_login(author)
    response = client.get(f"/p/{post.pk}/")
    assert response.status_code == 200
    page = text_of(response)
    assert "被下架的笔记" in page
    assert "已下架" in page and "违反社区规范" in page
    # On their own profile the author sees it with its status.
    own = text_of(client.get("/u/removedauthor/"))
    assert "被下架的笔记" in own
    assert "status-removed" in own


# ---------------------------------------------------------------- logging in
def test_a_member_can_log_in(client, make_user):
    make_user("loginok")
    response = client.post("/login/", {"username": "loginok", "password": "s3cret-pass-99"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "_auth_user_id" in client.session


def test_a_wrong_password_shows_an_error(client, make_user):
    make_user("wrongpass")
    response = client.post("/login/", {"username": "wrongpass", "password": "nope-nope-nope"})
    assert response.status_code == 200
    assert "用户名或密码错误" in text_of(response)
    assert "_auth_user_id" not in client.session


def test_a_banned_user_cannot_log_in(client, make_user):
    banned = make_user("banned")
    User.objects.filter(pk=banned.pk).update(is_active=False)
    response = client.post("/login/", {"username": "banned", "password": "s3cret-pass-99"})
    assert response.status_code == 200
    assert "用户名或密码错误" in text_of(response)
    assert "_auth_user_id" not in client.session
    # ...and their profile is gone for everyone.
    assert client.get("/u/banned/").status_code == 404


def test_logging_out(client, member):
    response = client.post("/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_logging_in_never_sends_you_to_another_site(client, make_user):
    make_user("safe")
    response = client.post(
        "/login/?next=https://evil.example.com/",
        {"username": "safe", "password": "s3cret-pass-99", "next": "https://evil.example.com/"},
    )
    assert response.status_code == 302
    assert "evil.example.com" not in response["Location"]


def test_logging_in_returns_to_the_page_you_came_from(client, make_user, make_post):
    post = make_post()
    make_user("back")
    response = client.post(
        f"/login/?next=/p/{post.pk}/",
        {"username": "back", "password": "s3cret-pass-99", "next": f"/p/{post.pk}/"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/p/{post.pk}/"


# ---------------------------------------------------------------- blocks
def test_a_blocked_person_cannot_see_the_blockers_profile_or_posts(client, make_user, make_post):
    blocker = make_user("blocker", display_name="拉黑者")
    blocked = make_user("blocked")
    post = make_post(blocker, title="不给你看")
    client.force_login(blocker)
    client.post("/u/blocked/do/block/")

    client.force_login(blocked)
    profile = client.get("/u/blocker/")
    assert profile.status_code == 403
    assert "blocked" in text_of(profile)
    assert "不给你看" not in text_of(profile)
    assert client.get(f"/p/{post.pk}/").status_code == 404
    assert "不给你看" not in text_of(client.get("/"))
    # ...and cannot follow them.
    client.post("/u/blocker/do/follow/")
    assert not Follow.objects.filter(follower=blocked).exists()


# ---------------------------------------------------------------- more publishing and settings
def test_publishing_a_video_through_the_web_form(client, member, channels, video_file):
    response = client.post(
        "/publish/",
        {
            "kind": "video",
            "title": "西湖骑行",
            "channel": channels["travel"].pk,
            "video": video_file(),
        },
    )
    post = Post.objects.get()
    assert response["Location"] == f"/p/{post.pk}/"
    assert post.kind == Post.Kind.VIDEO
    assert post.video_seconds == pytest.approx(8, abs=0.5)
    assert post.cover  # a placeholder cover is made when none is sent
    page = text_of(client.get(f"/p/{post.pk}/"))
    assert 'data-testid="player"' in page
    assert '<span aria-hidden="true">▶</span> 8s' in text_of(client.get("/latest/"))


def test_a_half_given_home_place_is_refused_on_profile_settings(client, member):
    response = client.post(
        "/settings/profile/", {"display_name": "梅梅", "language": "zh", "home_lat": "31.2"}
    )
    assert response.status_code == 200
    assert "纬度和经度请同时填写" in text_of(response)
    member.refresh_from_db()
    assert member.home_lat is None


@pytest.mark.parametrize("tag", ["咖啡/茶", "50%off", "c++", "what?"])
def test_a_post_with_punctuation_in_a_tag_still_opens(client, member, channels, image_file, tag):
    response = client.post(
        "/publish/",
        {
            "kind": "note",
            "title": "标签里有符号",
            "channel": channels["food"].pk,
            "tags": tag,
            "images": [image_file()],
        },
    )
    assert response.status_code == 302, text_of(response)
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    # Every tag link on the page leads to a tag page listing this post.
    links = re.findall(r'href="(/t/[^"]+)" class="tag', text_of(detail))
    assert links
    for link in links:
        tag_page = client.get(html.unescape(link))
        assert tag_page.status_code == 200, link
        assert "标签里有符号" in text_of(tag_page), link
