"""创作中心的大白话: the pools' decisions told to the creator in plain words.

Plain functions over plain values, like the rest of the engine: a transition's stored
action, tiers, impressions, rates and (English, operator-facing) reason, plus the knobs,
become one sentence with the numbers and one line of what the creator can do. The bars
quoted are the knobs' values (``POOL_EARLY_STOP_LIKE_RATE``, ``POOL_PROMOTE_ENGAGEMENT``,
…), never numbers written here; a knob changed since the decision is quoted as it is now.

The words are English msgids translated at call time (docs/i18n.md): the Chinese in the
catalogue is the wording these sentences always had, so a Chinese reader sees them
unchanged. Each sentence is one msgid with named placeholders, filled after translation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

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
        return _("the pools")
    if tier == 0:
        return _("the base pool")
    if tier >= k["POOL_HOT_TIER"]:
        return _("Hot")
    return _("pool tier {tier} ({quota} impressions)").format(tier=tier, quota=count(k["POOL_QUOTAS"][tier]))


# ---------------------------------------------------------------- the journey strip
# gettext_noop: marked for the catalogue here, translated where they are used.
STATE_WORDS = {
    "active": gettext_noop("Being tested"),
    "stopped": gettext_noop("Stopped here"),
    "expired": gettext_noop("Test ended (no verdict, not a penalty)"),
    "held": gettext_noop("In review, paused"),
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
    labels = [_("Base pool")] + [count(q) for q in k["POOL_QUOTAS"][1:hot]] + [_("Hot")]
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
            steps.append(Step(i, label, "current", _("On the hot list")))
        elif state in ("stopped", "expired", "held"):
            steps.append(Step(i, label, state, _(STATE_WORDS[state])))
        else:
            steps.append(Step(i, label, "current", _(STATE_WORDS["active"])))
    return steps


def journey_words(*, tier: int | None, state: str | None, k: dict) -> str:
    """Return where the post is, in one short phrase (for the list of posts)."""
    if state is None:
        return _("Not in the pools yet")
    if state == "not_entered":
        return _("Quality score under the bar, not in the pools")
    if state == "hot":
        return _("On the hot list")
    where = tier_name(tier, k)
    said = {
        "active": _("Being tested in {where}"),
        "stopped": _("Recommendation stopped in {where}"),
        "expired": _("Test ended in {where}, without a verdict"),
        "held": _("In {where}, paused for review"),
    }.get(state, "{where}")
    return said.format(where=where)


# ---------------------------------------------------------------- transitions in words
@dataclass(frozen=True)
class Sentence:
    kind: str  # the reason's kind, for the advice and the page's styling
    text: str
    advice: str


ADVICE = {  # translated in Sentence.advice's makers below (_(ADVICE[...]))
    "enter": gettext_noop("Nothing to do: the system is showing the post to people who may like it, to see how they react."),
    "not_entered": gettext_noop("Fix the quality points above (title, text, images, tags) and post a new one."),
    "promote": gettext_noop("Keep going: answer comments, and post the next one on the same topic while it is hot."),
    "hot": gettext_noop("On the hot list: answer comments, pin a good one, keep the new followers."),
    "early_stop": gettext_noop("It did not catch the eye: use a clearer cover, say the point in the title, start the text with the substance, then post a new one."),
    "stop": gettext_noop("Too little engagement from those who saw it: ask a question in the text to draw comments, give a list or steps worth saving, and try it in the next one."),
    "report": gettext_noop("Reported often and sent to human review: check the content against the community rules; it is recommended again once the review passes."),
    "quick_skip": gettext_noop("Many skipped it quickly: make the cover and title match the content, and give the point in the first seconds."),
    "not_interested": gettext_noop("Many said not interested: choose the right channel and tags so the post reaches people who care about the topic."),
    "extend": gettext_noop("Nothing to do: the system is finding one more batch of viewers for a surer result."),
    "wait": gettext_noop("Nothing to do: wait until more people have seen it. Impressions from boosts do not count in the pools' evaluation."),
    "expire": gettext_noop("Not a penalty: the post stays on your profile, in search and in your followers' feeds. Next time, try a topic or channel more people care about."),
    "held": gettext_noop("In review: it is recommended again once the review passes; no need to publish again."),
    "released": gettext_noop("Recommended again; nothing to do."),
}

_QUOTA_RE = re.compile(r"quota (\d+)")
_WAIT_RE = re.compile(r"with (\d+) of the (\d+)")
_EXPIRE_RE = re.compile(r"over (\d+) windows \((\d+) needed")


def _advice(kind: str) -> str:
    return _(ADVICE[kind])


def _also(first: str, second: str) -> str:
    """Return two clauses of one sentence joined ("a，b" in Chinese)."""
    return _("{first}, {second}").format(first=first, second=second)


def _engagement(rates: dict, tier: int, k: dict) -> tuple[float, float]:
    """Return (measured, bar) of the verdict's weighted engagement in ``tier``."""
    need = pools.thresholds(tier, k)["engagement"]
    return pools.verdict_value({"engagement": 0.0, **rates}, need, tier, k)


def _engagement_phrase(rates: dict, tier: int, k: dict) -> tuple[str, bool]:
    """Return "综合互动率 x%，高于/低于本级门槛 y%" and whether it cleared the bar."""
    value, need = _engagement(rates, tier, k)
    above = value >= need
    numbers = {"value": pct(value), "bar": pct(need)}
    if "conversion" in rates and k["POOL_CONVERSION_WEIGHT"] > 0:
        said = (_("Engagement (with order conversion {conversion}) {value}, above this tier's bar {bar}") if above
                else _("Engagement (with order conversion {conversion}) {value}, below this tier's bar {bar}"))
        return said.format(conversion=pct(rates["conversion"]), **numbers), above
    said = _("Engagement {value}, above this tier's bar {bar}") if above else _("Engagement {value}, below this tier's bar {bar}")
    return said.format(**numbers), above


def _completion_phrase(rates: dict, tier: int, k: dict) -> str:
    need = pools.thresholds(tier, k)["completion"]
    value = rates.get("completion", 0)
    said = _("Completion {value}, above the bar {bar}") if value >= need else _("Completion {value}, below the bar {bar}")
    return said.format(value=pct(value), bar=pct(need))


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
    shown = count(impressions)
    if action == "enter":
        quota = _QUOTA_RE.search(reason)
        first = _(", shown first to about {people} people").format(people=count(int(quota.group(1)))) if quota else ""
        text = _("Quality score {score}, at or above the bar {bar}, into the base pool{first}").format(
            score=f"{rates.get('quality', 0):.2f}", bar=k["QUALITY_THRESHOLD"], first=first)
        return Sentence("enter", text, _advice("enter"))
    if action == "not_entered":
        text = _("Quality score {score}, below the bar {bar}: not in the pools (shown only on the profile, in search and in followers' feeds)").format(
            score=f"{rates.get('quality', 0):.2f}", bar=k["QUALITY_THRESHOLD"])
        return Sentence("not_entered", text, _advice("not_entered"))
    if action == "early_stop":
        bar_n = k["POOL_EARLY_STOP_IMPRESSIONS"]
        numbers = {"like": pct(rates.get("like_rate_raw", 0)), "bar": pct(k["POOL_EARLY_STOP_LIKE_RATE"])}
        if impressions <= bar_n:
            text = _("Like rate of the first {n} impressions {like}, below {bar}: recommendation paused").format(
                n=count(bar_n), **numbers)
        else:  # evaluated a little after the bar's impression count
            text = _("Like rate of the first {n} impressions {like}, below {bar} (checked from {checked} impressions on): recommendation paused").format(
                n=shown, checked=count(bar_n), **numbers)
        return Sentence("early_stop", text, _advice("early_stop"))
    if action in ("promote", "hot"):
        phrase, _above = _engagement_phrase(rates, tier, k)
        if video:
            phrase = _also(phrase, _completion_phrase(rates, tier, k))
        if reason.startswith("clear early"):
            phrase = _("Clearly over the bar after only {n} impressions: {phrase}").format(n=shown, phrase=phrase)
        if action == "hot":
            return Sentence("hot", _("{phrase}: into Hot, eligible for the hot list").format(phrase=phrase), _advice("hot"))
        nxt = to_tier if to_tier is not None else tier + 1
        quota = k["POOL_QUOTAS"][nxt] if nxt < len(k["POOL_QUOTAS"]) else 0
        size = _(" ({n} impressions)").format(n=count(quota)) if quota else ""
        return Sentence("promote", _("{phrase}: into the next pool{size}").format(phrase=phrase, size=size), _advice("promote"))
    if action == "stop":
        if reason.startswith("quota filled"):
            when = _("After the tier's impressions were used up")
        else:
            when = _("When the tier's {hours} hours ran out").format(hours=k["POOL_WINDOW_HOURS"])
        misses = []
        phrase, above = _engagement_phrase(rates, tier, k)
        if not above:
            misses.append(phrase)
        if video and rates.get("completion", 0) < pools.thresholds(tier, k)["completion"]:
            misses.append(_completion_phrase(rates, tier, k))
        missed = misses[0] if len(misses) == 1 else _also(*misses) if misses else phrase
        text = _("{when} ({n} impressions): {missed}: recommendation stopped").format(when=when, n=shown, missed=missed)
        return Sentence("stop", text, _advice("stop"))
    if action == "negative_stop":
        if reason.startswith("report"):
            text = _("Report rate {rate}, over {limit}: recommendation stopped and sent to human review").format(
                rate=pct(rates.get("report", 0)), limit=pct(k["POOL_REPORT_RATE_LIMIT"]))
            return Sentence("report", text, _advice("report"))
        if reason.startswith("quick-skip"):
            text = _("{rate} of {n} impressions skipped quickly, over {limit}: recommendation stopped").format(
                n=shown, rate=pct(rates.get("quick_skip", 0)), limit=pct(k["POOL_QUICK_SKIP_RATE_LIMIT"]))
            return Sentence("quick_skip", text, _advice("quick_skip"))
        text = _("{rate} of {n} impressions said not interested, over {limit}: recommendation stopped").format(
            n=shown, rate=pct(rates.get("not_interested", 0)), limit=pct(k["POOL_NOT_INTERESTED_RATE_LIMIT"]))
        return Sentence("not_interested", text, _advice("not_interested"))
    if action == "extend":
        phrase, _above = _engagement_phrase(rates, tier, k)
        text = _("The base pool is used up: {phrase}, but too close to call, so it is shown to one more batch of people").format(phrase=phrase)
        return Sentence("extend", text, _advice("extend"))
    if action == "wait":
        found = _WAIT_RE.search(reason)
        if found:
            need = _(", short of the {n} needed to decide").format(n=count(int(found.group(2))))
        else:
            need = _(", not enough to decide")
        text = _("Only {n} impressions in this round of {hours} hours{need}: waiting one more round").format(
            n=shown, hours=k["POOL_WINDOW_HOURS"], need=need)
        return Sentence("wait", text, _advice("wait"))
    if action == "expire":
        found = _EXPIRE_RE.search(reason)
        if found:
            rounds, need = int(found.group(1)), int(found.group(2))
            detail = _("only {n} people saw it in {rounds} rounds, {hours} hours in all ({need} needed to judge)").format(
                n=shown, rounds=rounds, hours=rounds * k["POOL_WINDOW_HOURS"], need=count(need))
        else:
            detail = _("only {n} people saw it, too few to judge").format(n=shown)
        text = _("In {where}, {detail}: test ended, neither promoted nor stopped").format(where=tier_name(tier, k), detail=detail)
        return Sentence("expire", text, _advice("expire"))
    if action == "moderation":
        if to_state == "held":
            why = reason.split(":", 1)[1].strip() if ":" in reason else ""
            text = _("Recommendation paused for review: {why}").format(why=why) if why else _("Recommendation paused for review")
            return Sentence("held", text, _advice("held"))
        return Sentence("released", _("Review done, recommended again"), _advice("released"))
    return Sentence(action, reason, "")


# ---------------------------------------------------------------- quality reasons in words
_QUALITY_WORDS = [
    (re.compile(r"title of (\d+) characters"), lambda m, k: _("Title of {n} characters (best {low}–{high})").format(
        n=m.group(1), low=k["QUALITY_TITLE_CHARS"][0], high=k["QUALITY_TITLE_CHARS"][1])),
    (re.compile(r"no title"), lambda m, k: _("No title")),
    (re.compile(r"very little text \((\d+) characters\)"), lambda m, k: _("Only {n} characters of text (at least {low} is better)").format(
        n=m.group(1), low=k["QUALITY_BODY_CHARS"][0])),
    (re.compile(r"video length outside"), lambda m, k: _("Video length outside {low} seconds to {high} minutes").format(
        low=k["QUALITY_VIDEO_SECONDS"][0], high=k["QUALITY_VIDEO_SECONDS"][1] // 60)),
    (re.compile(r"no image"), lambda m, k: _("No image")),
    (re.compile(r"no tags"), lambda m, k: _("No tags")),
    (re.compile(r"too many tags"), lambda m, k: _("Too many tags (at most {high})").format(high=k["QUALITY_TAGS"][1])),
    (re.compile(r"too thin"), lambda m, k: _("Too thin: only a word or two")),
    (re.compile(r"hashtag stuffing \((\d+)"), lambda m, k: _("Hashtag stuffing ({n} #hashtags)").format(n=m.group(1))),
    (re.compile(r"contains links"), lambda m, k: _("Contains links")),
    (re.compile(r"spam words: (.*)"), lambda m, k: _("Spam words: {words}").format(words=m.group(1))),
    (re.compile(r"near-duplicate"), lambda m, k: _("Nearly the same as an existing post (not original)")),
]


def quality_reason_words(reason: str, k: dict) -> str:
    """Return a stored quality reason in plain words (unknown reasons as they are)."""
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
        said = _("{name} {value} (bar {bar})") if self.above_is_good else _("{name} {value} (limit {bar})")
        return said.format(name=self.name, value=pct(self.value), bar=pct(self.bar))


def rate_rows(*, rates: dict, tier: int, kind: str, k: dict, width: float = 200.0) -> list[RateRow]:
    """Return the tier's measured rates beside the bars they are judged against, scaled
    for a bar chart: engagement (and completion for a video) must clear the tier's bar, the
    base pool's like rate the early-stop bar, the negative rates stay under their limits."""
    if not rates or "engagement" not in rates:
        return []
    limits = pools.thresholds(tier, k)
    value, need = _engagement(rates, tier, k)
    wanted = [(_("Engagement"), value, need, True)]
    if kind == "video" and "completion" in rates:
        wanted.append((_("Completion"), rates["completion"], limits["completion"], True))
    if tier == 0:
        wanted.append((_("Like rate"), rates.get("like_rate_raw", 0.0), limits["early_stop_like_rate"], True))
    wanted += [
        (_("Report rate"), rates.get("report", 0.0), limits["report_rate_limit"], False),
        (_("Quick skips"), rates.get("quick_skip", 0.0), limits["quick_skip_rate_limit"], False),
        (_("Not interested"), rates.get("not_interested", 0.0), limits["not_interested_rate_limit"], False),
    ]
    rows = []
    for name, measured, bar, above in wanted:
        scale = width / (max(measured, bar, 1e-9) * 1.25)
        ok = measured >= bar if above else measured <= bar
        rows.append(RateRow(name, measured, bar, above, ok, round(measured * scale, 1), round(bar * scale, 1)))
    return rows
