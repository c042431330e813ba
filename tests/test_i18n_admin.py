"""The admin in one language at a time (docs/i18n.md): the apps' and models' names, the
notifications' choice labels, the moderation panel's columns and filters, and a refusal
that quotes a post's status, in Chinese by default and in English for an English
account. Each test looks at labels, never at what people wrote."""

from __future__ import annotations

import pytest

from content.models import Post, Report, ReviewRequest
from moderation.models import AuditEntry
from notifications.models import Notification

pytestmark = pytest.mark.django_db

POSTS = "/admin/content/post/"


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def speaks(page: str, *, present: tuple[str, ...], absent: tuple[str, ...]) -> None:
    assert [label for label in present if label not in page] == []
    assert [label for label in absent if label in page] == []


@pytest.fixture
def superuser(make_user, client):
    user = make_user("root-admin")
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    client.force_login(user)
    return user


def in_english(user) -> None:
    user.language = "en"
    user.save(update_fields=["language"])


# The apps' names, then some models' names as the index lists them.
INDEX_ZH = ("审核", "消息", "薯条和钱包", "搜索", "兴趣电商：店铺、商品、订单", "账号",
            "待审队列", "举报处理", "审核日志", "通知设置", "待发送的通知", "热搜", "账本", "店铺")
INDEX_EN = ("Moderation", "Notifications", "Boosts and wallets", "Search", "Commerce: shops, products, orders",
            "Accounts", "Review queue", "Report triage", "Audit log", "Notification settings",
            "Notification outbox", "Hot searches", "Ledger entries", "Shops")


def test_the_admin_index_names_apps_and_models_in_one_language(superuser, client):
    speaks(html(client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en")), present=INDEX_ZH, absent=INDEX_EN)
    in_english(superuser)
    speaks(html(client.get("/admin/")), present=INDEX_EN, absent=INDEX_ZH)


# A notification's category and event (choice labels), the columns and the filters.
NOTIFICATIONS_ZH = ("赞和收藏", "赞了你的笔记", "接收人", "分类", ">事件<", "发起人", "人数", "已读时间")
NOTIFICATIONS_EN = ("Likes and saves", "liked your post", "Recipient", "Category", ">Event<", "Actor",
                    "People", "Read at")  # (content's "Events" stay in the side bar: not this work's)


def test_the_notifications_changelist_speaks_one_language(superuser, client, make_user, make_post):
    post = make_post(title="coffee")
    Notification.objects.create(recipient=post.author, category="likes", verb="like",
                                actor=make_user("bob"), post=post)
    url = "/admin/notifications/notification/"
    speaks(html(client.get(url)), present=NOTIFICATIONS_ZH, absent=NOTIFICATIONS_EN)
    in_english(superuser)
    speaks(html(client.get(url)), present=NOTIFICATIONS_EN, absent=NOTIFICATIONS_ZH)


# The moderation panel: the queue's and triage's columns, its state filter, the audit log.
QUEUE_ZH = ("待审队列", "作者（历史）", "等待时长", "处理状态", ">待处理</a>", ">已处理</a>", ">全部</a>")
QUEUE_EN = ("Review queue", "Author (history)", "Waiting", "By state", ">open</a>", ">resolved</a>", ">all</a>")
TRIAGE_ZH = ("举报处理", "举报原因", "最早的待处理举报", "举报成立并下架笔记", "驳回举报")
TRIAGE_EN = ("Report triage", "Reasons", "First open report", "Accept reports and remove the posts",
             "Dismiss reports")
AUDIT_ZH = ("审核日志", "审核员名称", "对象", "变更前 → 变更后")
AUDIT_EN = ("Audit log", "Moderator name", "Target", "Before → after")


def test_the_moderation_panel_speaks_one_language(superuser, client, make_user, make_post):
    post = make_post(title="coffee")
    ReviewRequest.objects.create(post=post, source=ReviewRequest.Source.REPORTS, reason="3 reports")
    Report.objects.create(reporter=make_user("reporter"), post=post, reason=Report.Reason.values[0])
    AuditEntry.objects.create(moderator=superuser, moderator_name="root-admin", action=AuditEntry.Action.LIMIT,
                              target_type="post", target_id=post.pk, target_label="coffee",
                              before={"status": "published"}, after={"status": "limited"})
    pages = {"/admin/moderation/queueitem/": (QUEUE_ZH, QUEUE_EN),
             "/admin/moderation/reportedpost/": (TRIAGE_ZH, TRIAGE_EN),
             "/admin/moderation/auditentry/": (AUDIT_ZH, AUDIT_EN)}
    for url, (zh, en) in pages.items():
        speaks(html(client.get(url)), present=zh, absent=en)
    in_english(superuser)
    for url, (zh, en) in pages.items():
        speaks(html(client.get(url)), present=en, absent=zh)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_a_refusal_quoting_a_posts_status_is_one_sentence_in_one_language(superuser, client, make_post):
    post = make_post(title="coffee")
    Post.objects.filter(pk=post.pk).update(status=Post.Status.REMOVED)
    data = {"action": "limit_posts", "_selected_action": [str(post.pk)], "index": "0", "select_across": "0"}

    refused = client.post(POSTS, data, follow=True)
    assert messages_of(refused) == ["“coffee”当前为已下架，只有已发布或待审核的笔记可以限流。"]

    in_english(superuser)
    refused = client.post(POSTS, data, follow=True)
    assert messages_of(refused) == ["“coffee” is removed; only a published or pending post can be limited."]
    post.refresh_from_db()
    assert post.status == Post.Status.REMOVED


def test_a_staff_member_cannot_be_banned_and_is_told_so_in_chinese(superuser, client, make_user):
    colleague = make_user("colleague")
    colleague.is_staff = True
    colleague.save(update_fields=["is_staff"])
    data = {"action": "ban_users", "_selected_action": [str(colleague.pk)], "index": "0",
            "select_across": "0", "reason": "x"}
    refused = client.post("/admin/accounts/user/", data, follow=True)
    assert messages_of(refused) == [f"{colleague} 是工作人员，请先取消其工作人员身份再封禁。"]


# The content app's posts: the app's and model's names, column heads, a filter's title and
# choices (Django's "All" among them), the review queue's sources.
POSTS_ZH = ("内容</a>", "笔记", ">标题<", ">状态<", ">类型<", ">点赞数<", ">发布时间<", "以 状态", "已发布",
            ">全部</a>", "增加 笔记")
POSTS_EN = ("Content</a>", "Posts", ">Title<", ">Status<", ">Kind<", ">Like count<", ">Published at<",
            "By status", "Published", ">All</a>")
# Words of the site's own pages that must not replace Django's (they carry a context).
NOT_ADMIN_WORDS = (">全站</a>", "上架 笔记", "换个位置")


def test_the_posts_changelist_speaks_one_language(superuser, client, make_post):
    make_post(title="coffee")
    speaks(html(client.get(POSTS)), present=POSTS_ZH, absent=POSTS_EN + NOT_ADMIN_WORDS)
    in_english(superuser)
    speaks(html(client.get(POSTS)), present=POSTS_EN, absent=POSTS_ZH)


def test_the_review_queue_names_its_sources_in_one_language(superuser, client, make_post):
    ReviewRequest.objects.create(post=make_post(title="coffee"), source=ReviewRequest.Source.POLICY, reason="first post")
    url = "/admin/moderation/queueitem/"
    zh, en = ("按规定先审后发", ">来源<", "质量规则"), ("Pending by policy", ">Source<", "Quality rules")
    speaks(html(client.get(url)), present=zh, absent=en)
    in_english(superuser)
    speaks(html(client.get(url)), present=en, absent=zh)


def test_a_moderation_actions_report_is_one_sentence_with_its_count(superuser, client, make_post):
    posts = [make_post(title=f"coffee {i}") for i in range(2)]
    data = {"action": "limit_posts", "_selected_action": [str(p.pk) for p in posts], "index": "0",
            "select_across": "0"}
    assert messages_of(client.post(POSTS, data, follow=True)) == ["已限流 2 篇笔记。"]

    in_english(superuser)
    data = {**data, "action": "restore_posts", "_selected_action": [str(posts[0].pk)]}
    assert messages_of(client.post(POSTS, data, follow=True)) == ["Restored 1 post."]
    assert [p.status for p in Post.objects.order_by("pk")] == [Post.Status.PUBLISHED, Post.Status.LIMITED]
