"""Interest profiles (用户画像): seeded at onboarding, moved by signals, decaying."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from content import services
from content.models import Channel, Tag
from feeds.models import InterestAffinity
from feeds.services.interests import interests_decay, top_interests


def _affinity(user, kind, key):
    row = InterestAffinity.objects.filter(user=user, kind=kind, key=key).first()
    return row.score if row else 0.0


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run the after-commit hooks of the block (the engine updates profiles after commit)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_onboarding_picks_seed_the_channel_affinities(make_user, api, client_for, run_on_commit):
    user = make_user("newbie", onboard=False)
    with run_on_commit():
        client_for(user).put("/api/v1/me/interests/", {"channels": ["food", "travel", "pets"]}, format="json")
    food = Channel.objects.get(slug="food")
    assert _affinity(user, "channel", food.pk) == 10.0
    assert [key for key, _ in top_interests(user_id=user.pk, kind="channel")] != []


def test_a_favourite_moves_taste_more_than_a_like(make_user, make_post, run_on_commit):
    viewer = make_user("viewer")
    liked = make_post(title="咖啡拉花教程", body="一步一步教你做拉花，牛奶温度六十度最好", tags=["拉花"])
    saved = make_post(title="露营清单整理", body="第一次露营需要准备的东西都在这里了，帐篷睡袋防潮垫", tags=["露营"])
    with run_on_commit():
        services.like_create(user=viewer, post=liked)
        services.favourite_create(user=viewer, post=saved)
    latte, camping = Tag.objects.get(name="拉花"), Tag.objects.get(name="露营")
    assert _affinity(viewer, "tag", camping.pk) > _affinity(viewer, "tag", latte.pk) > 0


def test_watching_to_the_end_is_the_strongest_signal_and_a_quick_skip_is_negative(
    make_user, make_post, video_file, run_on_commit
):
    viewer = make_user("watcher")
    watched = make_post(kind="video", images=[], video=video_file(), title="猫咪日常第一集", body="今天猫咪学会了开门，太聪明了", tags=["猫咪"])
    skipped = make_post(kind="video", images=[], video=video_file(), title="开箱新手机", body="这款手机的屏幕和续航都很不错", tags=["手机"])
    with run_on_commit():
        services.events_ingest(user=viewer, events=[
            {"post": watched.pk, "seconds": 8, "completed": True},
            {"post": skipped.pk, "seconds": 0.5, "completed": False},
        ])
    cat, phone = Tag.objects.get(name="猫咪"), Tag.objects.get(name="手机")
    assert _affinity(viewer, "tag", cat.pk) == 8.0  # "complete" weighs 8
    assert _affinity(viewer, "tag", phone.pk) == -2.0  # a quick skip


def test_reading_a_note_moves_taste_more_than_glancing_at_one(make_user, make_post, run_on_commit):
    """A note has no end to watch to: how long someone stayed tells a read (20 s or more,
    weight 1) from a glance (0.5) and from a quick skip (under 2 s, −2)."""
    viewer = make_user("reader")
    read = make_post(title="烘焙新手的第一个戚风", body="蛋白打发到硬性发泡，烤箱一百五十度五十分钟", tags=["戚风"])
    glanced = make_post(title="周末去爬了香山", body="红叶还没全红，人很多，建议早上七点前到", tags=["香山"])
    skipped = make_post(title="新款耳机开箱", body="降噪比上一代好一些，续航差不多二十小时", tags=["耳机"])
    with run_on_commit():
        services.events_ingest(user=viewer, events=[
            {"post": read.pk, "seconds": 45},
            {"post": glanced.pk, "seconds": 6},
            {"post": skipped.pk, "seconds": 1},
        ])
    cake, hill, earphones = (Tag.objects.get(name=n).pk for n in ("戚风", "香山", "耳机"))
    assert _affinity(viewer, "tag", cake) == 1.0  # a read
    assert _affinity(viewer, "tag", hill) == 0.5  # a glance: a plain view
    assert _affinity(viewer, "tag", earphones) == -2.0  # a quick skip


def test_not_interested_pushes_a_tag_well_below_zero(make_user, make_post, run_on_commit):
    viewer = make_user("picky")
    post = make_post(title="今天的健身打卡", body="深蹲硬拉卧推，三个动作各五组", tags=["健身"])
    with run_on_commit():
        services.like_create(user=viewer, post=post)
        services.not_interested_create(user=viewer, kind="post", post=post)
    assert _affinity(viewer, "tag", Tag.objects.get(name="健身").pk) == pytest.approx(2.0 - 8.0)


def test_affinities_halve_every_14_days_and_tiny_ones_are_forgotten(make_user):
    user = make_user("forgetful", onboard=False)
    InterestAffinity.objects.create(user=user, kind="tag", key=1, score=8.0)
    InterestAffinity.objects.create(user=user, kind="tag", key=2, score=0.06)
    now = timezone.now()
    interests_decay(now=now)  # first run sets the watermark
    interests_decay(now=now + timedelta(days=14))
    assert _affinity(user, "tag", 1) == pytest.approx(4.0)
    assert not InterestAffinity.objects.filter(user=user, key=2).exists()
    interests_decay(now=now + timedelta(days=28))
    assert _affinity(user, "tag", 1) == pytest.approx(2.0)


def test_changing_interests_are_followed(make_user, make_post, run_on_commit):
    user = make_user("changer")
    old = make_post(title="原神新角色", body="抽卡记录，这次运气不错十连出金", tags=["原神"])
    new = make_post(title="第一次跑半马", body="二十一公里跑了两小时，配速还要练", tags=["跑步"])
    with run_on_commit():
        services.favourite_create(user=user, post=old)
    interests_decay(now=timezone.now())
    interests_decay(now=timezone.now() + timedelta(days=28))  # a month passes
    with run_on_commit():
        services.like_create(user=user, post=new)
    # The new post's tags (its author's and the extracted ones) tie for the top; which of
    # equals comes first is the database's choice, so compare scores, not positions.
    scores = dict(top_interests(user_id=user.pk, kind="tag", limit=20))
    running, game = Tag.objects.get(name="跑步").pk, Tag.objects.get(name="原神").pk
    assert scores[running] == max(scores.values())
    assert scores[game] < scores[running]


def test_a_tag_counts_as_much_as_it_is_specific():
    """A tag on at most FEED_TAG_SPECIFIC_SHARE of the posts counts fully, one on every
    post not at all, one in between by its inverse document frequency; a young platform's
    corpus counts as FEED_TAG_CORPUS_FLOOR posts."""
    from feeds.engine.discover import tag_specificity

    k = {"FEED_TAG_SPECIFIC_SHARE": 0.05, "FEED_TAG_CORPUS_FLOOR": 200}
    assert tag_specificity(50, 1_000, k) == 1.0
    assert tag_specificity(1_000, 1_000, k) == 0.0
    assert tag_specificity(200, 1_000, k) == pytest.approx(0.537, abs=0.001)  # log 5 / log 20
    assert tag_specificity(0, 0, k) == 1.0
    assert tag_specificity(10, 30, k) == 1.0  # 10 of "200": a young platform's tag is specific


@pytest.mark.django_db(transaction=True)
def test_two_signals_committing_at_once_both_move_the_profile(make_user, make_post):
    """A like and a save of posts sharing a tag, from two requests at the same moment:
    the second waits for the first's row and adds to it (a read-then-write lost one)."""
    import threading

    from django.db import connection, transaction

    from feeds.engine.interests import Signal
    from feeds.services.interests import interests_apply

    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one transaction write at a time: there is no 'at once'")
    user = make_user("reader", onboard=False)
    posts = [make_post(title=f"露营装备清单 {i}", body="帐篷睡袋防潮垫", tags=["露营"]) for i in range(2)]
    tag = Tag.objects.get(name="露营").pk
    first_wrote, release = threading.Event(), threading.Event()

    def first():
        try:
            with transaction.atomic():
                interests_apply([Signal(user.pk, posts[0].pk, "like")])
                first_wrote.set()
                release.wait(10)  # still uncommitted while the second one runs
        finally:
            connection.close()

    def second():
        try:
            first_wrote.wait(10)
            interests_apply([Signal(user.pk, posts[1].pk, "favourite")])
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    threads[1].join(0.5)  # the second has read (and, with the fix, is waiting on the row)
    release.set()
    for t in threads:
        t.join()
    weights = django_settings.ENGINE["SIGNAL_WEIGHTS"]
    assert _affinity(user, "tag", tag) == pytest.approx(weights["like"] + weights["favourite"])
