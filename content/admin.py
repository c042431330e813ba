from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from config.admin_helpers import DeleteEachThroughModel

from . import services
from .models import (
    Channel,
    Comment,
    EngagementBurst,
    Event,
    Favourite,
    Like,
    NotInterested,
    Post,
    PostImage,
    PostTag,
    Report,
    Tag,
)


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["name_zh", "name_en", "slug", "parent", "position"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name_zh", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "post_count", "created_at"]
    search_fields = ["name"]
    readonly_fields = ["post_count"]


class PostImageInline(admin.TabularInline):
    model = PostImage
    extra = 0
    readonly_fields = ["preview", "width", "height"]
    fields = ["preview", "image", "position", "width", "height"]

    @admin.display(description=_("preview"))
    def preview(self, obj):
        return format_html('<img src="{}" alt="" class="preview-image">', obj.for_card.url) if obj.image else "—"


class PostTagInline(admin.TabularInline):
    model = PostTag
    extra = 0
    autocomplete_fields = ["tag"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    """All posts; status changes go through the moderation actions (audited, and felt
    by the feeds at once; ``moderation.admin`` adds them), so status and its reason are
    read-only in the form."""

    list_display = [
        "id",
        "title",
        "kind",
        "author",
        "channel",
        "status",
        "like_count",
        "comment_count",
        "report_count",
        "published_at",
    ]
    list_filter = ["status", "kind", "channel"]
    search_fields = ["title", "body", "author__username"]
    raw_id_fields = ["author"]
    date_hierarchy = "created_at"
    list_select_related = ["author", "channel"]
    readonly_fields = [
        "status",
        "status_reason",
        "like_count",
        "favourite_count",
        "comment_count",
        "share_count",
        "view_count",
        "report_count",
        "created_at",
        "updated_at",
    ]
    inlines = [PostImageInline, PostTagInline]

    def delete_model(self, request, obj):
        services.post_delete(post=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for post in queryset:
            services.post_delete(post=post, actor=request.user)


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["id", "post", "author", "body", "parent", "created_at"]
    search_fields = ["body", "author__username"]
    raw_id_fields = ["post", "author", "parent"]
    list_select_related = ["post", "author"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["id", "post", "reporter", "reason", "status", "created_at"]
    list_filter = ["status", "reason"]
    search_fields = ["post__title", "reporter__username", "detail"]
    raw_id_fields = ["post", "reporter"]
    list_select_related = ["post", "reporter"]


class _ReadOnlyRowAdmin(admin.ModelAdmin):
    """Interaction rows are written by services only; the admin shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Like, Favourite)
class LikeAdmin(DeleteEachThroughModel, _ReadOnlyRowAdmin):
    """Likes and favourites; deleting one goes through the service so counters follow."""

    list_display = ["user", "post", "created_at"]
    search_fields = ["user__username"]
    raw_id_fields = ["user", "post"]
    delete_related = ("user", "post")

    def delete_model(self, request, obj):
        undo = services.like_delete if isinstance(obj, Like) else services.favourite_delete
        undo(user=obj.user, post=obj.post)


@admin.register(NotInterested)
class NotInterestedAdmin(DeleteEachThroughModel, _ReadOnlyRowAdmin):
    """Deleting a choice goes through the service, so the user's feeds show what it hid
    at once (their kept exclusions are made obsolete)."""

    list_display = ["user", "kind", "post", "author", "tag", "created_at"]
    list_filter = ["kind"]
    raw_id_fields = ["user", "post", "author", "tag"]
    delete_related = ("user",)

    def delete_model(self, request, obj):
        services.not_interested_delete(user=obj.user, pk=obj.pk)


@admin.register(Event)
class EventAdmin(_ReadOnlyRowAdmin):
    list_display = ["id", "kind", "user", "post", "seconds", "completed", "source", "created_at"]
    list_filter = ["kind", "source", "completed"]
    raw_id_fields = ["user", "post"]
    date_hierarchy = "created_at"
    show_full_result_count = False


@admin.register(EngagementBurst)
class EngagementBurstAdmin(_ReadOnlyRowAdmin):
    """Bursts of engagement from one account or one address: their events are kept but
    left out of the traffic pools (docs/engagement.md). Moderators see who, when, how
    many events and on which posts, and take any action on the post or the account."""

    list_display = ["id", "source", "started_at", "last_event_at", "events", "accounts", "posts"]
    search_fields = ["user__username", "address"]
    date_hierarchy = "started_at"
    list_select_related = ["user"]
    readonly_fields = ["user", "address", "started_at", "last_event_at", "events", "accounts", "posts", "by_post"]
    show_full_result_count = False

    @admin.display(description=_("from"))
    def source(self, obj):
        if obj.user_id:
            return _("account {username}").format(username=obj.user.username)
        return _("address {address}").format(address=obj.address)

    @admin.display(description=_("events by post"))
    def by_post(self, obj):
        rows = (
            Event.objects.filter(burst=obj)
            .values("post_id", "post__title", "kind")
            .annotate(n=Count("id"))
            .order_by("-n", "post_id")[:50]
        )
        return format_html_join(
            "",
            '<div><a href="{}">{}</a> · {} × {}</div>',
            (
                (reverse("admin:content_post_change", args=[r["post_id"]]), r["post__title"] or _("post {id}").format(id=r["post_id"]),
                 Event.Kind(r["kind"]).label, r["n"])
                for r in rows
            ),
        ) or "—"
