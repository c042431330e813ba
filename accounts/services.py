"""Writes on people: sign-up, profile, onboarding interests, follows and blocks.

Each function is the one path for its write: it runs in a transaction, keeps the
denormalised counters in step with the rows (``F()`` updates, so concurrent requests
cannot lose one), and queues side effects only after commit.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.text import strip_invisible
from config.uploads import store_avatar

from . import events
from .models import Block, Follow, InterestPick, User
from .usernames import TAKEN, username_clean, username_refusal, username_taken

PROFILE_FIELDS = (
    "display_name",
    "bio",
    "avatar",
    "language",
    "region",
    "home_place",
    "home_lat",
    "home_lng",
    "collections_public",
)


def user_signup(
    *, username: str, password: str, email: str = "", display_name: str = "", language: str = "zh"
) -> User:
    """Create an account with a hashed password; onboarding comes next.

    The name is cleaned (invisible characters out, NFKC) and refused when it mixes
    scripts or looks like a name someone holds (``accounts/usernames.py``).
    """
    username = username_clean(username)
    refusal = username_refusal(username) or username_taken(username)
    if refusal:
        raise ValidationError({"username": refusal})
    try:
        with transaction.atomic():
            return User.objects.create_user(
                username=username,
                password=password,
                email=email,
                display_name=strip_invisible(display_name),
                language=language,
            )
    except IntegrityError:  # a look-alike signed up between the check and the insert
        raise ValidationError({"username": TAKEN}) from None


def profile_update(*, user: User, **fields) -> User:
    """Update the profile fields given (others are left alone) and return the user.

    A new avatar is stored re-encoded as a small square (config/uploads.py), never as sent.
    """
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    avatar = fields.get("avatar")
    if isinstance(avatar, File) and not isinstance(avatar, FieldFile):
        try:
            fields["avatar"] = store_avatar(avatar)
        except ValidationError as exc:
            raise ValidationError({"avatar": exc.messages}) from None
    if ("home_lat" in fields) != ("home_lng" in fields):
        raise ValidationError({"home_lat": _("Give latitude and longitude together.")})
    if "display_name" in fields:
        fields["display_name"] = strip_invisible(fields["display_name"])
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password", "username"])
    user.save(update_fields=[*fields])
    if "home_lat" in fields:
        events.home_moved.send(user_id=user.pk)
    return user


@transaction.atomic
def interests_set(*, user: User, channels: Iterable) -> list:
    """Replace the user's onboarding picks (at least ``ONBOARDING_MIN_CHANNELS``) with these
    channels (``content.Channel`` rows, the model ``InterestPick.channel`` refers to)."""
    picked = list({c.pk: c for c in channels}.values())
    minimum = settings.ONBOARDING_MIN_CHANNELS
    if len(picked) < minimum:
        raise ValidationError({"channels": _("Pick at least {minimum} channels you like.").format(minimum=minimum)})
    InterestPick.objects.filter(user=user).exclude(channel__in=picked).delete()
    existing = set(InterestPick.objects.filter(user=user).values_list("channel_id", flat=True))
    InterestPick.objects.bulk_create(
        [InterestPick(user=user, channel=c) for c in picked if c.pk not in existing]
    )
    if user.onboarded_at is None:
        user.onboarded_at = timezone.now()
        user.save(update_fields=["onboarded_at"])
    events.interests_picked.send(user_id=user.pk)
    return picked


def is_blocked_between(a_id: int, b_id: int) -> bool:
    """Return True when either user blocks the other."""
    return Block.objects.filter(
        Q(blocker_id=a_id, blocked_id=b_id) | Q(blocker_id=b_id, blocked_id=a_id)
    ).exists()


BLOCKED = gettext_lazy("You cannot follow this account.")


def follow_refusal(follower: User, followee: User) -> str | None:
    """Return why ``follower`` may not follow ``followee`` (None: they may); the API and
    the admin give the same reasons."""
    if follower.pk == followee.pk:
        return _("You cannot follow yourself.")
    if not followee.is_active:
        return _("This account is not available.")
    if is_blocked_between(follower.pk, followee.pk):
        return str(BLOCKED)
    return None


@transaction.atomic
def follow_create(*, follower: User, followee: User) -> bool:
    """Make ``follower`` follow ``followee``; return False if they already did."""
    refusal = follow_refusal(follower, followee)
    if refusal == str(BLOCKED):
        raise PermissionDenied(refusal)
    if refusal:
        raise ValidationError({"detail": refusal})
    try:
        with transaction.atomic():
            Follow.objects.create(follower=follower, followee=followee)
    except IntegrityError:
        return False
    User.objects.filter(pk=follower.pk).update(following_count=F("following_count") + 1)
    User.objects.filter(pk=followee.pk).update(follower_count=F("follower_count") + 1)
    events.follow_changed.send(follower_id=follower.pk, followee_id=followee.pk, following=True)
    return True


@transaction.atomic
def follow_delete(*, follower: User, followee: User) -> bool:
    """Stop ``follower`` following ``followee``; return False if they did not."""
    deleted, _ = Follow.objects.filter(follower=follower, followee=followee).delete()
    if not deleted:
        return False
    User.objects.filter(pk=follower.pk).update(following_count=F("following_count") - 1)
    User.objects.filter(pk=followee.pk).update(follower_count=F("follower_count") - 1)
    events.follow_changed.send(follower_id=follower.pk, followee_id=followee.pk, following=False)
    return True


@transaction.atomic
def block_create(*, blocker: User, blocked: User) -> bool:
    """Block a user: remove the follows between them; return False if already blocked."""
    if blocker.pk == blocked.pk:
        raise ValidationError({"detail": _("You cannot block yourself.")})
    try:
        with transaction.atomic():
            Block.objects.create(blocker=blocker, blocked=blocked)
    except IntegrityError:
        return False
    follow_delete(follower=blocker, followee=blocked)
    follow_delete(follower=blocked, followee=blocker)
    events.exclusions_changed.send(user_ids=[blocker.pk, blocked.pk])
    return True


@transaction.atomic
def block_delete(*, blocker: User, blocked: User) -> bool:
    """Unblock a user; return False if they were not blocked."""
    deleted, _ = Block.objects.filter(blocker=blocker, blocked=blocked).delete()
    if deleted:
        events.exclusions_changed.send(user_ids=[blocker.pk, blocked.pk])
    return bool(deleted)
