"""Reads on content: which posts a viewer may see, and the viewer's state on them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet, Value

from accounts.models import User
from accounts.selectors import hidden_author_ids
from content.models import Channel, Comment, CommentLike, Favourite, Like, Post, PostImage, PostTag

PUBLIC_STATUSES = (Post.Status.PUBLISHED, Post.Status.LIMITED)


def posts_with_cards() -> QuerySet[Post]:
    """Return posts with everything a card or detail page shows, in a fixed few queries."""
    return Post.objects.select_related("author", "channel", "channel__parent").prefetch_related(
        Prefetch("images", queryset=PostImage.objects.order_by("position", "id")),
        Prefetch("post_tags", queryset=PostTag.objects.select_related("tag").order_by("id")),
    )


def posts_visible_to(user: User) -> QuerySet[Post]:
    """Return the posts ``user`` may open: public ones not hidden by a block, plus own."""
    hidden = hidden_author_ids(user=user)
    visible = Q(status__in=PUBLIC_STATUSES, author__is_active=True)
    if user.is_authenticated:
        visible |= Q(author=user)
        if user.is_staff:
            visible = Q()
    return posts_with_cards().filter(visible).exclude(author_id__in=hidden)


def post_get_for_viewer(*, pk: int, user: User) -> Post:
    """Return the post ``pk`` if ``user`` may open it (raises ``Post.DoesNotExist``)."""
    return posts_visible_to(user).get(pk=pk)


def posts_latest(*, user: User) -> QuerySet[Post]:
    """Return published posts, newest first: the plain "latest" page."""
    hidden = hidden_author_ids(user=user)
    return (
        posts_with_cards()
        .filter(status=Post.Status.PUBLISHED, author__is_active=True)
        .exclude(author_id__in=hidden)
        .order_by("-published_at", "-id")
    )


def posts_of_author(*, author: User, viewer: User) -> QuerySet[Post]:
    """Return an author's posts as ``viewer`` sees them on the profile page."""
    qs = posts_with_cards().filter(author=author)
    if not (viewer.is_authenticated and (viewer.pk == author.pk or viewer.is_staff)):
        qs = qs.filter(status__in=PUBLIC_STATUSES)
    return qs.order_by("-created_at", "-id")


@dataclass
class ViewerState:
    """What the viewer has done to a set of posts: used to draw filled hearts."""

    liked: set[int] = field(default_factory=set)
    favourited: set[int] = field(default_factory=set)


def viewer_state(*, user: User, post_ids: Iterable[int]) -> ViewerState:
    """Return which of ``post_ids`` the user liked and saved, in one query (a UNION ALL:
    every feed page asks, so a second round trip counts)."""
    ids = list(post_ids)
    if not user.is_authenticated or not ids:
        return ViewerState()
    likes = Like.objects.filter(user=user, post_id__in=ids).values_list("post_id", Value(True))
    saves = Favourite.objects.filter(user=user, post_id__in=ids).values_list("post_id", Value(False))
    state = ViewerState()
    for post_id, is_like in likes.union(saves, all=True):
        (state.liked if is_like else state.favourited).add(post_id)
    return state


def comments_of(*, post: Post, viewer: User | None = None) -> QuerySet[Comment]:
    """Return a post's top-level comments, most liked first (then oldest first), each
    with its replies oldest first; comments by people ``viewer`` blocks (or who block
    them) are left out, with their replies."""
    hidden = hidden_author_ids(user=viewer) if viewer is not None else set()
    replies = Comment.objects.select_related("author").exclude(author_id__in=hidden).order_by("created_at", "id")
    return (
        Comment.objects.filter(post=post, parent__isnull=True)
        .exclude(author_id__in=hidden)
        .select_related("author")
        .prefetch_related(Prefetch("replies", queryset=replies))
        .order_by("-like_count", "created_at", "id")
    )


def comment_get_for_viewer(*, pk: int, post: Post, user: User) -> Comment:
    """Return the comment ``pk`` on ``post`` if ``user`` may see it (raises
    ``Comment.DoesNotExist``: deleted, on another post, or by someone a block hides)."""
    return (
        Comment.objects.select_related("post")
        .exclude(author_id__in=hidden_author_ids(user=user))
        .get(pk=pk, post=post)
    )


def comments_liked_by(*, user: User, post: Post) -> set[int]:
    """Return the ids of the post's comments ``user`` liked, in one query."""
    if not user.is_authenticated:
        return set()
    return set(CommentLike.objects.filter(user=user, comment__post=post).values_list("comment_id", flat=True))


def channel_tree() -> list[Channel]:
    """Return top-level channels, each with ``children`` prefetched, in order."""
    return list(
        Channel.objects.filter(parent__isnull=True).prefetch_related(
            Prefetch("children", queryset=Channel.objects.order_by("position", "id"))
        )
    )


MENTION_SUGGESTIONS = 8


def mention_suggestions(*, prefix: str, user: User) -> list[dict]:
    """Return up to ``MENTION_SUGGESTIONS`` people whose username starts with ``prefix``
    (most followed first) for the comment form's @ autocomplete; none for an empty prefix."""
    prefix = (prefix or "").strip().lstrip("@")[:150]
    if not prefix:
        return []
    rows = (
        User.objects.filter(username__istartswith=prefix, is_active=True)
        .exclude(pk__in=hidden_author_ids(user=user))
        .order_by("-follower_count", "username")
        .values("username", "display_name")[:MENTION_SUGGESTIONS]
    )
    return [{"username": r["username"], "name": r["display_name"] or r["username"]} for r in rows]
