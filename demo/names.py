"""昵称 for the demo people, the way people name themselves on 小红书: 小鹿爱吃饭,
周末去哪儿, 一只阿橘 — built from a few patterns and word lists, never numbered."""

from __future__ import annotations

import random

_ANIMALS = [
    "小鹿",
    "兔子",
    "橘猫",
    "柴犬",
    "小熊",
    "海豚",
    "松鼠",
    "企鹅",
    "考拉",
    "鲸鱼",
    "狐狸",
    "刺猬",
    "羊驼",
    "小羊",
]
_FOODS = [
    "吃饭",
    "火锅",
    "奶茶",
    "咖啡",
    "甜品",
    "烤肉",
    "米线",
    "蛋糕",
    "冰淇淋",
    "螺蛳粉",
    "汉堡",
    "草莓",
    "芒果",
]
_NICK = [
    "阿橘",
    "团子",
    "豆豆",
    "糯米",
    "元宝",
    "可乐",
    "小满",
    "阿星",
    "七七",
    "年糕",
    "芝士",
    "布丁",
    "栗子",
    "桃桃",
    "阿木",
]
_ADJ = [
    "爱笑的",
    "不吃香菜的",
    "早睡早起的",
    "慢吞吞的",
    "努力搬砖的",
    "会发光的",
    "晒太阳的",
    "散步的",
    "爱做饭的",
    "在逃的",
]
_NOUNS = ["打工人", "土豆", "小番茄", "橘子汽水", "云朵", "向日葵", "蘑菇", "柠檬", "月亮", "西瓜"]
_VERB_PLACES = [
    "周末去哪儿",
    "今天吃什么",
    "下班去散步",
    "出门看海",
    "在路上",
    "慢慢来",
    "好好吃饭",
    "早点睡觉",
]
_SURNAMES = "林陈王李张刘周吴许何郑沈罗叶苏唐"
_SUFFIX = ["呀", "同学", "酱", "本人", "今天也很开心", "的日常", "的小本本", "不加班"]

_PATTERNS = [
    lambda r: f"{r.choice(_ANIMALS)}爱{r.choice(_FOODS)}",
    lambda r: f"{r.choice(_VERB_PLACES)}",
    lambda r: f"一只{r.choice(_NICK)}",
    lambda r: f"{r.choice(_ADJ)}{r.choice(_NOUNS)}",
    lambda r: f"{r.choice(_NICK)}{r.choice(_SUFFIX)}",
    lambda r: f"{r.choice(_SURNAMES)}{r.choice(_NICK)}{r.choice(['', '呀', '同学'])}",
    lambda r: f"{r.choice(_FOODS)}星人{r.choice(_NICK)}",
    lambda r: f"{r.choice(_NICK)}{r.choice(_VERB_PLACES)}",
]


def nickname_make(*, rng: random.Random, taken: set[str]) -> str:
    """Return a nickname not in ``taken`` (and add it there)."""
    for _ in range(50):
        name = rng.choice(_PATTERNS)(rng)
        if name not in taken:
            taken.add(name)
            return name
    # 2 000+ combinations per pattern make this rare; a second pattern joined keeps it a name.
    name = f"{_PATTERNS[0](rng)}的{rng.choice(_NOUNS)}"
    while name in taken:
        name = f"{_PATTERNS[3](rng)}{rng.choice(_NICK)}"
    taken.add(name)
    return name
