"""Usernames that cannot pass for someone else's.

A name is cleaned (invisible characters out, NFKC: fullwidth ``ａｌｉｃｅ`` becomes
``alice``), refused when it mixes scripts in a way no one writes (Latin with a Cyrillic
``а``), and compared with existing names by a key: the cleaned name case-folded, each
non-ASCII letter that looks like an ASCII one replaced by it (Unicode's confusables list,
shipped by ``confusable_homoglyphs``). ``аlice`` in Cyrillic alone, ``Alice`` and ``alice``
share one key, so only the first of them can exist.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from confusable_homoglyphs.categories import unique_aliases
from confusable_homoglyphs.utils import load

from config.text import strip_invisible

# Scripts written together in one name (Unicode TR39's "highly restrictive" sets): Latin
# with Chinese, Japanese or Korean. Any other mix of two scripts is refused.
ALLOWED_SCRIPT_MIXES = (
    {"LATIN", "HAN", "HIRAGANA", "KATAKANA"},
    {"LATIN", "HAN", "BOPOMOFO"},
    {"LATIN", "HAN", "HANGUL"},
)
MIXED_SCRIPTS = "Write your username in one script: it mixes letters that can pass for others."
TAKEN = "This username is taken."


def username_clean(raw: str) -> str:
    """Return the name as stored: invisible characters removed, NFKC-normalised."""
    return unicodedata.normalize("NFKC", strip_invisible(raw))


@cache
def _ascii_lookalikes() -> dict[str, str]:
    """Return each non-ASCII character that has an ASCII look-alike, mapped to it."""
    table = {}
    for char, homoglyphs in load("confusables.json").items():
        if char.isascii():
            continue
        for glyph in homoglyphs:
            if glyph["c"].isascii():
                table[char] = glyph["c"]
                break
    return table


def username_key(name: str) -> str:
    """Return the key two names share when a reader could take one for the other."""
    folded = username_clean(name).casefold()
    lookalikes = _ascii_lookalikes()
    return "".join(lookalikes.get(char, char) for char in folded).casefold()


def username_refusal(name: str) -> str | None:
    """Return why a cleaned ``name`` may not be a username for its script mix (None: it may)."""
    scripts = unique_aliases(name) - {"COMMON"}
    if len(scripts) <= 1 or any(scripts <= allowed for allowed in ALLOWED_SCRIPT_MIXES):
        return None
    return MIXED_SCRIPTS


def username_taken(name: str, exclude_pk: int | None = None) -> str | None:
    """Return why ``name`` is unavailable because someone holds a look-alike (None: free)."""
    from .models import User

    holders = User.objects.filter(username_key=username_key(name))
    if exclude_pk is not None:
        holders = holders.exclude(pk=exclude_pk)
    return TAKEN if holders.exists() else None
