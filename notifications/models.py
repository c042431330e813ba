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
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    LIKES = "likes", _("Likes and saves")
    FOLLOWS = "follows", _("New followers")
    COMMENTS = "comments", _("Comments and mentions")
    SYSTEM = "system", _("System notices")


class Verb(models.TextChoices):
    """What happened; the labels are the inbox's words after a name (notifications/text.py)."""

    LIKE = "like", _("liked your post")
    FAVOURITE = "favourite", _("saved your post")
    COMMENT_LIKE = "comment_like", _("liked your comment")
    FOLLOW = "follow", _("started following you")
    COMMENT = "comment", _("commented on your post")
    REPLY = "reply", _("replied to your comment")
    MENTION = "mention", _("mentioned you in a comment")
    POST_LIMITED = "post_limited", _("Your post was limited")
    POST_REMOVED = "post_removed", _("Your post was removed")
    POST_RESTORED = "post_restored", _("Your post was restored")
    COMMENT_REMOVED = "comment_removed", _("Your comment was removed")
    REPORT_ACCEPTED = "report_accepted", _("Your report was dealt with")
    POOL_PROMOTED = "pool_promoted", _("Your post entered the next pool")
    HOT_LISTED = "hot_listed", _("Your post made the hot list")
    BOOST_ENDED = "boost_ended", _("Your boost ended")


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
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("recipient"),
    )
    verb = models.CharField(max_length=20, choices=Verb.choices, verbose_name=_("event"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("actor"),
    )
    post = models.ForeignKey(
        "content.Post",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("post"),
    )
    comment = models.ForeignKey(
        "content.Comment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("comment"),
    )
    text = models.CharField(max_length=300, blank=True, verbose_name=_("text"))
    data = models.JSONField(default=dict, blank=True, verbose_name=_("data"))
    created_at = models.DateTimeField(
        default=timezone.now, db_index=True, verbose_name=_("created at")
    )

    class Meta:
        verbose_name = _("outbox row")
        verbose_name_plural = _("notification outbox")

    def __str__(self) -> str:
        return f"{self.verb} → {self.recipient_id}"


class Notification(models.Model):
    """One line of a person's 消息 page; ``actor_count`` people did it (folded lines)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    category = models.CharField(max_length=10, choices=Category.choices, verbose_name=_("category"))
    verb = models.CharField(max_length=20, choices=Verb.choices, verbose_name=_("event"))
    # The latest actor; ``actor_ids`` keeps the most recent distinct ones (a repeat of one
    # of them, an unlike and a like again, does not count twice).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_count = models.PositiveIntegerField(default=1, verbose_name=_("people"))
    actor_ids = models.JSONField(default=list, blank=True, verbose_name=_("actor ids"))
    post = models.ForeignKey(
        "content.Post",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("post"),
    )
    comment = models.ForeignKey(
        "content.Comment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("comment"),
    )
    text = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("a comment's words, a moderator's reason …"),
        verbose_name=_("text"),
    )
    data = models.JSONField(default=dict, blank=True, verbose_name=_("data"))
    group_key = models.CharField(
        max_length=60,
        blank=True,
        help_text=_("unread lines with one key fold together"),
        verbose_name=_("group key"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    updated_at = models.DateTimeField(default=timezone.now, verbose_name=_("updated at"))
    read_at = models.DateTimeField(null=True, blank=True, verbose_name=_("read at"))

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
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
        verbose_name=_("user"),
    )
    mute_likes = models.BooleanField(default=False, verbose_name=_("mute likes and saves"))
    mute_follows = models.BooleanField(default=False, verbose_name=_("mute new followers"))
    mute_comments = models.BooleanField(default=False, verbose_name=_("mute comments and mentions"))
    mute_system = models.BooleanField(default=False, verbose_name=_("mute system notices"))

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def muted(self) -> set[str]:
        return {c for c in Category.values if getattr(self, f"mute_{c}")}
