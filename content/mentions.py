"""``@username`` mentions in comments: which words name a person, and how they render.

A mention is ``@`` followed by a username's characters (letters of any script, digits,
``_ . + -``), not preceded by a letter (``me@example.com`` mentions nobody). Only the
first ``ENGINE["MENTIONS_PER_COMMENT_MAX"]`` distinct names of a comment are looked up
(one query): the rest, and names that match nobody, stay plain text and notify no one,
so a comment holding 1 000 ``@names`` tells at most that many people.
"""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from accounts.models import User
from feeds.knobs import knob

MENTION = re.compile(r"(?<![\w@])@([\w.+-]{1,150})")


def mentioned_names(text: str, *, limit: int | None = None) -> list[str]:
    """Return the distinct names ``text`` mentions, in order, at most ``limit`` of them."""
    limit = knob("MENTIONS_PER_COMMENT_MAX") if limit is None else limit
    names: dict[str, str] = {}
    for match in MENTION.finditer(text or ""):
        name = match.group(1).rstrip(".-+")
        if name and name.casefold() not in names:
            names[name.casefold()] = name
            if len(names) >= limit:
                break
    return list(names.values())


def mentions_resolve(text: str) -> dict[str, int]:
    """Return the mentioned people who exist and are active: username → user id."""
    names = mentioned_names(text)
    if not names:
        return {}
    rows = User.objects.filter(username__in=names, is_active=True).values_list("username", "pk")
    return dict(rows)


def mentions_render(text: str, usernames: list[str]) -> SafeString:
    """Return ``text`` escaped, each mention of one of ``usernames`` a link to the profile."""
    known = set(usernames or ())
    if not known:
        return conditional_escape(text)
    out, last = [], 0
    for match in MENTION.finditer(text):
        name = match.group(1).rstrip(".-+")
        if name not in known:
            continue
        start, end = match.start(), match.start() + 1 + len(name)
        out.append(conditional_escape(text[last:start]))
        out.append(
            format_html(
                '<a class="mention" href="{}">@{}</a>', reverse("web:profile", args=[name]), name
            )
        )
        last = end
    out.append(conditional_escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped
