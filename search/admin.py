"""Admin of search: hot searches (moderators take one down for good) and blocked queries."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from search.models import BlockedSearch, HotSearch, SearchLog
from search.services import hot_search_block
from search.tokens import normalise


@admin.register(HotSearch)
class HotSearchAdmin(admin.ModelAdmin):
    list_display = ["rank", "query", "searches", "score", "computed_at"]
    actions = ["take_down"]

    def has_add_permission(self, request) -> bool:
        return False  # the recompute writes them

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(
        description=_("Take down: remove from hot searches for good"), permissions=["delete"]
    )
    def take_down(self, request, queryset):
        queries = list(queryset.values_list("query", flat=True))
        for query in queries:
            hot_search_block(query=query, by=request.user)
        self.message_user(
            request, _("Took down {n} hot searches.").format(n=len(queries)), messages.SUCCESS
        )


@admin.register(BlockedSearch)
class BlockedSearchAdmin(admin.ModelAdmin):
    list_display = ["query", "blocked_by", "created_at"]
    search_fields = ["query"]
    readonly_fields = ["blocked_by", "created_at"]

    def save_model(self, request, obj, form, change) -> None:
        obj.query = normalise(obj.query)
        obj.blocked_by = obj.blocked_by or request.user
        super().save_model(request, obj, form, change)
        HotSearch.objects.filter(query=obj.query).delete()


@admin.register(SearchLog)
class SearchLogAdmin(admin.ModelAdmin):
    list_display = ["query", "user", "created_at"]
    search_fields = ["query"]
    list_filter = ["created_at"]
    list_select_related = ["user"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
