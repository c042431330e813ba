"""Search tokens: jieba's search mode over normalised text, the same for posts and queries.

Text is NFKC-normalised (full-width letters become ASCII, compatibility forms fold),
lower-cased, stripped of zero-width and bidi control characters, and cut by
``jieba.cut_for_search``, which also yields the shorter words inside long ones (中华人民共和国
→ 中华, 华人, 人民, 共和, 共和国 …), so a query for a part of a word finds the word. Only tokens made of
letters and digits are kept: punctuation, emoji and every character a full-text query
language treats as syntax (``"``, ``*``, ``-``, ``(``, ``:``) never reach the backend.
"""

from __future__ import annotations

import re
import unicodedata

from content.tagging import _analyse

# Zero-width characters, the bidi controls and the byte-order mark.
INVISIBLE_RE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
WORD_RE = re.compile(r"^\w+$")
MAX_QUERY_CHARS = 100
MAX_QUERY_TOKENS = 12


def normalise(text: str) -> str:
    """Return ``text`` NFKC-normalised, lower-cased, without invisible characters."""
    text = unicodedata.normalize("NFKC", text or "")
    return INVISIBLE_RE.sub("", text).lower().strip()


def tokens(text: str) -> list[str]:
    """Return the search tokens of ``text`` in order (repeats kept: they weigh in bm25)."""
    _analyse()  # the one-time, thread-safe dictionary load
    import jieba

    out = []
    for word in jieba.cut_for_search(normalise(text)):
        word = word.strip()
        if word and WORD_RE.match(word) and word != "_":
            out.append(word)
    return out


def query_tokens(text: str) -> list[str]:
    """Return the distinct tokens of a query, at most ``MAX_QUERY_TOKENS``, in order."""
    return list(dict.fromkeys(tokens(normalise(text)[:MAX_QUERY_CHARS])))[:MAX_QUERY_TOKENS]


def document(*parts: str) -> str:
    """Return the text stored for a post: its parts' tokens, space-separated."""
    return " ".join(t for part in parts if part for t in tokens(part))


def required(words: list[str]) -> list[str]:
    """Return the query tokens a match must check: those no other token implies.

    Search mode yields, beside each word longer than two characters, the dictionary's
    two- and three-character words inside it, for a post as for a query. So a post
    holding 宽窄巷子 always holds 宽窄, 窄巷 and 巷子: requiring them too changes nothing
    found, but a planner that takes the words for independent expects 1 % of the matches
    and reads every one (PostgreSQL: 33 ms instead of 0.3 for 宽窄巷子).
    """
    def implied(word: str) -> bool:
        return whole(word) and any(word in other and word != other for other in words)

    return [w for w in words if not implied(w)]


def whole(word: str) -> bool:
    """Whether ``word`` is a dictionary word of two or three characters, which search mode
    yields on its own inside every longer word holding it (see ``required``).

    A post holding a longer word that starts with it so holds it too: the last word of a
    query, matched as a prefix in case it is still being typed (火锅攻 → 攻略), needs no
    prefix when it is such a word. Matching it whole finds the same posts (all 342 bench
    queries: docs/search.md) and lets PostgreSQL estimate how many: its estimate for a
    prefix was twice the truth, enough to pick an ordered read that visits most of the
    index for a word in 2 600 posts (18 ms instead of 3).
    """
    _analyse()
    import jieba

    return len(word) in (2, 3) and bool(jieba.dt.FREQ.get(word))
