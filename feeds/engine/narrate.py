"""创作中心的大白话: the pools' decisions told to the creator in plain Chinese.

Plain functions over plain values, like the rest of the engine: a transition's stored
action, tiers, impressions, rates and (English, operator-facing) reason, plus the knobs,
become one sentence with the numbers and one line of what the creator can do. The bars
quoted are the knobs' values (``POOL_EARLY_STOP_LIKE_RATE``, ``POOL_PROMOTE_ENGAGEMENT``,
…), never numbers written here; a knob changed since the decision is quoted as it is now.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from feeds.engine import pools

NBSP = "\u00a0"


def pct(rate: float) -> str:
    """Return a rate as a person writes it: 0.013 → "1.3%", 0.03 → "3%"."""
    text = f"{rate * 100:.1f}".rstrip("0").rstrip(".")
    return f"{text}%"


def count(n: int) -> str:
    """Return a count with a (no-break) space between thousands: 1000 → "1 000"."""
    return f"{n:,}".replace(",", NBSP)


def tier_name(tier: int | None, k: dict) -> str:
    """Return a tier's name: 初始流量池, the quota of the tiers above it, then 热门."""
    if tier is None:
        return "流量池"
    if tier == 0:
        return "初始流量池"
    if tier >= k["POOL_HOT_TIER"]:
        return "热门"
    return f"第 {tier} 级流量池（{count(k['POOL_QUOTAS'][tier])} 次曝光）"


# ---------------------------------------------------------------- the journey strip
STATE_WORDS = {
    "active": "正在测试",
    "stopped": "在这里停止推荐",
    "expired": "测试结束（没有结论，不是处罚）",
    "held": "审核中，暂停推荐",
}


@dataclass(frozen=True)
class Step:
    tier: int
    label: str
    status: str  # done | current | stopped | expired | held | ahead
    note: str = ""


def journey(*, tier: int | None, state: str | None, k: dict) -> list[Step]:
    """Return the steps 初始流量池 → 1 000 → … → 热门 with where the post is on them."""
    hot = k["POOL_HOT_TIER"]
    labels = ["初始流量池"] + [count(q) for q in k["POOL_QUOTAS"][1:hot]] + ["热门"]
    if state in (None, "not_entered"):
        return [Step(i, label, "ahead") for i, label in enumerate(labels)]
    here = hot if state == "hot" else (tier or 0)
    steps = []
    for i, label in enumerate(labels):
        if i < here:
            steps.append(Step(i, label, "done"))
        elif i > here:
            steps.append(Step(i, label, "ahead"))
        elif state == "hot":
            steps.append(Step(i, label, "current", "已上热门"))
        elif state in ("stopped", "expired", "held"):
            steps.append(Step(i, label, state, STATE_WORDS[state]))
        else:
            steps.append(Step(i, label, "current", STATE_WORDS["active"]))
    return steps


def journey_words(*, tier: int | None, state: str | None, k: dict) -> str:
    """Return where the post is, in one short phrase (for the list of posts)."""
    if state is None:
        return "还没有进入流量池"
    if state == "not_entered":
        return "质量分低于门槛，没有进入流量池"
    if state == "hot":
        return "已上热门"
    where = tier_name(tier, k)
    return {
        "active": f"正在{where}测试",
        "stopped": f"在{where}停止推荐",
        "expired": f"在{where}测试结束，没有结论",
        "held": f"在{where}，审核中暂停推荐",
    }.get(state, where)


# ---------------------------------------------------------------- transitions in words
@dataclass(frozen=True)
class Sentence:
    kind: str  # the reason's kind, for the advice and the page's styling
    text: str
    advice: str


ADVICE = {
    "enter": "不用做什么：系统正在把笔记推荐给可能感兴趣的人，看看他们的反应。",
    "not_entered": "按上面的质量问题改一改（标题、正文、图片、标签），再发一篇新笔记。",
    "promote": "保持节奏：多回复评论，趁热发同一主题的下一篇。",
    "hot": "已上热门：回复评论、置顶好评论，留住新来的关注者。",
    "early_stop": "第一眼没打动人：换一张更清楚的封面，标题直接说出看点，正文开头先给干货，再发一篇新笔记。",
    "stop": "看过的人互动不够：在正文里问一个问题引导评论，给出值得收藏的清单或步骤，下一篇试试。",
    "report": "被举报较多，已送人工审核：对照社区规范检查内容，审核通过会恢复推荐。",
    "quick_skip": "很多人很快划走：封面和标题要和内容一致，开头几秒就给出重点。",
    "not_interested": "很多人点了不感兴趣：选对频道和标签，让笔记推荐给真正关心这个话题的人。",
    "extend": "不用做什么：系统在多找一批人来看，结果更准。",
    "wait": "不用做什么：等更多人看到再下结论。薯条带来的曝光不计入流量池评估。",
    "expire": "不是处罚：笔记仍在你的主页、搜索和粉丝的关注页里。下一篇可以选更多人关心的话题或频道。",
    "held": "审核中：审核通过后会恢复推荐，不需要重新发布。",
    "released": "已恢复推荐，不用做什么。",
}

_QUOTA_RE = re.compile(r"quota (\d+)")
_WAIT_RE = re.compile(r"with (\d+) of the (\d+)")
_EXPIRE_RE = re.compile(r"over (\d+) windows \((\d+) needed")


def _engagement(rates: dict, tier: int, k: dict) -> tuple[float, float]:
    """Return (measured, bar) of the verdict's weighted engagement in ``tier``."""
    need = pools.thresholds(tier, k)["engagement"]
    return pools.verdict_value({"engagement": 0.0, **rates}, need, tier, k)


def _engagement_phrase(rates: dict, tier: int, k: dict) -> tuple[str, bool]:
    """Return "综合互动率 x%，高于/低于本级门槛 y%" and whether it cleared the bar."""
    value, need = _engagement(rates, tier, k)
    above = value >= need
    word = "高于" if above else "低于"
    phrase = f"综合互动率 {pct(value)}，{word}本级门槛 {pct(need)}"
    if "conversion" in rates and k["POOL_CONVERSION_WEIGHT"] > 0:
        phrase = f"综合互动率（含下单转化 {pct(rates['conversion'])}）{pct(value)}，{word}本级门槛 {pct(need)}"
    return phrase, above


def _completion_phrase(rates: dict, tier: int, k: dict) -> str:
    need = pools.thresholds(tier, k)["completion"]
    word = "高于" if rates.get("completion", 0) >= need else "低于"
    return f"完播率 {pct(rates.get('completion', 0))}，{word}门槛 {pct(need)}"


def transition_sentence(
    *,
    action: str,
    from_tier: int | None,
    to_tier: int | None,
    to_state: str,
    impressions: int,
    rates: dict,
    reason: str,
    kind: str,
    k: dict,
) -> Sentence:
    """Return one transition as a sentence with its numbers and the creator's next step."""
    tier = from_tier if from_tier is not None else 0
    video = kind == "video" and "completion" in rates
    if action == "enter":
        quota = _QUOTA_RE.search(reason)
        first = f"，先推荐给约 {count(int(quota.group(1)))} 人看" if quota else ""
        text = (f"质量分 {rates.get('quality', 0):.2f}，达到门槛 {k['QUALITY_THRESHOLD']}，"
                f"进入初始流量池{first}")
        return Sentence("enter", text, ADVICE["enter"])
    if action == "not_entered":
        text = (f"质量分 {rates.get('quality', 0):.2f}，低于门槛 {k['QUALITY_THRESHOLD']}，"
                "没有进入流量池（只在主页、搜索和粉丝的关注页里出现）")
        return Sentence("not_entered", text, ADVICE["not_entered"])
    if action == "early_stop":
        bar_n = k["POOL_EARLY_STOP_IMPRESSIONS"]
        like = rates.get("like_rate_raw", 0)
        bar = pct(k["POOL_EARLY_STOP_LIKE_RATE"])
        if impressions <= bar_n:
            text = f"前 {count(bar_n)} 次曝光的点赞率 {pct(like)}，低于 {bar}，暂停推荐"
        else:  # evaluated a little after the bar's impression count
            text = (f"前 {count(impressions)} 次曝光的点赞率 {pct(like)}，低于 {bar}"
                    f"（满 {count(bar_n)} 次曝光就开始检查），暂停推荐")
        return Sentence("early_stop", text, ADVICE["early_stop"])
    if action in ("promote", "hot"):
        phrase, _ = _engagement_phrase(rates, tier, k)
        if video:
            phrase += f"，{_completion_phrase(rates, tier, k)}"
        if reason.startswith("clear early"):
            phrase = f"只看了 {count(impressions)} 次曝光就明显过线：" + phrase
        if action == "hot":
            return Sentence("hot", f"{phrase}，进入热门，可以上热门榜", ADVICE["hot"])
        nxt = to_tier if to_tier is not None else tier + 1
        quota = k["POOL_QUOTAS"][nxt] if nxt < len(k["POOL_QUOTAS"]) else 0
        where = f"（{count(quota)} 次曝光）" if quota else ""
        return Sentence("promote", f"{phrase}，进入下一级流量池{where}", ADVICE["promote"])
    if action == "stop":
        when = "看满本级曝光后" if reason.startswith("quota filled") else f"本级 {k['POOL_WINDOW_HOURS']} 小时到期时"
        misses = []
        phrase, above = _engagement_phrase(rates, tier, k)
        if not above:
            misses.append(phrase)
        if video and rates.get("completion", 0) < pools.thresholds(tier, k)["completion"]:
            misses.append(_completion_phrase(rates, tier, k))
        text = f"{when}（{count(impressions)} 次曝光）" + "，".join(misses or [phrase]) + "，停止推荐"
        return Sentence("stop", text, ADVICE["stop"])
    if action == "negative_stop":
        if reason.startswith("report"):
            text = (f"举报率 {pct(rates.get('report', 0))}，超过 {pct(k['POOL_REPORT_RATE_LIMIT'])}，"
                    "停止推荐并送人工审核")
            return Sentence("report", text, ADVICE["report"])
        if reason.startswith("quick-skip"):
            text = (f"{count(impressions)} 次曝光里 {pct(rates.get('quick_skip', 0))} 的人很快划走，"
                    f"超过 {pct(k['POOL_QUICK_SKIP_RATE_LIMIT'])}，停止推荐")
            return Sentence("quick_skip", text, ADVICE["quick_skip"])
        text = (f"{count(impressions)} 次曝光里 {pct(rates.get('not_interested', 0))} 的人点了不感兴趣，"
                f"超过 {pct(k['POOL_NOT_INTERESTED_RATE_LIMIT'])}，停止推荐")
        return Sentence("not_interested", text, ADVICE["not_interested"])
    if action == "extend":
        phrase, _ = _engagement_phrase(rates, tier, k)
        text = f"初始流量池看满了，{phrase}，但差得不多还分不出高低，再多推荐一批人看看"
        return Sentence("extend", text, ADVICE["extend"])
    if action == "wait":
        found = _WAIT_RE.search(reason)
        need = f"，不到下结论需要的 {count(int(found.group(2)))} 次" if found else "，还不够下结论"
        text = f"这一轮 {k['POOL_WINDOW_HOURS']} 小时只有 {count(impressions)} 次曝光{need}，再等一轮"
        return Sentence("wait", text, ADVICE["wait"])
    if action == "expire":
        found = _EXPIRE_RE.search(reason)
        if found:
            rounds, need = int(found.group(1)), int(found.group(2))
            detail = f"{rounds} 轮共 {rounds * k['POOL_WINDOW_HOURS']} 小时只有 {count(impressions)} 人看到（需要 {count(need)} 人才能判断）"
        else:
            detail = f"只有 {count(impressions)} 人看到，不够判断"
        text = f"在{tier_name(tier, k)}里，{detail}，测试结束：没有晋级，也没有停止"
        return Sentence("expire", text, ADVICE["expire"])
    if action == "moderation":
        if to_state == "held":
            why = reason.split(":", 1)[1].strip() if ":" in reason else ""
            return Sentence("held", "审核暂停推荐" + (f"：{why}" if why else ""), ADVICE["held"])
        return Sentence("released", "审核完成，恢复推荐", ADVICE["released"])
    return Sentence(action, reason, "")


# ---------------------------------------------------------------- quality reasons in words
_QUALITY_WORDS = [
    (re.compile(r"title of (\d+) characters"), lambda m, k: "标题 {} 个字（最好 {}–{} 个字）".format(
        m.group(1), *k["QUALITY_TITLE_CHARS"])),
    (re.compile(r"no title"), lambda m, k: "没有标题"),
    (re.compile(r"very little text \((\d+) characters\)"), lambda m, k: "正文只有 {} 个字（至少 {} 个字更好）".format(
        m.group(1), k["QUALITY_BODY_CHARS"][0])),
    (re.compile(r"video length outside"), lambda m, k: "视频时长不在 {} 秒到 {} 分钟之间".format(
        k["QUALITY_VIDEO_SECONDS"][0], k["QUALITY_VIDEO_SECONDS"][1] // 60)),
    (re.compile(r"no image"), lambda m, k: "没有图片"),
    (re.compile(r"no tags"), lambda m, k: "没有标签"),
    (re.compile(r"too many tags"), lambda m, k: "标签太多（最多 {} 个）".format(k["QUALITY_TAGS"][1])),
    (re.compile(r"too thin"), lambda m, k: "内容太少，只有一两个词"),
    (re.compile(r"hashtag stuffing \((\d+)"), lambda m, k: f"话题标签堆砌（{m.group(1)} 个 #话题）"),
    (re.compile(r"contains links"), lambda m, k: "含有链接"),
    (re.compile(r"spam words: (.*)"), lambda m, k: "含有广告词：" + m.group(1)),
    (re.compile(r"near-duplicate"), lambda m, k: "和已有的笔记几乎一样（不是原创）"),
]


def quality_reason_words(reason: str, k: dict) -> str:
    """Return a stored quality reason in plain Chinese (unknown reasons as they are)."""
    for pattern, words in _QUALITY_WORDS:
        found = pattern.match(reason)
        if found:
            return words(found, k)
    return reason


# ---------------------------------------------------------------- rates against their bars
@dataclass(frozen=True)
class RateRow:
    name: str
    value: float
    bar: float
    above_is_good: bool
    ok: bool
    value_x: float  # the measured rate's length on a 0–200 scale (the chart's width)
    bar_x: float  # where the bar stands on the same scale

    @property
    def words(self) -> str:
        sign = "门槛" if self.above_is_good else "上限"
        return f"{self.name} {pct(self.value)}（{sign} {pct(self.bar)}）"


def rate_rows(*, rates: dict, tier: int, kind: str, k: dict, width: float = 200.0) -> list[RateRow]:
    """Return the tier's measured rates beside the bars they are judged against, scaled
    for a bar chart: engagement (and completion for a video) must clear the tier's bar, the
    base pool's like rate the early-stop bar, the negative rates stay under their limits."""
    if not rates or "engagement" not in rates:
        return []
    limits = pools.thresholds(tier, k)
    value, need = _engagement(rates, tier, k)
    wanted = [("综合互动率", value, need, True)]
    if kind == "video" and "completion" in rates:
        wanted.append(("完播率", rates["completion"], limits["completion"], True))
    if tier == 0:
        wanted.append(("点赞率", rates.get("like_rate_raw", 0.0), limits["early_stop_like_rate"], True))
    wanted += [
        ("举报率", rates.get("report", 0.0), limits["report_rate_limit"], False),
        ("很快划走", rates.get("quick_skip", 0.0), limits["quick_skip_rate_limit"], False),
        ("不感兴趣", rates.get("not_interested", 0.0), limits["not_interested_rate_limit"], False),
    ]
    rows = []
    for name, measured, bar, above in wanted:
        scale = width / (max(measured, bar, 1e-9) * 1.25)
        ok = measured >= bar if above else measured <= bar
        rows.append(RateRow(name, measured, bar, above, ok, round(measured * scale, 1), round(bar * scale, 1)))
    return rows
