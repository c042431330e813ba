"""The search page as people meet it: in the Django test client and in Chromium at phone width."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from search.models import SearchLog

pytestmark = pytest.mark.django_db


def test_the_search_page_marks_the_words_found_and_escapes_the_rest(client, note):
    note("成都火锅攻略<script>alert(1)</script>", "春熙路的老火锅，牛油锅底")
    response = client.get("/search/", {"q": "火锅"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "成都<mark>火锅</mark>攻略&lt;script&gt;" in html
    assert "<script>alert(1)" not in html


def test_every_page_has_a_search_box_in_its_header(client, channels):
    html = client.get("/").content.decode()
    assert 'action="/search/"' in html and 'name="q"' in html


def test_without_a_query_the_page_shows_history_and_hot_searches(client, make_user, channels):
    user = make_user("searcher")
    SearchLog.objects.create(user=user, query="露营")
    client.force_login(user)
    html = client.get("/search/").content.decode()
    assert "露营" in html and "热搜" in html


def test_a_bad_tab_on_the_page_is_a_400_with_a_message(client, channels):
    response = client.get("/search/", {"q": "火锅", "type": "nope"})
    assert response.status_code == 400
    assert "type must be one of" in response.content.decode()


def test_the_people_tab_lists_people(client, make_user):
    make_user("xiaoming", display_name="爱吃火锅的小明")
    html = client.get("/search/", {"q": "小明", "type": "user"}).content.decode()
    assert "/u/xiaoming/" in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_search_page_works_in_the_browser_at_phone_width(browser_context, make_post, make_user):
    make_post(title="成都火锅攻略", body="牛油锅底", tags=["火锅"])
    make_post(title="上海咖啡探店", body="手冲")
    page = browser_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True).new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto("/")
    # On a phone the header shows a search link, not the box.
    expect(page.get_by_test_id("header-search")).to_be_hidden()
    page.get_by_test_id("search-link").click()
    page.wait_for_url("**/search/")
    box = page.get_by_test_id("search-page-form").locator("input[name=q]")
    box.fill("火锅")
    box.press("Enter")
    results = page.get_by_test_id("search-result")
    expect(results).to_have_count(1)
    expect(results.first.locator("mark").first).to_have_text("火锅")
    # Nothing on the page is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_test_id("search-tabs").get_by_text("话题", exact=True).click()
    expect(page.get_by_test_id("search-topics")).to_contain_text("#火锅")
    assert errors == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_reader_clears_their_search_history_in_the_browser(browser_context, make_user, live_server):
    user = make_user("reader")
    SearchLog.objects.create(user=user, query="露营")
    context = browser_context()
    page = context.new_page()
    page.goto("/login/")
    page.fill("input[name=username]", "reader")
    page.fill("input[name=password]", "s3cret-pass-99")
    page.get_by_test_id("login-submit").click()
    page.goto("/search/")
    expect(page.get_by_test_id("search-history")).to_contain_text("露营")
    page.get_by_test_id("clear-history").click()
    expect(page.get_by_test_id("search-history")).to_have_count(0)
    assert not SearchLog.objects.filter(in_history=True).exists()


def test_the_search_page_costs_the_same_queries_for_two_results_or_six(client, note, make_user):
    """Each result's image alt text reads the prefetched images, not one query a card."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(make_user("searcher"))
    counts = []
    for extra in (2, 4):
        for i in range(extra):
            note(f"火锅第{len(counts)}{i}家", "牛油锅底")
        client.get("/search/", {"q": "火锅"})  # cards cached, the search recorded once
        with CaptureQueriesContext(connection) as queries:
            html = client.get("/search/", {"q": "火锅"}).content.decode()
        counts.append(len(queries))
        assert 'alt="图片：火锅第' in html
    assert counts[0] == counts[1]
