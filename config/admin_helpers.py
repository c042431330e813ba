"""What several apps' admins share."""

from __future__ import annotations


class DeleteEachThroughModel:
    """Admin mixin: the list's bulk delete deletes row by row through ``delete_model``
    (which such an admin routes through a service, so counters, inboxes and kept feed
    exclusions follow), never as one SQL DELETE that skips it. ``delete_related`` names
    the relations ``delete_model`` reads."""

    delete_related: tuple[str, ...] = ()

    def delete_queryset(self, request, queryset):
        for obj in queryset.select_related(*self.delete_related):
            self.delete_model(request, obj)


class ReadOnlyAdmin:
    """For rows only services write (audit entries, money, queue items): the admin shows
    them and nobody, superusers included, adds, edits or deletes them there."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
