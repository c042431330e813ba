"""The words of a notification line, as the 消息 page and the API show them."""

from __future__ import annotations

from notifications.models import FOLDED, Notification, Verb

PERSONAL = {Verb.FOLLOW, Verb.COMMENT, Verb.REPLY, Verb.MENTION}


def _who(n: Notification, label: str) -> str:
    name = n.actor.name if n.actor is not None else "有人"
    if n.actor_count > 1:
        return f"{name} 和其他 {n.actor_count - 1} 人{label}"
    return f"{name} {label}"


def _post_title(n: Notification) -> str:
    return f"《{n.post.title}》" if n.post is not None and n.post.title else ""


def sentence(n: Notification) -> str:
    """Return the line: "bob 赞了你的笔记", "alice 和其他 12 人赞了你的笔记", "你的笔记被删除：…"."""
    verb = Verb(n.verb)
    if n.actor_id is not None or verb in FOLDED or verb in PERSONAL:
        return _who(n, verb.label)
    title = _post_title(n)
    if verb in (Verb.POST_LIMITED, Verb.POST_REMOVED):
        reason = f"，理由：{n.text}" if n.text else ""
        return f"{verb.label}{title}{reason}"
    if verb == Verb.COMMENT_REMOVED:
        excerpt = n.data.get("excerpt", "")
        return f"你的评论「{excerpt}」已被删除，理由：{n.text}"
    if verb == Verb.REPORT_ACCEPTED:
        return f"你举报的笔记{title}已被处理，感谢你的反馈"
    if verb == Verb.POOL_PROMOTED:
        if n.data.get("hot"):
            return f"你的笔记{title}进入了热门流量池"
        return f"你的笔记{title}进入了下一级流量池（第 {n.data.get('tier', '?')} 级）"
    if verb == Verb.HOT_LISTED:
        return f"你的笔记{title}上了热门榜"
    if verb == Verb.POST_RESTORED:
        return f"你的笔记{title}已恢复"
    if verb == Verb.BOOST_ENDED:
        refunded = n.data.get("refunded", 0)
        refund = f"，退回 {refunded} 薯币" if refunded else ""
        return f"薯条投放已结束{title}：展示 {n.data.get('delivered', 0)} 次{refund}"
    return f"{verb.label}{title}"


def target_path(n: Notification) -> str:
    """Return the page a line leads to: the post (at the comment), the follower, the boost."""
    from django.urls import reverse

    if n.verb == Verb.FOLLOW and n.actor is not None:
        return reverse("web:profile", args=[n.actor.username])
    if n.verb == Verb.BOOST_ENDED and n.data.get("boost"):
        return reverse("web:boost", args=[n.data["boost"]])
    if n.post_id is not None:
        anchor = f"#c{n.comment_id}" if n.comment_id else ""
        return reverse("web:post-detail", args=[n.post_id]) + anchor
    return reverse("web:notifications")
