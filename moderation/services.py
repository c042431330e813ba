"""What moderators do. Every action changes the rows in one transaction, writes an audit
entry (who, when, what, why, before and after) and, once committed, updates the engine's
Redis structures (``content.events.visibility_changed``), so feeds change at once rather
than at the next recompute.

Decisions:
- *approve* means "this post is fine as it is": it publishes a post pending review,
  lifts a limit, releases a pool hold (a post kept out by the quality rules enters the
  base pool), resolves the post's review requests and dismisses its open reports.
- *restore* undoes a removal or a limit and nothing else (reports keep their state).
- *limit* (限流) keeps the post on its author's page and in followers' follow feeds but
  out of every recommending feed (discover, channel, nearby, hot, the pools).
- *remove* needs a reason: the author sees it in the creator center and on the post.
- removing or limiting a post, or banning its author, stops its boosts and refunds the
  unspent credits (a paid push of content moderation took out must not go on).
- accepting reports counts them as violations in the author's account weight, which is
  recomputed for that author right away.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from rest_framework.authtoken.models import Token

from accounts.models import User
from boosts.services import boost_stop_by_moderation
from content import events
from content.models import Comment, Post, Report, ReviewRequest
from feeds.knobs import knobs
from feeds.models import HotOverride, PoolEntry
from feeds.services.hot import GLOBAL, hot_overrides_apply
from feeds.services.pools import pool_hold, pool_release
from feeds.services.serving import recommendable
from feeds.services.weights import weights_recompute
from moderation import events as moderation_events
from moderation.models import AuditEntry

Action = AuditEntry.Action
REASON_MAX = 300


# ---------------------------------------------------------------- audit
def _post_state(post: Post) -> dict:
    entry = PoolEntry.objects.filter(post=post).values("state", "tier").first() or {}
    return {
        "status": post.status,
        "status_reason": post.status_reason,
        "pool_state": entry.get("state", ""),
        "pool_tier": entry.get("tier"),
        "open_reports": post.reports.filter(status=Report.Status.OPEN).count(),
        "open_reviews": post.review_requests.filter(resolved_at__isnull=True).count(),
    }


def _user_state(user: User) -> dict:
    return {"is_banned": user.is_banned, "ban_reason": user.ban_reason}


def audit(*, moderator: User, action: str, target, reason: str, before: dict, after: dict) -> AuditEntry:
    """Write one audit entry; ``target`` is a post, a user or a boost."""
    return AuditEntry.objects.create(
        moderator=moderator,
        moderator_name=moderator.get_username(),
        action=action,
        target_type=target._meta.model_name,
        target_id=target.pk,
        target_label=str(target)[:200],
        reason=reason[:REASON_MAX],
        before=before,
        after=after,
    )


def _clean_reason(reason: str | None, *, required: bool, what: str) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError(_("Give a reason to {what}; the author will see it.").format(what=_(what)))
    if len(reason) > REASON_MAX:
        raise ValidationError(_("A reason has at most {REASON_MAX} characters.").format(REASON_MAX=REASON_MAX))
    return reason


# ---------------------------------------------------------------- pools
def _pool_release(post: Post, now: datetime, *, admit: bool) -> None:
    """Give a held post its pool state back; with ``admit``, a post the quality rules kept
    out (or that never entered, being pending) enters the base pool."""
    if pool_release(post=post, admit=admit, now=now) is None and admit:
        events.post_published.send(post=post)  # scores it and enters the base pool


def _resolve_reviews(post: Post, now: datetime, sources: Iterable[str] | None = None) -> int:
    qs = ReviewRequest.objects.filter(post=post, resolved_at__isnull=True)
    if sources is not None:
        qs = qs.filter(source__in=list(sources))
    return qs.update(resolved_at=now)


def _settle_reports(post: Post, status: str, now: datetime) -> int:
    """Accept or dismiss the post's open reports; accepted ones weigh on the author."""
    open_reports = Report.objects.filter(post=post, status=Report.Status.OPEN)
    reporter_ids = list(open_reports.values_list("reporter_id", flat=True))
    settled = open_reports.update(status=status, resolved_at=now)
    if settled:
        moderation_events.reports_settled.send(
            post_id=post.pk, reporter_ids=reporter_ids, accepted=status == Report.Status.ACCEPTED
        )
    if settled and status == Report.Status.ACCEPTED:
        author_id = post.author_id

        def reweigh() -> None:
            weights_recompute(user_ids=[author_id])

        transaction.on_commit(reweigh)
    return settled


# ---------------------------------------------------------------- posts
def _lock(post: Post) -> Post:
    return Post.objects.select_for_update().select_related("author", "channel").get(pk=post.pk)


def _done(post: Post, moderator: User, action: str, reason: str, before: dict) -> None:
    """Audit a post action and let the feeds' Redis structures follow on commit."""
    audit(moderator=moderator, action=action, target=post, reason=reason, before=before, after=_post_state(post))
    events.visibility_changed.send(post_ids=[post.pk])
    if action in (Action.LIMIT, Action.REMOVE, Action.RESTORE):
        moderation_events.post_moderated.send(post_id=post.pk, author_id=post.author_id, action=str(action), reason=reason)


def _set_status(post: Post, status: str, reason: str, now: datetime) -> None:
    post.status = status
    post.status_reason = reason
    fields = ["status", "status_reason", "updated_at"]
    if status == Post.Status.PUBLISHED and post.published_at is None:
        post.published_at = now
        fields.append("published_at")
    post.save(update_fields=fields)


@transaction.atomic
def post_approve(*, post: Post, moderator: User, reason: str = "") -> Post:
    """Approve a post: publish it, release it to the pools, clear its queue and reports."""
    reason = _clean_reason(reason, required=False, what=gettext_noop("approve"))
    post, now = _lock(post), timezone.now()
    if post.status == Post.Status.REMOVED:
        raise ValidationError(_("“{post}” was removed; restore it instead of approving it.").format(post=post))
    before = _post_state(post)
    was_pending = post.status == Post.Status.PENDING
    _set_status(post, Post.Status.PUBLISHED, "", now)
    if was_pending:
        events.post_published.send(post=post)  # scored and entered, as at publishing
    _pool_release(post, now, admit=True)  # a moderator's approval outweighs the quality rules
    _resolve_reviews(post, now)
    _settle_reports(post, Report.Status.DISMISSED, now)
    _done(post, moderator, Action.APPROVE, reason, before)
    return post


def _take_out(post: Post, status: str, action: str, moderator: User, reason: str, before: dict, now: datetime) -> Post:
    """Limit or remove: set the status, hold the pool, settle the queue, log, tell the feeds."""
    _set_status(post, status, reason, now)
    pool_hold(post=post, reason=reason, now=now)
    _resolve_reviews(post, now)
    _done(post, moderator, action, reason, before)
    what = "limited" if status == Post.Status.LIMITED else "removed"
    events.posts_leaving.send(post_ids=[post.pk], reason=f"post {what}: {reason}" if reason else f"post {what}")
    return post


@transaction.atomic
def post_limit(*, post: Post, moderator: User, reason: str = "") -> Post:
    """限流: keep the post for its author's page and followers, out of every recommendation."""
    reason = _clean_reason(reason, required=False, what=gettext_noop("limit"))
    post, now = _lock(post), timezone.now()
    if post.status not in (Post.Status.PUBLISHED, Post.Status.PENDING):
        raise ValidationError(_("“{post}” is {status}; only a published or pending post can be limited.").format(
            post=post, status=post.get_status_display().lower()))
    before = _post_state(post)
    if post.published_at is None:
        post.published_at = now
    return _take_out(post, Post.Status.LIMITED, Action.LIMIT, moderator, reason, before, now)


@transaction.atomic
def post_remove(*, post: Post, moderator: User, reason: str) -> Post:
    """Remove a post from the platform (the row stays, for the author and the log)."""
    reason = _clean_reason(reason, required=True, what=gettext_noop("remove a post"))
    post, now = _lock(post), timezone.now()
    if post.status == Post.Status.REMOVED:
        raise ValidationError(_("“{post}” is already removed.").format(post=post))
    before = _post_state(post)
    return _take_out(post, Post.Status.REMOVED, Action.REMOVE, moderator, reason, before, now)


@transaction.atomic
def post_restore(*, post: Post, moderator: User, reason: str = "") -> Post:
    """Undo a removal or a limit: the post is published again and back in its pool state."""
    reason = _clean_reason(reason, required=False, what=gettext_noop("restore"))
    post, now = _lock(post), timezone.now()
    if post.status not in (Post.Status.REMOVED, Post.Status.LIMITED):
        raise ValidationError(_("“{post}” is {status}; only removed or limited posts can be restored.").format(
            post=post, status=post.get_status_display().lower()))
    before = _post_state(post)
    _set_status(post, Post.Status.PUBLISHED, "", now)
    _pool_release(post, now, admit=False)
    _done(post, moderator, Action.RESTORE, reason, before)
    return post


# ---------------------------------------------------------------- reports
@transaction.atomic
def reports_accept(*, post: Post, moderator: User, reason: str = "", then: str | None = None) -> int:
    """Uphold the post's open reports (violations for its author); ``then`` is "remove"
    or "limit" to act on the post in the same step. Returns the reports settled."""
    if then not in (None, "remove", "limit"):
        raise ValueError(then)
    reason = _clean_reason(reason, required=then == "remove", what=gettext_noop("remove a post"))
    post, now = _lock(post), timezone.now()
    before = _post_state(post)
    settled = _settle_reports(post, Report.Status.ACCEPTED, now)
    if not settled:
        raise ValidationError(_("“{post}” has no open reports.").format(post=post))
    _resolve_reviews(post, now, [ReviewRequest.Source.REPORTS])
    audit(moderator=moderator, action=Action.REPORTS_ACCEPT, target=post, reason=reason, before=before, after=_post_state(post))
    if then == "remove" and post.status != Post.Status.REMOVED:
        post_remove(post=post, moderator=moderator, reason=reason)
    elif then == "limit" and post.status in (Post.Status.PUBLISHED, Post.Status.PENDING):
        post_limit(post=post, moderator=moderator, reason=reason)
    return settled


@transaction.atomic
def reports_dismiss(*, post: Post, moderator: User, reason: str = "") -> int:
    """Dismiss the post's open reports (nothing was wrong); returns how many."""
    reason = _clean_reason(reason, required=False, what=gettext_noop("dismiss"))
    post, now = _lock(post), timezone.now()
    before = _post_state(post)
    settled = _settle_reports(post, Report.Status.DISMISSED, now)
    if not settled:
        raise ValidationError(_("“{post}” has no open reports.").format(post=post))
    _resolve_reviews(post, now, [ReviewRequest.Source.REPORTS])
    audit(moderator=moderator, action=Action.REPORTS_DISMISS, target=post, reason=reason, before=before, after=_post_state(post))
    return settled


# ---------------------------------------------------------------- comments
@transaction.atomic
def comment_remove(*, comment: Comment, moderator: User, reason: str) -> None:
    """Remove a comment (with its replies) as content that breaks the rules: the audit
    log keeps its text, its author is told why. The audit entry uses the "remove"
    action with the target type "comment"."""
    reason = _clean_reason(reason, required=True, what=gettext_noop("remove a comment"))
    comment = Comment.objects.select_related("post", "author").get(pk=comment.pk)
    replies = comment.replies.count()
    before = {"body": comment.body, "author": comment.author.get_username(), "post": comment.post_id, "replies": replies}
    audit(moderator=moderator, action=Action.REMOVE, target=comment, reason=reason, before=before,
          after={"removed": True, "replies_removed": replies})
    comment.delete()
    Post.objects.filter(pk=comment.post_id).update(comment_count=F("comment_count") - 1 - replies)
    moderation_events.comment_removed.send(
        author_id=comment.author_id, post_id=comment.post_id, excerpt=comment.body[:40], reason=reason
    )


# ---------------------------------------------------------------- authors
def _authored(user: User) -> list[int]:
    return list(Post.objects.filter(author=user).values_list("pk", flat=True))


@transaction.atomic
def user_ban(*, user: User, moderator: User, reason: str) -> User:
    """Ban an author: no login (sessions and tokens stop working), no posting, and their
    posts leave every feed at once. Their posts keep their status, so lifting the ban
    brings them back."""
    reason = _clean_reason(reason, required=True, what=gettext_noop("ban an author"))
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_banned:
        raise ValidationError(_("{user} is already banned.").format(user=user))
    if user.is_staff or user.is_superuser:
        raise ValidationError(_("{user} is staff; take the staff status away before banning.").format(user=user))
    before = _user_state(user)
    user.is_banned, user.banned_at, user.ban_reason = True, timezone.now(), reason
    user.save(update_fields=["is_banned", "banned_at", "ban_reason"])
    Token.objects.filter(user=user).delete()
    audit(moderator=moderator, action=Action.BAN, target=user, reason=reason, before=before, after=_user_state(user))
    posts = _authored(user)
    events.visibility_changed.send(post_ids=posts)
    events.posts_leaving.send(post_ids=posts, reason=f"author banned: {reason}")
    return user


@transaction.atomic
def user_unban(*, user: User, moderator: User, reason: str = "") -> User:
    """Lift a ban: the author can log in again and their public posts return to feeds."""
    reason = _clean_reason(reason, required=False, what=gettext_noop("lift a ban"))
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_banned:
        raise ValidationError(_("{user} is not banned.").format(user=user))
    before = _user_state(user)
    user.is_banned, user.banned_at, user.ban_reason = False, None, ""
    user.save(update_fields=["is_banned", "banned_at", "ban_reason"])
    audit(moderator=moderator, action=Action.UNBAN, target=user, reason=reason, before=before, after=_user_state(user))
    events.visibility_changed.send(post_ids=_authored(user))
    return user


# ---------------------------------------------------------------- boosts
@transaction.atomic
def boost_stop(*, boost, moderator: User, reason: str):
    """Stop a boost (rejected by moderation); the buyer gets the unspent credits back."""
    reason = _clean_reason(reason, required=True, what=gettext_noop("stop a boost"))
    before = {"status": boost.status, "delivered": boost.delivered, "refunded": boost.refunded}
    closed = boost_stop_by_moderation(boost=boost, reason=reason)
    if closed is None:
        raise ValidationError(_("{boost} has already ended.").format(boost=boost))
    after = {"status": closed.status, "delivered": closed.delivered, "refunded": closed.refunded}
    audit(moderator=moderator, action=Action.BOOST_STOP, target=closed, reason=reason, before=before, after=after)
    return closed


# ---------------------------------------------------------------- hot lists
def _hot_state(post: Post, list_key: str) -> dict:
    override = HotOverride.objects.filter(list_key=list_key, post=post).values("kind", "position").first()
    return {"list": list_key, "override": override or {}}


@transaction.atomic
def hot_pin(*, post: Post, moderator: User, list_key: str = GLOBAL, position: int = 1, reason: str = "") -> list[int]:
    """Pin a post on a hot list at ``position`` (1 = top), now and in later recomputes."""
    reason = _clean_reason(reason, required=False, what=gettext_noop("pin"))
    if not 1 <= position <= knobs()["HOT_LIST_SIZE"]:
        raise ValidationError(_("A pin position is 1 to {size}.").format(size=knobs()['HOT_LIST_SIZE']))
    if not Post.objects.filter(recommendable(), pk=post.pk).exists():
        raise ValidationError(_("“{post}” cannot be pinned: it is not a published post that may be recommended.").format(post=post))
    before = _hot_state(post, list_key)
    HotOverride.objects.update_or_create(
        list_key=list_key, post=post,
        defaults={"kind": HotOverride.Kind.PIN, "position": position, "created_by": moderator},
    )
    ids = hot_overrides_apply(list_key)
    audit(moderator=moderator, action=Action.PIN, target=post, reason=reason, before=before, after=_hot_state(post, list_key))
    return ids


@transaction.atomic
def hot_unpin(*, post: Post, moderator: User, list_key: str = GLOBAL, reason: str = "") -> list[int]:
    """Take a moderator's pin or removal off a hot list; the post falls back to its rank."""
    reason = _clean_reason(reason, required=False, what=gettext_noop("unpin"))
    before = _hot_state(post, list_key)
    deleted, _ = HotOverride.objects.filter(list_key=list_key, post=post).delete()
    if not deleted:
        raise ValidationError(_("“{post}” is neither pinned to nor removed from the {list_key} hot list.").format(
            post=post, list_key=list_key))
    ids = hot_overrides_apply(list_key)
    audit(moderator=moderator, action=Action.UNPIN, target=post, reason=reason, before=before, after=_hot_state(post, list_key))
    return ids


@transaction.atomic
def hot_remove(*, post: Post, moderator: User, list_key: str = GLOBAL, reason: str = "") -> list[int]:
    """Keep a post off a hot list (it stays in the other feeds)."""
    reason = _clean_reason(reason, required=False, what=gettext_noop("remove from the hot list"))
    before = _hot_state(post, list_key)
    HotOverride.objects.update_or_create(
        list_key=list_key, post=post,
        defaults={"kind": HotOverride.Kind.REMOVE, "position": 1, "created_by": moderator},
    )
    ids = hot_overrides_apply(list_key)
    audit(moderator=moderator, action=Action.HOT_REMOVE, target=post, reason=reason, before=before, after=_hot_state(post, list_key))
    return ids
