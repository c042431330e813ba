"""Tags of a post: the author's own, and keywords of its title and body.

Chinese text is segmented by jieba (its TF-IDF keyword extractor, which also keeps Latin
words whole); stop words, numbers, single characters and punctuation are dropped.
Explicit ``#话题`` / ``#topic`` hashtags in the text count as author tags.

The keywords are *suggested* on the publish form (``suggest_tags``): the person taps
those they want. The API still attaches them to a post published without tags
(docs/decisions/tags-suggested-not-forced.md).

``STOP_WORDS`` are never a keyword: function words, the filler of every note (今天, 分享,
记录, 宝子们) and praise or series words that say nothing about the subject (很棒, 绝了,
第一篇, 打卡) — nobody follows #很棒. ``ORDINAL_RE`` drops a number with a measure word too
(第一篇, 第3天, 一杯, 两家). Known place names (``content.places``) are in jieba's
dictionary, so 武康路 stays one word.
"""

from __future__ import annotations

import logging
import re
import threading

from config.text import strip_invisible
from content.places import known_place_names

MAX_TAG_LENGTH = 30

HASHTAG_RE = re.compile(r"#([^\s#，。！？、,.!?;；:：()（）\[\]【】]{1,30})#?")
URL_RE = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
NUMBERISH_RE = re.compile(r"^[\d.,:%/+-]+$")
# A number and a measure word: 第一篇, 第3天, 一杯, 两家, 十几个.
ORDINAL_RE = re.compile(r"^第?[\d一二两三四五六七八九十百千几]+[篇次天个期章集回张条号杯家件只位碗份本部款种样点些下]$")
WORDISH_RE = re.compile(r"[\w\u4e00-\u9fff]", re.UNICODE)

STOP_WORDS = frozenset(
    """
    的 了 是 在 我 有 和 就 不 人 都 一 一个 上 也 很 到 说 要 去 你 会 着 没有 看 好 自己 这 那
    这个 那个 我们 你们 他们 她们 它们 什么 怎么 为什么 因为 所以 但是 然后 如果 还是 或者 已经
    可以 就是 真的 非常 一下 一些 这样 那样 时候 现在 今天 明天 昨天 大家 一起 觉得 感觉 知道
    还有 没 吗 吧 呢 啊 哦 嗯 呀 哈 哈哈 哈哈哈 被 把 让 给 对 从 向 比 更 最 太 又 再 才 只
    分享 推荐 记录 笔记 视频 图文 小红书 抖音 宝子们 姐妹们 家人们 朋友们
    很棒 好棒 超棒 太棒了 真棒 很好 不错 很不错 超级 特别 真是 简直 绝了 好看 漂亮 开心 喜欢
    超赞 点赞 值得 一定 终于 感谢 谢谢 希望 第一篇 第一次 第二篇 一篇 这篇 这次 这里 那里
    日常 打卡 安利 种草 合集 攻略 教程 随手拍 今日 周末 最近 以后 之前 之后 一天 一次 东西
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
                for name in known_place_names():
                    jieba.add_word(name)
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
    if word in STOP_WORDS or NUMBERISH_RE.match(word) or ORDINAL_RE.match(word):
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


def suggest_tags(title: str, body: str, *, chosen=(), limit: int = 8) -> list[str]:
    """Return keywords of a draft's text to offer as tags, leaving out those ``chosen``
    already (typed in the tags box or written as #hashtags)."""
    taken = {normalize_tag(name) for name in [*chosen, *hashtags_in(title), *hashtags_in(body)]}
    return [name for name in extract_tags(title, body, limit=limit + len(taken)) if name not in taken][:limit]


def split_tag_input(text: str) -> list[str]:
    """Return the tags typed in one input box, split on commas, spaces or '#'."""
    return [part for part in re.split(r"[,，、\s#]+", text or "") if part]
