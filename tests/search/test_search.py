"""Search 搜索 as people use it: finding notes, people and topics, hot searches, history,
and searches that teach the feed. Runs on the database the settings name (SQLite FTS5 or
PostgreSQL tsvector), with the real jieba tokens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts import services as accounts_services
from content import services as content_services
from content.models import Post
from feeds.models import InterestAffinity
from moderation import services as moderation_services
from search import services
from search.models import BlockedSearch, HotSearch, SearchDocument, SearchLog

pytestmark = pytest.mark.django_db


def found(client, q: str, **params) -> list[str]:
    response = client.get("/api/v1/search/", {"q": q, **params})
    assert response.status_code == 200, response.content
    return [p["title"] for p in response.json()["posts"]]


# ---------------------------------------------------------------- finding posts
def test_searching_huoguo_finds_the_note_titled_chengdu_huoguo_gonglue(note, api):
    note("成都火锅攻略", "春熙路附近的老火锅，牛油锅底")
    note("上海咖啡探店", "手冲咖啡很好喝")
    assert found(api, "火锅") == ["成都火锅攻略"]


def test_a_word_in_the_body_tags_or_place_finds_the_note(note, api):
    note("周末去哪儿", "带上帐篷去山里露营", tags=["户外"], place_name="莫干山", lat=30.6, lng=119.9)
    assert found(api, "露营") == ["周末去哪儿"]
    assert found(api, "户外") == ["周末去哪儿"]
    assert found(api, "莫干山") == ["周末去哪儿"]


def test_a_word_being_typed_finds_notes_by_its_beginning(note, api):
    note("Sourdough starter guide", "flour and water")
    note("成都火锅攻略", "牛油锅底")
    assert found(api, "sourd") == ["Sourdough starter guide"]
    assert found(api, "火锅攻") == ["成都火锅攻略"]  # 火锅 whole, 攻 as the start of 攻略


def test_fullwidth_and_capital_letters_find_the_same_notes(note, api):
    note("iPhone 16 评测", "续航很好")
    assert found(api, "ＩＰＨＯＮＥ") == ["iPhone 16 评测"]


def test_every_word_of_a_query_must_match_before_any_word_does(note, api):
    note("成都火锅攻略", "牛油锅底")
    note("重庆火锅", "九宫格")
    assert found(api, "成都 火锅") == ["成都火锅攻略"]
    # No note has both words: notes with either are found rather than nothing.
    assert set(found(api, "成都 九宫格")) == {"成都火锅攻略", "重庆火锅"}


def test_an_edited_note_is_found_by_its_new_words_and_not_its_old_ones(note, api, committed):
    post = note("成都火锅攻略", "牛油锅底")
    with committed():
        content_services.post_update(post=post, actor=post.author, title="北京烤鸭攻略")
    assert found(api, "烤鸭") == ["北京烤鸭攻略"]
    assert found(api, "火锅") == []


def test_a_removed_post_is_not_found_right_after_removal(note, api, moderator, committed):
    post = note("成都火锅攻略")
    assert found(api, "火锅") == ["成都火锅攻略"]
    with committed():
        moderation_services.post_remove(post=post, moderator=moderator, reason="广告引流")
    assert found(api, "火锅") == []


def test_a_deleted_post_leaves_the_index(note, api, committed):
    post = note("成都火锅攻略")
    with committed():
        content_services.post_delete(post=post, actor=post.author)
    assert found(api, "火锅") == []
    assert not SearchDocument.objects.exists()


def test_a_limited_post_is_found_below_an_equal_published_one(note, api, moderator, committed):
    limited = note("成都火锅攻略", "牛油锅底")
    note("成都火锅攻略", "牛油锅底")
    with committed():
        moderation_services.post_limit(post=limited, moderator=moderator, reason="标题党")
    response = api.get("/api/v1/search/", {"q": "火锅"}).json()
    assert [p["id"] for p in response["posts"]][-1] == limited.pk
    assert len(response["posts"]) == 2


def test_a_blocked_authors_notes_are_not_found_by_the_blocker(note, make_user, client_for):
    author, reader = make_user("chef"), make_user("reader")
    note("成都火锅攻略", author=author)
    accounts_services.block_create(blocker=reader, blocked=author)
    note("露营火锅", author=reader)
    assert found(client_for(reader), "火锅") == ["露营火锅"]
    assert found(client_for(author), "火锅") == ["成都火锅攻略"]  # the blocker's note is hidden too


def test_an_author_marked_not_interested_is_not_found(note, make_user, client_for):
    author, reader = make_user("chef"), make_user("reader")
    note("成都火锅攻略", author=author)
    client = client_for(reader)
    assert client.post("/api/v1/not-interested/", {"kind": "author", "author": "chef"}, format="json").status_code in (200, 201)
    assert found(client, "火锅") == []


def test_a_mark_or_a_block_applies_from_the_very_next_search(note, make_user, client_for, committed):
    """Search reads the feeds' cached exclusions: each change bumps their version."""
    author, other, reader = make_user("chef"), make_user("cook"), make_user("reader")
    marked = note("成都火锅攻略", author=other)
    note("重庆火锅", author=author)
    note("北京火锅", author=make_user())
    client = client_for(reader)
    assert len(found(client, "火锅")) == 3  # the reader's exclusions are cached now
    with committed():
        response = client.post("/api/v1/not-interested/", {"kind": "post", "post": marked.pk}, format="json")
    assert response.status_code == 201, response.content
    assert sorted(found(client, "火锅")) == ["北京火锅", "重庆火锅"]
    with committed():
        assert client.post("/api/v1/users/chef/block/").status_code in (200, 201)
    assert found(client, "火锅") == ["北京火锅"]


def test_pending_posts_are_not_found(note, api, settings):
    settings.ENGINE = {**settings.ENGINE, "REVIEW_FIRST_POSTS": 5}
    note("成都火锅攻略")
    assert found(api, "火锅") == []


# ---------------------------------------------------------------- tabs, sorts, filters
def test_the_video_tab_shows_only_videos_and_the_notes_tab_only_notes(note, api, video_file):
    note("火锅教程", kind="video", images=[], video=video_file(), video_seconds=12)
    note("火锅图文")
    assert found(api, "火锅", type="video") == ["火锅教程"]
    assert found(api, "火锅", type="note") == ["火锅图文"]


def test_newest_and_most_liked_sorts(note, api, make_user, committed):
    old = note("火锅老店")
    Post.objects.filter(pk=old.pk).update(published_at=timezone.now() - timedelta(days=30))
    liked = note("火锅新店")
    Post.objects.filter(pk=liked.pk).update(like_count=50)
    note("火锅最新")
    assert found(api, "火锅", sort="newest") == ["火锅最新", "火锅新店", "火锅老店"]
    assert found(api, "火锅", sort="most_liked")[0] == "火锅新店"


def test_a_channel_filter_keeps_its_sub_channels(note, api):
    note("火锅探店", channel="restaurants")
    note("火锅旅行", channel="travel")
    assert found(api, "火锅", channel="food") == ["火锅探店"]
    assert api.get("/api/v1/search/", {"q": "火锅", "channel": "nope"}).status_code == 400


def test_a_location_keeps_only_posts_nearby(note, api):
    note("火锅在上海", place_name="人民广场", lat=31.23, lng=121.47)
    note("火锅在成都", place_name="春熙路", lat=30.66, lng=104.08)
    note("火锅无地点")
    assert found(api, "火锅", lat="31.2", lng="121.5") == ["火锅在上海"]


def test_people_are_found_by_part_of_their_display_name(make_user, api):
    make_user("xiaoming", display_name="爱吃火锅的小明")
    make_user("other", display_name="咖啡控")
    response = api.get("/api/v1/search/", {"q": "小明", "type": "user"})
    assert [u["username"] for u in response.json()["users"]] == ["xiaoming"]


def test_topics_are_found_by_part_of_their_name(note, api):
    note("周末", "去玩", tags=["露营装备"])
    response = api.get("/api/v1/search/", {"q": "露营", "type": "topic"})
    assert [t["name"] for t in response.json()["topics"]] == ["露营装备"]


def test_the_all_tab_shows_people_and_topics_above_the_posts(note, make_user, api):
    make_user("hotpot", display_name="火锅达人")
    note("成都火锅攻略", tags=["火锅"])
    body = api.get("/api/v1/search/", {"q": "火锅"}).json()
    assert [u["username"] for u in body["users"]] == ["hotpot"]
    assert "火锅" in [t["name"] for t in body["topics"]]
    assert [p["title"] for p in body["posts"]] == ["成都火锅攻略"]


def test_the_all_tab_leaves_out_people_one_sees_less_of_the_user_tab_only_the_blocked(make_user, client_for, committed):
    """The 综合 row hides the authors its posts hide (blocks, "not interested"); asked for
    people by name, the 用户 tab still finds a person one only sees less of."""
    make_user("hotpot", display_name="火锅达人")
    make_user("hotpot2", display_name="火锅小王")
    blocked = make_user("hotpot3", display_name="火锅老李")
    reader = make_user("reader")
    client = client_for(reader)
    with committed():
        response = client.post("/api/v1/not-interested/", {"kind": "author", "author": "hotpot"}, format="json")
        assert response.status_code in (200, 201), response.content
        accounts_services.block_create(blocker=blocked, blocked=reader)
    everything = client.get("/api/v1/search/", {"q": "火锅"}).json()
    people = client.get("/api/v1/search/", {"q": "火锅", "type": "user"}).json()
    assert [u["username"] for u in everything["users"]] == ["hotpot2"]
    assert {u["username"] for u in people["users"]} == {"hotpot", "hotpot2"}


def test_the_all_tab_shows_people_whose_name_starts_with_the_words_the_user_tab_also_those_holding_them(make_user, api):
    make_user("hotpot", display_name="火锅达人")
    make_user("fan", display_name="爱吃火锅的小明")
    everything = api.get("/api/v1/search/", {"q": "火锅"}).json()
    people = api.get("/api/v1/search/", {"q": "火锅", "type": "user"}).json()
    assert [u["username"] for u in everything["users"]] == ["hotpot"]
    assert {u["username"] for u in people["users"]} == {"hotpot", "fan"}


def test_results_come_in_pages_without_repeats(note, api):
    for i in range(5):
        note(f"火锅第{i}家")
    first = api.get("/api/v1/search/", {"q": "火锅", "size": 2}).json()
    seen = [p["id"] for p in first["posts"]]
    cursor = first["next_cursor"]
    while cursor:
        page = api.get("/api/v1/search/", {"q": "火锅", "size": 2, "cursor": cursor}).json()
        seen += [p["id"] for p in page["posts"]]
        cursor = page["next_cursor"]
    assert len(seen) == len(set(seen)) == 5


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "params",
    [
        {"q": ""},
        {"q": "   "},
        {"q": "火" * 1000},
        {"q": '"火锅'},
        {"q": "火锅*"},
        {"q": "NEAR(火锅 攻略)"},
        {"q": "火锅 OR 1=1"},
        {"q": "-火锅"},
        {"q": "'; DROP TABLE content_post; --"},
        {"q": "tokens:火锅"},
        {"q": "🍲🔥"},
        {"q": "火\u200b锅\u202e"},
        {"q": "\x00"},
        {"q": "火锅", "sort": "relevance", "type": "all", "cursor": "0"},
    ],
)
def test_odd_queries_get_results_never_an_error(note, api, params):
    note("成都火锅攻略")
    response = api.get("/api/v1/search/", params)
    assert response.status_code in (200, 400), response.content
    if params["q"].strip("\x00"):
        assert response.status_code == 200
    assert Post.objects.count() == 1


@pytest.mark.parametrize(
    "params",
    [
        {"q": "火锅", "type": "video-ish"},
        {"q": "火锅", "sort": "random"},
        {"q": "火锅", "cursor": "abc"},
        {"q": "火锅", "cursor": "-5"},
        {"q": "火锅", "cursor": "99999999"},
        {"q": "火锅", "size": "500"},
        {"q": "火锅", "lat": "31.2"},
        {"q": "火锅", "lat": "nan", "lng": "1"},
        {"q": "火锅", "lat": "95", "lng": "1"},
    ],
)
def test_bad_parameters_get_a_clear_400(api, params, channels):
    response = api.get("/api/v1/search/", params)
    assert response.status_code == 400
    assert response.json()  # the API's JSON error body


def test_searching_with_a_zero_width_character_finds_the_word(note, api):
    note("成都火锅攻略")
    assert found(api, "火\u200b锅") == ["成都火锅攻略"]


# ---------------------------------------------------------------- suggestions, history
def test_suggestions_while_typing_offer_topics_titles_and_people(note, make_user, api):
    make_user("huoguo_fan", display_name="火锅迷")
    note("火锅攻略大全", tags=["火锅"])
    texts = [s["text"] for s in api.get("/api/v1/search/suggest/", {"q": "火"}).json()]
    assert "火锅" in texts and "火锅迷" in texts
    texts = [s["text"] for s in api.get("/api/v1/search/suggest/", {"q": "火锅攻"}).json()]
    assert "火锅攻略大全" in texts
    assert api.get("/api/v1/search/suggest/", {"q": ""}).json() == []


def test_my_search_history_is_kept_newest_first_and_can_be_cleared(make_user, client_for, channels):
    client = client_for(make_user())
    for q in ["火锅", "露营", "火锅"]:
        client.get("/api/v1/search/", {"q": q})
    assert client.get("/api/v1/search/history/").json() == {"queries": ["火锅", "露营"]}
    assert client.delete("/api/v1/search/history/").status_code == 204
    assert client.get("/api/v1/search/history/").json() == {"queries": []}


def test_history_is_private(make_user, client_for, api, channels):
    client_for(make_user()).get("/api/v1/search/", {"q": "秘密"})
    other = client_for(make_user())
    assert other.get("/api/v1/search/history/").json() == {"queries": []}
    assert api.get("/api/v1/search/history/").status_code == 401
    assert api.delete("/api/v1/search/history/").status_code == 401


def test_a_next_page_is_not_counted_as_another_search(note, make_user, client_for):
    for i in range(3):
        note(f"火锅第{i}家")
    client = client_for(make_user())
    client.get("/api/v1/search/", {"q": "火锅", "size": 1})
    client.get("/api/v1/search/", {"q": "火锅", "size": 1, "cursor": "1"})
    assert SearchLog.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_search_is_recorded_whole_or_not_at_all_and_does_not_wait_for_the_disk(make_user, note, monkeypatch):
    """The history row and the interest signal commit together; on PostgreSQL their
    commit does not wait for the WAL flush (a crash may lose the last searches, never
    half of one)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    note("露营装备清单", tags=["露营"])
    person = make_user()
    with CaptureQueriesContext(connection) as queries:
        services.search_record(user=person, query="露营")
    assert SearchLog.objects.filter(user=person, query="露营").count() == 1
    assert InterestAffinity.objects.filter(user=person, kind="tag", score__gt=0).exists()
    relaxed = any("synchronous_commit" in q["sql"] for q in queries.captured_queries)
    assert relaxed == (connection.vendor == "postgresql")

    def fails(**kwargs):
        raise RuntimeError("the interest write failed")

    monkeypatch.setattr(services, "interests_boost_tags", fails)
    with pytest.raises(RuntimeError):
        services.search_record(user=person, query="露营 装备")
    assert not SearchLog.objects.filter(query="露营 装备").exists()


# ---------------------------------------------------------------- hot searches
def _search_as(people, query, when):
    for person in people:
        services.search_record(user=person, query=query, now=when)


def test_a_query_many_people_suddenly_search_tops_the_hot_searches(make_user):
    now = timezone.now()
    people = [make_user() for _ in range(6)]
    for day in range(1, 7):  # 咖啡 is searched by everyone every day: its baseline is high
        _search_as(people, "咖啡", now - timedelta(days=day))
    _search_as(people, "咖啡", now - timedelta(hours=1))
    _search_as(people[:4], "台风", now - timedelta(hours=1))  # new today
    _search_as(people[:2], "小众", now - timedelta(hours=1))  # too few people to trend
    services.hot_searches_recompute(now=now)
    hot = list(HotSearch.objects.values_list("query", flat=True))
    assert hot[0] == "台风"
    assert "小众" not in hot


def test_one_person_searching_ten_times_is_not_a_trend(make_user):
    person = make_user()
    for _ in range(10):
        services.search_record(user=person, query="刷榜", now=timezone.now())
    services.hot_searches_recompute()
    assert not HotSearch.objects.exists()


def test_a_moderator_takes_a_hot_search_down_for_good(make_user, moderator, client):
    people = [make_user() for _ in range(4)]
    _search_as(people, "谣言", timezone.now())
    services.hot_searches_recompute()
    hot = HotSearch.objects.get(query="谣言")
    client.force_login(moderator)
    response = client.post(
        "/admin/search/hotsearch/", {"action": "take_down", "_selected_action": [hot.pk]}, follow=True
    )
    assert response.status_code == 200
    assert BlockedSearch.objects.filter(query="谣言").exists()
    services.hot_searches_recompute()
    assert not HotSearch.objects.filter(query="谣言").exists()


def test_hot_searches_are_public_over_the_api(make_user, api):
    _search_as([make_user() for _ in range(3)], "台风", timezone.now())
    services.hot_searches_recompute()
    assert api.get("/api/v1/search/hot/").json() == [{"rank": 1, "query": "台风", "searches": 3}]


# ---------------------------------------------------------------- searches teach the feed
def _tag_score(user, name):
    from content.models import Tag

    tag = Tag.objects.get(name=name)
    row = InterestAffinity.objects.filter(user=user, kind="tag", key=tag.pk).first()
    return row.score if row else 0.0


def test_a_search_for_a_tag_raises_the_searchers_interest_in_it(note, make_user, client_for):
    note("周末", "去山里", tags=["露营"])
    person = make_user()
    client_for(person).get("/api/v1/search/", {"q": "露营"})
    assert _tag_score(person, "露营") > 0


def test_a_search_for_luying_moves_luying_posts_up_in_the_searchers_discover_feed(person, publish, make_user):
    """Two people with the same picks; one searches 露营. Among the travel posts both are
    shown, the 露营 ones (older than the 风景 ones) come first for the searcher only."""
    from feeds.models import PoolEntry
    from feeds.services.discover import discover_page
    from feeds.services.rebuild import rebuild_redis

    searcher = person("searcher", ["travel", "food", "pets"])
    twin = person("twin", ["travel", "food", "pets"])
    authors = [make_user() for _ in range(6)]
    camping = {publish(authors[i], "domestic-travel", tags=["露营"]).pk for i in range(3)}
    for i in range(6):
        publish(authors[i], "domestic-travel", tags=["风景"])
    # The pools are done with every post: the ranking alone orders them.
    PoolEntry.objects.update(state=PoolEntry.State.HOT, tier=5)
    rebuild_redis()
    services.search_record(user=searcher, query="露营")

    def first_three(reader):
        return {item.post.pk for item in discover_page(reader, None, size=9).items[:3]}

    assert first_three(searcher) == camping
    assert not first_three(twin) & camping


def test_opening_a_result_is_a_signal_for_the_clickers_interests(note, make_user, client_for):
    post = note("周末", "去山里", tags=["露营"])
    person = make_user()
    client = client_for(person)
    assert client.post("/api/v1/search/clicks/", {"post": post.pk}, format="json").status_code == 204
    assert _tag_score(person, "露营") > 0


def test_a_click_on_a_post_one_may_not_see_is_a_404(note, make_user, client_for, api, moderator, committed):
    post = note("周末")
    with committed():
        moderation_services.post_remove(post=post, moderator=moderator, reason="广告")
    assert client_for(make_user()).post("/api/v1/search/clicks/", {"post": post.pk}, format="json").status_code == 404
    assert api.post("/api/v1/search/clicks/", {"post": post.pk}, format="json").status_code == 401


# ---------------------------------------------------------------- the index
def test_rebuild_search_rebuilds_the_index_from_the_database(note, api):
    note("成都火锅攻略")
    SearchDocument.objects.all().delete()
    assert found(api, "火锅") == []
    call_command("rebuild_search", verbosity=0)
    assert found(api, "火锅") == ["成都火锅攻略"]


def test_a_rebuild_leaves_the_sqlite_index_merged(note):
    """A query reads every segment FTS5 keeps: a rebuild merges them (on PostgreSQL the GIN
    index needs no such step)."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("FTS5 segments are SQLite's")
    for i in range(3):
        note(f"火锅第{i}家")  # each indexed in a transaction of its own: a segment each

    def segments() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM search_fts_data")
            return cursor.fetchone()[0]

    call_command("rebuild_search", verbosity=0)
    merged = segments()
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
    assert segments() == merged


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_leaves_postgresqls_index_readable_without_the_table(note):
    """A common word's matches are read in key order from the covering index alone: a
    rebuild vacuums the documents, so no match is looked up in the table."""
    from django.db import connection, transaction

    from search.backends import PG_MATCH

    if connection.vendor != "postgresql":
        pytest.skip("the covering index and VACUUM are PostgreSQL's")
    for i in range(3):
        note(f"火锅第{i}家")
    call_command("rebuild_search", verbosity=0)
    with transaction.atomic(), connection.cursor() as cursor:
        # Three documents: make the planner read as it does at 100 000 for a common word.
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + PG_MATCH, ["'火锅'", 10])
        plan = cursor.fetchone()[0][0]["Plan"]
    while plan["Node Type"] == "Limit":
        plan = plan["Plans"][0]
    assert (plan["Node Type"], plan["Heap Fetches"], plan["Actual Rows"]) == ("Index Only Scan", 0, 3)


def test_rebuild_search_missing_only_indexes_posts_without_a_document(note):
    kept, lost = note("火锅"), note("露营")
    SearchDocument.objects.filter(pk=lost.pk).delete()
    SearchDocument.objects.filter(pk=kept.pk).update(tokens="stale")
    call_command("rebuild_search", "--missing", verbosity=0)
    assert SearchDocument.objects.get(pk=kept.pk).tokens == "stale"
    assert "露营" in SearchDocument.objects.get(pk=lost.pk).tokens


@pytest.fixture
def camping_notes(note, settings):
    """Eleven fresh 露营 notes nobody engaged with, and an older, longer one read for
    months and saved by many; a query reads ten matches: fewer than there are."""
    from feeds.models import PoolEntry

    settings.ENGINE = {**settings.ENGINE, "SEARCH_READ": 10, "SEARCH_CANDIDATES": 10}
    classic = note("露营装备清单", "第一次去露营要带什么：帐篷、睡袋、防潮垫、头灯、炉具和足够的水，写给新手的完整清单")
    fresh = [note(f"露营日记{i}", "周末露营") for i in range(11)]
    PoolEntry.objects.update(quality_score=0.6)  # all equally careful, as first indexed
    services.index_posts(p.pk for p in [classic, *fresh])
    Post.objects.filter(pk=classic.pk).update(
        published_at=timezone.now() - timedelta(days=200), view_count=1000, like_count=500, favourite_count=200
    )
    return classic, fresh


def test_a_common_word_finds_the_note_people_keep_saving_once_the_index_resorts(camping_notes, api):
    """More notes hold 露营 than a query reads: the index is read best static score first,
    so the old note everyone saves is found once its score is re-sorted, though eleven
    newer and shorter notes match too (a read by text score or by date would miss it)."""
    classic, _ = camping_notes
    assert "露营装备清单" not in found(api, "露营", size=20)  # indexed before anyone saved it
    assert services.index_retier() == 1
    assert "露营装备清单" in found(api, "露营", size=20)


def test_removed_posts_sink_in_the_index_and_leave_the_page_to_visible_ones(camping_notes, api, moderator, committed):
    classic, fresh = camping_notes
    services.index_retier()
    with committed():
        for post in fresh[-5:]:
            moderation_services.post_remove(post=post, moderator=moderator, reason="广告")
    # A query reads ten matches, and the five removed ones no longer take five of them.
    assert len(found(api, "露营", size=20)) == 7


def test_a_search_page_costs_a_fixed_number_of_queries(note, make_user, client_for, django_assert_num_queries):
    for i in range(6):
        note(f"火锅第{i}家", tags=["火锅"])
    client = client_for(make_user())
    for size in (2, 4):
        client.get("/api/v1/search/", {"q": "火锅", "size": size, "cursor": "1"})  # cards cached
        with django_assert_num_queries(QUERIES_PER_SEARCH_PAGE):
            response = client.get("/api/v1/search/", {"q": "火锅", "size": size, "cursor": "1"})
        assert len(response.json()["posts"]) == size
    client.get("/api/v1/search/", {"q": "火锅"})  # cards cached, an interest in 火锅 taught
    with django_assert_num_queries(QUERIES_PER_FIRST_SEARCH_PAGE):
        response = client.get("/api/v1/search/", {"q": "火锅"})
    assert len(response.json()["posts"]) == 6 and response.json()["topics"]


# The token, the match, the candidates, interests and tags, the page's posts, likes and
# saves (blocks and not-interested marks come from the feeds' exclusions cache, cards
# from the card cache): whatever the size.
QUERIES_PER_SEARCH_PAGE = 6
# The 综合 tab's first page adds its people and topics, and the search's record in one
# transaction: the history row, the tags the query names, the searcher's interest in
# them (a test's own transaction turns the record's BEGIN and COMMIT into a savepoint
# and its release, counted here).
QUERIES_PER_FIRST_SEARCH_PAGE = 14


# ---------------------------------------------------------------- mistyped words
def test_a_mistyped_word_finds_similar_titles_and_people_on_postgresql(note, make_user, api):
    """pg_trgm answers typos on PostgreSQL; SQLite's FTS5 has no fuzzy match, so there a
    typo finds nothing (docs/search.md)."""
    from django.db import connection

    note("Sourdough starter guide", "flour and water")
    make_user("xiaoming", display_name="Xiaoming Chen")
    titles = found(api, "sourdoguh")
    people = [u["username"] for u in api.get("/api/v1/search/", {"q": "xiaomign", "type": "user"}).json()["users"]]
    if connection.vendor == "postgresql":
        assert titles == ["Sourdough starter guide"]
        assert people == ["xiaoming"]
    else:
        assert titles == [] and people == []


def test_a_careless_post_is_found_below_an_equal_careful_one(note, api):
    from feeds.models import PoolEntry

    careful = note("成都火锅攻略", "牛油锅底")
    careless = note("成都火锅攻略", "牛油锅底")  # newer: first on a tie
    PoolEntry.objects.filter(post=careful).update(quality_score=0.9)
    PoolEntry.objects.filter(post=careless).update(quality_score=0.1)
    ids = [p["id"] for p in api.get("/api/v1/search/", {"q": "火锅"}).json()["posts"]]
    assert ids == [careful.pk, careless.pk]
