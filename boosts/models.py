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
                                related_name="wallet", verbose_name=_("user"))
    balance = models.BigIntegerField(default=0, verbose_name=_("balance"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

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

    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="boosts", verbose_name=_("buyer"))
    post = models.ForeignKey("content.Post", null=True, on_delete=models.SET_NULL, related_name="boosts",
                             help_text=_("kept empty once the post is deleted; the report stays"), verbose_name=_("post"))
    post_title = models.CharField(max_length=100, blank=True, verbose_name=_("post title"))
    budget = models.PositiveIntegerField(help_text=_("impressions bought"), verbose_name=_("budget"))
    price_per_thousand = models.PositiveIntegerField(help_text=_("credits per 1 000 impressions at order time"), verbose_name=_("price per thousand"))
    cost = models.PositiveIntegerField(help_text=_("credits charged at order time"), verbose_name=_("cost"))
    targeting = models.CharField(max_length=10, choices=Targeting.choices, verbose_name=_("targeting"))
    goal = models.CharField(
        max_length=14, choices=Goal.choices, default=Goal.IMPRESSIONS,
        help_text=_("product clicks: shown only to people with buying interest; reported per click and order"), verbose_name=_("goal"),
    )
    channel_ids = models.JSONField(default=list, blank=True, help_text=_("targeted channels, sub-channels included"), verbose_name=_("channel ids"))
    tag_ids = models.JSONField(default=list, blank=True, verbose_name=_("tag ids"))
    lat = models.FloatField(null=True, blank=True, verbose_name=_("latitude"))
    lng = models.FloatField(null=True, blank=True, verbose_name=_("longitude"))
    radius_km = models.FloatField(null=True, blank=True, verbose_name=_("radius (km)"))
    starts_at = models.DateTimeField(default=timezone.now, verbose_name=_("starts at"))
    ends_at = models.DateTimeField(verbose_name=_("ends at"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True, verbose_name=_("status"))
    status_reason = models.CharField(max_length=300, blank=True, verbose_name=_("status reason"))
    delivered = models.PositiveIntegerField(default=0, verbose_name=_("delivered"))
    refunded = models.PositiveIntegerField(default=0, verbose_name=_("refunded"))
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("closed at"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

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

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ledger", verbose_name=_("user"))
    kind = models.CharField(max_length=8, choices=Kind.choices, verbose_name=_("kind"))
    amount = models.BigIntegerField(help_text=_("credits; negative for charges"), verbose_name=_("amount"))
    balance_after = models.BigIntegerField(verbose_name=_("balance after"))
    key = models.CharField(max_length=64, blank=True, help_text=_("the client's idempotency key (top-ups)"), verbose_name=_("idempotency key"))
    boost = models.ForeignKey(Boost, null=True, blank=True, on_delete=models.SET_NULL, related_name="ledger", verbose_name=_("boost"))
    memo = models.CharField(max_length=200, blank=True, verbose_name=_("memo"))
    created_at = models.DateTimeField(default=timezone.now, db_index=True, verbose_name=_("created at"))

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
