"""Interactions on posts: state rows (unique per user and post) plus appended events.

Each write runs in one transaction: the state row, the event row and the counter
update commit together. A duplicate (a second like by the same user, say) hits the
unique constraint and changes nothing, so the counters always match the rows, also
under concurrent requests. Shares and views are events a person may send many times:
each is kept as an event, but only a person's first share (``Share``) and first view
(``PostView``) of a post move its counters (docs/engagement.md).

``address`` is the client's address (``config.throttles.client_address``): with the
account, it feeds the burst screen (``content.services.bursts``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import events as account_events
from accounts.models import User
from accounts.selectors import hidden_author_ids
from config.sql import insert_rows
from config.transactions import relaxed_commit
from content import events as content_events
from content.mentions import mentions_resolve
from content.models import (
    Comment,
    CommentLike,
    Event,
    Favourite,
    Like,
    NotInterested,
    Post,
    PostView,
    Report,
    Share,
    Tag,
)
from content.services.bursts import engagement_screen


def _bump(post_id: int, field: str, delta: int) -> None:
    Post.objects.filter(pk=post_id).update(**{field: F(field) + delta})


def _insert_once(model, **values) -> bool:
    """Insert one state row; return False when the unique constraint says it exists."""
    try:
        with transaction.atomic():
            model.objects.create(**values)
    except IntegrityError:
        return False
    return True


BOOSTABLE = {Event.Kind.LIKE, Event.Kind.FAVOURITE, Event.Kind.COMMENT, Event.Kind.SHARE}


def _event(user: User, post_id: int, kind: str, *, address: str | None = None, **extra) -> None:
    """Append the event, screen it for a burst and tell the engine what it says about
    the user's taste.

    Engagement from someone who met the post only through a paid boost is marked with
    the source "boost", which the traffic pools leave out (design 3.9); so is, with the
    source "reserve", engagement from someone only the reserve lane showed it to.
    """
    if user is not None and kind in BOOSTABLE:
        shown_by = set(
            Event.objects.filter(user_id=user.pk, post_id=post_id, kind=Event.Kind.IMPRESSION)
            .values_list("source", flat=True)[:10]
        )
        uncounted = content_events.engagement_source.first(user_id=user.pk, post_id=post_id, shown_by=shown_by)
        if uncounted:
            extra["source"] = uncounted
    event = Event.objects.create(user=user, post_id=post_id, kind=kind, **extra)
    if user is not None:
        engagement_screen(user_id=user.pk, address=address, event_ids=[event.pk], now=event.created_at)
        content_events.engaged.send(engagements=[content_events.Engagement(user.pk, post_id, kind)])


def _mark(model, counter: str, kind: str, *, user: User, post: Post, source: str, address: str | None) -> bool:
    """Insert the person's mark (a like, a save) once, count it, log the event and
    announce it (the author's 赞和收藏 notification is decided in this transaction)."""
    if not _insert_once(model, user=user, post=post):
        return False
    _bump(post.pk, counter, 1)
    _event(user, post.pk, kind, source=source, address=address)
    content_events.marked.send(
        actor_id=user.pk, kind=str(kind), recipient_id=post.author_id, post_id=post.pk, comment_id=None
    )
    return True


def _unmark(model, counter: str, kind: str, *, user: User, post: Post, address: str | None) -> bool:
    """Delete the person's mark if there is one, uncount it and log the event."""
    deleted, _ = model.objects.filter(user=user, post=post).delete()
    if not deleted:
        return False
    _bump(post.pk, counter, -1)
    _event(user, post.pk, kind, address=address)
    return True


@transaction.atomic
def like_create(*, user: User, post: Post, source: str = "", address: str | None = None) -> bool:
    """Like a post; return False (and change nothing) if already liked."""
    return _mark(Like, "like_count", Event.Kind.LIKE, user=user, post=post, source=source, address=address)


@transaction.atomic
def like_delete(*, user: User, post: Post, address: str | None = None) -> bool:
    """Take a like back; return False if there was none."""
    return _unmark(Like, "like_count", Event.Kind.UNLIKE, user=user, post=post, address=address)


@transaction.atomic
def favourite_create(*, user: User, post: Post, source: str = "", address: str | None = None) -> bool:
    """Save a post (收藏); return False if already saved."""
    return _mark(Favourite, "favourite_count", Event.Kind.FAVOURITE, user=user, post=post, source=source, address=address)


@transaction.atomic
def favourite_delete(*, user: User, post: Post, address: str | None = None) -> bool:
    """Take a save back; return False if there was none."""
    return _unmark(Favourite, "favourite_count", Event.Kind.UNFAVOURITE, user=user, post=post, address=address)


@transaction.atomic
def share_create(*, user: User, post: Post, target: str = "link", address: str | None = None) -> bool:
    """Record a share of a post (to a link, a chat …); return True if it is the user's
    first share of it, the only one the share counter counts (every share is an event)."""
    first = _insert_once(Share, user=user, post=post)
    if first:
        _bump(post.pk, "share_count", 1)
    _event(user, post.pk, Event.Kind.SHARE, source=target[:16], address=address)
    return first


@transaction.atomic
def comment_create(
    *, user: User, post: Post, body: str, parent: Comment | None = None, address: str | None = None
) -> Comment:
    """Comment on a post, or reply to a comment (replies stay one level deep)."""
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write something to comment.")})
    # A block stands between two people everywhere: neither comments on the other's
    # posts nor replies to the other's comments, nor inside a thread the other started.
    hidden = hidden_author_ids(user=user)
    if post.author_id in hidden:
        raise PermissionDenied(_("You cannot comment on this post."))
    if parent is not None:
        if parent.post_id != post.pk:
            raise ValidationError({"parent": _("That comment belongs to another post.")})
        replied_to = {parent.author_id}
        replied_to_author = parent.author_id  # the one answered (the thread's starter may differ)
        if parent.parent_id is not None:
            parent = Comment.objects.get(pk=parent.parent_id)
            replied_to.add(parent.author_id)
        if replied_to & hidden:
            raise PermissionDenied(_("You cannot reply to this comment."))
    mentioned = mentions_resolve(body)
    comment = Comment.objects.create(post=post, author=user, parent=parent, body=body, mentions=list(mentioned))
    _bump(post.pk, "comment_count", 1)
    _event(user, post.pk, Event.Kind.COMMENT, address=address)
    content_events.commented.send(
        comment=comment,
        replied_to_id=replied_to_author if parent is not None else None,
        mentioned_ids=sorted(set(mentioned.values())),
    )
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, actor: User) -> None:
    """Delete a comment (by its author or the post's author) with its replies."""
    if actor.pk not in (comment.author_id, comment.post.author_id):
        raise PermissionDenied(_("Only the comment's author or the post's author can delete it."))
    removed = 1 + comment.replies.count()
    comment.delete()
    _bump(comment.post_id, "comment_count", -removed)


def comment_like_create(*, user: User, comment: Comment) -> bool:
    """Like a comment; return False (and change nothing) if already liked."""
    with transaction.atomic():
        if comment.author_id in hidden_author_ids(user=user):
            raise PermissionDenied(_("You cannot like this comment."))
        if not _insert_once(CommentLike, user=user, comment=comment):
            return False
        Comment.objects.filter(pk=comment.pk).update(like_count=F("like_count") + 1)
        content_events.marked.send(
            actor_id=user.pk, kind="comment_like", recipient_id=comment.author_id,
            post_id=comment.post_id, comment_id=comment.pk,
        )
    return True


@transaction.atomic
def comment_like_delete(*, user: User, comment: Comment) -> bool:
    """Take a comment like back; return False if there was none."""
    deleted, _ = CommentLike.objects.filter(user=user, comment=comment).delete()
    if deleted:
        Comment.objects.filter(pk=comment.pk).update(like_count=F("like_count") - 1)
    return bool(deleted)


@transaction.atomic
def report_create(
    *, user: User, post: Post, reason: str, detail: str = "", address: str | None = None
) -> bool:
    """Report a post with a reason; return False if this user already reported it."""
    if post.author_id == user.pk:
        raise ValidationError({"detail": _("You cannot report your own post.")})
    if reason not in Report.Reason.values:
        raise ValidationError({"reason": _("Choose one of: {choices}.").format(choices=', '.join(Report.Reason.values))})
    if not _insert_once(Report, reporter=user, post=post, reason=reason, detail=detail[:500]):
        return False
    _bump(post.pk, "report_count", 1)
    _event(user, post.pk, Event.Kind.REPORT, address=address)
    return True


@transaction.atomic
def not_interested_create(
    *,
    user: User,
    kind: str,
    post: Post | None = None,
    author: User | None = None,
    tag: Tag | None = None,
    address: str | None = None,
) -> bool:
    """Say "not interested" in a post, an author or a tag; False if said before.

    ``post`` may accompany an author or tag choice as the context it was made from (a
    card's menu); the negative event is then recorded against that post.
    """
    targets = {"post": post, "author": author, "tag": tag}
    if kind not in NotInterested.Kind.values or targets[kind] is None:
        raise ValidationError({"kind": _("Say not interested in a post, an author or a tag.")})
    if kind == NotInterested.Kind.AUTHOR and author.pk == user.pk:
        raise ValidationError({"author": _("That is you.")})
    row = {kind: targets[kind]}
    if not _insert_once(NotInterested, user=user, kind=kind, **row):
        return False
    account_events.exclusions_changed.send(user_ids=[user.pk])
    if post is not None:
        _event(user, post.pk, Event.Kind.NOT_INTERESTED, source=kind, address=address)
    return True


@transaction.atomic
def not_interested_delete(*, user: User, pk: int) -> bool:
    """Take back one of the user's "not interested" choices."""
    deleted, _ = NotInterested.objects.filter(user=user, pk=pk).delete()
    if deleted:
        account_events.exclusions_changed.send(user_ids=[user.pk])
    return bool(deleted)


def _first_views(user_id: int, post_ids: list[int], now) -> list[int]:
    """Insert the user's ``PostView`` rows for these posts; return the posts whose row is
    new (the user's first view). One statement: ``ON CONFLICT DO NOTHING RETURNING``
    answers exactly, also when another request inserts the same row at the same time."""
    if not post_ids:
        return []
    at = PostView._meta.get_field("created_at").get_db_prep_save(now, connection)
    new = insert_rows(
        PostView, ("user", "post", "created_at"), [(user_id, post_id, at) for post_id in post_ids],
        conflict="ON CONFLICT (user_id, post_id) DO NOTHING RETURNING post_id",
    )
    return [row[0] for row in new]


@transaction.atomic
def events_ingest(*, user: User, events: Iterable[Mapping], address: str | None = None) -> int:
    """Append a client's batch of view / watch events and return how many were stored.

    Each event is ``{"post": id, "seconds": float, "completed": bool, "source": str}``.
    Events for posts that do not exist or the user may not see are dropped (a client
    may report a post that was removed meanwhile). Every event is stored; the view
    counter moves once per person and post, on their first view.
    """
    events = list(events)
    if len(events) > settings.EVENTS_BATCH_MAX:
        raise ValidationError(
            {"events": _("Send at most {n} events per batch.").format(n=settings.EVENTS_BATCH_MAX)}
        )
    ids = {int(e["post"]) for e in events}
    visible = dict(
        Post.objects.filter(
            pk__in=ids, status__in=[Post.Status.PUBLISHED, Post.Status.LIMITED], author__is_active=True
        )
        .exclude(author_id__in=hidden_author_ids(user=user))
        .values_list("pk", "video_seconds")
    )
    rows = [
        Event(
            user=user,
            post_id=int(e["post"]),
            kind=Event.Kind.VIEW,
            seconds=e.get("seconds"),
            completed=bool(e.get("completed", False)),
            source=(e.get("source") or "")[:16],
        )
        for e in events
        if int(e["post"]) in visible
    ]
    now = timezone.now()
    for row in rows:
        row.created_at = now
    Event.objects.bulk_create(rows, batch_size=500)
    # Bump in post-id order: concurrent batches touching the same posts then take their
    # row locks in the same order and cannot deadlock (PostgreSQL found them otherwise).
    for post_id in sorted(_first_views(user.pk, sorted({r.post_id for r in rows}), now)):
        _bump(post_id, "view_count", 1)
    engagement_screen(user_id=user.pk, address=address, event_ids=[r.pk for r in rows], now=now)
    content_events.engaged.send(
        engagements=[
            content_events.Engagement(user.pk, r.post_id, Event.Kind.VIEW, r.seconds, r.completed, visible[r.post_id])
            for r in rows
        ]
    )
    return len(rows)


def impressions_record(
    *, user: User | None, post_ids: Iterable[int], source: str, sources: Mapping[int, str] | None = None
) -> int:
    """Record that these posts were shown to ``user`` in a feed (fills the traffic pools);
    ``sources`` names another source for some of them (e.g. the reserve lane).

    Every feed page writes these, so they take the leanest path there is: one INSERT of
    plain values per page (``config.sql.insert_rows``; no model instances, on which
    ``bulk_create`` spent ~0.4 ms of Python a page of twenty, measured), all stamped with
    the same time, in a transaction that does not wait for the disk
    (``config.transactions.relaxed_commit``: a crash may lose the impressions of the last
    fraction of a second; an fsync held a page up by ~3 ms under load, measured by the
    benchmark).
    """
    ids = list(post_ids)
    if not ids:
        return 0
    with relaxed_commit() as db:
        at = Event._meta.get_field("created_at").get_db_prep_save(timezone.now(), db)
        uid = user.pk if user is not None else None
        insert_rows(
            Event, ("user", "post", "kind", "source", "created_at", "seconds", "completed"),
            [(uid, pid, Event.Kind.IMPRESSION.value, (sources or {}).get(pid, source)[:16], at, None, False) for pid in ids],
            db=db,
        )
    return len(ids)
