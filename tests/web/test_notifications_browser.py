"""In Chromium: the 消息 badge in the header leads to the notifications page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from content import services as content
from notifications.services import outbox_deliver

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_badge_shows_the_unread_count_and_leads_to_the_page(
    page, live_server, make_user, make_post
):
    alice = make_user("alice", display_name="爱丽丝")
    note = make_post(alice, title="咖啡")
    content.like_create(user=make_user("bob", display_name="bob"), post=note)
    content.comment_create(
        user=make_user("chen", display_name="chen"), post=note, body="@alice 好看"
    )
    outbox_deliver()  # the worker's delivery

    page.goto("/login/")
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", "s3cret-pass-99")
    page.locator("form.stack button").last.click()  # the login form (the language switch is a form too)
    page.wait_for_url(f"{live_server.url}/**")

    badge = page.get_by_test_id("unread-badge")
    expect(badge).to_have_text("2")  # asked of the API by the page's script
    page.get_by_test_id("notifications-link").click()
    page.wait_for_url("**/notifications/")
    expect(page.get_by_test_id("notification").first).to_contain_text("bob 赞了你的笔记")

    page.get_by_test_id("notif-tab-comments").click()
    expect(page.get_by_test_id("notification").first).to_contain_text("chen 在评论中@了你")

    page.get_by_test_id("mark-all-read").click()
    page.get_by_test_id("notif-tab-likes").click()
    page.get_by_test_id("mark-all-read").click()
    expect(page.get_by_test_id("unread-badge")).to_be_hidden()
