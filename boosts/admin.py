"""Boosts and the ledger in the admin: read-only lists (moderation adds the stop action,
``moderation.admin``)."""

from django.contrib import admin

from boosts.models import Boost, LedgerEntry, Wallet
from config.admin_helpers import ReadOnlyAdmin


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
