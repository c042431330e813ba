"""The engine's durable state: pool entries and transitions, account weights, interest
affinities, hot lists, trending tags, post signatures (originality) and task watermarks.

Redis holds the structures the feeds read (feeds/stores.py); these rows are the truth
they are rebuilt from (``manage.py rebuild_redis``).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PoolEntry(models.Model):
    """A post's place in the traffic pools (流量池): its tier, quota and state."""

    class State(models.TextChoices):
        ACTIVE = "active", "In the pool (getting impressions)"
        STOPPED = "stopped", "Stopped (no more pool exposure)"
        HOT = "hot", "Hot (top tier, eligible for hot lists)"
        NOT_ENTERED = "not_entered", "Not entered (quality below threshold)"
        HELD = "held", "Held (by moderation)"
        EXPIRED = "expired", "Expired (too few impressions for a verdict)"

    post = models.OneToOneField("content.Post", on_delete=models.CASCADE, related_name="pool")
    tier = models.PositiveSmallIntegerField(default=0)
    state = models.CharField(max_length=12, choices=State.choices, db_index=True)
    quota = models.PositiveIntegerField(default=0, help_text="impressions this tier may serve")
    tier_entered_at = models.DateTimeField(default=timezone.now)
    window_ends_at = models.DateTimeField()
    impressions_total = models.PositiveIntegerField(default=0)
    impressions_in_tier = models.PositiveIntegerField(default=0)
    rates = models.JSONField(default=dict, blank=True, help_text="rates measured in the tier")
    quality_score = models.FloatField(default=0.0)
    quality_reasons = models.JSONField(default=list, blank=True)
    last_evaluated_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0, help_text="bumped by every transition")
    extensions = models.PositiveSmallIntegerField(
        default=0, help_text="times the base pool was extended for a verdict not yet clear"
    )
    waits = models.PositiveSmallIntegerField(
        default=0,
        help_text="windows of this tier that closed with too few impressions for a verdict",
    )
    selling = models.BooleanField(
        default=False, help_text="carries live products: its verdict weighs conversion (commerce)"
    )

    class Meta:
        verbose_name = _("pool entry")
        verbose_name_plural = _("pool entries")
        indexes = [models.Index(fields=["state", "tier"])]

    def __str__(self) -> str:
        return f"post {self.post_id}: tier {self.tier} {self.state}"


class PoolTransition(models.Model):
    """One move of a post between pool tiers or states, with the rates that decided it."""

    class Action(models.TextChoices):
        ENTER = "enter", "Entered the base pool"
        NOT_ENTERED = "not_entered", "Not entered (low quality)"
        PROMOTE = "promote", "Promoted"
        STOP = "stop", "Stopped"
        EARLY_STOP = "early_stop", "Early stop"
        EXTEND = "extend", "Base pool extended (verdict not yet clear)"
        WAIT = "wait", "Window reopened (too few impressions for a verdict)"
        EXPIRE = "expire", "Expired (too few impressions for a verdict)"
        NEGATIVE_STOP = "negative_stop", "Stopped by negative feedback"
        HOT = "hot", "Reached hot"
        MODERATION = "moderation", "Changed by moderation"

    post = models.ForeignKey("content.Post", on_delete=models.CASCADE, related_name="pool_transitions")
    action = models.CharField(max_length=16, choices=Action.choices)
    from_tier = models.PositiveSmallIntegerField(null=True, blank=True)
    to_tier = models.PositiveSmallIntegerField(null=True, blank=True)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12)
    impressions = models.PositiveIntegerField(default=0)
    rates = models.JSONField(default=dict, blank=True)
    reason = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"post {self.post_id}: {self.action} {self.from_tier}→{self.to_tier}"


class PostSignature(models.Model):
    """A post's 64-bit SimHash in four 16-bit bands, for near-duplicate look-ups."""

    post = models.OneToOneField("content.Post", on_delete=models.CASCADE, related_name="signature")
    simhash = models.BigIntegerField()
    band0 = models.PositiveIntegerField(db_index=True)
    band1 = models.PositiveIntegerField(db_index=True)
    band2 = models.PositiveIntegerField(db_index=True)
    band3 = models.PositiveIntegerField(db_index=True)
    duplicate_of = models.ForeignKey(
        "content.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


class AccountWeight(models.Model):
    """账号权重: 0.5–2.0 with each component stored so the creator can see why."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="weight")
    weight = models.FloatField(default=1.0)
    performance = models.FloatField(default=1.0, help_text="recent posts vs the platform median")
    follower_activity = models.FloatField(default=0.0, help_text="share of followers active in 7 days")
    verticality = models.FloatField(default=0.0, help_text="share of posts in the main channel")
    originality = models.FloatField(default=1.0, help_text="share of posts not near-duplicates")
    violations = models.PositiveIntegerField(default=0, help_text="upheld reports / removals, 90 days")
    negative_rate = models.FloatField(default=0.0, help_text="reports + not-interested per impression")
    factors = models.JSONField(default=dict, blank=True, help_text="the multiplier of each component")
    computed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.weight:.2f}"


class InterestAffinity(models.Model):
    """用户画像: how much a user likes a tag or a channel (decays with a half-life, down to a
    floor for onboarding picks and long-held interests)."""

    class Kind(models.TextChoices):
        TAG = "tag", "Tag"
        CHANNEL = "channel", "Channel"
        BUY = "buy", "Buying in a channel"  # product clicks and orders (commerce)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="affinities")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    key = models.PositiveBigIntegerField(help_text="tag id or channel id (a channel's for buying)")
    score = models.FloatField(default=0.0)
    updated_at = models.DateTimeField(default=timezone.now, help_text="its latest signal (or pick)")
    first_at = models.DateTimeField(default=timezone.now, help_text="its first signal (or pick)")
    peak = models.FloatField(default=0.0, help_text="the highest score it reached")
    floor = models.FloatField(default=0.0, help_text="decay keeps the score at least this (picks, long-held)")

    class Meta:
        verbose_name = _("interest affinity")
        verbose_name_plural = _("interest affinities")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "key"], name="affinity_unique")
        ]
        indexes = [models.Index(fields=["user", "kind", "-score"])]


class HotEntry(models.Model):
    """The last computed hot lists: ``list_key`` is "global" or a channel slug."""

    list_key = models.CharField(max_length=40)
    rank = models.PositiveSmallIntegerField()
    post = models.ForeignKey("content.Post", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    pinned = models.BooleanField(default=False)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("hot entry")
        verbose_name_plural = _("hot entries")
        ordering = ["list_key", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["list_key", "rank"], name="hot_entry_rank_unique")
        ]


class HotOverride(models.Model):
    """A moderator's pin (at a position) or removal of a post on a hot list."""

    class Kind(models.TextChoices):
        PIN = "pin", "Pin"
        REMOVE = "remove", "Remove"

    list_key = models.CharField(max_length=40, default="global")
    post = models.ForeignKey("content.Post", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    position = models.PositiveSmallIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["list_key", "post"], name="hot_override_unique")
        ]


class TrendingTag(models.Model):
    """The last computed trending topics: tags rising fastest against their baseline."""

    rank = models.PositiveSmallIntegerField(unique=True)
    tag = models.ForeignKey("content.Tag", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    recent = models.PositiveIntegerField()
    baseline = models.FloatField()
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["rank"]


class Watermark(models.Model):
    """Where a recompute task got to, so the next run processes only what changed."""

    name = models.CharField(max_length=40, primary_key=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} @ {self.at:%Y-%m-%d %H:%M:%S}"


class LearnedModel(models.Model):
    """One training of the learned stage: its factors as arrays of bytes (feeds/engine/learned.py).

    ``*_ids`` are sorted int64 ids; ``*_factors`` float32 rows, one per id;
    ``item_published`` the posts' publication times (epoch seconds, float64), so the
    candidate source can keep to recent posts without a query; ``engaged_indptr`` /
    ``engaged_rows`` (int32, CSR) the item rows each person learned from, so it never
    offers them what they already engaged with. The newest row is the
    model in use (docs/decisions/learned-stage.md).
    """

    trained_at = models.DateTimeField(default=timezone.now, db_index=True)
    window_days = models.PositiveIntegerField()
    factors = models.PositiveSmallIntegerField()
    users = models.PositiveIntegerField()
    items = models.PositiveIntegerField()
    pairs = models.PositiveIntegerField(help_text="(person, post) pairs it learned from")
    seconds = models.FloatField(help_text="time the training took")
    user_ids = models.BinaryField()
    user_factors = models.BinaryField()
    item_ids = models.BinaryField()
    item_factors = models.BinaryField()
    item_published = models.BinaryField()
    engaged_indptr = models.BinaryField(default=b"")
    engaged_rows = models.BinaryField(default=b"")

    def __str__(self) -> str:
        return f"learned model {self.pk}: {self.users} people × {self.items} posts @ {self.trained_at:%Y-%m-%d %H:%M}"
