"""The 消息 page and the header badge, over plain HTTP."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import services as accounts
from content import services as content
from notifications.models import Notification
from notifications.services import outbox_deliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(make_user, client):
    alice = make_user("alice", display_name="alice")
    client.force_login(alice)
    return alice


def _activity(alice, make_user, make_post, n: int):
    note = make_post(alice, title="咖啡")
    for i in range(n):
        fan = make_user(f"fan{i}", display_name=f"fan{i}", onboard=False)
        content.like_create(user=fan, post=note)
        accounts.follow_create(follower=fan, followee=alice)
        content.comment_create(user=fan, post=note, body=f"第{i}条 @alice")
    outbox_deliver()
    return note


def test_the_page_shows_three_tabs_with_unread_counts(alice, client, make_user, make_post):
    _activity(alice, make_user, make_post, 2)
    page = client.get("/notifications/").content.decode()
    for label in ("赞和收藏", "新增关注", "评论和@", "通知"):
        assert label in page
    assert "fan1 和其他 1 人赞了你的笔记" in page
    follows = client.get("/notifications/?tab=follows").content.decode()
    assert "fan0 开始关注你了" in follows and "fan1 开始关注你了" in follows
    comments = client.get("/notifications/?tab=comments").content.decode()
    assert "第1条 @alice" in comments
    assert client.get("/notifications/?tab=nope").status_code == 404


@pytest.mark.parametrize("n", [1, 7])
def test_the_page_costs_the_same_queries_whatever_the_count(
    alice, client, make_user, make_post, django_assert_num_queries, n
):
    _activity(alice, make_user, make_post, n)
    client.get("/notifications/?tab=comments")  # the channels bar and the counts are cached
    # session, user, the page (one query), the mute switches.
    with django_assert_num_queries(4):
        page = client.get("/notifications/?tab=comments").content.decode()
    assert page.count('data-testid="notification"') == n


def test_the_header_badge_costs_no_query_once_counted(alice, client, make_user, make_post):
    _activity(alice, make_user, make_post, 1)
    first = client.get("/latest/").content.decode()
    assert "data-ask" in first  # not counted yet: the page asks the API, no SQL for it
    client.get("/api/v1/notifications/unread/")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/latest/").content.decode()
    assert 'data-testid="unread-badge" data-unread>3<' in page
    assert not any("notifications_" in q["sql"] for q in queries.captured_queries)


def test_opening_a_line_reads_it_and_goes_to_the_post(
    alice, client, make_user, make_post, committed
):
    note = _activity(alice, make_user, make_post, 1)
    line = Notification.objects.get(recipient=alice, verb="like")
    with committed():
        answer = client.post(f"/notifications/{line.pk}/open/")
    assert answer.status_code == 302 and answer["Location"] == f"/p/{note.pk}/"
    line.refresh_from_db()
    assert line.read_at is not None
    assert client.get("/api/v1/notifications/unread/").json()["total"] == 2


def test_someone_elses_line_is_a_404(alice, client, make_user, make_post):
    _activity(alice, make_user, make_post, 1)
    line = Notification.objects.filter(recipient=alice).first()
    client.force_login(make_user("eve"))
    assert client.post(f"/notifications/{line.pk}/open/").status_code == 404
    line.refresh_from_db()
    assert line.read_at is None


def test_mark_all_read_and_mute_from_the_page(alice, client, make_user, make_post):
    note = _activity(alice, make_user, make_post, 1)
    client.post("/notifications/read/", {"tab": "follows"})
    assert not Notification.objects.filter(
        recipient=alice, category="follows", read_at__isnull=True
    ).exists()
    assert Notification.objects.filter(
        recipient=alice, category="likes", read_at__isnull=True
    ).exists()

    client.post("/notifications/settings/", {"mute_likes": "on", "tab": "likes"})
    content.like_create(user=make_user("late"), post=note)
    before = Notification.objects.count()
    outbox_deliver()
    assert Notification.objects.count() == before
    assert client.get("/notifications/").status_code == 200


def test_signed_out_people_are_sent_to_log_in(client):
    assert client.get("/notifications/").status_code == 302
