"""Web pages for content: latest posts, an author's profile, post detail, publishing,
interactions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts import selectors as account_selectors
from accounts.models import User
from config.forms_errors import add_service_errors
from config.throttles import client_address

from . import selectors, services
from .forms import CommentForm, PostForm, ReportForm
from .models import Comment, Post, Tag


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


def profile(request, username):
    """A profile: header, follow button, and the author's posts as cards."""
    author = get_object_or_404(User, username=username, is_active=True)
    if request.user.is_authenticated and author.pk in account_selectors.hidden_author_ids(user=request.user):
        return render(request, "accounts/blocked.html", {"author": author}, status=403)
    posts = Paginator(selectors.posts_of_author(author=author, viewer=request.user), 24)
    page = posts.get_page(request.GET.get("page"))
    context = {
        "author": author,
        "page": page,
        "is_following": account_selectors.is_following(follower=request.user, followee=author),
        "is_me": request.user.is_authenticated and request.user.pk == author.pk,
        "is_blocking": request.user.is_authenticated
        and request.user.blocking_rows.filter(blocked=author).exists(),
    }
    return render(request, "accounts/profile.html", context)


def _visible_post(request, pk) -> Post:
    try:
        return selectors.post_get_for_viewer(pk=pk, user=request.user)
    except Post.DoesNotExist:
        raise Http404("No such post.") from None


def post_detail(request, pk):
    """A post: its images or video player, text, tags, counters, comments."""
    post = _visible_post(request, pk)
    state = selectors.viewer_state(user=request.user, post_ids=[post.pk])
    context = {
        "post": post,
        "liked": post.pk in state.liked,
        "favourited": post.pk in state.favourited,
        "comments": selectors.comments_of(post=post, viewer=request.user),
        "liked_comments": selectors.comments_liked_by(user=request.user, post=post),
        "comment_form": CommentForm(),
        "report_form": ReportForm(),
        "is_author": request.user.is_authenticated and request.user.pk == post.author_id,
    }
    return render(request, "content/post_detail.html", context)


@login_required
def publish(request):
    """Publish a note (images) or a video, with tags and an optional place."""
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
                video=data["video"] if data["kind"] == Post.Kind.VIDEO else None,
                video_seconds=data["video_seconds"],
                cover=data["cover"] if data["kind"] == Post.Kind.VIDEO else None,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "发布成功 Published.")
            return redirect("web:post-detail", pk=post.pk)
    return render(request, "content/publish.html", {"form": form})


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


def _visible_comment(request, post: Post, pk) -> Comment:
    """Return the comment ``pk`` on ``post`` the viewer may see; a 404 otherwise."""
    try:
        return selectors.comment_get_for_viewer(pk=int(pk), post=post, user=request.user)
    except (Comment.DoesNotExist, TypeError, ValueError, OverflowError):
        raise Http404("No such comment.") from None


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
            messages.info(request, "链接已复制 Link ready to share: " + request.build_absolute_uri())
        elif action == "comment":
            form = CommentForm(request.POST)
            if form.is_valid():
                parent_id = form.cleaned_data.get("parent")
                parent = _visible_comment(request, post, parent_id) if parent_id else None
                services.comment_create(
                    user=user, post=post, body=form.cleaned_data["body"], parent=parent, address=address
                )
            else:
                messages.error(request, "评论不能为空 Write something to comment.")
        elif action == "report":
            form = ReportForm(request.POST)
            if form.is_valid():
                services.report_create(user=user, post=post, address=address, **form.cleaned_data)
                messages.success(request, "已举报，感谢 Reported, thank you.")
            else:
                messages.error(request, "Choose a reason to report.")
        elif action == "not-interested":
            services.not_interested_create(user=user, kind="post", post=post, address=address)
            messages.info(request, "将减少此类推荐 You will see less like this.")
            return redirect("web:home")
        elif action in ("comment-like", "comment-unlike", "comment-delete"):
            comment = _visible_comment(request, post, request.POST.get("comment"))
            if action == "comment-like":
                services.comment_like_create(user=user, comment=comment)
            elif action == "comment-unlike":
                services.comment_like_delete(user=user, comment=comment)
            else:
                services.comment_delete(comment=comment, actor=user)
                messages.success(request, "评论已删除 Comment deleted.")
        elif action == "delete":
            services.post_delete(post=post, actor=user)
            messages.success(request, "已删除 Deleted.")
            return redirect("web:profile", username=user.username)
        else:
            raise Http404("Unknown action.")
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return redirect("web:post-detail", pk=post.pk)
