"""Notifications in the admin: what was someone told, what waits for the worker."""

from django.contrib import admin

from notifications.models import Notification, NotificationSettings, Outbox


class ShownOnly:
    """Rows only the services write: shown, never added or edited here. Deleting stays
    allowed, so deleting a post or a person in the admin may take their notifications along."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(ShownOnly, admin.ModelAdmin):
    list_display = [
        "id",
        "recipient",
        "category",
        "verb",
        "actor",
        "actor_count",
        "post",
        "updated_at",
        "read_at",
    ]
    list_filter = ["category", "verb"]
    search_fields = ["recipient__username", "actor__username", "text"]
    raw_id_fields = ["recipient", "actor", "post", "comment"]
    list_select_related = ["recipient", "actor", "post"]


@admin.register(Outbox)
class OutboxAdmin(ShownOnly, admin.ModelAdmin):
    """Rows decided but not yet delivered: a long list here means no worker is running."""

    list_display = ["id", "recipient", "verb", "actor", "post", "created_at"]
    list_filter = ["verb"]
    raw_id_fields = ["recipient", "actor", "post", "comment"]
    list_select_related = ["recipient", "actor", "post"]


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(admin.ModelAdmin):
    list_display = ["user", "mute_likes", "mute_follows", "mute_comments", "mute_system"]
    raw_id_fields = ["user"]
    list_select_related = ["user"]
