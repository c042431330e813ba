from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from config.admin_helpers import DeleteEachThroughModel

from . import events, services
from .models import Block, Follow, InterestPick, User


class InterestPickInline(admin.TabularInline):
    """The channels someone picked; a change here seeds their profile (``UserAdmin``)."""

    model = InterestPick
    extra = 0
    fields = ["channel", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["channel"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """People; a ban goes through the ban action (audited; tokens revoked, posts out of
    the feeds at once; ``moderation.admin`` adds it), so the ban fields are read-only here."""

    list_display = [
        "username",
        "display_name",
        "region",
        "language",
        "follower_count",
        "post_count",
        "is_banned",
        "is_staff",
        "date_joined",
    ]
    list_filter = ["is_banned", "is_staff", "is_active", "language", "region"]
    search_fields = ["username", "display_name", "email"]
    readonly_fields = ["follower_count", "following_count", "post_count", "onboarded_at",
                       "is_banned", "banned_at", "ban_reason"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (
            _("Profile"),
            {
                "fields": [
                    "display_name",
                    "bio",
                    "avatar",
                    "language",
                    "region",
                    "home_place",
                    "home_lat",
                    "home_lng",
                    "onboarded_at",
                ]
            },
        ),
        (_("Moderation"), {"fields": ["is_banned", "banned_at", "ban_reason"]}),
        (_("Counters"), {"fields": ["follower_count", "following_count", "post_count"]}),
    ]
    inlines = [InterestPickInline]

    def save_related(self, request, form, formsets, change):
        """Picks changed on this page seed the profile as the app's onboarding does."""
        super().save_related(request, form, formsets, change)
        if any(fs.model is InterestPick and fs.has_changed() for fs in formsets):
            events.interests_picked.send(user_id=form.instance.pk)


class _PairForm(forms.ModelForm):
    """A follow or a block added in the admin, checked as the API checks it."""

    first, second = "follower", "followee"

    def clean(self):
        data = super().clean()
        a, b = data.get(self.first), data.get(self.second)
        if a and b:
            refusal = self.refusal(a, b)
            if refusal:
                raise forms.ValidationError(refusal)
        return data

    def refusal(self, a: User, b: User) -> str | None:
        raise NotImplementedError


class FollowForm(_PairForm):
    class Meta:
        model = Follow
        fields = ["follower", "followee"]

    def refusal(self, a, b):
        return services.follow_refusal(a, b)


class BlockForm(_PairForm):
    first, second = "blocker", "blocked"

    class Meta:
        model = Block
        fields = ["blocker", "blocked"]

    def refusal(self, a, b):
        return _("Nobody can block themselves.") if a.pk == b.pk else None


class _ThroughServicesAdmin(DeleteEachThroughModel, admin.ModelAdmin):
    """Follows and blocks are added and deleted through the account services, as the API
    does it: follower counts, follow inboxes and the feeds' kept exclusions (blocks) follow
    at once. A row is added or deleted, never edited (that would be another pair).
    Subclasses name the services (``create``, ``delete``) and the form, whose ``first``
    and ``second`` name the pair's two fields."""

    @property
    def delete_related(self) -> tuple[str, str]:
        return self.form.first, self.form.second

    def has_change_permission(self, request, obj=None):
        return False

    def _pair(self, obj) -> dict:
        return {name: getattr(obj, name) for name in self.delete_related}

    def save_model(self, request, obj, form, change):
        pair = self._pair(obj)
        self.create(**pair)
        obj.pk = self.model.objects.values_list("pk", flat=True).get(**pair)

    def delete_model(self, request, obj):
        self.delete(**self._pair(obj))


@admin.register(Follow)
class FollowAdmin(_ThroughServicesAdmin):
    form = FollowForm
    create, delete = staticmethod(services.follow_create), staticmethod(services.follow_delete)
    list_display = ["follower", "followee", "created_at"]
    search_fields = ["follower__username", "followee__username"]
    raw_id_fields = ["follower", "followee"]
    date_hierarchy = "created_at"


@admin.register(Block)
class BlockAdmin(_ThroughServicesAdmin):
    form = BlockForm
    create, delete = staticmethod(services.block_create), staticmethod(services.block_delete)
    list_display = ["blocker", "blocked", "created_at"]
    search_fields = ["blocker__username", "blocked__username"]
    raw_id_fields = ["blocker", "blocked"]
