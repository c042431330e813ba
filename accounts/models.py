"""People: the user with their profile, follows, blocks and onboarding interests."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .usernames import username_key, username_refusal, username_taken


class User(AbstractUser):
    """A person on the platform; the profile lives on the user row itself.

    ``follower_count`` / ``following_count`` / ``post_count`` are denormalised counters,
    changed only by services with ``F()`` updates in the same transaction as the rows
    they count (and reconcilable by ``content.services.counters_reconcile``).
    """

    class Language(models.TextChoices):
        ZH = "zh", "中文"
        EN = "en", "English"

    display_name = models.CharField(max_length=40, blank=True, verbose_name=_("display name"))
    bio = models.CharField(max_length=300, blank=True, verbose_name=_("bio"))
    avatar = models.ImageField(upload_to="avatars/%Y/%m/", blank=True, verbose_name=_("avatar"))
    language = models.CharField(max_length=8, choices=Language.choices, default=Language.ZH, verbose_name=_("language"))
    region = models.CharField(max_length=64, blank=True, help_text=_("e.g. 上海 / Shanghai"), verbose_name=_("region"))
    home_place = models.CharField(max_length=80, blank=True, verbose_name=_("home place"))
    home_lat = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)], verbose_name=_("home latitude")
    )
    home_lng = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)], verbose_name=_("home longitude")
    )
    onboarded_at = models.DateTimeField(null=True, blank=True, verbose_name=_("onboarded at"))
    is_banned = models.BooleanField(
        default=False, help_text=_("Banned by moderation: cannot log in or post; posts leave every feed."), verbose_name=_("banned")
    )
    banned_at = models.DateTimeField(null=True, blank=True, verbose_name=_("banned at"))
    ban_reason = models.CharField(max_length=300, blank=True, verbose_name=_("ban reason"))
    follower_count = models.PositiveIntegerField(default=0, verbose_name=_("follower count"))
    following_count = models.PositiveIntegerField(default=0, verbose_name=_("following count"))
    post_count = models.PositiveIntegerField(default=0, verbose_name=_("post count"))
    # The privacy switch of the profile's 收藏 and 赞过 tabs (docs/profile.md): off, only
    # the owner sees what they saved and liked; others see that the tabs are private.
    collections_public = models.BooleanField(
        "公开收藏和赞过 Show my saves and likes",
        default=True,
        help_text="Others may open the 收藏 (saved) and 赞过 (liked) tabs of your profile.",
    )
    # The username's look-alike key (accounts/usernames.py): unique, so no two people
    # hold names a reader could take for each other. Null (never a collision) only on
    # rows older than the key whose name collided with an earlier one (migration 0004).
    username_key = models.CharField(max_length=150, unique=True, null=True, editable=False)  # noqa: DJ001

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=(Q(home_lat__isnull=True) & Q(home_lng__isnull=True))
                | (Q(home_lat__isnull=False) & Q(home_lng__isnull=False)),
                name="user_home_lat_lng_together",
            )
        ]

    def __str__(self) -> str:
        return self.username

    def clean(self):
        """Refuse a username a reader could take for someone else's (the admin's forms
        come through here; sign-up goes through ``accounts.services.user_signup``)."""
        super().clean()
        if not self.username:  # refused by the form's own field already
            return
        refusal = username_refusal(self.username) or username_taken(self.username, self.pk)
        if refusal:
            raise ValidationError({"username": refusal})

    def save(self, *args, **kwargs):
        # Derived from the username on every save (the admin can rename people too).
        self.username_key = username_key(self.username)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "username" in update_fields:
            kwargs["update_fields"] = {*update_fields, "username_key"}
        super().save(*args, **kwargs)

    @property
    def name(self) -> str:
        """Return the name shown on cards: the display name, else the username."""
        return self.display_name or self.username

    @property
    def has_home(self) -> bool:
        return self.home_lat is not None and self.home_lng is not None


class Follow(models.Model):
    """``follower`` follows ``followee``; one row per pair."""

    follower = models.ForeignKey(User, on_delete=models.CASCADE, related_name="following_rows", verbose_name=_("follower"))
    followee = models.ForeignKey(User, on_delete=models.CASCADE, related_name="follower_rows", verbose_name=_("followed account"))
    created_at = models.DateTimeField(default=timezone.now, db_index=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(fields=["follower", "followee"], name="follow_unique_pair"),
            models.CheckConstraint(condition=~Q(follower=F("followee")), name="follow_not_self"),
        ]
        indexes = [models.Index(fields=["followee", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.follower_id} → {self.followee_id}"


class Block(models.Model):
    """``blocker`` blocks ``blocked``: no follows between them, no posts of each other."""

    blocker = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocking_rows", verbose_name=_("blocker"))
    blocked = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocked_by_rows", verbose_name=_("blocked account"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_unique_pair"),
            models.CheckConstraint(condition=~Q(blocker=F("blocked")), name="block_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.blocker_id} ⊘ {self.blocked_id}"


class InterestPick(models.Model):
    """A channel the user picked at onboarding; seeds their interest profile."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="interest_picks", verbose_name=_("user"))
    channel = models.ForeignKey("content.Channel", on_delete=models.CASCADE, related_name="+", verbose_name=_("channel"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("interest pick")
        verbose_name_plural = _("interest picks")
        constraints = [
            models.UniqueConstraint(fields=["user", "channel"], name="interest_pick_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ♥ {self.channel_id}"
