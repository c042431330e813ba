"""Reads on people: profiles, follower lists, block sets."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import Block, Follow, User


def followers_of(*, user: User) -> QuerySet[Follow]:
    """Return the follow rows pointing at ``user``, newest first, with the follower."""
    return (
        Follow.objects.filter(followee=user, follower__is_active=True)
        .select_related("follower")
        .order_by("-created_at", "-id")
    )


def following_of(*, user: User) -> QuerySet[Follow]:
    """Return the follow rows of accounts ``user`` follows, newest first."""
    return (
        Follow.objects.filter(follower=user, followee__is_active=True)
        .select_related("followee")
        .order_by("-created_at", "-id")
    )


def is_following(*, follower: User, followee: User) -> bool:
    if not follower.is_authenticated:
        return False
    return Follow.objects.filter(follower=follower, followee=followee).exists()


def is_blocked_between(*, viewer: User, user: User) -> bool:
    """Return True when ``viewer`` blocks ``user`` or is blocked by them: then neither
    sees the other's profile, follower lists or posts, nor comments on them."""
    if not viewer.is_authenticated or viewer.pk == user.pk:
        return False
    return Block.objects.filter(
        Q(blocker=viewer, blocked=user) | Q(blocker=user, blocked=viewer)
    ).exists()


def hidden_author_ids(*, user: User) -> set[int]:
    """Return ids of authors whose posts ``user`` must not see (blocks either way)."""
    if not user.is_authenticated:
        return set()
    # One query for both directions: every feed page asks, so a second round trip counts.
    pairs = Block.objects.filter(Q(blocker=user) | Q(blocked=user)).values_list("blocker_id", "blocked_id")
    return {blocked if blocker == user.pk else blocker for blocker, blocked in pairs}
