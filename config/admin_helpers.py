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
