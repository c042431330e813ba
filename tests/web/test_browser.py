"""End to end in the system Chromium: sign up, pick interests, publish, see it on the profile."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from accounts.models import InterestPick, User
from content.models import Post
from tests.conftest import png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT_DIR = os.environ.get("BROWSER_SCREENSHOTS")  # set to a folder to keep screenshots


def _shot(page, name: str) -> None:
    if SCREENSHOT_DIR:
        page.screenshot(path=os.path.join(SCREENSHOT_DIR, f"{name}.png"), full_page=True)


def test_a_newcomer_signs_up_picks_interests_and_publishes_a_note(
    page, live_server, channels, tmp_path
):
    photo = tmp_path / "latte.png"
    photo.write_bytes(png_bytes(size=(480, 640), colour=(210, 170, 120)))

    # Sign up.
    page.goto("/signup/")
    page.fill("input[name=username]", "newcomer")
    page.fill("input[name=display_name]", "新来的小王")
    page.fill("input[name=password1]", "a-long-pass-4567")
    page.fill("input[name=password2]", "a-long-pass-4567")
    page.get_by_test_id("signup-submit").click()

    # Pick three channels.
    page.wait_for_url("**/onboarding/")
    chips = page.locator("label.chip", has=page.locator("input[name=channels]"))
    expect(chips.first).to_be_visible()
    for name in ("美食", "旅行", "萌宠"):
        chips.filter(has_text=name).first.click()
    expect(page.locator("input[name=channels]:checked")).to_have_count(3)
    _shot(page, "onboarding")
    page.get_by_test_id("onboarding-done").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.locator(".messages")).to_contain_text("已保存你的兴趣")

    # Publish a note with an image.
    page.get_by_test_id("publish-link").click()
    page.wait_for_url("**/publish/")
    expect(page.locator("input[name=kind][value=note]")).to_be_checked()
    expect(page.locator("input[name=video]")).to_be_hidden()  # only the note's inputs show
    page.set_input_files("input[name=images]", str(photo))
    page.fill("input[name=title]", "我的第一篇笔记")
    page.fill("textarea[name=body]", "今天在武康路喝了一杯拿铁，环境很好。")
    page.select_option("select[name=channel]", label=str(channels["restaurants"]))
    page.fill("input[name=tags]", "咖啡 探店")
    _shot(page, "publish")
    page.get_by_role("button", name="发布", exact=True).click()

    # The post's page.
    page.wait_for_url("**/p/*/")
    expect(page.get_by_test_id("post-title")).to_have_text("我的第一篇笔记")
    expect(page.locator(".gallery img")).to_have_count(1)
    expect(page.locator(".tags")).to_contain_text("#咖啡")
    expect(page.locator(".messages")).to_contain_text("发布成功")
    assert page.locator(".gallery img").evaluate("img => img.naturalWidth") == 480
    _shot(page, "post-detail")

    # The profile shows it as a card.
    page.get_by_test_id("me-link").click()
    page.wait_for_url("**/u/newcomer/")
    expect(page.get_by_test_id("profile-name")).to_contain_text("新来的小王")
    grid = page.get_by_test_id("grid")
    expect(grid.locator(".card")).to_have_count(1)
    expect(grid.locator(".card-title")).to_have_text("我的第一篇笔记")
    page.wait_for_function("() => [...document.querySelectorAll('[data-testid=grid] .card img')].every(i => i.complete)")
    assert grid.locator(".card img").evaluate("img => img.complete && img.naturalWidth > 0")
    _shot(page, "profile")

    user = User.objects.get(username="newcomer")
    assert user.display_name == "新来的小王"
    assert user.onboarded_at is not None
    assert InterestPick.objects.filter(user=user).count() == 3
    post = Post.objects.get(author=user)
    assert post.title == "我的第一篇笔记"
    assert post.status == Post.Status.PUBLISHED
    assert post.kind == Post.Kind.NOTE
    assert post.channel == channels["restaurants"]
    assert post.images.count() == 1
    assert post.images.get().width == 480
    assert {"咖啡", "探店"} <= set(post.tags.values_list("name", flat=True))


def _log_in(page, username: str, password: str = "s3cret-pass-99") -> None:
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.get_by_test_id("login-submit").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def test_a_reader_likes_a_post_and_sees_the_count_go_up(page, make_user, make_post):
    post = make_post(title="西湖边的日落")
    make_user("reader")
    _log_in(page, "reader")

    page.goto(f"/p/{post.pk}/")
    like = page.get_by_test_id("like")
    expect(like).to_have_text("♥ 0")
    like.click()
    expect(page.get_by_test_id("like")).to_have_text("♥ 1")
    expect(page.get_by_test_id("like")).to_have_class("on")

    # Clicking again takes the like back.
    page.get_by_test_id("like").click()
    expect(page.get_by_test_id("like")).to_have_text("♥ 0")
    post.refresh_from_db()
    assert post.like_count == 0


def test_a_visitor_is_asked_to_log_in_before_publishing(page, channels):
    page.goto("/publish/")
    page.wait_for_url("**/login/?next=/publish/")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()


def test_a_visitor_browses_the_grid_a_channel_and_a_tag(
    page, make_user, make_post, image_file
):
    author = make_user("chef", display_name="大厨阿明")
    make_post(
        author,
        title="周末烘焙戚风蛋糕",
        body="第一次做蛋糕",
        channel="baking",
        tags=["烘焙"],
        images=[image_file("cake.png", size=(300, 400))],
    )
    make_post(
        author,
        title="家常红烧肉",
        body="妈妈的味道",
        channel="home-cooking",
        tags=["家常菜"],
        images=[image_file("pork.png", size=(400, 300))],
    )
    make_post(
        author,
        title="上海咖啡探店",
        channel="restaurants",
        tags=["咖啡"],
        images=[image_file("cup-1.png"), image_file("cup-2.png")],
    )
    make_post(
        author,
        title="秋冬大衣怎么穿",
        body="通勤也好看",
        channel="outfits",
        tags=["穿搭"],
        images=[image_file("coat.png", size=(360, 480))],
    )

    page.goto("/")
    grid = page.get_by_test_id("grid")
    expect(grid.locator(".card")).to_have_count(4)
    expect(grid).to_contain_text("上海咖啡探店")
    expect(grid.locator(".card", has_text="上海咖啡探店").locator(".badge")).to_have_text("2 图")
    # Lazy images load when laid out; wait until every one has finished (loaded or not),
    # then none may be broken.
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=grid] .card img')].every(i => i.complete)"
    )
    broken = grid.locator(".card img").evaluate_all(
        "imgs => imgs.filter(i => !(i.complete && i.naturalWidth > 0)).length"
    )
    assert broken == 0
    _shot(page, "home")

    # The 美食 channel shows its sub-channels' posts, not fashion.
    page.locator("nav.channel-bar").get_by_role("link", name="美食").click()
    page.wait_for_url("**/c/food/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("美食")
    expect(page.get_by_test_id("grid").locator(".card")).to_have_count(3)
    expect(page.get_by_test_id("grid")).not_to_contain_text("秋冬大衣怎么穿")

    # Open a card, then follow one of its Chinese tags.
    page.get_by_role("link", name="上海咖啡探店").first.click()
    page.wait_for_url("**/p/*/")
    expect(page.get_by_test_id("post-title")).to_have_text("上海咖啡探店")
    expect(page.locator(".gallery img")).to_have_count(2)
    page.locator(".tags").get_by_role("link", name="#咖啡").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("#咖啡")
    expect(page.get_by_test_id("grid").locator(".card")).to_have_count(1)
    _shot(page, "tag")
