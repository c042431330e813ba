"""In the system Chromium: scroll the discover grid, like a card, dismiss one, go nearby."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts import services as accounts
from content import services as content
from content.models import Like, NotInterested
from tests.conftest import png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(channels, media_root):
    """45 good notes by nine authors over nine channels, and a member who likes 美食."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.conftest import varied_text

    authors = [accounts.user_signup(username=f"creator{i}", password="a-long-pass-4567") for i in range(9)]
    slugs = ["food", "baking", "restaurants", "home-cooking", "tech", "games", "music", "pets", "travel"]
    posts = []
    for i in range(45):
        slug = slugs[i % 9]
        image = SimpleUploadedFile(f"n{i}.png", png_bytes(size=(240, 200 + (i % 5) * 40)), content_type="image/png")
        posts.append(
            content.post_create(
                author=authors[(i * 4) % 9], kind="note", channel=channels[slug], title=f"{slug} 笔记 {i}",
                body=varied_text(i), tags=[slug], images=[image],
                place_name="外滩" if i % 3 == 0 else "", lat=31.24 + i * 0.001 if i % 3 == 0 else None,
                lng=121.49 if i % 3 == 0 else None,
            )
        )
    member = accounts.user_signup(username="scroller", password="a-long-pass-4567")
    accounts.interests_set(user=member, channels=[channels["food"], channels["travel"], channels["pets"]])
    return member, posts


def _login(page, username):
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "a-long-pass-4567")
    page.get_by_test_id("login-submit").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def test_scrolling_the_discover_grid_loads_more_and_a_card_like_works_without_reload(page, world):
    member, posts = world
    _login(page, member.username)  # lands on 发现 (a reload would start a new session of unseen posts)
    page.wait_for_selector(".grid[data-feed='discover']")
    grid = page.get_by_test_id("grid")
    cards = grid.get_by_test_id("card")
    expect(cards).to_have_count(20)
    first_ids = cards.evaluate_all("cs => cs.map(c => c.dataset.postId)")

    # Scroll to the end: the next pages are appended (infinite scroll), no repeats.
    page.evaluate("window.marker = 'same page'")
    for _ in range(4):
        page.mouse.wheel(0, 20000)
        page.wait_for_timeout(300)
    expect(cards).to_have_count(45)
    expect(grid.get_by_test_id("more")).to_have_count(0)  # the end of the feed
    all_ids = cards.evaluate_all("cs => cs.map(c => c.dataset.postId)")
    assert all_ids[:20] == first_ids and len(set(all_ids)) == 45
    assert page.evaluate("window.marker") == "same page"  # no navigation happened

    # Like a card that came with the second page.
    card = cards.nth(25)
    post_id = int(card.get_attribute("data-post-id"))
    like = card.get_by_test_id("card-like")
    expect(like).to_have_attribute("aria-pressed", "false")
    like.click()
    expect(like).to_have_attribute("aria-pressed", "true")
    expect(like).to_contain_text("1")
    assert Like.objects.filter(user=member, post_id=post_id).exists()
    assert page.evaluate("window.marker") == "same page"

    # Not interested: the card folds away, the mark is stored.
    other = cards.nth(3)
    other_id = int(other.get_attribute("data-post-id"))
    other.get_by_test_id("card-menu-toggle").click()  # behind the card's "…" menu
    other.get_by_test_id("card-not-interested").click()
    expect(other).to_contain_text("将减少此类推荐")
    assert NotInterested.objects.filter(user=member, post_id=other_id).exists()


def test_the_nearby_tab_asks_for_the_location_and_shows_distances(browser_context, world):
    context = browser_context(
        geolocation={"latitude": 31.2400, "longitude": 121.4900}, permissions=["geolocation"]
    )
    page = context.new_page()
    page.goto("/nearby/")
    expect(page.get_by_test_id("nearby-ask")).to_be_visible()
    page.get_by_test_id("locate-nearby").click()
    page.wait_for_url("**/nearby/?lat=*")
    distances = page.get_by_test_id("distance")
    expect(distances.first).to_contain_text("0.0 km")
    texts = distances.all_inner_texts()
    kms = [float(t.split("km")[0].replace("📍", "").strip()) for t in texts]
    assert kms == sorted(kms) and len(kms) == 15
