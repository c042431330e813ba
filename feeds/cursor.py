"""Feed cursors: opaque, signed tokens that say where the next page starts.

A cursor is a small dict (the feed's own position: a session and offset, a keyset, …)
signed with the project's secret, so a client can hand it back but cannot forge or edit
one. A cursor that does not verify, or belongs to another feed, is a ``BadCursor``
(the API answers 400, the web page starts over).
"""

from __future__ import annotations

from django.core import signing
from django.utils.translation import gettext as _

SALT = "feeds.cursor"


class BadCursor(ValueError):
    """The cursor is malformed, tampered with, or from another feed."""


def encode(feed: str, position: dict) -> str:
    return signing.dumps({"f": feed, **position}, salt=SALT, compress=True)


def decode(feed: str, token: str | None) -> dict | None:
    """Return the position a cursor holds (None for no cursor: the first page)."""
    if not token:
        return None
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature as exc:
        raise BadCursor(_("This cursor is not valid; start again without one.")) from exc
    if not isinstance(data, dict) or data.pop("f", None) != feed:
        raise BadCursor(_("This cursor belongs to another feed."))
    return data
