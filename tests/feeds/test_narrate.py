"""Every kind of pool move told in one Chinese sentence with its numbers and the knobs' bars."""

from feeds.engine import pools
from feeds.engine.narrate import pct, quality_reason_words, transition_sentence
from feeds.knobs import knobs


def told(action, *, rates=None, reason="", impressions=100, from_tier=0, to_tier=0, to_state="stopped",
         kind="note"):
    return transition_sentence(
        action=action, from_tier=from_tier, to_tier=to_tier, to_state=to_state, impressions=impressions,
        rates=rates or {}, reason=reason, kind=kind, k=knobs(),
    )


def test_pct_writes_rates_as_people_do():
    assert (pct(0.013), pct(0.03), pct(0.0), pct(0.2061)) == ("1.3%", "3%", "0%", "20.6%")


def test_an_early_stop_evaluated_late_says_both_counts():
    said = told("early_stop", rates={"like_rate_raw": 0.013}, impressions=120)
    assert said.text == "前 120 次曝光的点赞率 1.3%，低于 3%（满 100 次曝光就开始检查），暂停推荐"
    assert said.kind == "early_stop" and said.advice


def test_negative_feedback_stops_quote_their_limits():
    skip = told("negative_stop", rates={"quick_skip": 0.7}, reason="quick-skip rate 70% over 60%", impressions=80)
    assert skip.text == "80 次曝光里 70% 的人很快划走，超过 60%，停止推荐"
    report = told("negative_stop", rates={"report": 0.05}, reason="report rate 5.0% over 2% (4 reports)")
    assert report.text == "举报率 5%，超过 2%，停止推荐并送人工审核" and report.kind == "report"
    bored = told("negative_stop", rates={"not_interested": 0.1}, reason="not-interested rate 10.0% over 8%")
    assert "10% 的人点了不感兴趣，超过 8%" in bored.text


def test_a_video_stopped_on_completion_says_so_and_not_its_good_engagement():
    rates = {"engagement": 0.2, "completion": 0.2}
    said = told("stop", rates=rates, reason="quota filled: completion 20% < 30%", impressions=150, kind="video")
    assert said.text == "看满本级曝光后（150 次曝光）完播率 20%，低于门槛 30%，停止推荐"


def test_reaching_hot_and_waiting_and_extending_and_moderation():
    k = knobs()
    top = k["POOL_HOT_TIER"] - 1
    hot = told("hot", rates={"engagement": 0.3}, from_tier=top, to_tier=top + 1, to_state="hot")
    need = pct(pools.thresholds(top, k)["engagement"])
    assert hot.text == f"综合互动率 30%，高于本级门槛 {need}，进入热门，可以上热门榜"
    wait = told("wait", reason="window ended with 40 of the 75 impressions a verdict needs: waits another window",
                impressions=40, to_state="active")
    assert wait.text == "这一轮 48 小时只有 40 次曝光，不到下结论需要的 75 次，再等一轮"
    extend = told("extend", rates={"engagement": 0.105}, to_state="active")
    assert "综合互动率 10.5%，低于本级门槛 11%，但差得不多还分不出高低" in extend.text
    held = told("moderation", reason="held by moderation: 含有广告链接", to_state="held")
    assert held.text == "审核暂停推荐：含有广告链接"


def test_quality_reasons_read_in_chinese_with_the_knobs():
    k = knobs()
    assert quality_reason_words("very little text (12 characters)", k) == "正文只有 12 个字（至少 20 个字更好）"
    assert quality_reason_words("title of 3 characters (best 5–30)", k) == "标题 3 个字（最好 5–30 个字）"
    assert quality_reason_words("something new", k) == "something new"
