"""Boosts and the ledger in the admin: read-only lists; moderators can stop a boost."""

from django.contrib import admin, messages

from boosts.models import Boost, LedgerEntry, Wallet
from moderation import services as moderation
from moderation.admin_actions import ModerationActionForm, ReadOnlyAdmin, options, run


class ReadOnly(ReadOnlyAdmin, admin.ModelAdmin):
    """Money moves only through the services (ledger entries, refunds)."""


@admin.register(Boost)
class BoostAdmin(ReadOnly):
    list_display = ["id", "post_title", "buyer", "status", "targeting", "delivered", "budget", "cost", "refunded",
                    "starts_at", "ends_at"]
    list_filter = ["status", "targeting"]
    search_fields = ["post_title", "buyer__username"]
    list_select_related = ["buyer"]
    raw_id_fields = ["buyer", "post"]
    action_form = ModerationActionForm
    actions = ["stop_boosts"]

    def has_stop_permission(self, request):
        return request.user.has_perm("moderation.stop_boost")

    @admin.action(description="Stop (with refund) 停止投放", permissions=["stop"])
    def stop_boosts(self, request, queryset):
        opts = options(request)
        if not opts["reason"]:
            self.message_user(request, "Give a reason to stop a boost; the buyer will see it.", messages.ERROR)
            return
        run(self, request, queryset, moderation.boost_stop, "Stopped and refunded", arg="boost", reason=opts["reason"])


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnly):
    list_display = ["created_at", "user", "kind", "amount", "balance_after", "boost", "memo"]
    list_filter = ["kind"]
    search_fields = ["user__username", "key", "memo"]
    list_select_related = ["user", "boost"]
    date_hierarchy = "created_at"


@admin.register(Wallet)
class WalletAdmin(ReadOnly):
    list_display = ["user", "balance", "updated_at"]
    search_fields = ["user__username"]
    list_select_related = ["user"]
