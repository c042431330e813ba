"""Reads on content: which posts a viewer may see, and the viewer's state on them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import F, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from accounts.models import Follow, User
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


def received_total(*, user: User) -> int:
    """Return the likes and saves (获赞与收藏) ``user``'s public posts received: one
    aggregate over the posts' counters, so an unlike or an un-save shows at once."""
    totals = Post.objects.filter(author=user, status__in=PUBLIC_STATUSES).aggregate(
        total=Coalesce(Sum(F("like_count") + F("favourite_count")), 0)
    )
    return totals["total"]


def collections_visible(*, owner: User, viewer: User) -> bool:
    """Return whether ``viewer`` may open ``owner``'s 收藏 and 赞过 tabs: the owner
    always, anyone else when the owner keeps them public."""
    return owner.collections_public or (viewer.is_authenticated and viewer.pk == owner.pk)


def _collected(model: type[Like] | type[Favourite], *, owner: User, hidden: set[int]) -> QuerySet:
    """Rows of ``model`` (likes or saves) made by ``owner``, newest first, each with its
    post ready for a card; only published posts of active authors, none by the authors
    ``hidden`` (limited and removed posts never show)."""
    return (
        model.objects.filter(user=owner, post__status=Post.Status.PUBLISHED, post__author__is_active=True)
        .exclude(post__author_id__in=hidden)
        .select_related("post", "post__author", "post__channel", "post__channel__parent")
        .prefetch_related(
            Prefetch("post__images", queryset=PostImage.objects.order_by("position", "id")),
            Prefetch("post__post_tags", queryset=PostTag.objects.select_related("tag").order_by("id")),
        )
        .order_by("-created_at", "-id")
    )


def favourites_of(*, owner: User, viewer: User, hidden: set[int] | None = None) -> QuerySet[Favourite]:
    """Return ``owner``'s saves (收藏) as ``viewer`` may see them, newest first, leaving
    out the authors blocked either way (``hidden``: the viewer's ``hidden_author_ids``, if
    the caller has it already). Check ``collections_visible`` first: this does not."""
    hidden = hidden_author_ids(user=viewer) if hidden is None else hidden
    return _collected(Favourite, owner=owner, hidden=hidden)


def likes_of(*, owner: User, viewer: User, hidden: set[int] | None = None) -> QuerySet[Like]:
    """Return ``owner``'s likes (赞过) as ``viewer`` may see them, newest first (as
    ``favourites_of``)."""
    hidden = hidden_author_ids(user=viewer) if hidden is None else hidden
    return _collected(Like, owner=owner, hidden=hidden)


@dataclass
class ViewerState:
    """What the viewer has done to a set of posts (filled hearts, stars) and which of
    their authors the viewer follows (the follow buttons on feed cards)."""

    liked: set[int] = field(default_factory=set)
    favourited: set[int] = field(default_factory=set)
    following: set[int] = field(default_factory=set)


_LIKED, _FAVOURITED, _FOLLOWING = 1, 2, 3


def viewer_state(*, user: User, post_ids: Iterable[int], author_ids: Iterable[int] = ()) -> ViewerState:
    """Return which of ``post_ids`` the user liked and saved, and which of ``author_ids``
    they follow, in one query (a UNION ALL: every feed page asks, so a second round trip
    counts)."""
    ids, authors = list(post_ids), list(author_ids)
    if not user.is_authenticated or not (ids or authors):
        return ViewerState()
    parts = [
        Like.objects.filter(user=user, post_id__in=ids).values_list("post_id", Value(_LIKED)),
        Favourite.objects.filter(user=user, post_id__in=ids).values_list("post_id", Value(_FAVOURITED)),
    ]
    if authors:
        parts.append(
            Follow.objects.filter(follower=user, followee_id__in=authors).values_list("followee_id", Value(_FOLLOWING))
        )
    state = ViewerState()
    sets = {_LIKED: state.liked, _FAVOURITED: state.favourited, _FOLLOWING: state.following}
    for some_id, kind in parts[0].union(*parts[1:], all=True):
        sets[kind].add(some_id)
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
