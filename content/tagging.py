"""Tags of a post: the author's own plus those extracted from its title and body.

Chinese text is segmented by jieba (its TF-IDF keyword extractor, which also keeps Latin
words whole); stop words, numbers, single characters and punctuation are dropped.
Explicit ``#话题`` / ``#topic`` hashtags in the text count as author tags.
"""

from __future__ import annotations

import logging
import re
import threading

from config.text import strip_invisible

MAX_TAG_LENGTH = 30

HASHTAG_RE = re.compile(r"#([^\s#，。！？、,.!?;；:：()（）\[\]【】]{1,30})#?")
URL_RE = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
NUMBERISH_RE = re.compile(r"^[\d.,:%/+-]+$")
WORDISH_RE = re.compile(r"[\w\u4e00-\u9fff]", re.UNICODE)

STOP_WORDS = frozenset(
    """
    的 了 是 在 我 有 和 就 不 人 都 一 一个 上 也 很 到 说 要 去 你 会 着 没有 看 好 自己 这 那
    这个 那个 我们 你们 他们 她们 它们 什么 怎么 为什么 因为 所以 但是 然后 如果 还是 或者 已经
    可以 就是 真的 非常 一下 一些 这样 那样 时候 现在 今天 明天 昨天 大家 一起 觉得 感觉 知道
    还有 没 吗 吧 呢 啊 哦 嗯 呀 哈 哈哈 哈哈哈 被 把 让 给 对 从 向 比 更 最 太 又 再 才 只
    分享 推荐 记录 笔记 视频 图文 小红书 抖音 宝子们 姐妹们 家人们 朋友们
    a an the and or but if then else of to in on at by for with from as is are was were be
    been being am do does did doing have has had having this that these those it its i me my
    we our you your he him his she her they them their what which who whom when where why how
    all any both each few more most other some such no nor not only own same so than too very
    can will just should now here there up down out over under again once about into through
    during before after above below off also get got really much many lot lots thing things
    today day week one two new like love good great best make made want need use used
    """.split()
)

_jieba_lock = threading.Lock()
_jieba_ready = False


def _analyse():
    """Return ``jieba.analyse`` after its one-time dictionary load (thread-safe)."""
    global _jieba_ready
    import jieba
    import jieba.analyse

    if not _jieba_ready:
        with _jieba_lock:
            if not _jieba_ready:
                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _jieba_ready = True
    return jieba.analyse


def normalize_tag(raw: str) -> str:
    """Return the canonical form of a tag name ('' when nothing usable is left); invisible
    characters are dropped, so ``旅\u200b行`` and ``旅行`` are one tag."""
    name = strip_invisible(raw).strip().strip("#").strip()
    name = re.sub(r"\s+", " ", name).lower()
    if not name or len(name) > MAX_TAG_LENGTH or not WORDISH_RE.search(name):
        return ""
    return name


def hashtags_in(text: str) -> list[str]:
    """Return the normalised ``#hashtags`` written in ``text``, in order, unique."""
    found: list[str] = []
    for match in HASHTAG_RE.finditer(text or ""):
        name = normalize_tag(match.group(1))
        if name and name not in found:
            found.append(name)
    return found


def _is_keyword(word: str) -> bool:
    if word in STOP_WORDS or NUMBERISH_RE.match(word):
        return False
    if word.isascii():
        return len(word) >= 3 and word.isalpha()
    return len(word) >= 2


def extract_tags(title: str, body: str, limit: int = 5) -> list[str]:
    """Return up to ``limit`` keyword tags of a post's text, most salient first."""
    text = URL_RE.sub(" ", f"{title or ''}\n{title or ''}\n{body or ''}")
    text = HASHTAG_RE.sub(" ", text)
    if not text.strip():
        return []
    candidates = _analyse().extract_tags(text, topK=limit * 4)
    tags: list[str] = []
    for word in candidates:
        name = normalize_tag(word)
        if name and _is_keyword(name) and name not in tags:
            tags.append(name)
        if len(tags) == limit:
            break
    return tags


def split_tag_input(text: str) -> list[str]:
    """Return the tags typed in one input box, split on commas, spaces or '#'."""
    return [part for part in re.split(r"[,，、\s#]+", text or "") if part]
