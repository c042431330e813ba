"""The words of a notification line, as the 消息 page and the API show them."""

from __future__ import annotations

from django.utils.translation import gettext as _

from notifications.models import FOLDED, Notification, Verb

PERSONAL = {Verb.FOLLOW, Verb.COMMENT, Verb.REPLY, Verb.MENTION}


def _did(verb: Verb) -> str:
    """What a person did, after their name (and the fallback line of the other verbs): the
    verb's label, an English msgid translated into the reader's language."""
    return str(verb.label)


def _who(n: Notification, did: str) -> str:
    name = n.actor.name if n.actor is not None else _("Someone")
    if n.actor_count > 1:
        return _("{name} and {others} others {did}").format(name=name, others=n.actor_count - 1, did=did)
    return _("{name} {did}").format(name=name, did=did)


def _post_title(n: Notification) -> str:
    if n.post is not None and n.post.title:
        return _(" “{title}”").format(title=n.post.title)
    return ""


def sentence(n: Notification) -> str:
    """Return the line: "bob 赞了你的笔记", "alice 和其他 12 人赞了你的笔记", "你的笔记被删除：…"
    (in the reader's language: "bob liked your post" in English)."""
    verb = Verb(n.verb)
    if n.actor_id is not None or verb in FOLDED or verb in PERSONAL:
        return _who(n, _did(verb))
    title = _post_title(n)
    if verb in (Verb.POST_LIMITED, Verb.POST_REMOVED):
        reason = _(", reason: {reason}").format(reason=n.text) if n.text else ""
        said = _("Your post{title} was limited{reason}") if verb == Verb.POST_LIMITED else _("Your post{title} was removed{reason}")
        return said.format(title=title, reason=reason)
    if verb == Verb.COMMENT_REMOVED:
        excerpt = n.data.get("excerpt", "")
        return _("Your comment “{excerpt}” was removed, reason: {reason}").format(excerpt=excerpt, reason=n.text)
    if verb == Verb.REPORT_ACCEPTED:
        return _("The post{title} you reported was dealt with; thank you for telling us").format(title=title)
    if verb == Verb.POOL_PROMOTED:
        if n.data.get("hot"):
            return _("Your post{title} entered the hot pool").format(title=title)
        return _("Your post{title} entered the next pool (tier {tier})").format(title=title, tier=n.data.get("tier", "?"))
    if verb == Verb.HOT_LISTED:
        return _("Your post{title} made the hot list").format(title=title)
    if verb == Verb.POST_RESTORED:
        return _("Your post{title} was restored").format(title=title)
    if verb == Verb.BOOST_ENDED:
        refunded = n.data.get("refunded", 0)
        refund = _(", {refunded} credits refunded").format(refunded=refunded) if refunded else ""
        return _("Your boost{title} ended: shown {delivered} times{refund}").format(
            title=title, delivered=n.data.get("delivered", 0), refund=refund)
    return f"{_did(verb)}{title}"


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
