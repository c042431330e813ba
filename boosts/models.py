"""Paid boosts (薯条 / DOU+): a credit wallet kept as a ledger, boost orders, deliveries.

Credits are whole units (think 分, 0.01 yuan). The ledger is the truth: every top-up,
charge and refund is an entry, and ``Wallet.balance`` is their sum, kept in step in the
same transaction with the wallet row locked; a check constraint makes a negative balance
impossible even if a bug tried.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Wallet(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True,
                                related_name="wallet")
    balance = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("wallet")
        verbose_name_plural = _("wallets")
        constraints = [models.CheckConstraint(condition=Q(balance__gte=0), name="wallet_balance_not_negative")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.balance}"


class Boost(models.Model):
    """One boost order: a post, an impression budget, targeting and a time window."""

    class Targeting(models.TextChoices):
        INTERESTS = "interests", _("Channels and tags")
        PLACE = "place", _("Around a place")
        FOLLOWERS = "followers", _("People like my followers")

    class Goal(models.TextChoices):
        IMPRESSIONS = "impressions", _("Impressions")
        PRODUCT_CLICKS = "product_clicks", _("Product clicks")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Delivering")
        COMPLETED = "completed", _("Completed (budget spent)")
        EXPIRED = "expired", _("Time up")
        STOPPED = "stopped", _("Stopped by the creator")
        STOPPED_BY_MODERATION = "moderated", _("Stopped by moderation")

    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="boosts")
    post = models.ForeignKey("content.Post", null=True, on_delete=models.SET_NULL, related_name="boosts",
                             help_text="kept empty once the post is deleted; the report stays")
    post_title = models.CharField(max_length=100, blank=True)
    budget = models.PositiveIntegerField(help_text="impressions bought")
    price_per_thousand = models.PositiveIntegerField(help_text="credits per 1 000 impressions at order time")
    cost = models.PositiveIntegerField(help_text="credits charged at order time")
    targeting = models.CharField(max_length=10, choices=Targeting.choices)
    goal = models.CharField(
        max_length=14, choices=Goal.choices, default=Goal.IMPRESSIONS,
        help_text="product clicks: shown only to people with buying interest; reported per click and order",
    )
    channel_ids = models.JSONField(default=list, blank=True, help_text="targeted channels, sub-channels included")
    tag_ids = models.JSONField(default=list, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    radius_km = models.FloatField(null=True, blank=True)
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    status_reason = models.CharField(max_length=300, blank=True)
    delivered = models.PositiveIntegerField(default=0)
    refunded = models.PositiveIntegerField(default=0)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("boost")
        verbose_name_plural = _("boosts")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "ends_at"])]
        constraints = [models.CheckConstraint(condition=Q(delivered__lte=models.F("budget")),
                                              name="boost_delivered_within_budget")]

    def __str__(self) -> str:
        return f"boost {self.pk}: {self.post_title or self.post_id} ({self.delivered}/{self.budget})"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class LedgerEntry(models.Model):
    """One movement of credits; the balance is the sum of a wallet's entries."""

    class Kind(models.TextChoices):
        TOPUP = "topup", _("Top-up")
        CHARGE = "charge", _("Boost charge")
        REFUND = "refund", _("Refund")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ledger")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    amount = models.BigIntegerField(help_text="credits; negative for charges")
    balance_after = models.BigIntegerField()
    key = models.CharField(max_length=64, blank=True, help_text="the client's idempotency key (top-ups)")
    boost = models.ForeignKey(Boost, null=True, blank=True, on_delete=models.SET_NULL, related_name="ledger")
    memo = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], condition=~Q(key=""), name="ledger_key_once"),
            models.UniqueConstraint(fields=["boost", "kind"], condition=Q(kind="refund"), name="ledger_one_refund_per_boost"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.amount:+d}"


class BoostImpression(models.Model):
    """A boosted post shown to one viewer once (apart from organic impressions)."""

    boost = models.ForeignKey(Boost, on_delete=models.CASCADE, related_name="impressions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey("content.Post", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["boost", "user"]), models.Index(fields=["user", "post"]),
                   models.Index(fields=["boost", "created_at"])]
