"""Notifications 消息: what people are told, what is waiting to be told, and what they mute.

- ``Outbox`` rows are *decided* in the transaction of the action that causes them (a
  like, a follow, a moderator's removal …, through the lower apps' hooks), so they commit
  or roll back with it. The worker *delivers* them after the commit: it turns each into a
  ``Notification`` (or folds it into an unread one) and deletes it, in one transaction.
  A worker that is down delays notifications; the rows wait, none is lost.
- ``Notification`` is one line of the 消息 page. Likes, saves and comment likes of the
  same thing fold into one unread line ("alice 和其他 12 人赞了你的笔记"): ``group_key``
  names the thing, unique among a person's unread lines.
- ``NotificationSettings`` holds a person's per-category mute switches (a muted category
  creates nothing).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Category(models.TextChoices):
    LIKES = "likes", "赞和收藏 Likes and saves"
    FOLLOWS = "follows", "新增关注 New followers"
    COMMENTS = "comments", "评论和@ Comments and mentions"
    SYSTEM = "system", "系统通知 Notices"


class Verb(models.TextChoices):
    LIKE = "like", "赞了你的笔记"
    FAVOURITE = "favourite", "收藏了你的笔记"
    COMMENT_LIKE = "comment_like", "赞了你的评论"
    FOLLOW = "follow", "开始关注你了"
    COMMENT = "comment", "评论了你的笔记"
    REPLY = "reply", "回复了你的评论"
    MENTION = "mention", "在评论中@了你"
    POST_LIMITED = "post_limited", "你的笔记被限流"
    POST_REMOVED = "post_removed", "你的笔记被删除"
    POST_RESTORED = "post_restored", "你的笔记已恢复"
    COMMENT_REMOVED = "comment_removed", "你的评论被删除"
    REPORT_ACCEPTED = "report_accepted", "你的举报已处理"
    POOL_PROMOTED = "pool_promoted", "你的笔记进入了下一级流量池"
    HOT_LISTED = "hot_listed", "你的笔记上了热门榜"
    BOOST_ENDED = "boost_ended", "薯条投放已结束"


CATEGORY_OF = {
    Verb.LIKE: Category.LIKES,
    Verb.FAVOURITE: Category.LIKES,
    Verb.COMMENT_LIKE: Category.LIKES,
    Verb.FOLLOW: Category.FOLLOWS,
    Verb.COMMENT: Category.COMMENTS,
    Verb.REPLY: Category.COMMENTS,
    Verb.MENTION: Category.COMMENTS,
}
# Verbs whose unread lines fold together (one line per post or comment, many actors).
FOLDED = {Verb.LIKE, Verb.FAVOURITE, Verb.COMMENT_LIKE}


def category_of(verb: str) -> str:
    return CATEGORY_OF.get(verb, Category.SYSTEM)


class Outbox(models.Model):
    """A notification decided but not yet delivered (deleted by its delivery)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    verb = models.CharField(max_length=20, choices=Verb.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    post = models.ForeignKey(
        "content.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    comment = models.ForeignKey(
        "content.Comment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "outbox row"
        verbose_name_plural = "notification outbox"

    def __str__(self) -> str:
        return f"{self.verb} → {self.recipient_id}"


class Notification(models.Model):
    """One line of a person's 消息 page; ``actor_count`` people did it (folded lines)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    category = models.CharField(max_length=10, choices=Category.choices)
    verb = models.CharField(max_length=20, choices=Verb.choices)
    # The latest actor; ``actor_ids`` keeps the most recent distinct ones (a repeat of one
    # of them, an unlike and a like again, does not count twice).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_count = models.PositiveIntegerField(default=1)
    actor_ids = models.JSONField(default=list, blank=True)
    post = models.ForeignKey(
        "content.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    comment = models.ForeignKey(
        "content.Comment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.CharField(
        max_length=300, blank=True, help_text="a comment's words, a moderator's reason …"
    )
    data = models.JSONField(default=dict, blank=True)
    group_key = models.CharField(
        max_length=60, blank=True, help_text="unread lines with one key fold together"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "group_key"],
                condition=Q(read_at__isnull=True) & ~Q(group_key=""),
                name="notification_unread_group_unique",
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "category", "-updated_at", "-id"], name="notif_page"),
            models.Index(fields=["recipient", "-updated_at", "-id"], name="notif_page_all"),
            models.Index(
                fields=["recipient", "category"],
                condition=Q(read_at__isnull=True),
                name="notif_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.verb} → {self.recipient_id} ×{self.actor_count}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationSettings(models.Model):
    """A person's mute switches, one per category (no row: nothing muted)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="notification_settings",
    )
    mute_likes = models.BooleanField(default=False)
    mute_follows = models.BooleanField(default=False)
    mute_comments = models.BooleanField(default=False)
    mute_system = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "notification settings"

    def muted(self) -> set[str]:
        return {c for c in Category.values if getattr(self, f"mute_{c}")}
