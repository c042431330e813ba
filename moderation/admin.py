"""The moderation panel: the review queue, report triage and the audit log.

Moderators (the "moderator" group: staff, not superusers) see these pages and the post
and user lists, and act through the action bar on a list page or the buttons on a
queue item's or reported post's page. Nothing here writes rows directly: every change
goes through ``moderation.services``.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

from accounts.admin import UserAdmin
from accounts.models import User
from boosts.admin import BoostAdmin
from boosts.models import Boost
from config.admin_helpers import ReadOnlyAdmin
from content.admin import CommentAdmin, PostAdmin
from content.models import Comment, Post, PostImage, Report
from feeds.models import PoolEntry
from moderation import services
from moderation.admin_actions import (
    BoostModerationActions,
    CommentModerationActions,
    PostModerationActions,
    UserModerationActions,
    options,
    run,
)
from moderation.models import AuditEntry, QueueItem, ReportedPost


def _count(qs, field: str = "pk") -> Subquery:
    """A correlated COUNT subquery (works the same on SQLite and PostgreSQL)."""
    return Coalesce(
        Subquery(qs.order_by().values(field).annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()),
        0,
    )


def _open_reports(via: str = "") -> Prefetch:
    return Prefetch(
        f"{via}reports", queryset=Report.objects.filter(status=Report.Status.OPEN).select_related("reporter").order_by("created_at"),
        to_attr="open_reports",
    )


def _images(via: str = "") -> Prefetch:
    return Prefetch(f"{via}images", queryset=PostImage.objects.order_by("position", "id"))


# ---------------------------------------------------------------- shared renderings
# Styles of these fragments live in static/css/admin.css: the Content-Security-Policy
# allows no inline style attributes.
def thumb(post: Post) -> str:
    if post.kind == Post.Kind.VIDEO and post.cover:
        url = post.cover_for_card.url
    else:
        images = list(post.images.all())
        url = images[0].for_card.url if images else ""
    return format_html('<img src="{}" alt="" class="mod-thumb">', url) if url else "—"


def media(post: Post) -> str:
    if post.kind == Post.Kind.VIDEO and post.video:
        return format_html(
            '<video src="{}" poster="{}" controls preload="metadata" class="mod-video"></video>',
            post.video.url, post.cover.url if post.cover else "",
        )
    return format_html_join(
        "", '<a href="{0}" target="_blank"><img src="{0}" alt="" class="mod-image"></a>',
        ((image.image.url,) for image in post.images.all()),
    ) or "—"


def reports_table(reports) -> str:
    if not reports:
        return _("no open reports")
    rows = format_html_join(
        "", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        ((r.get_reason_display(), r.detail or "—", r.reporter.username, f"{r.created_at:%Y-%m-%d %H:%M}") for r in reports),
    )
    return format_html(
        '<table data-testid="reports"><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>{}</table>',
        _("reason"), _("detail"), _("by"), _("when"), rows,
    )


def reason_counts(reports) -> str:
    """"Spam / ads ×2, Other ×1" for a post's open reports."""
    counts: dict[str, int] = {}
    for r in reports:
        counts[r.get_reason_display()] = counts.get(r.get_reason_display(), 0) + 1
    return ", ".join(f"{k} ×{v}" for k, v in counts.items())


def author_history(author) -> str:
    removed = Post.objects.filter(author=author, status=Post.Status.REMOVED).count()
    limited = Post.objects.filter(author=author, status=Post.Status.LIMITED).count()
    upheld = Report.objects.filter(post__author=author, status=Report.Status.ACCEPTED).count()
    weight = getattr(getattr(author, "weight", None), "weight", None)
    return format_html(
        "<b>{}</b> · {}{}",
        author.username,
        _("joined {since} ago · {posts} posts · {removed} removed · {limited} limited · {upheld} upheld reports"
          " · weight {weight}").format(
            since=timesince(author.date_joined), posts=author.post_count, removed=removed, limited=limited,
            upheld=upheld, weight=f"{weight:.2f}" if weight is not None else "—",
        ),
        format_html(' · <b class="mod-banned">{}</b>: {}', _("banned"), author.ban_reason) if author.is_banned else "",
    )


def pool_line(post: Post) -> str:
    entry = PoolEntry.objects.filter(post=post).first()
    if entry is None:
        return _("not in the pools")
    reasons = "; ".join(entry.quality_reasons) or "—"
    return _("tier {tier}, {state} · quality {quality} ({reasons})").format(
        tier=entry.tier, state=entry.get_state_display(), quality=f"{entry.quality_score:.2f}", reasons=reasons,
    )


class ActionButtonsMixin(ReadOnlyAdmin):
    """A detail page with the moderation buttons (they post to the list's action bar)."""

    change_form_template = "admin/moderation/change_form.html"
    buttons: list[tuple[str, str]] = []

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {
            "moderation_buttons": [
                (name, label) for name, label in self.buttons
                if name in self.get_actions(request)
            ],
            "moderation_changelist": reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"),
        }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    # What a moderator sees of the post under review, on the list and on its page.
    def post_of(self, obj) -> Post:
        return obj

    @admin.display(description="")
    def preview(self, obj):
        return thumb(self.post_of(obj))

    @admin.display(description=_("post"))
    def post_text(self, obj):
        post = self.post_of(obj)
        return format_html("<b>{}</b><br><small>{}</small>", post.title or _("(untitled)"), post.body[:120])

    @admin.display(description=_("media"))
    def post_media(self, obj):
        return media(self.post_of(obj))

    @admin.display(description=_("text"))
    def post_full_text(self, obj):
        post = self.post_of(obj)
        return format_html('<b>{}</b><p class="mod-text">{}</p>', post.title, post.body)

    @admin.display(description=_("author"))
    def author_history_line(self, obj):
        return author_history(self.post_of(obj).author)

    @admin.display(description=_("open reports"))
    def open_reports_table(self, obj):
        return reports_table(self.post_of(obj).open_reports)

    @admin.display(description=_("traffic pool"))
    def pool(self, obj):
        return pool_line(self.post_of(obj))


class OpenFilter(admin.SimpleListFilter):
    """Open items by default; resolved ones and all on request."""

    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("resolved", _("resolved")), ("all", pgettext_lazy("all items", "all"))]

    def choices(self, changelist):
        yield {"selected": self.value() is None, "query_string": changelist.get_query_string(remove=[self.parameter_name]), "display": _("open")}
        for value, label in self.lookup_choices:
            yield {"selected": self.value() == value, "query_string": changelist.get_query_string({self.parameter_name: value}), "display": label}


# ---------------------------------------------------------------- review queue
class QueueStateFilter(OpenFilter):
    def queryset(self, request, queryset):
        if self.value() == "all":
            return queryset
        return queryset.filter(resolved_at__isnull=self.value() != "resolved")


@admin.register(QueueItem)
class QueueAdmin(ActionButtonsMixin, PostModerationActions, admin.ModelAdmin):
    """待审队列: posts flagged by the quality rules, by reports, or pending by policy,
    oldest first, with what a moderator needs to decide without leaving the page."""

    list_display = ["preview", "post_text", "author_line", "source", "reason", "reports", "waiting"]
    list_filter = [QueueStateFilter, "source"]
    list_display_links = ["post_text"]
    ordering = ["created_at", "id"]
    list_per_page = 50
    search_fields = ["post__title", "post__body", "post__author__username", "reason"]
    fields = ["post_media", "post_full_text", "post_status", "author_history_line", "source", "reason",
              "open_reports_table", "pool", "created_at", "resolved_at"]
    readonly_fields = fields
    buttons = [("approve_posts", _("Approve")), ("limit_posts", _("Limit")), ("remove_posts", pgettext_lazy("moderation action", "Remove")),
               ("ban_authors", _("Ban author"))]

    def get_queryset(self, request):
        author = OuterRef("post__author_id")
        return (
            super().get_queryset(request)
            .select_related("post__author", "post__author__weight", "post__channel")
            .prefetch_related(_images("post__"), _open_reports("post__"))
            .annotate(
                author_removed=_count(Post.objects.filter(author_id=author, status=Post.Status.REMOVED), "author_id"),
                author_upheld=_count(Report.objects.filter(post__author_id=author, status=Report.Status.ACCEPTED), "post__author_id"),
            )
        )

    def post_of(self, obj) -> Post:
        return obj.post

    def moderation_posts(self, queryset):
        return [item.post for item in queryset]

    @admin.display(description=_("author (history)"))
    def author_line(self, obj):
        a = obj.post.author
        history = _("{posts} posts · {removed} removed · {upheld} upheld reports").format(
            posts=a.post_count, removed=obj.author_removed, upheld=obj.author_upheld)
        return format_html("{}<br><small>{}{}</small>", a.username, history,
                           format_html(" · {}", _("banned")) if a.is_banned else "")

    @admin.display(description=_("reports"))
    def reports(self, obj):
        reports = obj.post.open_reports
        if not reports:
            return "—"
        return format_html("{}<br><small>{}</small>", len(reports), reason_counts(reports))

    @admin.display(description=_("waiting"), ordering="created_at")
    def waiting(self, obj):
        return timesince(obj.created_at, timezone.now())

    @admin.display(description=_("status"))
    def post_status(self, obj):
        return f"{obj.post.get_status_display()} · {obj.post.channel} · {obj.post.get_kind_display()}"


# ---------------------------------------------------------------- report triage
class TriageStateFilter(OpenFilter):
    def queryset(self, request, queryset):
        if self.value() == "all":
            return queryset.filter(report_count__gt=0)
        if self.value() == "resolved":
            return queryset.filter(report_count__gt=0, open_count=0)
        return queryset.filter(open_count__gt=0)


@admin.register(ReportedPost)
class TriageAdmin(ActionButtonsMixin, PostModerationActions, admin.ModelAdmin):
    """举报处理: reports grouped by post, most reported first; accept (and act) or dismiss."""

    list_display = ["preview", "post_text", "author", "status", "open_count", "reasons", "first_report"]
    list_filter = [TriageStateFilter, "status"]
    list_display_links = ["post_text"]
    search_fields = ["title", "body", "author__username"]
    actions = ["accept_and_remove", "accept_and_limit", "accept_reports", "dismiss_reports", "ban_authors"]
    fields = ["post_media", "post_full_text", "status", "author_history_line", "open_reports_table", "pool"]
    readonly_fields = fields
    buttons = [("accept_and_remove", _("Accept + remove")), ("accept_and_limit", _("Accept + limit")),
               ("accept_reports", _("Accept")), ("dismiss_reports", _("Dismiss")), ("ban_authors", _("Ban author"))]

    def get_queryset(self, request):
        # Annotate before ordering: the order is by the annotations.
        return (
            self.model._default_manager.select_related("author", "author__weight", "channel")
            .prefetch_related(_images(), _open_reports())
            .annotate(
                open_count=Count("reports", filter=Q(reports__status=Report.Status.OPEN)),
                first_report=_first_open_report(),
            )
            .order_by(*self.get_ordering(request))
        )

    def get_ordering(self, request):
        return ["-open_count", "first_report", "pk"]

    def has_triage_permission(self, request):
        return request.user.has_perm("moderation.triage_report")

    def _triage(self, request, queryset, action, done, **kwargs):
        run(self, request, list(queryset), action, done, reason=options(request)["reason"], **kwargs)

    @admin.action(description=_("Accept reports and remove the posts"), permissions=["triage"])
    def accept_and_remove(self, request, queryset):
        self._triage(request, queryset, services.reports_accept,
                     ngettext_lazy("Reports accepted, {count} post removed.",
                                   "Reports accepted, {count} posts removed.", "count"), then="remove")

    @admin.action(description=_("Accept reports and limit the posts"), permissions=["triage"])
    def accept_and_limit(self, request, queryset):
        self._triage(request, queryset, services.reports_accept,
                     ngettext_lazy("Reports accepted, {count} post limited.",
                                   "Reports accepted, {count} posts limited.", "count"), then="limit")

    @admin.action(description=_("Accept reports (no change to the post)"), permissions=["triage"])
    def accept_reports(self, request, queryset):
        self._triage(request, queryset, services.reports_accept,
                     ngettext_lazy("Reports accepted on {count} post.", "Reports accepted on {count} posts.", "count"))

    @admin.action(description=_("Dismiss reports"), permissions=["triage"])
    def dismiss_reports(self, request, queryset):
        self._triage(request, queryset, services.reports_dismiss,
                     ngettext_lazy("Reports dismissed on {count} post.", "Reports dismissed on {count} posts.", "count"))

    @admin.display(description=_("open"), ordering="open_count")
    def open_count(self, obj):
        return obj.open_count

    @admin.display(description=_("reasons"))
    def reasons(self, obj):
        return reason_counts(obj.open_reports) or "—"

    @admin.display(description=_("first open report"), ordering="first_report")
    def first_report(self, obj):
        return obj.first_report


def _first_open_report():
    return Subquery(
        Report.objects.filter(post_id=OuterRef("pk"), status=Report.Status.OPEN)
        .order_by("created_at").values("created_at")[:1]
    )


# ---------------------------------------------------------------- audit log
@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """审核日志: read-only for everyone, superusers included."""

    list_display = ["created_at", "moderator_name", "action", "target_type", "target_link", "reason", "change"]
    list_filter = ["action", "target_type", "moderator_name"]
    search_fields = ["target_label", "reason", "moderator_name"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "moderator", "moderator_name", "action", "target_type", "target_id",
                       "target_label", "reason", "before", "after"]
    fields = readonly_fields

    @admin.display(description=_("target"))
    def target_link(self, obj):
        names = {"post": "content_post", "user": "accounts_user"}
        if obj.target_type in names:
            url = reverse(f"admin:{names[obj.target_type]}_change", args=[obj.target_id])
            return format_html('<a href="{}">{}</a>', url, obj.target_label)
        return obj.target_label

    @admin.display(description=_("before → after"))
    def change(self, obj):
        keys = [k for k in obj.after if obj.before.get(k) != obj.after.get(k)]
        return "; ".join(f"{k}: {obj.before.get(k)} → {obj.after.get(k)}" for k in keys) or "—"


# Moderation adds its actions to the admins of the apps below it (they do not import it).
class ModeratedUserAdmin(UserModerationActions, UserAdmin):
    pass


class ModeratedPostAdmin(PostModerationActions, PostAdmin):
    pass


class ModeratedBoostAdmin(BoostModerationActions, BoostAdmin):
    pass


class ModeratedCommentAdmin(CommentModerationActions, CommentAdmin):
    pass


for _model, _admin in (
    (User, ModeratedUserAdmin), (Post, ModeratedPostAdmin), (Boost, ModeratedBoostAdmin),
    (Comment, ModeratedCommentAdmin),
):
    admin.site.unregister(_model)
    admin.site.register(_model, _admin)
