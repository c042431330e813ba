"""Web pages for content: latest posts, an author's profile, post detail, publishing,
interactions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import selectors as account_selectors
from accounts.models import User
from config.forms_errors import add_service_errors
from config.throttles import client_address

from . import selectors, services
from .forms import CommentForm, PostForm, ReportForm, TagSuggestForm
from .models import Comment, Post, Tag
from .tagging import split_tag_input, suggest_tags


def latest(request):
    """最新: every published post, newest first (the plain list, beside the ranked feeds)."""
    if request.user.is_authenticated and request.user.onboarded_at is None:
        return redirect("web:onboarding")
    page = Paginator(selectors.posts_latest(user=request.user), 24).get_page(request.GET.get("page"))
    state = selectors.viewer_state(user=request.user, post_ids=[p.pk for p in page])
    return render(request, "content/latest.html", {"page": page, "state": state, "tab": "latest"})


def tag(request, name):
    """Latest posts carrying a tag."""
    current = get_object_or_404(Tag, name=name)
    posts = selectors.posts_latest(user=request.user).filter(post_tags__tag=current)
    page = Paginator(posts, 24).get_page(request.GET.get("page"))
    state = selectors.viewer_state(user=request.user, post_ids=[p.pk for p in page])
    return render(request, "content/latest.html", {"page": page, "state": state, "current_tag": current})


PROFILE_TABS = ("posts", "saved", "liked")


def profile(request, username, tab="posts"):
    """A profile: header with its totals (获赞与收藏, 关注, 粉丝), follow button, and the
    tabs 笔记 / 收藏 / 赞过 as waterfalls of cards. Others see 收藏 and 赞过 only when the
    owner keeps them public; a private tab says so (the profile itself still opens)."""
    if tab not in PROFILE_TABS:
        raise Http404(_("No such tab."))
    author = get_object_or_404(User, username=username, is_active=True)
    hidden = account_selectors.hidden_author_ids(user=request.user)
    if author.pk in hidden:  # either blocks the other (so the page never offers "unblock")
        return render(request, "accounts/blocked.html", {"author": author}, status=403)
    is_me = request.user.is_authenticated and request.user.pk == author.pk
    collections_visible = selectors.collections_visible(owner=author, viewer=request.user)
    page, posts = None, []
    if tab == "posts":
        page = Paginator(selectors.posts_of_author(author=author, viewer=request.user), 24).get_page(
            request.GET.get("page")
        )
        posts = list(page)
    elif collections_visible:
        collected = selectors.favourites_of if tab == "saved" else selectors.likes_of
        rows = collected(owner=author, viewer=request.user, hidden=hidden)
        page = Paginator(rows, 24).get_page(request.GET.get("page"))
        posts = [row.post for row in page]
    # The viewer's hearts and stars on the cards, and whether they follow the author, in one query.
    state = selectors.viewer_state(user=request.user, post_ids=[p.pk for p in posts], author_ids=[author.pk])
    context = {
        "author": author,
        "tab": f"profile-{tab}",
        "profile_tab": tab,
        "page": page,
        "posts": posts,
        "state": state,
        "collections_visible": collections_visible,
        "received_total": selectors.received_total(user=author),
        "is_following": author.pk in state.following,
        "is_me": is_me,
    }
    return render(request, "accounts/profile.html", context)


def _visible_post(request, pk) -> Post:
    try:
        return selectors.post_get_for_viewer(pk=pk, user=request.user)
    except Post.DoesNotExist:
        raise Http404(_("No such post.")) from None


def post_detail(request, pk):
    """A post: its images or video player, text, tags, counters, comments."""
    post = _visible_post(request, pk)
    state = selectors.viewer_state(user=request.user, post_ids=[post.pk], author_ids=[post.author_id])
    context = {
        "post": post,
        "liked": post.pk in state.liked,
        "favourited": post.pk in state.favourited,
        "following_author": post.author_id in state.following,
        "share_url": request.build_absolute_uri(reverse("web:post-detail", args=[post.pk])),
        "comments": selectors.comments_of(post=post, viewer=request.user),
        "liked_comments": selectors.comments_liked_by(user=request.user, post=post),
        "comment_form": CommentForm(),
        "report_form": ReportForm(),
        "is_author": request.user.is_authenticated and request.user.pk == post.author_id,
    }
    return render(request, "content/post_detail.html", context)


@login_required
def publish(request):
    """Publish a note (images, in the chosen order, with alt texts) or a video, with the
    tags the person chose and an optional place. publish.js sends the form by XHR to
    show upload progress and gets JSON back: the post's URL, or the errors by field."""
    form = PostForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = services.post_create(
                author=request.user,
                kind=data["kind"],
                channel=data["channel"],
                title=data["title"],
                body=data["body"],
                tags=form.tag_list(),
                place_name=data["place_name"],
                lat=data["lat"],
                lng=data["lng"],
                images=data["images"] if data["kind"] == Post.Kind.NOTE else [],
                alts=data["alts"] if data["kind"] == Post.Kind.NOTE else [],
                video=data["video"] if data["kind"] == Post.Kind.VIDEO else None,
                video_seconds=data["video_seconds"],
                cover=data["cover"] if data["kind"] == Post.Kind.VIDEO else None,
                extract=False,  # keywords are suggested on the form, not forced on the post
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Published."))
            if post.place_name and not post.has_place:
                messages.info(
                    request,
                    _(
                        "“{place}” is shown on the post as text. It is not a place we know and no "
                        "location was given, so the post will not appear in Nearby."
                    ).format(place=post.place_name),
                )
            url = reverse("web:post-detail", args=[post.pk])
            if _wants_json(request):
                return JsonResponse({"redirect": url})
            return redirect(url)
    if request.method == "POST" and _wants_json(request):
        # Nothing was written; publish.js shows each message next to its field.
        return _form_errors_json(form)
    return render(request, "content/publish.html", {"form": form})


def _form_errors_json(form) -> JsonResponse:
    """A 400 with a form's messages by field name ("__all__": those of the whole form)."""
    errors = {field: [e["message"] for e in found] for field, found in form.errors.get_json_data().items()}
    return JsonResponse({"errors": errors}, status=400)


@require_POST
def publish_tags(request):
    """Tags to suggest for a draft's title and text (JSON), leaving out those chosen; the
    publish form shows them as chips the person taps to add."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": _("Log in to get tag suggestions.")}, status=403)
    form = TagSuggestForm(request.POST)
    if not form.is_valid():
        return _form_errors_json(form)
    data = form.cleaned_data
    chosen = split_tag_input(data["tags"])
    return JsonResponse({"tags": suggest_tags(data["title"], data["body"], chosen=chosen)})


def _wants_json(request) -> bool:
    """A card action sent by site.js (``X-Requested-With: fetch``) gets JSON, not a redirect."""
    return request.headers.get("X-Requested-With") == "fetch"


def _action_json(post: Post, user, action: str) -> JsonResponse:
    post.refresh_from_db(fields=["like_count", "favourite_count"])
    state = selectors.viewer_state(user=user, post_ids=[post.pk])
    return JsonResponse(
        {
            "action": action,
            "liked": post.pk in state.liked,
            "favourited": post.pk in state.favourited,
            "like_count": post.like_count,
            "favourite_count": post.favourite_count,
            "hidden": action == "not-interested",
        }
    )


SHARE_TARGETS = ("link", "other")  # the sheet's copy-link button, the browser's share dialog


def _share_json(request, post: Post) -> JsonResponse:
    """Record a share from the share sheet (``target``: link or other) and answer with the
    count; a person's repeated shares are kept as events but counted once."""
    target = request.POST.get("target", "link")
    if target not in SHARE_TARGETS:
        return JsonResponse({"detail": f"target must be one of {', '.join(SHARE_TARGETS)}."}, status=400)
    first = services.share_create(user=request.user, post=post, target=target, address=client_address(request))
    post.refresh_from_db(fields=["share_count"])
    return JsonResponse({"action": "share", "changed": first, "share_count": post.share_count})


def _visible_comment(request, post: Post, pk) -> Comment:
    """Return the comment ``pk`` on ``post`` the viewer may see; a 404 otherwise."""
    try:
        return selectors.comment_get_for_viewer(pk=int(pk), post=post, user=request.user)
    except (Comment.DoesNotExist, TypeError, ValueError, OverflowError):
        raise Http404(_("No such comment.")) from None


@login_required
@require_POST
def post_action(request, pk, action):
    """Like, save, share, comment, report, not-interested or delete, then go back.

    Card buttons send like / unlike / favourite / unfavourite / not-interested with
    ``fetch`` and get JSON back, so the grid updates without a reload.
    """
    post = _visible_post(request, pk)
    user = request.user
    address = client_address(request)
    if _wants_json(request) and action == "share":
        return _share_json(request, post)
    if _wants_json(request) and action in ("like", "unlike", "favourite", "unfavourite", "not-interested"):
        try:
            {
                "like": lambda: services.like_create(user=user, post=post, source="card", address=address),
                "unlike": lambda: services.like_delete(user=user, post=post, address=address),
                "favourite": lambda: services.favourite_create(user=user, post=post, source="card", address=address),
                "unfavourite": lambda: services.favourite_delete(user=user, post=post, address=address),
                "not-interested": lambda: services.not_interested_create(user=user, kind="post", post=post, address=address),
            }[action]()
        except (ValidationError, PermissionDenied) as exc:
            return JsonResponse({"detail": " ".join(getattr(exc, "messages", [str(exc)]))}, status=400)
        return _action_json(post, user, action)
    try:
        if action == "like":
            services.like_create(user=user, post=post, source="web", address=address)
        elif action == "unlike":
            services.like_delete(user=user, post=post, address=address)
        elif action == "favourite":
            services.favourite_create(user=user, post=post, source="web", address=address)
        elif action == "unfavourite":
            services.favourite_delete(user=user, post=post, address=address)
        elif action == "share":
            services.share_create(user=user, post=post, target="link", address=address)
            link = request.build_absolute_uri(reverse("web:post-detail", args=[post.pk]))
            messages.info(request, _("Link to share: {link}").format(link=link))
        elif action == "comment":
            form = CommentForm(request.POST)
            if form.is_valid():
                parent_id = form.cleaned_data.get("parent")
                parent = _visible_comment(request, post, parent_id) if parent_id else None
                services.comment_create(
                    user=user, post=post, body=form.cleaned_data["body"], parent=parent, address=address
                )
            else:
                messages.error(request, _("Write something to comment."))
        elif action == "report":
            form = ReportForm(request.POST)
            if form.is_valid():
                services.report_create(user=user, post=post, address=address, **form.cleaned_data)
                messages.success(request, _("Reported, thank you."))
            else:
                messages.error(request, _("Choose a reason to report."))
        elif action == "not-interested":
            services.not_interested_create(user=user, kind="post", post=post, address=address)
            messages.info(request, _("You will see less like this."))
            return redirect("web:home")
        elif action in ("comment-like", "comment-unlike", "comment-delete"):
            comment = _visible_comment(request, post, request.POST.get("comment"))
            if action == "comment-like":
                services.comment_like_create(user=user, comment=comment)
            elif action == "comment-unlike":
                services.comment_like_delete(user=user, comment=comment)
            else:
                services.comment_delete(comment=comment, actor=user)
                messages.success(request, _("Comment deleted."))
        elif action == "delete":
            services.post_delete(post=post, actor=user)
            messages.success(request, _("Deleted."))
            return redirect("web:profile", username=user.username)
        else:
            raise Http404(_("Unknown action."))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return redirect("web:post-detail", pk=post.pk)
