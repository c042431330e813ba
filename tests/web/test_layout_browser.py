"""In the system Chromium at phone sizes: no page is wider than the screen, no image is
distorted, axe-core finds no serious or critical violation; the tab bar, the cards' "…"
menu, the gallery and the player work from the keyboard (docs/web.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from accounts import services as accounts
from content import services as content
from tests.conftest import SAMPLE_VIDEO, png_bytes, varied_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-pass-4567"
# axe-core 4.10.3 from npm (MPL-2.0), vendored so the tests need no download: see
# tests/web/vendor/README.md for how it was taken and how to update it.
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
PHONE = {"width": 390, "height": 844}

# What one page is checked for: horizontal overflow, distorted images (rendered box vs
# the file's own proportions; object-fit images crop or letterbox, they cannot distort),
# and axe's serious / critical violations.
CHECK = """async () => {
  const imgs = [...document.images];
  imgs.forEach((img) => { img.loading = "eager"; });
  await Promise.all(imgs.map((img) => img.decode().catch(() => null)));
  const distorted = [];
  for (const img of imgs) {
    if (!img.naturalWidth || !img.naturalHeight) continue;
    const box = img.getBoundingClientRect();
    if (box.width < 2 || box.height < 2) continue;  // not shown
    const fit = getComputedStyle(img).objectFit;
    if (fit === "cover" || fit === "contain" || fit === "scale-down") continue;
    const expected = box.width * img.naturalHeight / img.naturalWidth;
    if (Math.abs(box.height - expected) > Math.max(1.5, expected * 0.02)) {
      distorted.push(`${img.currentSrc.split("/").pop()} ${img.naturalWidth}x${img.naturalHeight} shown ${box.width.toFixed(0)}x${box.height.toFixed(0)}`);
    }
  }
  const result = await axe.run(document, { resultTypes: ["violations"] });
  const violations = result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
  return {
    overflow: document.documentElement.scrollWidth > window.innerWidth
      ? `${document.documentElement.scrollWidth} > ${window.innerWidth}` : null,
    distorted, violations,
  };
}"""


@pytest.fixture
def site(channels, media_root):
    """A member who follows a writer; the writer's notes (a tall photo, a gallery of
    three, places near 外滩) and a video; a comment so notifications are not empty."""
    writer = accounts.user_signup(username="writer", password=PASSWORD)
    accounts.profile_update(
        user=writer,
        display_name="林小鹿",
        bio="上海 · 咖啡和城市散步",
        avatar=SimpleUploadedFile("me.png", png_bytes(size=(300, 200)), content_type="image/png"),
    )
    member = accounts.user_signup(username="member", password=PASSWORD)
    accounts.interests_set(
        user=member, channels=[channels["food"], channels["travel"], channels["pets"]]
    )
    accounts.follow_create(follower=member, followee=writer)

    def photo(name, size):
        return SimpleUploadedFile(name, png_bytes(size=size), content_type="image/png")

    tall = content.post_create(
        author=writer,
        kind="note",
        channel=channels["food"],
        title="外滩边上的一家手冲咖啡店，豆子是自己烘的",
        body=varied_text(1),
        tags=["咖啡", "上海探店"],
        images=[photo("tall.png", (900, 1200))],
        place_name="外滩",
        lat=31.2400,
        lng=121.4900,
    )
    gallery = content.post_create(
        author=writer,
        kind="note",
        channel=channels["travel"],
        title="三张图看完武康路",
        body=varied_text(2),
        tags=["城市散步"],
        images=[
            photo("a.png", (1200, 800)),
            photo("b.png", (800, 800)),
            photo("c.png", (600, 1000)),
        ],
        place_name="武康路",
        lat=31.2050,
        lng=121.4380,
    )
    for i in range(6):
        content.post_create(
            author=writer if i % 2 else member,
            kind="note",
            channel=channels["pets" if i % 2 else "food"],
            title=f"{'猫咪日常' if i % 2 else '周末做饭'}第{i + 1}篇：一个很长很长的标题用来检查换行",
            body=varied_text(10 + i),
            images=[photo(f"n{i}.png", (640, 480 + 80 * i))],
            lat=31.23 + i * 0.002,
            lng=121.48,
        )
    video = content.post_create(
        author=writer,
        kind="video",
        channel=channels["travel"],
        title="西湖骑行视频",
        body=varied_text(3),
        video=SimpleUploadedFile("clip.mp4", SAMPLE_VIDEO.read_bytes(), content_type="video/mp4"),
    )
    return writer, member, tall, gallery, video


def _login(page, username):
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def _checker(browser_context, viewport):
    context = browser_context(viewport=viewport)
    context.add_init_script(path=str(AXE))  # runs outside the page's CSP

    def check(page, path, problems):
        response = page.goto(path)
        assert response.ok, path
        page.wait_for_load_state("load")
        found = page.evaluate(CHECK)
        for kind in ("overflow", "distorted", "violations"):
            if found[kind]:
                problems.setdefault(f"{viewport['width']}px {path}", {})[kind] = found[kind]

    return context, check


def test_every_main_page_fits_a_phone_keeps_image_proportions_and_passes_axe(browser_context, site):
    writer, member, tall, gallery, video = site
    problems: dict = {}
    context, check = _checker(browser_context, PHONE)
    page = context.new_page()
    for path in ("/login/", "/signup/", "/", "/hot/", f"/p/{tall.pk}/", "/u/writer/"):
        check(page, path, problems)  # signed out
    _login(page, "member")
    for path in (
        "/",
        "/follow/",
        "/nearby/",
        "/nearby/?lat=31.24&lng=121.49",
        "/hot/",
        "/latest/",
        "/c/food/",
        "/c/travel/",
        f"/p/{tall.pk}/",
        f"/p/{gallery.pk}/",
        f"/p/{video.pk}/",
        "/u/writer/",
        "/u/member/",
        "/u/member/saved/",
        "/u/member/liked/",
        "/u/writer/followers/",
        "/search/",
        "/search/?q=咖啡",
        "/notifications/",
        "/publish/",
        "/creator/",
        "/wallet/",
        "/boosts/",
        "/settings/profile/",
        "/onboarding/",
    ):
        check(page, path, problems)
    _login(page, "writer")
    for path in ("/creator/", f"/creator/p/{tall.pk}/", f"/p/{tall.pk}/boost/"):
        check(page, path, problems)
    assert problems == {}


@pytest.mark.parametrize("width", [320, 768])
def test_a_few_pages_fit_at_320_and_768(browser_context, site, width):
    writer, member, tall, gallery, video = site
    problems: dict = {}
    context, check = _checker(browser_context, {"width": width, "height": 800})
    page = context.new_page()
    _login(page, "member")
    for path in (
        "/",
        "/hot/",
        "/c/food/",
        f"/p/{gallery.pk}/",
        "/u/writer/",
        "/search/?q=咖啡",
        "/creator/",
    ):
        check(page, path, problems)
    assert problems == {}


def test_the_checks_catch_an_overflow_a_distorted_image_and_a_missing_label(browser_context, site):
    """The checker itself can fail: break a page on purpose, three ways."""
    writer, member, tall, gallery, video = site
    context = browser_context(viewport=PHONE)
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    page.goto(f"/p/{tall.pk}/")
    page.wait_for_load_state("load")
    page.evaluate("""() => {
      const img = document.querySelector('.slide img');
      img.style.maxHeight = 'none'; img.style.width = '300px'; img.style.height = '300px';
      img.removeAttribute('alt');
      const wide = document.createElement('div'); wide.style.width = '700px'; wide.textContent = 'x';
      document.querySelector('main').append(wide);
    }""")
    found = page.evaluate(CHECK)
    assert found["overflow"] == "700 > 390" or found["overflow"].endswith("> 390")
    assert found["distorted"] and "900x1200" in found["distorted"][0]
    assert any(v.startswith("image-alt (critical)") for v in found["violations"])


def test_phones_get_a_tab_bar_and_a_one_line_top_bar_desktop_keeps_its_header(
    browser_context, site
):
    writer, member, tall, gallery, video = site
    phone = browser_context(viewport=PHONE).new_page()
    _login(phone, "member")
    phone.goto("/latest/")
    tabbar = phone.get_by_test_id("tabbar")
    expect(tabbar).to_be_visible()
    expect(tabbar.get_by_role("link")).to_have_text(["⌂首页", "◎附近", "＋", "✉消息", "☺我"])
    expect(phone.locator(".topbar .me")).to_be_hidden()
    top = phone.locator(".topbar").bounding_box()
    assert top["height"] < 60  # one line
    expect(phone.get_by_test_id("tabs").get_by_role("link", name="关注")).to_be_visible()
    expect(phone.get_by_test_id("search-link")).to_be_visible()
    # The grid keeps two columns; at the very bottom the bar covers no card (main is padded for it).
    assert phone.locator(".grid").evaluate("g => getComputedStyle(g).columnCount") == "2"
    phone.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    card_bottom = phone.get_by_test_id("card").last.bounding_box()
    assert card_bottom["y"] + card_bottom["height"] <= tabbar.bounding_box()["y"]
    # 我 leads to the profile, which carries the creator center and logging out on phones.
    tabbar.get_by_role("link", name="我").click()
    phone.wait_for_url("**/u/member/")
    expect(phone.get_by_role("link", name="创作中心")).to_be_visible()
    expect(phone.get_by_test_id("phone-logout")).to_be_visible()

    desktop = browser_context(viewport={"width": 1280, "height": 800}).new_page()
    _login(desktop, "member")
    desktop.goto("/latest/")
    expect(desktop.get_by_test_id("tabbar")).to_be_hidden()
    expect(desktop.get_by_test_id("notifications-link")).to_be_visible()
    columns = desktop.locator(".grid").evaluate("g => getComputedStyle(g).columnCount")
    assert columns == "5"  # the waterfall


def test_the_tab_bar_carries_the_unread_badge(browser_context, site):
    from notifications.services import outbox_deliver

    writer, member, tall, gallery, video = site
    content.comment_create(user=member, post=tall, body="想去！")
    outbox_deliver()  # the worker's delivery
    phone = browser_context(viewport=PHONE).new_page()
    _login(phone, "writer")
    phone.goto("/latest/")
    from notifications.selectors import unread_counts

    unread = unread_counts(user=writer)["total"]  # the follow and the comment
    assert unread >= 2
    expect(phone.get_by_test_id("tabbar-unread-badge")).to_have_text(str(unread))
    expect(phone.get_by_test_id("unread-badge")).to_be_hidden()  # the header's, off on phones
    phone.get_by_test_id("tabbar-notifications").click()
    phone.wait_for_url("**/notifications/")


def test_the_card_menu_opens_from_the_keyboard_and_saves(browser_context, site):
    from content.models import Favourite

    writer, member, tall, gallery, video = site
    page = browser_context(viewport=PHONE).new_page()
    _login(page, "member")
    page.goto(f"/c/{tall.channel.slug}/")
    card = page.locator(f"[data-testid=card][data-post-id='{tall.pk}']")
    expect(card.get_by_test_id("card-favourite")).to_be_hidden()  # behind "…"
    expect(card.get_by_test_id("follow-author")).to_be_hidden()
    toggle = card.get_by_test_id("card-menu-toggle")
    toggle.focus()
    page.keyboard.press("Enter")
    save = card.get_by_test_id("card-favourite")
    expect(save).to_be_visible()
    save.focus()
    page.keyboard.press("Enter")
    expect(save).to_have_attribute("aria-pressed", "true")
    assert Favourite.objects.filter(user=member, post=tall).exists()
    page.keyboard.press("Escape")
    expect(save).to_be_hidden()
    expect(toggle).to_be_focused()


def test_the_gallery_swipes_with_dots_and_a_counter(browser_context, site):
    writer, member, tall, gallery, video = site
    page = browser_context(viewport=PHONE).new_page()
    page.goto(f"/p/{gallery.pk}/")
    counter = page.get_by_test_id("gallery-counter")
    expect(counter).to_have_text("1 / 3")
    track = page.locator("[data-gallery-track]")
    width = track.evaluate("t => t.clientWidth")
    assert width == page.locator(".slide").first.evaluate(
        "s => s.clientWidth"
    )  # one photo a screen
    track.evaluate("t => t.scrollTo({ left: t.clientWidth * 2 })")  # a swipe to the last
    expect(counter).to_have_text("3 / 3")
    expect(page.get_by_role("button", name="第 3 张")).to_have_attribute(
        "aria-current", "true"
    )
    page.get_by_role("button", name="第 1 张").click()
    expect(counter).to_have_text("1 / 3")
    page.wait_for_function("() => document.querySelector('[data-gallery-track]').scrollLeft === 0")
    track.focus()
    page.keyboard.press("ArrowRight")
    expect(counter).to_have_text("2 / 3")
    page.wait_for_function("() => document.querySelector('[data-gallery-track]').scrollLeft > 100")


def test_the_player_fills_the_width_and_answers_the_keyboard(browser_context, site):
    writer, member, tall, gallery, video = site
    page = browser_context(viewport=PHONE).new_page()
    page.goto(f"/p/{video.pk}/")
    player = page.get_by_test_id("player")
    page.wait_for_function("() => document.querySelector('video').readyState >= 1")
    box = player.bounding_box()
    media = page.locator(".post-detail .media").bounding_box()
    assert abs(box["width"] - media["width"]) < 1
    # The test server answers no Range request, so a seek lands back on 0: the events
    # the keys cause are what is checked.
    page.evaluate("""() => {
      const v = document.querySelector('video'); window.__events = [];
      for (const name of ['seeking', 'play', 'pause']) v.addEventListener(name, () => window.__events.push(name));
    }""")
    player.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => window.__events.includes('seeking')")
    page.keyboard.press("k")
    page.wait_for_function("() => window.__events.includes('play')")
    page.keyboard.press("m")
    assert player.evaluate("v => v.muted") is True
