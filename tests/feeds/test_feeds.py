"""The feeds as people use them: discover, follow, nearby, channel and hot.

Every test goes through the real services, the real Redis server the suite starts and
the REST API (or the web pages) a client would call.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import services as accounts
from content import services as content
from content.models import Channel, Post
from feeds import stores
from feeds.models import PoolEntry
from feeds.services.follow import follow_page
from feeds.services.hot import hot_and_trending_recompute
from feeds.services.rebuild import rebuild_redis

pytestmark = pytest.mark.django_db

FOOD = {"food", "restaurants", "home-cooking", "baking"}


def ids_of(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["post"]["id"] for item in response.json()["results"]]


def top_slug(post_json) -> str:
    channel = post_json["channel"]
    return channel["parent"] or channel["slug"]


@pytest.fixture
def mixed_world(make_user, publish):
    """Sixteen 美食 posts over four sub-channels and twelve posts elsewhere, by ten authors."""
    authors = [make_user(f"author{i}") for i in range(10)]
    posts = []
    for i, slug in enumerate(["food", "restaurants", "home-cooking", "baking"] * 4):
        posts.append(publish(authors[i % 10], slug))
    for i, slug in enumerate(["tech", "games", "music", "phones", "film", "running"] * 2):
        posts.append(publish(authors[(i + 3) % 10], slug))
    return authors, posts


# ---------------------------------------------------------------- discover
def test_a_user_who_picked_food_at_sign_up_gets_food_first(mixed_world, person, client_for):
    eater = person("eater", ["food", "travel", "pets"])
    results = client_for(eater).get("/api/v1/feeds/discover/?size=10").json()["results"]
    slugs = [r["post"]["channel"]["slug"] for r in results]
    assert slugs[0] in FOOD and slugs[1] in FOOD and slugs[2] in FOOD
    assert sum(s in FOOD for s in slugs) >= 8, slugs


def test_a_gamer_gets_games_first_from_the_same_world(mixed_world, person, client_for):
    gamer = person("gamer", ["games", "tech", "music"])
    results = client_for(gamer).get("/api/v1/feeds/discover/?size=6").json()["results"]
    assert {top_slug(r["post"]) for r in results[:3]} <= {"games", "tech", "music"}


def test_a_post_seen_is_not_shown_again(mixed_world, person, client_for):
    viewer = client_for(person("viewer", ["food", "tech", "games"]))
    first = ids_of(viewer.get("/api/v1/feeds/discover/?size=10"))
    # A new session (no cursor), as after reopening the app.
    again = ids_of(viewer.get("/api/v1/feeds/discover/?size=10"))
    assert first and again
    assert not set(first) & set(again)


def test_paging_does_not_repeat_or_skip(mixed_world, person, client_for):
    viewer = client_for(person("pager", ["food", "tech", "games"]))
    seen: list[int] = []
    url = "/api/v1/feeds/discover/?size=7"
    while url:
        body = viewer.get(url).json()
        seen += [r["post"]["id"] for r in body["results"]]
        url = body["next"]
    world = {p.pk for p in mixed_world[1]}
    assert len(seen) == len(set(seen)), "a post came twice"
    assert set(seen) == world, "every post of the world is reached, none skipped"


def test_the_order_of_a_session_does_not_reshuffle(mixed_world, person, client_for):
    viewer = client_for(person("stable", ["food", "tech", "games"]))
    first = viewer.get("/api/v1/feeds/discover/?size=5").json()
    second_url = first["next"]
    page2 = ids_of(viewer.get(second_url))
    # New activity meanwhile does not change what the cursor points at.
    someone = accounts.user_signup(username="liker", password="s3cret-pass-99")
    for post in Post.objects.exclude(pk__in=page2)[:5]:
        content.like_create(user=someone, post=post)
    assert ids_of(viewer.get(second_url)) == page2


def test_after_not_interested_in_an_author_none_of_their_posts(mixed_world, person, client_for):
    authors, _ = mixed_world
    viewer_user = person("picky", ["food", "tech", "games"])
    viewer = client_for(viewer_user)
    disliked = authors[0]
    response = viewer.post("/api/v1/not-interested/", {"kind": "author", "author": disliked.username}, format="json")
    assert response.status_code == 201, response.content
    shown = []
    url = "/api/v1/feeds/discover/?size=10"
    while url:
        body = viewer.get(url).json()
        shown += [r["post"]["author"]["username"] for r in body["results"]]
        url = body["next"]
    assert shown and disliked.username not in shown


def test_a_block_or_not_interested_applies_from_the_next_page_and_an_unblock_undoes_it(
    mixed_world, person, client_for, committed
):
    """A viewer's exclusions are kept in Redis between pages; every change still shows on
    the very next page (a channel feed: it shows the same posts again)."""
    person("picky", ["food", "tech", "games"])
    api = client_for(accounts.User.objects.get(username="picky"))

    def food_authors() -> set[str]:
        body = api.get("/api/v1/feeds/channels/food/?size=40").json()
        return {r["post"]["author"]["username"] for r in body["results"]}

    before = food_authors()
    disliked, blocked = sorted(before)[:2]
    with committed():
        response = api.post("/api/v1/not-interested/", {"kind": "author", "author": disliked}, format="json")
    assert response.status_code == 201, response.content
    assert disliked not in food_authors() and blocked in food_authors()
    with committed():
        assert api.post(f"/api/v1/users/{blocked}/block/").status_code in (200, 201)
    assert food_authors() == before - {disliked, blocked}
    with committed():
        assert api.delete(f"/api/v1/users/{blocked}/block/").status_code == 200
    assert food_authors() == before - {disliked}


def test_own_and_blocked_authors_posts_are_not_recommended(mixed_world, person, client_for):
    authors, _ = mixed_world
    me = authors[1]
    accounts.block_create(blocker=me, blocked=authors[2])
    shown = set()
    url = "/api/v1/feeds/discover/?size=20"
    while url:
        body = client_for(me).get(url).json()
        shown |= {r["post"]["author"]["username"] for r in body["results"]}
        url = body["next"]
    assert shown and me.username not in shown and authors[2].username not in shown


def test_a_page_keeps_authors_apart_and_channels_varied(make_user, publish, person, client_for):
    # Three prolific authors all in 美食, one sub-channel each, plus a few others.
    cooks = [make_user(f"cook{i}") for i in range(3)]
    for slug in ["food", "baking", "home-cooking", "restaurants"]:
        for cook in cooks:
            publish(cook, slug)
            publish(cook, slug)
    others = [make_user(f"other{i}") for i in range(4)]
    for i, slug in enumerate(["tech", "games", "music", "film", "pets", "travel", "cats", "dogs", "yoga", "running"]):
        publish(others[i % 4], slug)
    viewer = client_for(person("foodie", ["food", "travel", "pets"]))
    results = viewer.get("/api/v1/feeds/discover/?size=20").json()["results"]
    authors = [r["post"]["author"]["username"] for r in results]
    channels = [r["post"]["channel"]["slug"] for r in results]
    assert len(results) == 20
    assert all(a != b for a, b in zip(authors, authors[1:], strict=False)), authors
    assert max(Counter(channels).values()) <= 3, channels
    outside = [r for r in results if top_slug(r["post"]) not in {"food", "travel", "pets"}]
    assert 2 <= len(outside) <= 4, "about 10–20 % exploration outside the user's interests"


def test_a_source_that_claims_fixed_slots_gets_exactly_those_slots(settings):
    """``mix(fixed=…)``: another source (not boosts, which are placed on the served page,
    see ``boosts.delivery``) claims positions of a batch; the mixer fills the others from
    its lanes under the same rules and never serves a claimed post twice."""
    from django.utils import timezone

    from feeds.engine.discover import MAIN, Candidate, Slot, mix

    now = timezone.now()
    ranked = [
        Candidate(post_id=pk, author_id=pk % 4, channel_id=pk % 5, parent_channel_id=None, kind="note",
                  published_at=now)
        for pk in range(1, 31)
    ]
    claimed = {2: Slot(101, "pinned"), 7: Slot(5, "pinned")}  # post 5 is also in the main lane
    page = mix({MAIN: ranked}, size=12, k=settings.ENGINE, fixed=claimed)

    assert len(page) == 12
    assert page[2] == claimed[2] and page[7] == claimed[7]
    ids = [slot.post_id for slot in page]
    assert len(set(ids)) == 12 and ids.count(5) == 1
    organic = [slot for i, slot in enumerate(page) if i not in claimed]
    assert {slot.lane for slot in organic} == {MAIN}
    authors = {c.post_id: c.author_id for c in ranked}
    runs = [[authors[s.post_id] for s in page[a:b]] for a, b in [(0, 2), (3, 7), (8, 12)]]
    assert all(x != y for run in runs for x, y in zip(run, run[1:], strict=False)), runs
    channels = {c.post_id: c.channel_id for c in ranked}
    assert max(Counter(channels[s.post_id] for s in organic).values()) <= settings.ENGINE["FEED_MAX_PER_CHANNEL"]


def test_exploration_shows_only_posts_the_pools_are_done_with(make_user, publish, person, client_for):
    """A post still measuring its audience in a pool tier never reaches strangers as
    exploration (their indifference would decide its verdict)."""
    cooks = [make_user(f"cook{i}") for i in range(4)]
    for i, slug in enumerate(["food", "baking", "home-cooking", "restaurants"] * 3):
        publish(cooks[i % 4], slug)
    others = [make_user(f"other{i}") for i in range(4)]
    outside = [publish(others[i % 4], slug) for i, slug in enumerate(["tech", "games", "music", "film"] * 2)]
    done = {p.pk for p in outside[::2]}
    PoolEntry.objects.filter(post_id__in=done).update(state=PoolEntry.State.STOPPED)
    # The others are still under test at tier 1, past the base pool's matched lane.
    PoolEntry.objects.filter(post_id__in=[p.pk for p in outside[1::2]]).update(tier=1)
    viewer = client_for(person("foodie", ["food", "travel", "pets"]))
    results = viewer.get("/api/v1/feeds/discover/?size=20").json()["results"]
    outside = {r["post"]["id"]: r["source"] for r in results if top_slug(r["post"]) not in {"food", "travel", "pets"}}
    explored = {pid for pid, source in outside.items() if source == "explore"}
    assert explored and explored <= done, outside
    # Posts still under test fill a page only when nothing else fits, as "reserve".
    assert {source for pid, source in outside.items() if pid not in done} <= {"reserve"}, outside


def test_the_pool_lane_serves_the_new_post_furthest_from_its_quota_first(settings):
    """A slow starter is not starved by a lucky one: the least-served base-pool post comes
    first, whatever its rank, so every new post gets its verdict."""
    from datetime import UTC, datetime

    from feeds.engine.discover import POOL, Candidate, Profile, lanes

    now = datetime.now(UTC)
    served = {1: 0.9, 2: 0.1, 3: 0.5}  # share of the base quota already served, best-ranked first
    ranked = [
        Candidate(post_id=pid, author_id=pid, channel_id=1, parent_channel_id=None, kind="note",
                  published_at=now, in_pool=True, pool_served=share, under_test=True)
        for pid, share in served.items()
    ]  # fmt: skip
    assert [c.post_id for c in lanes(ranked, Profile(), settings.ENGINE)[POOL]] == [2, 3, 1]


def test_people_a_post_was_held_back_from_do_not_decide_its_pool_verdict(make_user, publish, person, client_for):
    """A post still under test reaches people it does not match only through the reserve
    lane (when nothing else fills a page); their impressions and likes stay out of its
    tier's counts, as a paid boost's do, while those of people it matches count."""
    from feeds.services.pools import tier_counts

    cooks = [make_user(f"cook{i}") for i in range(4)]
    for i, slug in enumerate(["food", "baking", "home-cooking", "restaurants"] * 3):
        publish(cooks[i % 4], slug)
    others = [make_user(f"other{i}") for i in range(4)]
    for i, slug in enumerate(["tech", "games", "music", "film"] * 2):
        publish(others[i % 4], slug)
    foodie = person("foodie", ["food", "travel", "pets"])
    results = client_for(foodie).get("/api/v1/feeds/discover/?size=20").json()["results"]
    held = [r["post"]["id"] for r in results if r["source"] == "reserve" and top_slug(r["post"]) in {"tech", "games"}]
    assert held, [(r["source"], top_slug(r["post"])) for r in results]
    post = Post.objects.get(pk=held[0])
    content.like_create(user=foodie, post=post)
    counts = tier_counts([post.pk]).get(post.pk)
    assert counts is None or (counts.impressions == 0 and counts.likes == 0), counts
    post.refresh_from_db()
    assert post.like_count == 1  # still a like everyone sees

    techie = person("techie", ["tech", "games", "travel"])
    results = client_for(techie).get("/api/v1/feeds/discover/?size=20").json()["results"]
    assert post.pk in [r["post"]["id"] for r in results if r["source"] != "reserve"]
    content.like_create(user=techie, post=post)
    counts = tier_counts([post.pk])[post.pk]
    assert (counts.impressions, counts.likes) == (1, 1)


def test_how_much_a_picked_channel_counts_for_its_sub_channels_is_a_knob(mixed_world, person, client_for, settings):
    """``FEED_PARENT_MATCH``: someone who picked 美食 gets 烘焙 / 家常菜 / 探店 posts as
    interest matches at 1.0, and only as exploration when it is under FEED_EXPLORE_MATCH."""

    def sources_of_sub_channel_posts(name: str) -> set[str]:
        viewer = client_for(person(name, ["food", "travel", "pets"]))
        results = viewer.get("/api/v1/feeds/discover/?size=20").json()["results"]
        return {r["source"] for r in results if r["post"]["channel"]["parent"] == "food"}

    # The pools are done with these posts, so the knob under test alone decides what is
    # exploration (a post under test is never explored).
    PoolEntry.objects.update(state=PoolEntry.State.STOPPED)
    settings.ENGINE = {**settings.ENGINE, "FEED_PARENT_MATCH": 1.0}
    served = sources_of_sub_channel_posts("foodie")
    assert served and "explore" not in served, served

    settings.ENGINE = {**settings.ENGINE, "FEED_PARENT_MATCH": 0.2}
    served = sources_of_sub_channel_posts("foodie2")
    assert served == {"explore"}, served


def test_a_new_post_by_an_author_people_liked_starts_ahead(settings):
    """A post nobody has rated yet is ranked on its author's record (the other posts of
    theirs among the candidates), not on the platform's average alone."""
    from datetime import timedelta

    from django.utils import timezone

    from feeds.engine.discover import Candidate, Profile, rank

    now = timezone.now()

    def post(pk, author, *, likes=0, impressions=0, age_hours=1.0):
        return Candidate(post_id=pk, author_id=author, channel_id=1, parent_channel_id=None, kind="note",
                         published_at=now - timedelta(hours=age_hours), impressions=impressions, likes=likes)

    older = [post(pk, 1, likes=15, impressions=100, age_hours=5) for pk in (1, 2, 3)]
    older += [post(pk, 2, likes=0, impressions=100, age_hours=5) for pk in (4, 5, 6)]
    good_new, poor_new = post(7, 1), post(8, 2, age_hours=0.5)  # the poor one is newer

    def order(k):
        ranked = rank([*older, good_new, poor_new], profile=Profile(), weights={}, now=now, k=k)
        return [c.post_id for c in ranked if c.post_id in (7, 8)]

    assert order(settings.ENGINE) == [7, 8]
    assert order({**settings.ENGINE, "FEED_AUTHOR_PRIOR_STRENGTH": 0}) == [8, 7]


def test_one_stray_like_does_not_make_a_channel_an_interest(mixed_world, person, client_for, committed):
    """Someone who picked 美食 / 旅行 / 萌宠 and liked one game post still gets game posts
    as exploration (or, while they are still under test in their base pool, held back for
    people they match: "reserve"); someone who saved and liked every game post gets them
    as interests."""
    _, posts = mixed_world
    games = [p for p in posts if p.channel.slug == "games"]

    def sources_of_games(viewer) -> set[str]:
        results = client_for(viewer).get("/api/v1/feeds/discover/?size=20").json()["results"]
        return {r["source"] for r in results if r["post"]["channel"]["slug"] == "games"}

    stray = person("stray", ["food", "travel", "pets"])
    with committed():
        content.like_create(user=stray, post=games[0])
    stray_sources = sources_of_games(stray)
    assert stray_sources and stray_sources <= {"explore", "reserve"}, stray_sources

    fan = person("fan", ["food", "travel", "pets"])
    with committed():
        for post in games:
            content.like_create(user=fan, post=post)
            content.favourite_create(user=fan, post=post)
    served = sources_of_games(fan)
    assert served and not served & {"explore", "reserve"}, served


def test_a_heavy_reader_gets_older_posts_instead_of_an_empty_feed(make_user, publish, person, client_for, settings):
    """Each source takes the top of a list (the newest posts of someone's channels …) and
    the seen filter drops what they read: someone who has read all of those gets the
    older posts of their channels next, then anything else unseen, not an empty feed."""
    settings.ENGINE = {**settings.ENGINE, "FEED_CANDIDATES_PER_SOURCE": 4, "FEED_BATCH_SIZE": 4}
    cooks = [make_user(f"cook{i}") for i in range(4)]
    food = {publish(cooks[i % 4], slug).pk for i, slug in enumerate(["food", "baking", "home-cooking", "restaurants"] * 3)}
    games = publish(make_user("gamer"), "games").pk
    # The pools are done with every post: only the interest source brings them.
    PoolEntry.objects.update(state=PoolEntry.State.HOT, tier=5)
    rebuild_redis()
    viewer = client_for(person("reader", ["food", "travel", "pets"]))
    shown: list[int] = []
    for _ in range(4):  # four visits (new sessions) of one page each
        shown += ids_of(viewer.get("/api/v1/feeds/discover/?size=4"))
    assert len(shown) == len(set(shown)) == 13
    assert set(shown) == food | {games}
    assert set(shown[:12]) == food, "the reader's channel first, however old"


@pytest.mark.parametrize("lift", [True, False])
def test_someone_who_liked_beginners_baking_gets_more_of_it_than_other_baking(
    lift, make_user, publish, person, client_for, committed, settings
):
    """Inside a channel someone follows, what they liked decides which of its posts come
    first: after liking two 烘焙新手 posts, the other 烘焙 posts on their next page are
    烘焙新手 ones, though the 烘焙进阶 ones are newer and each baker wrote one of each.
    Without the tag lift (``FEED_TAG_LIFT_PRIOR`` 0) 烘焙进阶 posts come too (the liked
    bakers' other posts, ahead on their authors' record)."""
    # Five of a channel a page: room for the two liked posts (served again, well liked) and three more.
    settings.ENGINE = {**settings.ENGINE, "FEED_MAX_PER_CHANNEL": 5, "FEED_TAG_LIFT_PRIOR": 0.1 if lift else 0}
    bakers = [make_user(f"baker{i}") for i in range(8)]
    beginners = {publish(b, "baking", tags=["烘焙", "烘焙新手"]).pk for b in bakers}
    advanced = {publish(b, "baking", tags=["烘焙", "烘焙进阶"]).pk for b in bakers}
    others = [publish(make_user(f"cook{i}"), slug) for i, slug in enumerate(["restaurants", "home-cooking"] * 3)]
    assert others
    # The pools are done with every post: the ranking alone orders them.
    PoolEntry.objects.update(state=PoolEntry.State.HOT, tier=5)
    rebuild_redis()
    reader = person("learner", ["food", "travel", "pets"])
    liked = sorted(beginners)[:2]
    with committed():
        for pk in liked:
            content.like_create(user=reader, post=Post.objects.get(pk=pk))
    shown = ids_of(client_for(reader).get("/api/v1/feeds/discover/?size=8"))
    baking = [pk for pk in shown if pk in beginners | advanced and pk not in liked]
    if lift:
        assert len(baking) == 3 and set(baking) <= beginners, ("the topic they liked first", shown)
    else:
        assert set(baking) & advanced, ("all alike to the ranking", shown)


def test_a_word_in_a_liked_posts_text_does_not_lift_other_posts(settings):
    """The tag lift reads the tags authors gave, not the words extracted from a text: two
    baking posts alike in every measure, the one with the author tag the user engaged with
    comes first; one that merely shares an extracted word with what they liked does not
    come before the other, and a channel whose posts all carry the liked tag is left as
    ranked."""
    from django.utils import timezone

    from feeds.engine.discover import Candidate, Profile, rank

    now = timezone.now()
    beginners, word, other = 11, 12, 13  # tag ids: 烘焙新手 (author), 酸面包 (extracted), 烘焙进阶

    def post(pk, channel, tags=(), authors=()):
        return Candidate(post_id=pk, author_id=pk, channel_id=channel, parent_channel_id=None, kind="note",
                         published_at=now, impressions=100, likes=10, tag_ids=tags, author_tag_ids=authors)

    profile = Profile.from_scores(channels={1: 10.0, 2: 10.0}, tags={beginners: 2.0, word: 2.0})
    baking = [post(1, 1, (other,), (other,)), post(2, 1, (beginners,), (beginners,)),
              post(3, 1, (word, other), (other,))]
    food = [post(4, 2, (beginners,), (beginners,)), post(5, 2, (beginners,), (beginners,))]
    def scores(k):
        return {c.post_id: c.score for c in rank([*baking, *food], profile=profile, weights={}, now=now, k=k)}

    lifted, plain = scores(settings.ENGINE), scores({**settings.ENGINE, "FEED_TAG_LIFT_PRIOR": 0})
    assert len(set(plain.values())) == 1, "alike to the ranking without the lift"
    assert lifted[2] > plain[2] and lifted[1] == lifted[3] < plain[1], lifted
    assert lifted[4] == lifted[5] == plain[4], "every food post carries the liked tag: no lift"


def test_a_new_post_waiting_for_its_verdict_is_served_when_promoted_posts_crowd_its_channel(
    make_user, publish, person, client_for, settings
):
    """The pool sets list a channel's active posts of every tier; a promoted post wants
    thousands of impressions, a new one a base quota. Read by how much they still want,
    the promoted posts filled the top the pool source takes, and a new post older than a
    channel's newest few was never found: it waited for a verdict no one could give."""
    settings.ENGINE = {**settings.ENGINE, "FEED_CANDIDATES_PER_SOURCE": 8, "FEED_BATCH_SIZE": 20}
    waiting = publish(make_user("newcomer"), "baking")
    cooks = [make_user(f"cook{i}") for i in range(5)]
    crowd = [publish(cooks[i % 5], slug) for i, slug in enumerate(["food", "home-cooking", "restaurants"] * 8)]
    PoolEntry.objects.filter(post__in=crowd).update(tier=2, quota=5000)
    rebuild_redis()
    results = client_for(person("foodie", ["food", "travel", "pets"])).get("/api/v1/feeds/discover/?size=10").json()
    served = {r["post"]["id"]: r["source"] for r in results["results"]}
    assert served.get(waiting.pk) == "pool", served
    entry = PoolEntry.objects.get(post=waiting)
    assert (entry.tier, entry.state) == (0, PoolEntry.State.ACTIVE)


def test_a_visitor_gets_the_cold_start_of_varied_channels(mixed_world, api):
    results = api.get("/api/v1/feeds/discover/?size=12").json()["results"]
    assert len(results) == 12
    assert len({top_slug(r["post"]) for r in results}) >= 5


def test_serving_a_page_records_impressions_that_fill_the_pools(mixed_world, person, client_for):
    from content.models import Event
    from feeds.services.pools import pools_evaluate

    viewer = client_for(person("filler", ["food", "tech", "games"]))
    served = ids_of(viewer.get("/api/v1/feeds/discover/?size=10"))
    assert Event.objects.filter(kind="impression", post_id__in=served, source="discover").count() == 10
    # Fetching the same page again is not counted twice.
    viewer.get("/api/v1/feeds/discover/?size=10")
    assert Event.objects.filter(kind="impression", post_id__in=served).count() == 10
    pools_evaluate()
    post = Post.objects.select_related("pool").get(pk=served[0])
    assert post.pool.impressions_in_tier == 1


def test_low_quality_posts_are_never_recommended(mixed_world, make_user, person, client_for, committed, image_file):
    author = make_user("spammer")
    with committed():
        junk = content.post_create(author=author, kind="note", channel=Channel.objects.get(slug="food"),
                                   title="", body="好", tags=[], images=[image_file()])
    assert junk.pool.state == "not_entered"
    viewer = client_for(person("careful", ["food", "tech", "games"]))
    shown = []
    url = "/api/v1/feeds/discover/?size=20"
    while url:
        body = viewer.get(url).json()
        shown += [r["post"]["id"] for r in body["results"]]
        url = body["next"]
    assert junk.pk not in shown
    assert junk.pk not in ids_of(viewer.get("/api/v1/feeds/channels/food/?size=50"))


def test_a_bad_cursor_or_size_is_a_clear_400(api):
    response = api.get("/api/v1/feeds/discover/?cursor=not-a-cursor")
    assert response.status_code == 400
    assert "cursor" in response.json()["detail"]
    response = api.get("/api/v1/feeds/discover/?size=500")
    assert response.status_code == 400 and "size" in response.json()["detail"]
    hot_cursor = api.get("/api/v1/feeds/hot/?size=1").json()["next_cursor"]
    if hot_cursor:  # a cursor of another feed is refused too
        assert api.get(f"/api/v1/feeds/discover/?cursor={hot_cursor}").status_code == 400


@pytest.mark.parametrize("n_posts", [8, 40])
def test_a_feed_page_costs_a_constant_number_of_queries(
    n_posts, make_user, publish, person, client_for, django_assert_num_queries
):
    """The exact counts, the same for 8 posts as for 40: one more query on any page is a
    regression to look at (or a count to update, on purpose)."""
    authors = [make_user(f"w{i}") for i in range(8)]
    slugs = ["food", "baking", "tech", "games", "music", "film", "pets", "travel"]
    for i in range(n_posts):
        publish(authors[i % 8], slugs[i % 8])
    viewer = person("counter", ["food", "tech", "games"])
    client = client_for(viewer)
    hot_and_trending_recompute()
    # The token; blocks, not-interested marks, channels and the profile; the corpus size
    # and likes; the candidate sources (recent, older, pools, authors); live boosts; the
    # impressions (a savepoint around one INSERT); the viewer's likes and the cards
    # (posts, images, tags); which learned model is in use (its pointer in Redis, read
    # from the database when Redis has none: here, after the test's flush).
    with django_assert_num_queries(22):
        first = client.get("/api/v1/feeds/discover/?size=20").json()
    assert bool(first["next"]) == (n_posts > 20)
    if first["next"]:
        # The next batch comes from the session kept in Redis: no sources again; the
        # live boosts this process read for the first page are reused (BOOST_LIVE_CACHE_SECONDS).
        with django_assert_num_queries(9):
            client.get(first["next"])
    with django_assert_num_queries(4):
        client.get("/api/v1/feeds/follow/?size=20")
    with django_assert_num_queries(1):
        client.get("/api/v1/feeds/nearby/?lat=31.2&lng=121.4&size=20")
    with django_assert_num_queries(2):
        client.get("/api/v1/feeds/hot/?size=20")
    with django_assert_num_queries(10):
        client.get("/api/v1/feeds/channels/food/?size=20")


# ---------------------------------------------------------------- follow
def test_the_follow_feed_is_newest_first_and_pages_by_keyset(make_user, publish, client_for, committed):
    me = make_user("fan")
    stars = [make_user(f"star{i}") for i in range(3)]
    for star in stars:
        with committed():
            accounts.follow_create(follower=me, followee=star)
    stranger = make_user("stranger")
    posts = [publish(stars[i % 3], "food") for i in range(9)]
    publish(stranger, "food")
    client = client_for(me)
    got, url = [], "/api/v1/feeds/follow/?size=4"
    while url:
        body = client.get(url).json()
        got += [r["post"]["id"] for r in body["results"]]
        url = body["next"]
    assert got == [p.pk for p in reversed(posts)]


def test_the_follow_feed_needs_an_account(api):
    response = api.get("/api/v1/feeds/follow/")
    assert response.status_code in (401, 403)
    assert response.json()["detail"]


def test_unfollowing_takes_an_authors_posts_out_of_the_follow_feed(make_user, publish, client_for, committed):
    me, star = make_user("ex-fan"), make_user("ex-star")
    with committed():
        accounts.follow_create(follower=me, followee=star)
    post = publish(star, "music")
    client = client_for(me)
    assert ids_of(client.get("/api/v1/feeds/follow/")) == [post.pk]  # warms the inbox
    with committed():
        accounts.follow_delete(follower=me, followee=star)
    assert ids_of(client.get("/api/v1/feeds/follow/")) == []
    with committed():
        accounts.follow_create(follower=me, followee=star)
    assert ids_of(client.get("/api/v1/feeds/follow/")) == [post.pk]


def test_a_very_large_account_is_merged_at_read_time(settings, make_user, publish, client_for, committed, redis_conn):
    settings.ENGINE = {**settings.ENGINE, "FANOUT_MAX_FOLLOWERS": 1}
    me, other_fan = make_user("me"), make_user("other-fan")
    celebrity, friend = make_user("celebrity"), make_user("friend")
    with committed():
        accounts.follow_create(follower=me, followee=celebrity)
        accounts.follow_create(follower=other_fan, followee=celebrity)
        accounts.follow_create(follower=me, followee=friend)
    client = client_for(me)
    client.get("/api/v1/feeds/follow/")  # the inbox exists from now on
    from feeds.services.follow import fanout

    big = publish(celebrity, "film")
    small = publish(friend, "film")
    fanout(big.pk)
    fanout(small.pk)
    inbox = {int(m) for m in redis_conn.zrange(f"fd:inbox:{me.pk}", 0, -1)}
    assert small.pk in inbox and big.pk not in inbox  # no fan-out for the large account
    assert ids_of(client.get("/api/v1/feeds/follow/")) == [small.pk, big.pk]


def test_a_limited_post_stays_in_the_follow_feed_but_leaves_discover(make_user, publish, person, client_for):
    fan = make_user("loyal")
    author = make_user("limited-author")
    accounts.follow_create(follower=fan, followee=author)
    post = publish(author, "food")
    Post.objects.filter(pk=post.pk).update(status=Post.Status.LIMITED)
    assert post.pk in [p.pk for p in follow_page(fan).posts]
    viewer = client_for(person("stranger2", ["food", "tech", "games"]))
    assert post.pk not in ids_of(viewer.get("/api/v1/feeds/discover/?size=50"))
    assert post.pk not in ids_of(viewer.get("/api/v1/feeds/channels/food/?size=50"))


# ---------------------------------------------------------------- limited / removed everywhere
def test_limited_or_removed_posts_never_appear_in_any_recommending_feed(make_user, publish, person, client_for):
    author = make_user("placed")
    fan = person("fan2", ["food", "tech", "games"])
    accounts.follow_create(follower=fan, followee=author)
    kept = publish(author, "food", place_name="外滩", lat=31.2400, lng=121.4900)
    limited = publish(author, "food", place_name="外滩", lat=31.2401, lng=121.4901)
    removed = publish(author, "food", place_name="外滩", lat=31.2402, lng=121.4902)
    Post.objects.filter(pk=limited.pk).update(status=Post.Status.LIMITED)
    Post.objects.filter(pk=removed.pk).update(status=Post.Status.REMOVED)
    hot_and_trending_recompute()
    client = client_for(fan)
    feeds = {
        "discover": "/api/v1/feeds/discover/?size=50",
        "nearby": "/api/v1/feeds/nearby/?lat=31.24&lng=121.49&size=50",
        "channel": "/api/v1/feeds/channels/food/?size=50",
        "hot": "/api/v1/feeds/hot/?size=50",
        "follow": "/api/v1/feeds/follow/?size=50",
    }
    for name, url in feeds.items():
        shown = ids_of(client.get(url))
        assert removed.pk not in shown, name
        if name != "follow":
            assert limited.pk not in shown, name
    # The follow feed keeps the limited post (限流 hides it from recommendations only).
    follow = ids_of(client.get(feeds["follow"]))
    assert kept.pk in follow and limited.pk in follow


# ---------------------------------------------------------------- nearby
def test_nearby_orders_posts_at_known_coordinates_by_distance(make_user, publish, client_for, person):
    author = make_user("traveller")
    # From People's Square, Shanghai: ~1 km, ~5 km, ~30 km, Hangzhou ~165 km, Beijing ~1070 km.
    spots = [
        ("北京", 39.9042, 116.4074),
        ("外滩", 31.2400, 121.4900),
        ("杭州", 30.2741, 120.1551),
        ("徐家汇", 31.1950, 121.4370),
        ("嘉定", 31.3833, 121.2500),
    ]
    posts = {name: publish(author, "travel", place_name=name, lat=lat, lng=lng) for name, lat, lng in spots}
    home_author = make_user("local", home_place="静安", home_lat=31.2290, home_lng=121.4480)
    no_place = publish(home_author, "food")  # placed at its author's home when published
    viewer = client_for(person("walker", ["travel", "food", "pets"]))
    body = viewer.get("/api/v1/feeds/nearby/?lat=31.2304&lng=121.4737&size=10").json()
    order = [r["post"]["id"] for r in body["results"]]
    # 外滩 ~1.9 km, then the post placed at its author's home in 静安 ~2.4 km, 徐家汇 ~5 km …
    expected = [posts["外滩"].pk, no_place.pk] + [posts[n].pk for n in ["徐家汇", "嘉定", "杭州", "北京"]]
    assert order == expected
    distances = [r["distance_km"] for r in body["results"]]
    assert distances == sorted(distances)
    assert distances[0] == pytest.approx(1.9, abs=0.3)  # 外滩
    assert distances[1] == pytest.approx(2.4, abs=0.3)  # 静安 (the author's home)
    assert distances[-1] == pytest.approx(1067, rel=0.02)  # 北京


def test_nearby_pages_widen_the_radius_without_repeats(make_user, publish, client_for):
    author = make_user("walker2")
    made = [publish(author, "travel", place_name=f"点{i}", lat=31.23 + i * 0.01, lng=121.47) for i in range(12)]
    client = client_for(make_user("pager2"))
    got, url = [], "/api/v1/feeds/nearby/?lat=31.23&lng=121.47&size=5"
    while url:
        body = client.get(url).json()
        got += [r["post"]["id"] for r in body["results"]]
        url = body["next"]
    assert got == [p.pk for p in made]


def test_nearby_pages_over_many_posts_at_one_spot_ask_redis_a_few_times_and_skip_none(
    make_user, publish, client_for, redis_conn, settings
):
    # Forty-five posts at one identical point (a shop, a campus) and ten further out:
    # Redis orders equal distances as it likes, so a full reply is read again at the
    # same radius (never widened), and a page starts at the radius the last one reached.
    authors = [make_user(f"shop{i}") for i in range(5)]
    made = {publish(authors[i % 5], "food", place_name="同一家店", lat=31.2304, lng=121.4737).pk for i in range(45)}
    made |= {publish(authors[i % 5], "travel", place_name=f"远{i}", lat=31.26 + i * 0.03, lng=121.47).pk for i in range(10)}
    client = client_for(make_user("regular"))
    got, calls, url = [], [], "/api/v1/feeds/nearby/?lat=31.2304&lng=121.4737&size=10"
    while url:
        redis_conn.config_resetstat()
        body = client.get(url).json()
        calls.append(redis_conn.info("commandstats").get("cmdstat_geosearch", {}).get("calls", 0))
        assert body["fallback"] is False
        got += [r["post"]["id"] for r in body["results"]]
        url = body["next"]
    assert sorted(got) == sorted(made) and len(got) == len(made)
    # About two searches a page, and the radii walked out once over the whole scroll
    # (the last pages look as far as the world goes to know nothing is left).
    assert sum(calls) <= 2 * len(calls) + len(settings.ENGINE["NEARBY_RADII_KM"]), calls


def test_discover_nearby_source_widens_only_when_a_nearer_search_is_short(
    make_user, publish, redis_conn, settings
):
    # The source wants the nearest ``n // 4`` posts within FEED_NEARBY_KM of home: a full
    # reply at a small radius already holds them, so a dense city costs one search of a
    # few streets instead of sorting the whole city; a sparse place widens step by step.
    from feeds.services.discover import Scope, Tree, _redis_sources, nearby_radii

    settings.ENGINE = {**settings.ENGINE, "FEED_CANDIDATES_PER_SOURCE": 8, "FEED_NEARBY_KM": 50}
    assert nearby_radii(settings.ENGINE) == [2, 10, 50]
    author = make_user("shops")
    close = {publish(author, "food", place_name=f"店{i}", lat=31.2304 + i * 0.001, lng=121.4737).pk for i in range(3)}
    far = publish(author, "travel", place_name="远郊", lat=31.2304 + 0.27, lng=121.4737).pk  # ~30 km north
    beyond = publish(author, "travel", place_name="苏州", lat=31.2990, lng=120.5853).pk  # ~85 km west

    def nearby_source(user):
        redis_conn.config_resetstat()
        found = _redis_sources(user.pk, user, Scope("discover"), Tree.load(), [], [], settings.ENGINE)
        calls = redis_conn.info("commandstats").get("cmdstat_geosearch", {}).get("calls", 0)
        return {pid for pid, labels in found.items() if "nearby" in labels}, calls

    local = make_user("local2", home_place="人民广场", home_lat=31.2304, home_lng=121.4737)
    assert nearby_source(local) == (set(list(sorted(close))[:2]), 1)  # full at 2 km: one search
    lonely = make_user("lonely", home_place="崇明", home_lat=31.2304 + 0.5, home_lng=121.4737)  # ~55 km north
    got, calls = nearby_source(lonely)
    assert calls == 3 and far in got and beyond not in got  # 2, 10 then 50 km


@pytest.mark.parametrize(
    "query", ["lat=91&lng=0", "lat=0&lng=181", "lat=abc&lng=1", "lat=31.2", ""]
)
def test_nearby_refuses_a_bad_location_with_400(query, api):
    response = api.get(f"/api/v1/feeds/nearby/?{query}")
    assert response.status_code == 400
    assert "lat" in response.json()["detail"] or "location" in response.json()["detail"]


# ---------------------------------------------------------------- channel and hot
def test_a_channel_feed_holds_the_channel_and_its_sub_channels(mixed_world, api):
    shown = api.get("/api/v1/feeds/channels/food/?size=50").json()["results"]
    assert len(shown) == 16
    assert {r["post"]["channel"]["slug"] for r in shown} == FOOD
    assert api.get("/api/v1/feeds/channels/no-such-channel/").status_code == 404


def test_the_hot_feed_follows_the_hot_list_and_trending_topics_are_listed(make_user, publish, client_for, api):
    author, fans = make_user("popular"), [make_user(f"fan{i}") for i in range(6)]
    quiet = publish(author, "music", tags=["民谣"])
    loud = publish(author, "music", tags=["民谣"])
    for fan in fans:
        content.like_create(user=fan, post=loud)
        content.comment_create(user=fan, post=loud, body="好听")
    content.like_create(user=fans[0], post=quiet)
    hot_and_trending_recompute()
    assert ids_of(api.get("/api/v1/feeds/hot/"))[:2] == [loud.pk, quiet.pk]
    assert ids_of(api.get("/api/v1/feeds/hot/?channel=music"))[:2] == [loud.pk, quiet.pk]
    assert api.get("/api/v1/feeds/hot/?channel=nope").status_code == 400
    trending = api.get("/api/v1/trending/").json()
    assert trending[0]["tag"] == "民谣"


# ---------------------------------------------------------------- co-engagement
def test_people_who_liked_what_you_liked_bring_their_other_likes(make_user, publish, person, client_for):
    from feeds.services.coengagement import coengagement_recompute

    author = make_user("maker")
    shared = publish(author, "games")
    hidden_gem = publish(author, "film")  # outside the viewer's interests
    others = [make_user(f"twin{i}") for i in range(3)]
    for other in others:
        content.like_create(user=other, post=shared)
        content.like_create(user=other, post=hidden_gem)
    me = person("me2", ["games", "tech", "music"])
    content.like_create(user=me, post=shared)
    assert coengagement_recompute() >= 1
    body = client_for(me).get("/api/v1/feeds/discover/?size=20").json()
    sources = {r["post"]["id"]: r["source"] for r in body["results"]}
    assert hidden_gem.pk in sources


def test_a_co_engagement_set_older_than_its_window_is_not_read(make_user, publish, person):
    """A set computed more than ``COENGAGEMENT_DAYS`` ago by the application's clock is
    left unread, though Redis still holds it: its expiry follows the server's clock,
    which a replay in simulated time never moves. Recomputed, it is read again."""
    from feeds.knobs import knobs
    from feeds.services.coengagement import coengagement_recompute
    from feeds.services.discover import DISCOVER, Scope, Tree, _redis_sources

    author = make_user("maker")
    shared, gem = publish(author, "games"), publish(author, "film")
    for other in [make_user(f"twin{i}") for i in range(3)]:
        content.like_create(user=other, post=shared)
        content.like_create(user=other, post=gem)
    me = person("me3", ["games", "tech", "music"])
    content.like_create(user=me, post=shared)
    k = knobs()

    def brought_by_co() -> set[int]:
        found = _redis_sources(me.pk, me, Scope(DISCOVER), Tree.load(), [], [shared.pk], k)
        return {pid for pid, labels in found.items() if "co" in labels}

    window = timedelta(days=k["COENGAGEMENT_DAYS"])
    assert coengagement_recompute(now=timezone.now() - window - timedelta(hours=1)) >= 1
    assert stores.redis().exists(stores.co_key(shared.pk))
    assert gem.pk not in brought_by_co()
    assert coengagement_recompute() >= 1
    assert gem.pk in brought_by_co()


def test_a_tag_on_nearly_every_post_does_not_make_every_post_an_interest(
    make_user, publish, person, client_for, committed, settings
):
    """Someone who liked and saved every 美食 post, all tagged 日常 like every post on the
    platform, does not get game posts as interests for sharing that tag: a tag on most
    posts says nothing about a post (``FEED_TAG_SPECIFIC_SHARE``). Counted as specific
    (the share at 1), the same tag pulls the game posts in as interests."""
    # A tiny world: count its tags as a large one would.
    settings.ENGINE = {**settings.ENGINE, "FEED_TAG_CORPUS_FLOOR": 1}
    authors = [make_user(f"author{i}") for i in range(6)]
    food = [publish(authors[i % 6], "food", tags=["日常", f"菜{i}"]) for i in range(6)]
    games = [publish(authors[(i + 3) % 6], "games", tags=["日常", f"关卡{i}"]) for i in range(4)]
    # The pools are done with the game posts, so they may be explored (under test they
    # would be held back), and the tag rule alone decides how they are served.
    PoolEntry.objects.filter(post__in=games).update(state=PoolEntry.State.STOPPED)

    def sources_of_games(name: str) -> set[str]:
        fan = person(name, ["food", "travel", "pets"])
        with committed():
            for post in food:
                content.like_create(user=fan, post=post)
                content.favourite_create(user=fan, post=post)
        results = client_for(fan).get("/api/v1/feeds/discover/?size=20").json()["results"]
        ids = {p.pk for p in games}
        return {r["source"] for r in results if r["post"]["id"] in ids}

    assert sources_of_games("foodie") == {"explore"}
    settings.ENGINE = {**settings.ENGINE, "FEED_TAG_SPECIFIC_SHARE": 1.0}
    served = sources_of_games("foodie2")
    assert served and "explore" not in served, served
