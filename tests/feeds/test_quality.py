"""Quality score at publish: good posts enter the base pool, low-quality ones never do."""

from content.models import ReviewRequest
from feeds.engine.quality import visible_chars
from feeds.models import PoolEntry, PoolTransition
from tests.feeds.conftest import GOOD_BODY


def test_a_well_made_note_enters_the_base_pool_with_its_quota(make_post):
    post = make_post(title="武康路咖啡店探店", body=GOOD_BODY, tags=["咖啡", "探店"])
    entry = PoolEntry.objects.get(post=post)
    assert entry.state == "active" and entry.tier == 0
    assert entry.quota == 150  # 150 × weight 1.0
    assert entry.quality_score >= 0.8
    enter = PoolTransition.objects.get(post=post)
    assert enter.action == "enter" and "quality" in enter.reason


def test_no_title_and_one_word_is_not_entered_and_the_creator_sees_why(make_post, client_for):
    post = make_post(title="", body="好", tags=[])
    entry = PoolEntry.objects.get(post=post)
    assert entry.state == "not_entered"
    assert "no title" in entry.quality_reasons
    pool = client_for(post.author).get(f"/api/v1/creator/posts/{post.pk}/").json()["pool"]
    assert pool["state"] == "not_entered"
    assert any("thin" in r for r in pool["quality_reasons"])
    # Still visible on the author's page.
    assert post.status == "published"


def test_stuffed_hashtags_keep_a_post_out_of_the_pools(make_post):
    stuffed = " ".join(f"#热门{i}" for i in range(10))
    post = make_post(title="好物分享", body=f"好看 {stuffed}")
    entry = PoolEntry.objects.get(post=post)
    assert entry.state == "not_entered"
    assert any("hashtag stuffing" in r for r in entry.quality_reasons)


def test_a_copy_of_another_post_is_never_entered(make_post, make_user):
    make_post(title="武康路咖啡店探店", body=GOOD_BODY, tags=["咖啡"])
    copy = make_post(make_user("copycat"), title="武康路咖啡店探店", body=GOOD_BODY + "！", tags=["咖啡"])
    entry = PoolEntry.objects.get(post=copy)
    assert entry.state == "not_entered"
    assert entry.quality_score <= 0.1
    assert any("near-duplicate" in r for r in entry.quality_reasons)


def test_a_different_post_on_the_same_topic_is_original(make_post, make_user):
    make_post(title="武康路咖啡店探店", body=GOOD_BODY, tags=["咖啡"])
    other = make_post(
        make_user("other"),
        title="杭州西湖边的早餐",
        body="早上七点去西湖边吃了片儿川和葱包桧，汤头鲜美，价格也很实在，吃完沿着湖边走了一圈。",
        tags=["早餐"],
    )
    assert PoolEntry.objects.get(post=other).state == "active"


def test_spam_words_and_links_send_the_post_to_review(make_post):
    post = make_post(title="兼职日结加微信", body="兼职日结，加微信 abc123，详情见 http://spam.example.com 每天三百", tags=["兼职"])
    entry = PoolEntry.objects.get(post=post)
    assert entry.state == "not_entered"
    assert ReviewRequest.objects.filter(post=post, source="quality", resolved_at__isnull=True).exists()


def test_a_32_character_note_with_a_hashtag_inside_counts_32_characters(make_post, settings):
    settings.ENGINE = {**settings.ENGINE, "QUALITY_BODY_CHARS": (40, 80)}
    body = "周末去了武康路#咖啡探店，拿铁很香，窗边的位置安静又明亮，适合一个人看书。"
    assert visible_chars(body.replace("#咖啡探店", "")) == 32  # the tag ends at the comma
    post = make_post(title="武康路咖啡店探店", body=body, tags=["咖啡"])
    assert "very little text (32 characters)" in PoolEntry.objects.get(post=post).quality_reasons


def test_spaces_and_invisible_marks_are_not_characters():
    assert visible_chars("拿铁 很香\n") == 4
    assert visible_chars("好吃👍🏻！") == 5  # the skin tone is a modifier a person does not count apart
    assert visible_chars("旅\u200b行") == 2
