"""Comments as 小红书 shows them: replies in two levels, @mentions, likes, likes-first
order, the post's author deleting, moderators removing from the admin."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from accounts import services as accounts
from content import services
from content.models import Comment, CommentLike, Post

pytestmark = pytest.mark.django_db


def comments_url(post) -> str:
    return f"/api/v1/posts/{post.pk}/comments/"


@pytest.fixture
def thread(make_user, make_post):
    alice, bob, chen = make_user("alice"), make_user("bob"), make_user("chen")
    post = make_post(alice, title="咖啡")
    first = services.comment_create(user=bob, post=post, body="第一")
    second = services.comment_create(user=chen, post=post, body="第二")
    return post, alice, bob, chen, first, second


def test_comments_are_sorted_by_likes_then_time(thread, client_for, make_user):
    post, alice, bob, chen, first, second = thread
    third = services.comment_create(user=alice, post=post, body="第三")
    client = client_for(make_user("fan"))
    assert client.post(f"/api/v1/comments/{second.pk}/like/").json() == {
        "changed": True,
        "count": 1,
    }
    assert client.post(f"/api/v1/comments/{second.pk}/like/").json() == {
        "changed": False,
        "count": 1,
    }

    listed = client.get(comments_url(post)).json()
    assert [c["body"] for c in listed] == ["第二", "第一", "第三"]
    assert listed[0]["liked"] is True and listed[0]["like_count"] == 1
    assert listed[1]["liked"] is False

    assert client.delete(f"/api/v1/comments/{second.pk}/like/").json() == {
        "changed": True,
        "count": 0,
    }
    assert Comment.objects.get(pk=second.pk).like_count == 0
    assert [c["body"] for c in client.get(comments_url(post)).json()] == ["第一", "第二", "第三"]
    assert third.pk


def test_a_reply_to_a_reply_joins_the_thread_and_mentions_render_as_links(
    thread, client_for, client
):
    post, alice, bob, chen, first, _ = thread
    reply = (
        client_for(alice)
        .post(comments_url(post), {"body": "谢谢 @bob", "parent": first.pk}, format="json")
        .json()
    )
    deeper = (
        client_for(chen)
        .post(
            comments_url(post), {"body": "@alice @ghost 同意", "parent": reply["id"]}, format="json"
        )
        .json()
    )
    assert deeper["parent"] == first.pk  # two levels, as 小红书 shows them
    assert deeper["mentions"] == ["alice"]  # @ghost names nobody: plain text

    client.force_login(bob)
    page = client.get(f"/p/{post.pk}/").content.decode()
    assert '<a class="mention" href="/u/alice/">@alice</a>' in page
    assert "@ghost 同意" in page and 'href="/u/ghost/"' not in page


def test_a_reply_to_a_deleted_or_hidden_comment_is_a_404(thread, client_for):
    post, alice, bob, chen, first, second = thread
    gone = first.pk
    services.comment_delete(comment=first, actor=bob)
    answer = client_for(chen).post(
        comments_url(post), {"body": "回复", "parent": gone}, format="json"
    )
    assert answer.status_code == 404

    accounts.block_create(blocker=alice, blocked=chen)
    hidden = client_for(alice).post(
        comments_url(post), {"body": "回复", "parent": second.pk}, format="json"
    )
    assert hidden.status_code == 404
    assert client_for(alice).post(f"/api/v1/comments/{second.pk}/like/").status_code == 404
    assert Post.objects.get(pk=post.pk).comment_count == 1
    # Blocked people's comments are not listed for each other.
    assert [c["body"] for c in client_for(alice).get(comments_url(post)).json()] == []


def test_the_posts_author_deletes_a_comment_from_the_post_page(thread, client):
    post, alice, bob, chen, first, second = thread
    client.force_login(alice)
    page = client.get(f"/p/{post.pk}/").content.decode()
    assert page.count('data-testid="comment-delete"') == 2
    answer = client.post(f"/p/{post.pk}/comment-delete/", {"comment": first.pk})
    assert answer.status_code == 302
    assert not Comment.objects.filter(pk=first.pk).exists()
    assert client.post(f"/p/{post.pk}/comment-delete/", {"comment": first.pk}).status_code == 404

    client.force_login(bob)  # a commenter deletes only their own
    page = client.get(f"/p/{post.pk}/").content.decode()
    assert 'data-testid="comment-delete"' not in page
    client.post(f"/p/{post.pk}/comment-delete/", {"comment": second.pk})
    assert Comment.objects.filter(pk=second.pk).exists()


def test_liking_a_comment_on_the_page(thread, client):
    post, alice, bob, chen, first, _ = thread
    client.force_login(chen)
    client.post(f"/p/{post.pk}/comment-like/", {"comment": first.pk})
    assert CommentLike.objects.filter(user=chen, comment=first).exists()
    assert "♥ 1" in client.get(f"/p/{post.pk}/").content.decode()
    client.post(f"/p/{post.pk}/comment-unlike/", {"comment": first.pk})
    assert not CommentLike.objects.filter(user=chen, comment=first).exists()
    assert client.post(f"/p/{post.pk}/comment-like/", {"comment": "abc"}).status_code == 404


def test_the_post_page_costs_the_same_queries_however_many_comments(
    thread, client, make_user, django_assert_num_queries
):
    post, alice, bob, chen, first, _ = thread
    client.force_login(bob)
    client.get(f"/p/{post.pk}/")  # warm caches (channels bar, exclusions)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(f"/p/{post.pk}/")
    for i in range(8):
        reply_to = services.comment_create(
            user=make_user(f"c{i}"), post=post, body=f"@alice 评论{i}"
        )
        services.comment_create(user=alice, post=post, body="回复", parent=reply_to)
        services.comment_like_create(user=bob, comment=reply_to)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(f"/p/{post.pk}/")


def test_mention_suggestions_for_the_comment_form(make_user, client_for, api):
    me = make_user("me")
    make_user("alice", display_name="爱丽丝")
    make_user("alina")
    blocked = make_user("alistair")
    accounts.block_create(blocker=me, blocked=blocked)
    names = [p["username"] for p in client_for(me).get("/api/v1/mentions/", {"q": "@ali"}).json()]
    assert sorted(names) == ["alice", "alina"]
    assert client_for(me).get("/api/v1/mentions/", {"q": ""}).json() == []
    assert api.get("/api/v1/mentions/", {"q": "ali"}).status_code == 401


def test_a_moderator_removes_a_comment_from_the_admin_with_an_audit_entry(
    thread, client, committed
):
    from moderation.models import AuditEntry

    post, alice, bob, chen, first, _ = thread
    mod = bob.__class__.objects.create_user("mod-li", password="x")
    mod.is_staff = True
    mod.save()
    mod.groups.add(Group.objects.get(name="moderator"))
    client.force_login(mod)
    url = "/admin/content/comment/"
    data = {
        "action": "remove_comments",
        "_selected_action": [str(first.pk)],
        "index": "0",
        "select_across": "0",
    }

    without = client.post(url, {**data, "reason": ""}, follow=True)
    assert "请填写删除评论的原因，评论作者会看到。" in without.content.decode()
    assert Comment.objects.filter(pk=first.pk).exists()

    with committed():
        client.post(url, {**data, "reason": "人身攻击"}, follow=True)
    assert not Comment.objects.filter(pk=first.pk).exists()
    entry = AuditEntry.objects.get(target_type="comment", target_id=first.pk)
    assert (entry.action, entry.moderator_id, entry.reason) == ("remove", mod.pk, "人身攻击")
    assert entry.before["body"] == "第一"
