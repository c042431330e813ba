"""Web pages of notifications: the 消息 page with its tabs, marking read, the mutes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from feeds.cursor import BadCursor
from notifications import selectors, services
from notifications.models import Category, Notification
from notifications.text import sentence, target_path

TABS = [
    (Category.LIKES, gettext_lazy("Likes and saves")),
    (Category.FOLLOWS, gettext_lazy("New followers")),
    (Category.COMMENTS, gettext_lazy("Comments and @")),
    (Category.SYSTEM, gettext_lazy("System")),
]


@login_required
def inbox(request):
    """消息: one tab of the person's notifications (赞和收藏 by default), newest first."""
    tab = request.GET.get("tab") or Category.LIKES
    if tab not in Category.values:
        raise Http404(_("No such tab."))
    try:
        page = selectors.notifications_page(
            user=request.user, category=tab, cursor=request.GET.get("cursor")
        )
    except BadCursor:
        return redirect(f"{reverse('web:notifications')}?tab={tab}")
    counts = selectors.unread_counts(user=request.user)
    lines = [{"n": n, "text": sentence(n), "url": target_path(n)} for n in page.items]
    context = {
        "tab": tab,
        "tabs": [(key, label, counts[key]) for key, label in TABS],
        "lines": lines,
        "next_cursor": page.next_cursor,
        "settings_row": selectors.notification_settings_of(user=request.user),
    }
    return render(request, "notifications/inbox.html", context)


@login_required
@require_POST
def mark_read(request):
    """Mark every unread line of a tab read (or of all tabs)."""
    category = request.POST.get("tab") or None
    if category is not None and category not in Category.values:
        raise Http404(_("No such tab."))
    services.notifications_mark_read(user=request.user, category=category)
    return redirect(f"{reverse('web:notifications')}?tab={category or Category.LIKES}")


@login_required
@require_POST
def open_line(request, pk):
    """Mark one line read and go where it leads (a 404 for someone else's)."""
    try:
        services.notifications_mark_read(user=request.user, ids=[pk])
    except Notification.DoesNotExist:
        raise Http404(_("No such notification.")) from None
    line = Notification.objects.select_related("actor").get(pk=pk)
    return redirect(target_path(line))


@login_required
@require_POST
def mutes(request):
    """Save the mute switches (a ticked box mutes its category)."""
    services.notification_settings_update(
        user=request.user, **{f"mute_{c}": f"mute_{c}" in request.POST for c in Category.values}
    )
    messages.success(request, _("Saved."))
    return redirect(
        f"{reverse('web:notifications')}?tab={request.POST.get('tab') or Category.LIKES}"
    )
