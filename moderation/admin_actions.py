"""Moderation actions for the admin's list pages (posts, the queue, triage, users).

The action bar carries a reason (shown to the author for removals), a hot list and a pin
position next to the usual action menu, so one form serves single and bulk actions. Each
action calls ``moderation.services`` once per target; a refused target (a removal without
a reason, a post already removed …) is reported as an error message and changes nothing.
Each action needs its own permission, held by the moderator group and by superusers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, ngettext_lazy, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from content.models import Channel, Post
from moderation import services


class ModerationActionForm(ActionForm):
    reason = forms.CharField(
        required=False, max_length=services.REASON_MAX, label=_("Reason"),
        widget=forms.TextInput(attrs={"size": 36, "placeholder": _("required to remove or ban; the author sees it")}),
    )
    hot_list = forms.ChoiceField(required=False, label=_("Hot list"))
    position = forms.IntegerField(required=False, min_value=1, initial=1, label=_("at #"),
                                  widget=forms.NumberInput(attrs={"class": "mod-position"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name = "name_en" if get_language().startswith("en") else "name_zh"
        top = Channel.objects.filter(parent__isnull=True).order_by("position", "id").values_list("slug", name)
        self.fields["hot_list"].choices = [("global", pgettext_lazy("hot list", "All")), *top]


# The ban's report, for the users' list and the posts' "ban their authors".
BANNED = ngettext_lazy("Banned {count} account.", "Banned {count} accounts.", "count")


def hot_list_name(key: str) -> str:
    """The hot list's name as the action bar shows it (全站 / All, or a channel's)."""
    return str(dict(ModerationActionForm().fields["hot_list"].choices).get(key, key))


def options(request) -> dict:
    form = ModerationActionForm(request.POST)
    form.fields["action"].choices = [(request.POST.get("action", ""), "")]
    form.is_valid()
    data = form.cleaned_data
    return {
        "reason": data.get("reason") or "",
        "list_key": data.get("hot_list") or "global",
        "position": data.get("position") or 1,
        "errors": [f"{form.fields[name].label}: {' '.join(errs)}" for name, errs in form.errors.items()],
    }


def run(modeladmin, request, targets: Iterable, action: Callable, done, *, arg: str = "post",
        about: dict | None = None, **kwargs) -> None:
    """Apply ``action`` to each target (passed as ``arg``); report how many worked and why
    the others did not. ``done`` is an ``ngettext_lazy`` msgid pair counted by ``{count}``
    ("Removed {count} post." / "… posts."), filled with ``about``'s other values too."""
    ok, failed = 0, []
    for target in targets:
        try:
            action(moderator=request.user, **{arg: target}, **kwargs)
            ok += 1
        except ValidationError as exc:
            failed.append(" ".join(exc.messages))
    if ok:
        modeladmin.message_user(request, done.format(count=ok, **(about or {})), messages.SUCCESS)
    for message in dict.fromkeys(failed):
        modeladmin.message_user(request, message, messages.ERROR)


class PostModerationActions:
    """Post actions for any admin whose rows lead to posts (``moderation_posts``)."""

    action_form = ModerationActionForm
    actions = [
        "approve_posts", "limit_posts", "remove_posts", "restore_posts",
        "pin_posts", "unpin_posts", "hot_remove_posts", "ban_authors",
    ]

    def moderation_posts(self, queryset) -> list[Post]:
        return list(queryset.select_related("author", "channel"))

    def has_moderate_permission(self, request) -> bool:
        return request.user.has_perm("moderation.moderate_post")

    def has_pin_permission(self, request) -> bool:
        return request.user.has_perm("moderation.pin_hot")

    def has_ban_permission(self, request) -> bool:
        return request.user.has_perm("moderation.ban_user")

    def _posts_action(self, request, queryset, action, done, *, takes: tuple[str, ...] = ()):
        """Run ``action`` on the rows' posts with the reason and the bar's ``takes`` fields
        (``list_key``, ``position``); a bad field in the bar is reported and runs nothing."""
        opts = options(request)
        for error in opts["errors"]:
            self.message_user(request, error, messages.ERROR)
        if opts["errors"]:
            return
        kwargs = {"reason": opts["reason"], **{name: opts[name] for name in takes}}
        about = {"hot_list": hot_list_name(opts["list_key"])} if "list_key" in takes else {}
        run(self, request, self.moderation_posts(queryset), action, done, about=about, **kwargs)

    @admin.action(description=_("Approve"), permissions=["moderate"])
    def approve_posts(self, request, queryset):
        self._posts_action(request, queryset, services.post_approve,
                           ngettext_lazy("Approved {count} post.", "Approved {count} posts.", "count"))

    @admin.action(description=_("Limit distribution"), permissions=["moderate"])
    def limit_posts(self, request, queryset):
        self._posts_action(request, queryset, services.post_limit,
                           ngettext_lazy("Limited {count} post.", "Limited {count} posts.", "count"))

    @admin.action(description=_("Remove (with reason)"), permissions=["moderate"])
    def remove_posts(self, request, queryset):
        self._posts_action(request, queryset, services.post_remove,
                           ngettext_lazy("Removed {count} post.", "Removed {count} posts.", "count"))

    @admin.action(description=_("Restore"), permissions=["moderate"])
    def restore_posts(self, request, queryset):
        self._posts_action(request, queryset, services.post_restore,
                           ngettext_lazy("Restored {count} post.", "Restored {count} posts.", "count"))

    @admin.action(description=_("Pin to hot list"), permissions=["pin"])
    def pin_posts(self, request, queryset):
        self._posts_action(request, queryset, services.hot_pin,
                           ngettext_lazy("Pinned {count} post to the hot list {hot_list}.",
                                         "Pinned {count} posts to the hot list {hot_list}.", "count"),
                           takes=("list_key", "position"))

    @admin.action(description=_("Unpin from hot list"), permissions=["pin"])
    def unpin_posts(self, request, queryset):
        self._posts_action(request, queryset, services.hot_unpin,
                           ngettext_lazy("Unpinned {count} post on the hot list {hot_list}.",
                                         "Unpinned {count} posts on the hot list {hot_list}.", "count"),
                           takes=("list_key",))

    @admin.action(description=_("Remove from hot list"), permissions=["pin"])
    def hot_remove_posts(self, request, queryset):
        self._posts_action(request, queryset, services.hot_remove,
                           ngettext_lazy("Took {count} post off the hot list {hot_list}.",
                                         "Took {count} posts off the hot list {hot_list}.", "count"),
                           takes=("list_key",))

    @admin.action(description=_("Ban their authors"), permissions=["ban"])
    def ban_authors(self, request, queryset):
        opts = options(request)
        authors = {post.author_id: post.author for post in self.moderation_posts(queryset)}
        run(self, request, authors.values(), services.user_ban, BANNED, arg="user", reason=opts["reason"])


class BoostModerationActions:
    """The stop action for the boosts' admin."""

    action_form = ModerationActionForm
    actions = ["stop_boosts"]

    def has_stop_permission(self, request):
        return request.user.has_perm("moderation.stop_boost")

    @admin.action(description=_("Stop (with refund)"), permissions=["stop"])
    def stop_boosts(self, request, queryset):
        opts = options(request)
        if not opts["reason"]:
            self.message_user(request, _("Give a reason to stop a boost; the buyer will see it."), messages.ERROR)
            return
        run(self, request, queryset, services.boost_stop,
            ngettext_lazy("Stopped and refunded {count} boost.", "Stopped and refunded {count} boosts.", "count"),
            arg="boost", reason=opts["reason"])


class UserModerationActions:
    """Ban and unban for the users admin."""

    action_form = ModerationActionForm
    actions = ["ban_users", "unban_users"]

    def has_ban_permission(self, request) -> bool:
        return request.user.has_perm("moderation.ban_user")

    @admin.action(description=_("Ban (with reason)"), permissions=["ban"])
    def ban_users(self, request, queryset):
        run(self, request, queryset, services.user_ban, BANNED, arg="user", reason=options(request)["reason"])

    @admin.action(description=_("Lift the ban"), permissions=["ban"])
    def unban_users(self, request, queryset):
        run(self, request, queryset, services.user_unban,
            ngettext_lazy("Lifted the ban on {count} account.", "Lifted the ban on {count} accounts.", "count"),
            arg="user", reason=options(request)["reason"])


class CommentModerationActions:
    """Remove comments (with a reason, told to their authors) from the comments' admin."""

    action_form = ModerationActionForm
    actions = ["remove_comments"]

    def has_moderate_permission(self, request) -> bool:
        return request.user.has_perm("moderation.moderate_post")

    @admin.action(description=_("Remove the comment (with reason)"), permissions=["moderate"])
    def remove_comments(self, request, queryset):
        opts = options(request)
        if not opts["reason"]:
            self.message_user(request, _("Give a reason to remove a comment; its author will see it."), messages.ERROR)
            return
        run(self, request, queryset, services.comment_remove,
            ngettext_lazy("Removed {count} comment.", "Removed {count} comments.", "count"),
            arg="comment", reason=opts["reason"])
