"""In the system Chromium: a moderator (staff, not a superuser) clears the review queue."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from accounts import services as accounts
from content import services as content
from content.models import Post, ReviewRequest
from moderation.models import AuditEntry
from tests.conftest import png_bytes, varied_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-pass-4567"


def moderator_group() -> Group:
    """The group migration 0002 creates (transactional tests flush it; make it again)."""
    group, created = Group.objects.get_or_create(name="moderator")
    if created:
        wanted = {**import_module("moderation.migrations.0002_moderator_group").PERMISSIONS, "boosts": ["view_boost"]}
        for app_label, codenames in wanted.items():
            group.permissions.add(*Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))
    return group


@pytest.fixture
def queue(channels, media_root):
    """Three flagged posts in the queue and a moderator to clear it."""
    author = accounts.user_signup(username="flagged-author", password=PASSWORD)
    posts = []
    for i, reason in enumerate(["spam words: 加微信", "contains links", "3 reports"]):
        image = SimpleUploadedFile(f"q{i}.png", png_bytes(size=(240, 240)), content_type="image/png")
        post = content.post_create(author=author, kind="note", channel=channels["food"], title=f"待审笔记 {i}",
                                   body=varied_text(i), images=[image])
        ReviewRequest.objects.create(post=post, source=ReviewRequest.Source.QUALITY, reason=reason)
        posts.append(post)
    mod = accounts.user_signup(username="mod-wang", password=PASSWORD)
    mod.is_staff = True
    mod.save(update_fields=["is_staff"])
    mod.groups.add(moderator_group())
    return mod, posts


def test_a_moderator_clears_the_queue(page, queue):
    mod, posts = queue
    page.goto("/admin/login/")
    page.fill("input[name=username]", mod.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("input[type=submit]").click()
    page.goto("/admin/moderation/queueitem/")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("待审笔记 0")  # oldest first

    # Open the oldest: its picture and the flag are there; remove it with a reason.
    rows.first.get_by_role("link", name="待审笔记 0").click()
    expect(page.locator("img[src*='/media/']").first).to_be_visible()
    expect(page.get_by_text("spam words: 加微信")).to_be_visible()
    page.get_by_test_id("decide").locator("input[name=reason]").fill("引流广告 ads")
    page.get_by_role("button", name="下架", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("已下架 1 篇笔记。")
    expect(rows).to_have_count(2)

    # Approve the other two at once from the list.
    page.locator("#action-toggle").check()
    page.locator("select[name=action]").select_option("approve_posts")
    page.locator("button[name=index]").click()
    expect(page.locator(".messagelist")).to_contain_text("已通过 2 篇笔记。")
    expect(page.locator("#result_list")).to_have_count(0)  # nothing left to review

    statuses = dict(Post.objects.values_list("title", "status"))
    assert statuses == {"待审笔记 0": "removed", "待审笔记 1": "published", "待审笔记 2": "published"}
    assert Post.objects.get(title="待审笔记 0").status_reason == "引流广告 ads"
    assert not ReviewRequest.objects.filter(resolved_at__isnull=True).exists()
    assert AuditEntry.objects.filter(moderator=mod).count() == 3
