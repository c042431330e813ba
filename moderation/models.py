"""Moderation: the audit log of every moderator action, and the admin's views of the work.

The queue (``QueueItem``) and report triage (``ReportedPost``) are proxies over content's
``ReviewRequest`` and ``Post``: the rows are content's, the moderation app only gives
them their own admin pages and permissions. ``AuditEntry`` carries the custom
permissions the moderator group holds (migration 0002).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from content.models import Post, ReviewRequest


class AuditEntry(models.Model):
    """One moderator action: who, when, on what, why, and the state before and after."""

    class Action(models.TextChoices):
        APPROVE = "approve", _("Approve")
        LIMIT = "limit", _("Limit distribution")
        REMOVE = "remove", pgettext_lazy("moderation action", "Remove")
        RESTORE = "restore", _("Restore")
        BAN = "ban", _("Ban author")
        UNBAN = "unban", _("Lift ban")
        PIN = "pin", _("Pin to hot list")
        UNPIN = "unpin", _("Unpin from hot list")
        HOT_REMOVE = "hot_remove", _("Remove from hot list")
        REPORTS_ACCEPT = "reports_accept", _("Accept reports")
        REPORTS_DISMISS = "reports_dismiss", _("Dismiss reports")
        BOOST_STOP = "boost_stop", _("Stop boost")

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("moderator"),
    )
    moderator_name = models.CharField(
        max_length=150, help_text=_("kept if the account goes"), verbose_name=_("moderator name")
    )
    action = models.CharField(
        max_length=16, choices=Action.choices, db_index=True, verbose_name=_("action")
    )
    target_type = models.CharField(
        max_length=16, help_text=_("post, user or boost"), verbose_name=_("target type")
    )
    target_id = models.PositiveBigIntegerField(verbose_name=_("target id"))
    target_label = models.CharField(max_length=200, verbose_name=_("target name"))
    reason = models.CharField(max_length=300, blank=True, verbose_name=_("reason"))
    before = models.JSONField(default=dict, verbose_name=_("before"))
    after = models.JSONField(default=dict, verbose_name=_("after"))
    created_at = models.DateTimeField(default=timezone.now, db_index=True, verbose_name=_("time"))

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        permissions = [
            ("moderate_post", "Can approve, limit, remove and restore posts"),
            ("triage_report", "Can accept or dismiss reports"),
            ("ban_user", "Can ban and unban authors"),
            ("pin_hot", "Can pin and remove posts on hot lists"),
            ("stop_boost", "Can stop a boost (with refund)"),
        ]

    def __str__(self) -> str:
        return f"{self.moderator_name} {self.action} {self.target_type} {self.target_id}"


class QueueItem(ReviewRequest):
    """A review request as the queue shows it."""

    class Meta:
        proxy = True
        verbose_name = _("review queue item")
        verbose_name_plural = _("review queue")


class ReportedPost(Post):
    """A post with its reports, for triage grouped by post."""

    class Meta:
        proxy = True
        verbose_name = _("reported post")
        verbose_name_plural = _("report triage")
