"""Publishing in the system Chromium on a 390 px phone: previews that reorder from the
keyboard, alt texts, tag suggestions tapped in, upload progress, errors by field, a typed
place kept with its note; the page with previews fits the phone and passes axe
(docs/web.md "Publishing")."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image
from playwright.sync_api import expect

from accounts import services as accounts
from content.models import Post
from tests.web.test_layout_browser import AXE, CHECK, PASSWORD, PHONE, _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Records the progress bar's states in sessionStorage, which outlives the navigation to
# the new post: [hidden, value] after every change the script makes.
WATCH_PROGRESS = """() => {
  const box = document.querySelector('[data-progress]');
  const bar = box.querySelector('progress');
  sessionStorage.setItem('progress', '[]');
  const note = () => {
    const seen = JSON.parse(sessionStorage.getItem('progress'));
    seen.push([box.hidden, bar.value]);
    sessionStorage.setItem('progress', JSON.stringify(seen));
  };
  new MutationObserver(note).observe(box, { attributes: true, subtree: true, childList: true, characterData: true });
}"""
# What the script says, from the page's data-label-… words in Chinese.
MOVED_TO_2 = "图片已移到第 2 张。"
ADD_WUKANG = "添加话题 武康路"


def photo(name: str, size: tuple[int, int], colour: tuple[int, int, int]) -> dict:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return {"name": name, "mimeType": "image/png", "buffer": buffer.getvalue()}


@pytest.fixture
def phone(browser_context, channels, media_root):
    accounts.user_signup(username="member", password=PASSWORD)
    context = browser_context(viewport=PHONE)
    context.add_init_script(path=str(AXE))  # runs outside the page's CSP
    page = context.new_page()
    _login(page, "member")
    page.goto("/publish/")
    return page


def test_publishing_a_note_with_reordered_previews_alt_text_a_suggested_tag_and_progress(phone, channels):
    page = phone
    page.set_input_files(
        "input[name=images]",
        files=[
            photo("wide.png", (800, 400), (200, 80, 80)),
            photo("square.png", (500, 500), (80, 200, 80)),
            photo("tall.png", (300, 600), (80, 80, 200)),
        ],
    )
    previews = page.get_by_test_id("preview")
    expect(previews).to_have_count(3)
    assert previews.locator("img").first.get_attribute("src").startswith("blob:")

    # Move the tall image to the front from the keyboard: "earlier" twice.
    tall_up = previews.nth(2).locator("[data-move=earlier]")
    tall_up.focus()
    page.keyboard.press("Enter")
    expect(page.locator("[data-previews-status]")).to_have_text(MOVED_TO_2)
    page.keyboard.press("Enter")
    expect(page.locator("input[name=order]")).to_have_value("2,0,1")
    # The keyboard stays on the moved image (its "earlier" button is disabled at the top).
    assert page.evaluate("() => document.activeElement.closest('li').dataset.index") == "2"
    expect(previews.first.locator("[data-number]")).to_contain_text("1")
    previews.first.locator("input[type=text]").fill("蓝色的竖图")

    page.fill("input[name=title]", "武康路的手冲咖啡")
    page.fill("textarea[name=body]", "第一篇笔记！周末在武康路喝到一杯很棒的手冲咖啡，豆子是店主自己烘的。")
    page.select_option("select[name=channel]", value=str(channels["food"].pk))
    chips = page.get_by_test_id("tag-suggest").locator("button.suggestion")
    expect(chips.first).to_be_visible()
    suggested = chips.all_inner_texts()
    assert "#很棒" not in suggested and "#第一篇" not in suggested
    page.get_by_role("button", name=ADD_WUKANG).click()
    expect(page.locator("input[name=tags]")).to_have_value("武康路")
    page.fill("input[name=place_name]", "我家楼下的小店")

    # With the previews showing, the page fits the phone and passes axe.
    found = page.evaluate(CHECK)
    assert found == {"overflow": None, "distorted": [], "violations": []}

    page.evaluate(WATCH_PROGRESS)
    page.get_by_test_id("publish-submit").click()
    page.wait_for_url("**/p/*/")
    seen = json.loads(page.evaluate("() => sessionStorage.getItem('progress')"))
    assert any(hidden is False for hidden, _ in seen)  # it was shown
    assert seen[-1][1] == 100  # and filled before the page changed

    post = Post.objects.get()
    assert [(i.width, i.height, i.alt) for i in post.images.all()] == [
        (300, 600, "蓝色的竖图"), (800, 400, ""), (500, 500, "")
    ]
    assert list(post.tags.values_list("name", flat=True)) == ["武康路"]
    assert post.place_name == "我家楼下的小店" and post.lat is None
    messages = page.locator(".messages")
    expect(messages).to_contain_text("发布成功")
    expect(messages).to_contain_text("不会出现在「附近」")
    expect(page.locator(".gallery img").first).to_have_attribute("alt", "蓝色的竖图")


def test_a_refused_note_shows_the_message_by_its_field_and_stays_on_the_form(phone, channels):
    page = phone
    page.fill("input[name=title]", "没有图片的笔记")
    page.select_option("select[name=channel]", value=str(channels["food"].pk))
    page.get_by_test_id("publish-submit").click()
    error = page.locator(".js-error[role=alert]")
    expect(error).to_contain_text("需要 1 到 9 张图片")
    expect(page.locator("input[name=images]")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("input[name=images]")).to_be_focused()
    expect(page.get_by_test_id("publish-submit")).to_be_enabled()
    expect(page.get_by_test_id("upload-progress")).to_be_hidden()
    assert page.url.endswith("/publish/")
    assert page.locator("input[name=title]").input_value() == "没有图片的笔记"
    assert Post.objects.count() == 0
