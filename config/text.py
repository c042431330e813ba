"""Invisible characters taken out of names people see: tags, usernames, display names, titles.

Zero-width characters make two names that look the same different strings (``旅行`` and
``旅\u200b行`` become two tags); bidi controls reorder what follows them, so a name can
display as something it is not (``\u202etxt.exe`` shows as ``exe.txt``). None of them
carries meaning in a short name, so they are removed, not refused: the person keeps the
name they meant. Longer text (post bodies, comments, bios) keeps them, where joiners and
direction marks can be wanted.
"""

from __future__ import annotations

import re

INVISIBLE_RE = re.compile(
    "["
    "\u200b-\u200d"  # zero-width space, non-joiner, joiner
    "\u2060\ufeff"  # word joiner, zero-width no-break space (byte order mark)
    "\u180e"  # Mongolian vowel separator (zero-width in current Unicode)
    "\u061c\u200e\u200f"  # Arabic letter mark, left-to-right and right-to-left marks
    "\u202a-\u202e"  # bidi embeddings and overrides, pop directional formatting
    "\u2066-\u2069"  # bidi isolates and pop directional isolate
    "]"
)


def strip_invisible(text: str) -> str:
    """Return ``text`` without zero-width and bidi control characters."""
    return INVISIBLE_RE.sub("", text or "")
