"""Likes, saves, shares, comments, reports, "not interested" and view events via the API."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from accounts.models import User
from content import services
from content.models import Comment, Event, Favourite, Like, NotInterested, Post, Report

pytestmark = pytest.mark.django_db

POSTS = "/api/v1/posts/"
EVENTS = "/api/v1/events/"
NOT_INTERESTED = "/api/v1/not-interested/"


def url(post, action: str = "") -> str:
    return f"{POSTS}{post.pk}/{action + '/' if action else ''}"


def counts(client, post) -> dict:
    response = client.get(url(post))
    assert response.status_code == 200
    return response.json()["counts"]


def fresh(post) -> Post:
    return Post.objects.get(pk=post.pk)


# ---------------------------------------------------------------- likes and saves
def test_liking_and_unliking_a_post(make_user, make_post, client_for):
    post = make_post()
    fan = make_user("fan")
    client = client_for(fan)

    liked = client.post(url(post, "like"))
    assert liked.status_code == 200
    assert liked.json() == {"changed": True, "count": 1}
    detail = client.get(url(post)).json()
    assert detail["counts"]["likes"] == 1
    assert detail["viewer"]["liked"] is True
    assert Event.objects.filter(post=post, user=fan, kind="like").count() == 1

    unliked = client.delete(url(post, "like"))
    assert unliked.json() == {"changed": True, "count": 0}
    detail = client.get(url(post)).json()
    assert detail["counts"]["likes"] == 0
    assert detail["viewer"]["liked"] is False
    assert not Like.objects.exists()

    again = client.delete(url(post, "like"))
    assert again.json() == {"changed": False, "count": 0}


def test_liking_twice_counts_once(make_user, make_post, client_for):
    post = make_post()
    client = client_for(make_user())
    client.post(url(post, "like"))

    second = client.post(url(post, "like"))

    assert second.status_code == 200
    assert second.json() == {"changed": False, "count": 1}
    assert fresh(post).like_count == 1
    assert Like.objects.count() == 1
    assert Event.objects.filter(kind="like").count() == 1


def test_likes_from_different_people_add_up(make_user, make_post, client_for, api):
    post = make_post()
    for name in ("a1", "a2", "a3"):
        client_for(make_user(name)).post(url(post, "like"))

    assert counts(api, post)["likes"] == 3
    assert api.get(url(post)).json()["viewer"]["liked"] is False


def test_an_anonymous_visitor_cannot_like(api, make_post):
    post = make_post()
    assert api.post(url(post, "like")).status_code == 401
    assert fresh(post).like_count == 0


def test_saving_a_post_and_unsaving_it(make_user, make_post, client_for):
    post = make_post()
    client = client_for(make_user())

    first = client.post(url(post, "favourite"))
    second = client.post(url(post, "favourite"))

    assert first.json() == {"changed": True, "count": 1}
    assert second.json() == {"changed": False, "count": 1}
    detail = client.get(url(post)).json()
    assert detail["counts"]["favourites"] == 1
    assert detail["viewer"]["favourited"] is True
    assert Favourite.objects.count() == 1

    removed = client.delete(url(post, "favourite"))
    assert removed.json() == {"changed": True, "count": 0}
    assert fresh(post).favourite_count == 0
    assert client.delete(url(post, "favourite")).json() == {"changed": False, "count": 0}


def test_shares_count_once_per_person(make_user, make_post, client_for):
    post = make_post()
    client = client_for(make_user())

    first = client.post(url(post, "share"), {"target": "wechat"}, format="json")
    second = client.post(url(post, "share"), {}, format="json")
    other = client_for(make_user()).post(url(post, "share"), {}, format="json")

    assert first.status_code == second.status_code == other.status_code == 200
    assert first.json() == {"changed": True, "count": 1}
    assert second.json() == {"changed": False, "count": 1}
    assert other.json() == {"changed": True, "count": 2}
    assert counts(client, post)["shares"] == 2
    assert sorted(Event.objects.filter(kind="share").values_list("source", flat=True)) == ["link", "link", "wechat"]


def test_sharing_to_an_unknown_place_is_refused(make_user, make_post, client_for):
    post = make_post()
    response = client_for(make_user()).post(url(post, "share"), {"target": "myspace"}, format="json")
    assert response.status_code == 400
    assert fresh(post).share_count == 0


# ---------------------------------------------------------------- comments
def test_commenting_and_replying_stays_one_level_deep(make_user, make_post, client_for, api):
    post = make_post()
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")

    top = client_for(alice).post(url(post, "comments"), {"body": "看起来好好喝"}, format="json")
    assert top.status_code == 201
    top_id = top.json()["id"]
    assert top.json()["author"]["username"] == "alice"
    assert top.json()["parent"] is None

    reply = client_for(bob).post(url(post, "comments"), {"body": "在哪里？", "parent": top_id}, format="json")
    assert reply.status_code == 201
    assert reply.json()["parent"] == top_id

    reply_to_reply = client_for(carol).post(
        url(post, "comments"), {"body": "徐汇区", "parent": reply.json()["id"]}, format="json"
    )
    assert reply_to_reply.status_code == 201
    assert reply_to_reply.json()["parent"] == top_id

    listed = api.get(url(post, "comments"))
    assert listed.status_code == 200
    assert [c["id"] for c in listed.json()] == [top_id]
    assert [r["body"] for r in listed.json()[0]["replies"]] == ["在哪里？", "徐汇区"]
    assert [r["author"]["username"] for r in listed.json()[0]["replies"]] == ["bob", "carol"]

    assert counts(api, post)["comments"] == 3


def test_an_anonymous_visitor_reads_comments_but_cannot_write_one(api, make_post):
    post = make_post()

    assert api.get(url(post, "comments")).json() == []
    response = api.post(url(post, "comments"), {"body": "匿名"}, format="json")

    assert response.status_code == 401
    assert not Comment.objects.exists()
    assert fresh(post).comment_count == 0


def test_an_empty_comment_or_a_foreign_parent_is_refused(make_user, make_post, client_for):
    post, other = make_post(), make_post()
    client = client_for(make_user())
    elsewhere = client.post(url(other, "comments"), {"body": "别的帖子"}, format="json").json()["id"]

    blank = client.post(url(post, "comments"), {"body": "   "}, format="json")
    foreign = client.post(url(post, "comments"), {"body": "回复", "parent": elsewhere}, format="json")

    assert blank.status_code == 400
    assert foreign.status_code == 404  # a reply to a comment this post does not hold
    assert not Comment.objects.filter(post=post).exists()
    assert fresh(post).comment_count == 0


def test_deleting_comments_who_may_and_who_may_not(make_user, make_post, client_for):
    author = make_user("author")
    post = make_post(author)
    commenter, stranger = make_user("commenter"), make_user("stranger")
    top = client_for(commenter).post(url(post, "comments"), {"body": "第一"}, format="json").json()["id"]
    client_for(stranger).post(url(post, "comments"), {"body": "回复", "parent": top}, format="json")
    own = client_for(stranger).post(url(post, "comments"), {"body": "我自己的"}, format="json").json()["id"]
    assert fresh(post).comment_count == 3

    refused = client_for(stranger).delete(f"/api/v1/comments/{top}/")
    assert refused.status_code == 404
    assert Comment.objects.filter(pk=top).exists()
    assert fresh(post).comment_count == 3

    by_post_author = client_for(author).delete(f"/api/v1/comments/{top}/")
    assert by_post_author.status_code == 204
    assert not Comment.objects.filter(pk=top).exists()
    assert fresh(post).comment_count == 1  # the top comment and its reply went

    by_its_author = client_for(stranger).delete(f"/api/v1/comments/{own}/")
    assert by_its_author.status_code == 204
    assert fresh(post).comment_count == 0
    assert not Comment.objects.exists()


# ---------------------------------------------------------------- reports
def test_reporting_a_post_once(make_user, make_post, client_for):
    post = make_post()
    client = client_for(make_user())

    first = client.post(url(post, "report"), {"reason": "spam", "detail": "广告"}, format="json")
    second = client.post(url(post, "report"), {"reason": "abuse"}, format="json")

    assert first.status_code == 201
    assert first.json() == {"changed": True}
    assert second.status_code == 200
    assert second.json() == {"changed": False}
    assert fresh(post).report_count == 1
    report = Report.objects.get()
    assert (report.reason, report.detail) == ("spam", "广告")


def test_nobody_can_report_their_own_post(make_user, make_post, client_for):
    author = make_user()
    post = make_post(author)

    response = client_for(author).post(url(post, "report"), {"reason": "spam"}, format="json")

    assert response.status_code == 400
    assert fresh(post).report_count == 0
    assert not Report.objects.exists()


def test_a_report_with_an_unknown_reason_is_refused(make_user, make_post, client_for):
    post = make_post()

    response = client_for(make_user()).post(url(post, "report"), {"reason": "boring"}, format="json")

    assert response.status_code == 400
    assert "reason" in response.json()["errors"]
    assert fresh(post).report_count == 0
    assert not Report.objects.exists()


# ---------------------------------------------------------------- not interested
def test_saying_not_interested_in_a_post_an_author_and_a_tag(make_user, make_post, client_for):
    bob = make_user("bob")
    post = make_post(bob)
    me = make_user("me")
    client = client_for(me)

    in_post = client.post(NOT_INTERESTED, {"kind": "post", "post": post.pk}, format="json")
    in_author = client.post(NOT_INTERESTED, {"kind": "author", "author": "bob"}, format="json")
    in_tag = client.post(NOT_INTERESTED, {"kind": "tag", "tag": "咖啡"}, format="json")
    again = client.post(NOT_INTERESTED, {"kind": "post", "post": post.pk}, format="json")

    assert [r.status_code for r in (in_post, in_author, in_tag)] == [201, 201, 201]
    assert in_post.json() == {"changed": True}
    assert again.status_code == 200
    assert again.json() == {"changed": False}
    assert Event.objects.filter(kind="not_interested", post=post, user=me).count() == 1

    listed = client.get(NOT_INTERESTED)
    assert listed.status_code == 200
    rows = {r["kind"]: r for r in listed.json()["results"]}
    assert set(rows) == {"post", "author", "tag"}
    assert rows["post"]["post"] == post.pk
    assert rows["author"]["author"] == "bob"
    assert rows["tag"]["tag"] == "咖啡"

    assert client_for(bob).get(NOT_INTERESTED).json()["results"] == []
    assert client_for(bob).delete(f"{NOT_INTERESTED}{rows['tag']['id']}/").status_code == 404

    removed = client.delete(f"{NOT_INTERESTED}{rows['tag']['id']}/")
    assert removed.status_code == 204
    assert client.delete(f"{NOT_INTERESTED}{rows['tag']['id']}/").status_code == 404
    assert sorted(r["kind"] for r in client.get(NOT_INTERESTED).json()["results"]) == ["author", "post"]


@pytest.mark.parametrize(
    "payload",
    [
        {"kind": "post"},
        {"kind": "author"},
        {"kind": "tag"},
        {"kind": "post", "post": 999_999},
        {"kind": "author", "author": "nobody-by-that-name"},
        {"kind": "tag", "tag": "没有这个话题"},
        {"kind": "mood", "post": 1},
    ],
)
def test_not_interested_needs_an_existing_target(make_user, make_post, client_for, payload):
    make_post()
    client = client_for(make_user())

    response = client.post(NOT_INTERESTED, payload, format="json")

    assert response.status_code == 400
    assert not NotInterested.objects.exists()


def test_not_interested_in_myself_is_refused(make_user, client_for):
    make_user("me")
    response = client_for(User.objects.get(username="me")).post(
        NOT_INTERESTED, {"kind": "author", "author": "me"}, format="json"
    )
    assert response.status_code == 400
    assert not NotInterested.objects.exists()


# ---------------------------------------------------------------- view events
def test_a_batch_of_view_events_is_stored_and_counted_once_per_person(make_user, make_post, client_for):
    post, other = make_post(), make_post()
    viewer = make_user("viewer")

    response = client_for(viewer).post(
        EVENTS,
        {
            "events": [
                {"post": post.pk, "seconds": 12.5, "completed": True, "source": "discover"},
                {"post": post.pk, "seconds": 3},
                {"post": other.pk, "seconds": 0.5, "completed": False},
            ]
        },
        format="json",
    )

    assert response.status_code == 202
    assert response.json() == {"changed": True, "count": 3}
    assert fresh(post).view_count == 1
    assert fresh(other).view_count == 1
    views = Event.objects.filter(kind="view", user=viewer, post=post).order_by("id")
    assert [(e.seconds, e.completed) for e in views] == [(12.5, True), (3.0, False)]
    assert views[0].source == "discover"


@pytest.mark.parametrize(
    "bad_item",
    [
        {"seconds": 2.0},  # no post
        {"post": None, "seconds": 2.0},
        {"post": "abc"},
        {"seconds": -1},  # negative seconds (post filled in below)
    ],
)
def test_a_batch_with_a_malformed_event_stores_nothing(make_user, make_post, client_for, bad_item):
    post = make_post()
    if "post" not in bad_item and bad_item.get("seconds", 0) < 0:
        bad_item = {"post": post.pk, **bad_item}

    response = client_for(make_user()).post(
        EVENTS, {"events": [{"post": post.pk, "seconds": 4.0}, bad_item]}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert not Event.objects.filter(kind="view").exists()
    assert fresh(post).view_count == 0


def test_an_empty_batch_is_refused(make_user, client_for, channels):
    response = client_for(make_user()).post(EVENTS, {"events": []}, format="json")
    assert response.status_code == 400


def test_a_batch_over_the_limit_is_refused(make_user, make_post, client_for, settings):
    post = make_post()
    batch = [{"post": post.pk, "seconds": 1.0}] * (settings.EVENTS_BATCH_MAX + 1)

    response = client_for(make_user()).post(EVENTS, {"events": batch}, format="json")

    assert response.status_code == 400
    assert "events" in response.json()["errors"]
    assert str(settings.EVENTS_BATCH_MAX) in response.json()["detail"]
    assert not Event.objects.filter(kind="view").exists()
    assert fresh(post).view_count == 0


def test_a_batch_at_the_limit_is_accepted(make_user, make_post, client_for, settings):
    settings.EVENTS_BATCH_MAX = 5
    post = make_post()

    response = client_for(make_user()).post(
        EVENTS, {"events": [{"post": post.pk, "seconds": 1.0}] * 5}, format="json"
    )

    assert response.status_code == 202
    assert response.json()["count"] == 5
    assert fresh(post).view_count == 1


def test_events_for_a_removed_or_missing_post_are_dropped(make_user, make_post, client_for):
    post = make_post()
    Post.objects.filter(pk=post.pk).update(status="removed")

    response = client_for(make_user()).post(
        EVENTS, {"events": [{"post": post.pk, "seconds": 5}, {"post": 999_999, "seconds": 5}]}, format="json"
    )

    assert response.status_code == 202
    assert response.json() == {"changed": False, "count": 0}
    assert fresh(post).view_count == 0
    assert not Event.objects.filter(kind="view").exists()


def test_events_for_a_post_the_viewer_may_not_see_are_dropped(make_user, make_post, client_for):
    """A post by someone the viewer blocked is not visible to them, so views are not counted."""
    author = make_user("author")
    post = make_post(author)
    viewer = make_user("viewer")
    client = client_for(viewer)
    client.post("/api/v1/users/author/block/")
    assert client.get(url(post)).status_code == 404

    response = client.post(EVENTS, {"events": [{"post": post.pk, "seconds": 5}]}, format="json")

    assert response.status_code == 202
    assert response.json()["count"] == 0
    assert fresh(post).view_count == 0


def test_an_anonymous_visitor_cannot_send_events(api, make_post):
    post = make_post()
    response = api.post(EVENTS, {"events": [{"post": post.pk, "seconds": 1}]}, format="json")
    assert response.status_code == 401
    assert not Event.objects.filter(kind="view").exists()


# ---------------------------------------------------------------- concurrency
def _run_together(n: int, work):
    """Run ``work(i)`` in ``n`` threads released at the same instant; return the results."""
    barrier = threading.Barrier(n)

    def run(i):
        try:
            barrier.wait(timeout=30)
            return work(i)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(run, range(n)))


@pytest.mark.django_db(transaction=True)
def test_simultaneous_likes_keep_the_counter_equal_to_the_likes(make_user, make_post):
    post = make_post()
    fans = [make_user(f"fan{i}") for i in range(8)]

    results = _run_together(8, lambda i: services.like_create(user=fans[i], post=post))

    assert results == [True] * 8
    assert fresh(post).like_count == Like.objects.filter(post=post).count() == 8

    late = make_user("late")
    results = _run_together(4, lambda i: services.like_create(user=late, post=post))

    assert sorted(results) == [False, False, False, True]
    assert fresh(post).like_count == Like.objects.filter(post=post).count() == 9
    assert Event.objects.filter(post=post, kind="like").count() == 9
