"""内容质量评估: a 0–1 quality score of a post at publish, from the post itself.

Plain functions over plain values: the service gathers the post's title, body, media and
tags and whether it is a near-duplicate; ``quality_score`` says how good it looks and
why. Below ``QUALITY_THRESHOLD`` a post is not entered into the traffic pools.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

LINK_RE = re.compile(r"https?://|www\.|\b[\w-]+\.(?:com|cn|net|top|xyz)\b", re.IGNORECASE)
# A hashtag ends at a space, a second # or punctuation, Chinese or not, and is at most 30
# characters (as ``content.tagging`` reads them): "去了#武康路，拿铁很香" has the tag 武康路,
# and the rest is text.
HASHTAG_RE = re.compile(r"#[^\s#，。！？、,.!?;；:：()（）\[\]【】]{1,30}#?")
TOKEN_RE = re.compile(r"[\u4e00-\u9fff]|[a-z0-9]+", re.IGNORECASE)


def visible_chars(text: str) -> int:
    """Return how many characters a person counts in ``text``: each Chinese character,
    letter, digit, punctuation mark or emoji once; spaces, line breaks and invisible marks
    (zero-width joiners, variation selectors, combining marks) not at all."""
    return sum(
        1 for ch in text if not ch.isspace() and unicodedata.category(ch) not in ("Mn", "Me", "Cf")
    )


@dataclass(frozen=True)
class PostFacts:
    """What the quality score looks at."""

    kind: str
    title: str
    body: str
    image_count: int = 0
    video_seconds: float | None = None
    tag_count: int = 0
    is_duplicate: bool = False


@dataclass
class Quality:
    score: float
    reasons: list[str] = field(default_factory=list)


def quality_score(facts: PostFacts, k: dict) -> Quality:
    """Return the post's quality in 0–1 and the reasons that lowered it.

    Parts: title 0.2, body 0.25, media 0.2, tags 0.1, cleanliness 0.25. Thin text,
    hashtag stuffing, links and banned words take points off; a near-duplicate of an
    existing post is capped at 0.1 (originality is not negotiable).
    """
    reasons: list[str] = []
    score = 0.0
    lo, hi = k["QUALITY_TITLE_CHARS"]
    title_len = visible_chars(facts.title)
    if lo <= title_len <= hi:
        score += 0.2
    elif title_len:
        score += 0.1
        reasons.append(f"title of {title_len} characters (best {lo}–{hi})")
    else:
        reasons.append("no title")
    body_len = visible_chars(HASHTAG_RE.sub("", facts.body))
    short, good = k["QUALITY_BODY_CHARS"]
    if body_len >= good:
        score += 0.25
    elif body_len >= short:
        score += 0.15
    else:
        reasons.append(f"very little text ({body_len} characters)")
    if facts.kind == "video":
        vlo, vhi = k["QUALITY_VIDEO_SECONDS"]
        if facts.video_seconds and vlo <= facts.video_seconds <= vhi:
            score += 0.2
        else:
            reasons.append(f"video length outside {vlo} s – {vhi // 60} min")
    elif facts.image_count >= 1:
        score += 0.2 if facts.image_count >= 2 else 0.15
    else:
        reasons.append("no image")
    tlo, thi = k["QUALITY_TAGS"]
    if tlo <= facts.tag_count <= thi:
        score += 0.1
    else:
        reasons.append("no tags" if facts.tag_count < tlo else "too many tags")

    clean = 0.25
    text = f"{facts.title}\n{facts.body}"
    if len(TOKEN_RE.findall(HASHTAG_RE.sub("", text))) < 6:
        clean -= 0.2
        reasons.append("too thin: a word or two")
    hashtags = HASHTAG_RE.findall(text)
    words = TOKEN_RE.findall(HASHTAG_RE.sub("", text))
    if len(hashtags) >= 6 and len(hashtags) > len(words) / 3:
        clean -= 0.35
        reasons.append(f"hashtag stuffing ({len(hashtags)} hashtags)")
    links = len(LINK_RE.findall(text))
    if links > k["QUALITY_MAX_LINKS"]:
        clean -= 0.15
        reasons.append("contains links")
    banned = [w for w in k["QUALITY_BANNED_WORDS"] if w.lower() in text.lower()]
    if banned:
        clean -= 0.5
        reasons.append("spam words: " + ", ".join(banned))
    score += clean
    if facts.is_duplicate:
        score = min(score, 0.1)
        reasons.append("near-duplicate of an existing post (not original)")
    return Quality(score=round(max(0.0, min(1.0, score)), 3), reasons=reasons)


# ---------------------------------------------------------------- originality (SimHash)
def _features(text: str) -> list[str]:
    """Return overlapping 3-grams of the text's tokens (Chinese by character)."""
    tokens = [t.lower() for t in TOKEN_RE.findall(text)]
    if len(tokens) < 3:
        return tokens
    return ["".join(tokens[i : i + 3]) for i in range(len(tokens) - 2)]


def simhash(text: str) -> int:
    """Return the 64-bit SimHash of ``text`` (as a signed 64-bit integer for the database)."""
    vector = [0] * 64
    for feature in _features(text):
        h = int.from_bytes(hashlib.blake2b(feature.encode(), digest_size=8).digest(), "big")
        for bit in range(64):
            vector[bit] += 1 if h >> bit & 1 else -1
    value = sum(1 << bit for bit in range(64) if vector[bit] > 0)
    return value - (1 << 64) if value >= 1 << 63 else value


def bands(value: int) -> tuple[int, int, int, int]:
    """Return the four 16-bit bands of a SimHash; two hashes within 3 bits share one."""
    unsigned = value & ((1 << 64) - 1)
    return tuple((unsigned >> (16 * i)) & 0xFFFF for i in range(4))  # type: ignore[return-value]


def hamming(a: int, b: int) -> int:
    """Return how many bits differ between two SimHashes."""
    return bin((a ^ b) & ((1 << 64) - 1)).count("1")
