"""In the system Chromium: a creator tops up, buys a boost for their post, reads the report."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from accounts import services as accounts
from boosts.models import Boost, LedgerEntry
from content import services as content
from feeds.models import PoolEntry
from feeds.services.discover import discover_page
from tests.conftest import png_bytes, varied_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-pass-4567"


def note(author, channel, i):
    image = SimpleUploadedFile(f"b{i}.png", png_bytes(size=(200, 200)), content_type="image/png")
    return content.post_create(author=author, kind="note", channel=channel, title=f"笔记 {i}",
                               body=varied_text(i + 500), images=[image])


@pytest.fixture
def world(channels, media_root):
    creator = accounts.user_signup(username="boost-buyer", password=PASSWORD)
    accounts.interests_set(user=creator, channels=[channels["film"], channels["music"], channels["tech"]])
    post = note(creator, channels["film"], 0)
    PoolEntry.objects.filter(post=post).update(state=PoolEntry.State.STOPPED)
    authors = [accounts.user_signup(username=f"organic-author{i}", password=PASSWORD) for i in range(4)]
    slugs = ["food", "baking", "restaurants", "travel", "pets"]
    for i in range(1, 16):
        note(authors[i % 4], channels[slugs[i % 5]], i)
    fan = accounts.user_signup(username="food-fan", password=PASSWORD)
    accounts.interests_set(user=fan, channels=[channels["food"], channels["travel"], channels["pets"]])
    return creator, post, fan


def test_a_creator_buys_a_boost_for_their_post_and_sees_it_in_the_report(page, world):
    creator, post, fan = world
    page.goto("/login/")
    page.fill("input[name=username]", creator.username)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.wait_for_url(lambda url: "/login/" not in url)

    # Top up the wallet (a simulated payment).
    page.goto("/wallet/")
    page.get_by_test_id("topup").locator("input[name=amount]").fill("2000")
    page.get_by_test_id("topup-submit").click()
    expect(page.get_by_test_id("balance")).to_have_text("2000")

    # From the creator center, boost the post to food lovers for a day.
    page.goto("/creator/")
    page.get_by_test_id("boost-link").first.click()
    form = page.get_by_test_id("boost-form")
    form.locator("input[name=budget]").fill("1000")
    form.locator("input[name=hours]").fill("24")
    form.locator("input[name=targeting][value=interests]").check()
    form.locator("input[name=channels][value=food]").check()
    page.get_by_test_id("boost-pay").click()

    expect(page.get_by_test_id("boost-status")).to_contain_text("投放中")
    expect(page.get_by_test_id("delivered")).to_have_text("0 / 1000")
    boost = Boost.objects.get(post=post)
    assert boost.cost == 1000 and LedgerEntry.objects.filter(user=creator, kind="charge", amount=-1000).exists()

    # A food lover opens discover: the boost takes its slot, labelled; the report counts it.
    served = discover_page(fan, size=10)
    assert [i.post.pk for i in served.items if i.promoted] == [post.pk]
    page.reload()
    expect(page.get_by_test_id("delivered")).to_have_text("1 / 1000")
    expect(page.get_by_test_id("boost-chart").locator("polyline")).to_have_attribute("points", re.compile(r"\d"))

    # Stopping refunds the unspent part; the wallet shows the ledger.
    page.get_by_test_id("boost-stop").click()
    expect(page.get_by_test_id("refunded")).to_have_text("999")
    page.goto("/wallet/")
    expect(page.get_by_test_id("balance")).to_have_text("1999")
    expect(page.get_by_test_id("ledger")).to_contain_text("退款")
