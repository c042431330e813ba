"""Wallets, boost orders and their end: every credit moves through the ledger.

Concurrency: each movement locks the buyer's wallet row (``SELECT … FOR UPDATE`` on
PostgreSQL; SQLite's immediate transactions serialise writers) before reading the
balance, so two orders racing for the last credits cannot both pass the check, and the
``balance >= 0`` constraint is the backstop. A top-up carries the client's idempotency
key, unique per user: a retried request finds the first entry and charges nothing again.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Follow, User
from boosts import events as boosts_events
from boosts.models import Boost, LedgerEntry, Wallet
from content.models import Channel, Post, Tag
from feeds import stores
from feeds.knobs import knobs
from feeds.models import InterestAffinity, PoolEntry
from feeds.services.serving import recommendable

CLOSING = (Boost.Status.COMPLETED, Boost.Status.EXPIRED, Boost.Status.STOPPED, Boost.Status.STOPPED_BY_MODERATION)


# ---------------------------------------------------------------- wallet
def _locked_wallet(user_id: int) -> Wallet:
    Wallet.objects.get_or_create(user_id=user_id)
    return Wallet.objects.select_for_update().get(user_id=user_id)


def _move(wallet: Wallet, kind: str, amount: int, *, key: str = "", boost: Boost | None = None, memo: str = "") -> LedgerEntry:
    """Write one ledger entry and move the (locked) wallet's balance by ``amount``."""
    if wallet.balance + amount < 0:
        raise ValidationError(
            _("Not enough credits: the balance is {balance}, this needs {needed}. Top up first.").format(balance=wallet.balance, needed=-amount)
        )
    wallet.balance += amount
    Wallet.objects.filter(pk=wallet.pk).update(balance=F("balance") + amount)
    return LedgerEntry.objects.create(
        user_id=wallet.pk, kind=kind, amount=amount, balance_after=wallet.balance, key=key, boost=boost, memo=memo[:200]
    )


def wallet_charge(*, user_id: int, amount: int, memo: str) -> LedgerEntry:
    """Take ``amount`` credits from the wallet (a purchase), in the caller's transaction.

    The wallet row is locked first, so concurrent purchases queue; an overdraft is
    refused with a ``ValidationError`` (the caller's transaction then rolls back whole).
    """
    if amount <= 0:
        raise ValidationError(_("A charge is a positive number of credits."))
    return _move(_locked_wallet(user_id), LedgerEntry.Kind.CHARGE, -amount, memo=memo)


def wallet_refund(*, user_id: int, amount: int, memo: str) -> LedgerEntry:
    """Give ``amount`` credits back (a cancelled purchase), in the caller's transaction."""
    if amount <= 0:
        raise ValidationError(_("A refund is a positive number of credits."))
    return _move(_locked_wallet(user_id), LedgerEntry.Kind.REFUND, amount, memo=memo)


def balance_of(user: User) -> int:
    return Wallet.objects.filter(user=user).values_list("balance", flat=True).first() or 0


@dataclass
class TopUp:
    entry: LedgerEntry
    created: bool  # False: a retry of an earlier request with the same key


def topup(*, user: User, amount: int, key: str) -> TopUp:
    """Add credits (a simulated payment) once per idempotency ``key``.

    The same key again with the same amount returns the first entry and changes nothing;
    with another amount it is refused (a client bug, not a retry).
    """
    low, high = knobs()["BOOST_TOPUP_RANGE"]
    key = (key or "").strip()
    if not 8 <= len(key) <= 64:
        raise ValidationError({"key": _("Send an idempotency key of 8 to 64 characters (a fresh one per top-up).")})
    if not isinstance(amount, int) or not low <= amount <= high:
        raise ValidationError({"amount": _("A top-up is {low} to {high} credits.").format(low=low, high=high)})
    earlier = LedgerEntry.objects.filter(user=user, key=key).first()
    if earlier is None:
        try:
            with transaction.atomic():
                entry = _move(_locked_wallet(user.pk), LedgerEntry.Kind.TOPUP, amount, key=key, memo="simulated payment")
            return TopUp(entry, True)
        except IntegrityError:  # the same key committed by a concurrent retry
            earlier = LedgerEntry.objects.get(user=user, key=key)
    if earlier.amount != amount:
        raise ValidationError({"key": _("This key was already used for a top-up of another amount.")})
    return TopUp(earlier, False)


# ---------------------------------------------------------------- orders
@dataclass
class Targeting:
    kind: str
    channels: Sequence[str] = ()
    tags: Sequence[str] = ()
    lat: float | None = None
    lng: float | None = None
    radius_km: float | None = None


def price_of(budget: int, price_per_thousand: int) -> int:
    """Credits for ``budget`` impressions (rounded up to a whole credit)."""
    return math.ceil(budget * price_per_thousand / 1000)


def _channel_ids(slugs: Iterable[str]) -> list[int]:
    """Return the channels named and their sub-channels; refuse unknown slugs."""
    slugs = list(dict.fromkeys(s.strip() for s in slugs if s and s.strip()))
    found = dict(Channel.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    unknown = [s for s in slugs if s not in found]
    if unknown:
        raise ValidationError({"channels": _("Unknown channels: {names}.").format(names=', '.join(unknown))})
    ids = set(found.values()) | set(Channel.objects.filter(parent_id__in=found.values()).values_list("pk", flat=True))
    return sorted(ids)


def _followers_channels(author: User, k: dict) -> list[int]:
    """The channels the author's followers like most: the audience "like my followers"."""
    followers = Follow.objects.filter(followee=author).values("follower_id")
    scores: Counter[int] = Counter()
    for key, score in InterestAffinity.objects.filter(
        user_id__in=followers, kind=InterestAffinity.Kind.CHANNEL
    ).values_list("key", "score"):
        scores[key] += score
    top = [cid for cid, _ in scores.most_common(k["BOOST_FOLLOWER_CHANNELS"])]
    if not top:
        raise ValidationError({"targeting": _("You have no followers with known interests to model an audience on yet.")})
    return sorted(set(top) | set(Channel.objects.filter(parent_id__in=top).values_list("pk", flat=True)))


def _targeting_fields(author: User, t: Targeting, k: dict) -> dict:
    if t.kind == Boost.Targeting.INTERESTS:
        channel_ids = _channel_ids(t.channels)
        names = list(dict.fromkeys(n.strip().lstrip("#") for n in t.tags if n and n.strip()))
        tags = dict(Tag.objects.filter(name__in=names).values_list("name", "pk"))
        unknown = [n for n in names if n not in tags]
        if unknown:
            raise ValidationError({"tags": _("No posts use these tags yet: {names}.").format(names=', '.join(unknown))})
        if not channel_ids and not tags:
            raise ValidationError({"channels": _("Target at least one channel or tag.")})
        return {"channel_ids": channel_ids, "tag_ids": sorted(tags.values())}
    if t.kind == Boost.Targeting.PLACE:
        low, high = k["BOOST_RADIUS_KM_RANGE"]
        if t.lat is None or t.lng is None or not (-90 <= t.lat <= 90 and -180 <= t.lng <= 180):
            raise ValidationError({"lat": _("Give a place: latitude -90…90 and longitude -180…180.")})
        if t.radius_km is None or not low <= t.radius_km <= high:
            raise ValidationError({"radius_km": _("The radius is {low} to {high} km.").format(low=low, high=high)})
        return {"lat": t.lat, "lng": t.lng, "radius_km": t.radius_km}
    if t.kind == Boost.Targeting.FOLLOWERS:
        return {"channel_ids": _followers_channels(author, k)}
    raise ValidationError({"targeting": _("Choose interests, place or followers.")})


@transaction.atomic
def boost_create(*, buyer: User, post: Post, budget: int, hours: int, targeting: Targeting,
                 goal: str = Boost.Goal.IMPRESSIONS, now: datetime | None = None) -> Boost:
    """Order a boost of the buyer's own published post and charge its price at once.

    With the goal "product clicks" the post must sell (live products: the pools' flag)
    and the boost is shown only to people whose profile shows buying interest.
    """
    k, now = knobs(), now or timezone.now()
    if post.author_id != buyer.pk:
        raise PermissionDenied(_("You can only boost your own posts."))
    if not Post.objects.filter(recommendable(), pk=post.pk).exists():
        raise ValidationError({"post": _("Only a published post that is not limited or removed can be boosted.")})
    if goal not in Boost.Goal.values:
        raise ValidationError({"goal": _("Choose impressions or product_clicks.")})
    if goal == Boost.Goal.PRODUCT_CLICKS and not PoolEntry.objects.filter(post=post, selling=True).exists():
        raise ValidationError({"goal": _("Only a post with products on sale can aim at product clicks.")})
    low, high = k["BOOST_IMPRESSIONS_RANGE"]
    if not isinstance(budget, int) or not low <= budget <= high:
        raise ValidationError({"budget": _("A budget is {low} to {high} impressions.").format(low=low, high=high)})
    h_low, h_high = k["BOOST_HOURS_RANGE"]
    if not isinstance(hours, int) or not h_low <= hours <= h_high:
        raise ValidationError({"hours": _("A boost runs {h_low} to {h_high} hours.").format(h_low=h_low, h_high=h_high)})
    fields = _targeting_fields(buyer, targeting, k)
    price = k["BOOST_PRICE_PER_THOUSAND"]
    boost = Boost.objects.create(
        buyer=buyer, post=post, post_title=(post.title or post.body)[:100], budget=budget,
        price_per_thousand=price, cost=price_of(budget, price), targeting=targeting.kind, goal=goal,
        starts_at=now, ends_at=now + timedelta(hours=hours), created_at=now, **fields,
    )
    _move(_locked_wallet(buyer.pk), LedgerEntry.Kind.CHARGE, -boost.cost, boost=boost,
          memo=f"{budget} impressions over {hours} h")
    # Pages place it at once: copies read before the commit are obsolete after it, and
    # so are those read in the same transaction (one test, one shell session).
    stores.boosts_changed()
    transaction.on_commit(stores.boosts_changed)
    return boost


# ---------------------------------------------------------------- the end of a boost
def spent_of(boost: Boost) -> int:
    """Credits the delivered impressions cost (rounded up; never more than charged)."""
    return min(boost.cost, price_of(boost.delivered, boost.price_per_thousand))


@transaction.atomic
def _close(boost_id: int, status: str, reason: str = "", now: datetime | None = None) -> Boost | None:
    """Close an active boost and refund the unspent part; None if it was already closed."""
    boost = Boost.objects.select_for_update().filter(pk=boost_id, status=Boost.Status.ACTIVE).first()
    if boost is None:
        return None
    boost.status, boost.status_reason, boost.closed_at = status, reason[:300], now or timezone.now()
    boost.refunded = boost.cost - spent_of(boost)
    boost.save(update_fields=["status", "status_reason", "closed_at", "refunded"])
    if boost.refunded:
        _move(_locked_wallet(boost.buyer_id), LedgerEntry.Kind.REFUND, boost.refunded, boost=boost,
              memo=f"unspent: {boost.budget - boost.delivered} of {boost.budget} impressions")
    boosts_events.boost_ended.send(
        boost_id=boost.pk, buyer_id=boost.buyer_id, post_id=boost.post_id, status=str(boost.status),
        delivered=boost.delivered, refunded=boost.refunded, reason=boost.status_reason,
    )
    return boost


def boost_stop(*, boost: Boost, actor: User, reason: str = "") -> Boost:
    """The creator stops their boost; the unspent part is refunded."""
    if boost.buyer_id != actor.pk:
        raise PermissionDenied(_("Only the buyer can stop this boost."))
    closed = _close(boost.pk, Boost.Status.STOPPED, reason or "stopped by the creator")
    if closed is None:
        raise ValidationError(_("This boost has already ended."))
    return closed


def boost_stop_by_moderation(*, boost: Boost, reason: str) -> Boost | None:
    """Moderation stops a boost (with refund); the audit entry is the caller's."""
    return _close(boost.pk, Boost.Status.STOPPED_BY_MODERATION, reason)


def stop_for_posts(post_ids: Iterable[int], reason: str, *, by_moderation: bool = True) -> int:
    """Stop (and refund) the active boosts of these posts: removed, limited, author banned
    (by moderation), or deleted by their author."""
    status = Boost.Status.STOPPED_BY_MODERATION if by_moderation else Boost.Status.STOPPED
    ids = list(Boost.objects.filter(post_id__in=list(post_ids), status=Boost.Status.ACTIVE).values_list("pk", flat=True))
    return sum(1 for pk in ids if _close(pk, status, reason) is not None)


def boosts_close(*, now: datetime | None = None) -> dict[str, int]:
    """Close boosts whose budget is spent (completed) or whose time is up (expired)."""
    now = now or timezone.now()
    done = {"completed": 0, "expired": 0}
    active = Boost.objects.filter(status=Boost.Status.ACTIVE)
    for pk in active.filter(delivered__gte=F("budget")).values_list("pk", flat=True):
        done["completed"] += _close(pk, Boost.Status.COMPLETED, "budget spent", now) is not None
    for pk in active.filter(ends_at__lte=now).values_list("pk", flat=True):
        done["expired"] += _close(pk, Boost.Status.EXPIRED, "time up", now) is not None
    return done
