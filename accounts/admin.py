from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from moderation.admin_actions import UserModerationActions

from .models import Block, Follow, InterestPick, User


class InterestPickInline(admin.TabularInline):
    model = InterestPick
    extra = 0
    autocomplete_fields = ["channel"]


@admin.register(User)
class UserAdmin(UserModerationActions, BaseUserAdmin):
    """People; a ban goes through the ban action (audited; tokens revoked, posts out of
    the feeds at once), so the ban fields are read-only here."""

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
            "Profile",
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
        ("Moderation", {"fields": ["is_banned", "banned_at", "ban_reason"]}),
        ("Counters", {"fields": ["follower_count", "following_count", "post_count"]}),
    ]
    inlines = [InterestPickInline]


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ["follower", "followee", "created_at"]
    search_fields = ["follower__username", "followee__username"]
    raw_id_fields = ["follower", "followee"]
    date_hierarchy = "created_at"


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["blocker", "blocked", "created_at"]
    search_fields = ["blocker__username", "blocked__username"]
    raw_id_fields = ["blocker", "blocked"]
