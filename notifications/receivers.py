"""The lower apps' hooks, answered with notices (``services.notices_decide``).

Each receiver runs inside the transaction of the action it hears about, and only writes
outbox rows: the notices commit or roll back with the action, and the worker delivers
them after the commit (mutes, blocks and folding are decided there).
"""

from __future__ import annotations

from django.db import transaction

from accounts import events as account_events
from boosts import events as boost_events
from content import events as content_events
from content.models import Post
from feeds import events as feeds_events
from feeds import stores
from moderation import events as moderation_events
from moderation.models import AuditEntry
from notifications.models import Notification, Verb
from notifications.services import Notice, notices_decide

MARK_VERBS = {"like": Verb.LIKE, "favourite": Verb.FAVOURITE, "comment_like": Verb.COMMENT_LIKE}
MODERATION_VERBS = {
    AuditEntry.Action.LIMIT: Verb.POST_LIMITED,
    AuditEntry.Action.REMOVE: Verb.POST_REMOVED,
    AuditEntry.Action.RESTORE: Verb.POST_RESTORED,
}


def marked(*, actor_id, kind, recipient_id, post_id, comment_id=None, **_) -> None:
    verb = MARK_VERBS.get(kind)
    if verb is not None:
        notices_decide([Notice(recipient_id, verb, actor_id, post_id, comment_id)])


def commented(*, comment, replied_to_id=None, mentioned_ids=(), **_) -> None:
    """The post's author hears of a comment, the person answered of a reply, the people
    named of their @mention: each person once, by the most specific line."""
    told: dict[int, str] = {}
    for uid in mentioned_ids:
        told[uid] = Verb.MENTION
    if replied_to_id is not None:
        told[replied_to_id] = Verb.REPLY
    told.setdefault(comment.post.author_id, Verb.COMMENT)
    excerpt = comment.body[:120]
    notices_decide(
        Notice(uid, verb, comment.author_id, comment.post_id, comment.pk, excerpt)
        for uid, verb in told.items()
    )


def follow_changed(*, follower_id, followee_id, following, **_) -> None:
    if following:
        notices_decide([Notice(followee_id, Verb.FOLLOW, follower_id)])


def post_moderated(*, post_id, author_id, action, reason, **_) -> None:
    verb = MODERATION_VERBS.get(action)
    if verb is not None:
        notices_decide([Notice(author_id, verb, None, post_id, text=reason)])


def reports_settled(*, post_id, reporter_ids, accepted, **_) -> None:
    if accepted:
        notices_decide(Notice(uid, Verb.REPORT_ACCEPTED, None, post_id) for uid in reporter_ids)


def comment_removed(*, author_id, post_id, excerpt, reason, **_) -> None:
    notices_decide(
        [Notice(author_id, Verb.COMMENT_REMOVED, None, post_id, None, reason, {"excerpt": excerpt})]
    )


def _authors(post_ids) -> dict[int, int]:
    return dict(Post.objects.filter(pk__in=list(post_ids)).values_list("pk", "author_id"))


def pool_promoted(*, post_id, to_tier, hot, **_) -> None:
    author_id = _authors([post_id]).get(post_id)
    if author_id is not None:
        notices_decide(
            [
                Notice(
                    author_id, Verb.POOL_PROMOTED, None, post_id, data={"tier": to_tier, "hot": hot}
                )
            ]
        )


def hot_entered(*, post_ids, **_) -> None:
    notices_decide(
        Notice(author_id, Verb.HOT_LISTED, None, pid)
        for pid, author_id in _authors(post_ids).items()
    )


def boost_ended(*, buyer_id, post_id, status, delivered, refunded, reason, boost_id, **_) -> None:
    data = {"boost": boost_id, "status": status, "delivered": delivered, "refunded": refunded}
    notices_decide([Notice(buyer_id, Verb.BOOST_ENDED, None, post_id, text=reason, data=data)])


def post_gone(*, post_id, **_) -> None:
    """A deleted post takes its notification lines along (cascade): move the unread
    version of the people who held unread ones once the deletion commits."""
    holders = list(
        Notification.objects.filter(post_id=post_id, read_at__isnull=True)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    if holders:
        transaction.on_commit(lambda: stores.unread_changed(holders))


def connect() -> None:
    content_events.marked.connect(marked)
    content_events.commented.connect(commented)
    content_events.post_gone.connect(post_gone)
    account_events.follow_changed.connect(follow_changed)
    moderation_events.post_moderated.connect(post_moderated)
    moderation_events.reports_settled.connect(reports_settled)
    moderation_events.comment_removed.connect(comment_removed)
    feeds_events.pool_promoted.connect(pool_promoted)
    feeds_events.hot_entered.connect(hot_entered)
    boost_events.boost_ended.connect(boost_ended)
