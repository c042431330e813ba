"""In the system Chromium: the share sheet copies and records a share, a visitor opens the
shared link, a reader follows the author from the post page and from a feed card, and
alice's saves show on her 收藏 tab until she hides them."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from accounts import services as accounts
from accounts.models import Follow
from content import services as content
from content.models import Share
from tests.conftest import png_bytes, varied_text, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-pass-4567"
# A page's CSP violations, collected for the test to check.
CATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(e.violatedDirective));
"""


@pytest.fixture
def world(channels, media_root):
    """A writer with a note, and alice, a member who likes 美食."""
    writer = accounts.user_signup(username="writer", password=PASSWORD, display_name="作者")
    image = SimpleUploadedFile("bund.png", png_bytes(size=(320, 240)), content_type="image/png")
    post = content.post_create(
        author=writer,
        kind="note",
        channel=channels["food"],
        title="外滩夜景",
        body=varied_text(3),
        images=[image],
    )
    alice = accounts.user_signup(username="alice", password=PASSWORD, display_name="爱丽丝")
    accounts.interests_set(
        user=alice, channels=[channels["food"], channels["travel"], channels["pets"]]
    )
    return writer, alice, post


def _login(page, username):
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def test_the_share_sheet_copies_the_link_records_one_share_and_a_visitor_opens_it(
    browser_context, live_server, world
):
    writer, alice, post = world
    context = browser_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.add_init_script(CATCH)
    _login(page, "alice")
    page.goto(f"/p/{post.pk}/")

    sheet = page.get_by_test_id("share-sheet")
    expect(sheet).to_be_hidden()
    page.get_by_test_id("share").click()
    expect(sheet).to_be_visible()  # the sheet, not a page load (the form's POST is held back)
    assert page.url.endswith(f"/p/{post.pk}/")
    link = f"{live_server.url}/p/{post.pk}/"
    expect(page.get_by_test_id("share-link")).to_have_value(link)
    page.get_by_test_id("share-copy").click()
    expect(sheet).to_contain_text("链接已复制")
    expect(page.locator(".actions [data-share-count]").first).to_have_text("1")
    assert page.evaluate("navigator.clipboard.readText()") == link
    # Copying again counts nothing more: one share per person and post.
    page.get_by_test_id("share-copy").click()
    wait_for(lambda: Share.objects.filter(post=post).count() == 1)
    post.refresh_from_db()
    assert post.share_count == 1
    assert page.evaluate("window.__violations") == []

    # Follow the author from the post page, without a reload.
    follow = page.get_by_test_id("follow-author")
    expect(follow).to_have_text("＋ 关注")
    follow.click()
    expect(follow).to_have_text("已关注")
    assert page.url.endswith(f"/p/{post.pk}/")
    wait_for(lambda: Follow.objects.filter(follower=alice, followee=writer).exists())

    # A visitor (another browser, never signed in) opens the copied link.
    visitor = browser_context().new_page()
    visitor.goto(link)
    expect(visitor.get_by_test_id("post-title")).to_have_text("外滩夜景")
    expect(visitor.get_by_test_id("login-to-interact")).to_be_visible()
    visitor.get_by_test_id("share").click()
    expect(visitor.get_by_test_id("share-sheet")).to_be_visible()
    visitor.get_by_test_id("follow-author").click()
    visitor.wait_for_url(lambda url: "/login/?next=" in url)


def test_following_from_a_feed_card_flips_every_card_of_that_author(page, world):
    writer, alice, post = world
    content.post_create(
        author=writer,
        kind="note",
        channel=post.channel,
        title="第二篇",
        body=varied_text(4),
        images=[
            SimpleUploadedFile("two.png", png_bytes(size=(320, 240)), content_type="image/png")
        ],
    )
    _login(page, "alice")
    page.goto("/c/food/")
    buttons = page.locator("[data-testid=card] [data-testid=follow-author]")
    expect(buttons).to_have_count(2)
    menus = page.get_by_test_id("card-menu-toggle")  # follow sits behind each card's "…"
    menus.nth(0).click()
    buttons.first.click()
    expect(buttons.nth(0)).to_have_text("已关注")
    expect(buttons.nth(1)).to_have_text("已关注")
    wait_for(lambda: Follow.objects.filter(follower=alice, followee=writer).exists())
    menus.nth(1).click()
    buttons.nth(1).click()
    expect(buttons.nth(0)).to_have_text("＋ 关注")
    wait_for(lambda: not Follow.objects.filter(follower=alice, followee=writer).exists())


def test_alices_saved_tab_shows_her_saves_until_she_hides_them(browser_context, world):
    writer, alice, post = world
    content.favourite_create(user=alice, post=post)
    page = browser_context().new_page()
    _login(page, "alice")
    page.goto("/u/alice/")
    page.get_by_test_id("tab-saved").click()
    page.wait_for_url("**/u/alice/saved/")
    expect(page.locator("[data-testid=grid] .card-title")).to_have_text(["外滩夜景"])

    page.goto("/settings/profile/")
    page.get_by_label("公开收藏和赞过").uncheck()
    page.get_by_test_id("profile-save").click()
    page.wait_for_url("**/u/alice/")

    other = browser_context().new_page()
    other.goto("/u/alice/saved/")
    expect(other.get_by_test_id("tab-private")).to_be_visible()
    expect(other.locator("[data-testid=grid]")).to_have_count(0)
