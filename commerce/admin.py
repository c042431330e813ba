"""Commerce in the admin: shops are granted here; products are moderated here (remove,
with a reason and an audit entry); events and orders are read-only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from commerce import services
from commerce.models import Order, Product, ProductEvent, Shop
from config.admin_helpers import DeleteEachThroughModel, ReadOnlyAdmin
from moderation import admin_actions


@admin.register(Shop)
class ShopAdmin(admin.ModelAdmin):
    """Granting a shop is the shop flag on the account: add a row (or reactivate one)."""

    list_display = ["user", "name", "active", "granted_by", "granted_at"]
    list_filter = ["active"]
    search_fields = ["user__username", "name"]
    raw_id_fields = ["user"]
    readonly_fields = ["granted_by", "granted_at"]
    list_select_related = ["user", "granted_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)


class _RowsByServices(admin.ModelAdmin):
    """Rows the services write: no add or edit here. Deleting follows Django's delete
    permission (deleting a post deletes its products and their events)."""

    def has_add_permission(self, request):
        return False


@admin.register(Product)
class ProductAdmin(DeleteEachThroughModel, _RowsByServices):
    """Products change only through their services: the seller adds them, moderation
    removes them here (a removed product leaves every post at once)."""

    list_display = [
        "id",
        "title",
        "seller",
        "post",
        "price",
        "stock",
        "checkout",
        "status",
        "created_at",
    ]
    list_filter = ["status", "checkout"]
    search_fields = ["title", "seller__username"]
    list_select_related = ["seller", "post"]
    raw_id_fields = ["seller", "post"]
    action_form = admin_actions.ModerationActionForm
    actions = ["remove_products"]

    def has_change_permission(self, request, obj=None):
        # The list's action needs it; the change form stays read-only (every field below).
        return request.user.has_perm("moderation.moderate_post")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Product._meta.fields]

    @admin.action(description=_("Remove the product (reason required)"), permissions=["moderate"])
    def remove_products(self, request, queryset):
        opts = admin_actions.options(request)
        admin_actions.run(
            self,
            request,
            queryset,
            services.product_remove,
            ngettext_lazy("Removed {count} product.", "Removed {count} products.", "count"),
            arg="product",
            reason=opts["reason"],
        )

    def has_moderate_permission(self, request):
        return request.user.has_perm("moderation.moderate_post")

    def delete_model(self, request, obj):
        services.product_delete(product=obj)


@admin.register(ProductEvent)
class ProductEventAdmin(_RowsByServices):
    def has_change_permission(self, request, obj=None):
        return False

    list_display = ["created_at", "kind", "product", "user"]
    list_filter = ["kind"]
    raw_id_fields = ["product", "user", "post"]


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["id", "created_at", "buyer", "product_title", "quantity", "amount", "status"]
    list_filter = ["status"]
    search_fields = ["buyer__username", "product_title", "key"]
    list_select_related = ["buyer"]
    raw_id_fields = ["buyer", "product", "post", "seller"]
