"""The demo world looks real: notes agree with their channel, places with their city,
names read like names, pictures and clips are drawn for it, and every feed has posts."""

from __future__ import annotations

import random
import re
from io import StringIO

import pytest
from django.core.management import call_command
from PIL import Image, ImageChops

from accounts.models import User
from content.models import Channel, Post, PostImage
from demo import covers, videos
from demo.note_templates import LEAVES
from demo.notes import channel_vocabulary, note_compose
from demo.places import CITIES, city_of_place

pytestmark = pytest.mark.django_db

SHANGHAI = next(c for c in CITIES if c.name == "上海")
GENERIC_TAGS = {"很棒", "第一篇", "分享", "推荐", "生活", "今天"}


def seed(users: int = 20, posts: int = 60, **options) -> None:
    call_command("seed_demo", users=users, posts=posts, verbosity=0, stdout=StringIO(), **options)


def top_slug(post: Post) -> str:
    return post.channel.parent.slug if post.channel.parent_id else post.channel.slug


def test_every_tag_of_a_demo_note_comes_from_its_channels_words(channels):
    seed(posts=150)
    posts = Post.objects.select_related("channel__parent").prefetch_related("tags")
    for post in posts:
        tags = {t.name for t in post.tags.all()}
        assert 3 <= len(tags) <= 7, (post.title, tags)
        assert tags <= channel_vocabulary(top_slug(post)), (
            post.channel.slug,
            tags - channel_vocabulary(top_slug(post)),
        )
        assert not tags & GENERIC_TAGS
        # The tags are the hashtags written at the end of the text.
        assert set(re.findall(r"#(\S+)", post.body)) == tags, post.body


def test_a_notes_title_and_text_match_its_sub_channel(channels):
    """A note in 猫咪 talks about a cat, one in 探店 about a dish somewhere in its city."""
    seed(posts=200)
    cats = Post.objects.filter(channel__slug="cats")
    assert cats.exists()
    for post in cats:
        assert any(word in post.body for word in LEAVES["cats"].slots["cat"]), post.body
    for post in Post.objects.filter(channel__slug="restaurants"):
        dish = next(d for d in LEAVES["restaurants"].slots["dish"] if d in post.body)
        assert post.place_name and post.place_name.split("·")[1] in post.body
        assert f"#{dish}".lower() in post.body.lower() or dish in post.title


def test_places_lie_in_their_city_and_name_its_spots(channels):
    seed(posts=200)
    placed = Post.objects.exclude(place_name="")
    assert placed.count() > 50
    for post in placed:
        city = city_of_place(post.place_name)
        assert city is not None, post.place_name
        assert post.place_name.split("·")[1] in {s.name for s in city.spots}
        assert city.contains(post.lat, post.lng), (post.place_name, post.lat, post.lng)
    for user in User.objects.exclude(home_place=""):
        city = city_of_place(user.home_place)
        assert city is not None and city.name == user.region
        assert city.contains(user.home_lat, user.home_lng)


def test_each_citys_spots_are_inside_its_bounds():
    for city in CITIES:
        assert city.contains(city.lat, city.lng)
        for spot in city.spots:
            assert city.contains(spot.lat, spot.lng), (city.name, spot.name)


def test_demo_people_have_nicknames_not_numbered_names(channels):
    seed(users=60, posts=0)
    names = list(
        User.objects.filter(username__startswith="demo").values_list("display_name", flat=True)
    )
    assert len(names) == 57
    assert len(set(names)) == len(names)
    for name in names:
        assert not re.search(r"\d", name), name
        assert 2 <= len(name) <= 12, name


def test_notes_do_not_visibly_repeat():
    rng = random.Random(3)
    titles = [
        note_compose(leaf_slug=slug, home=SHANGHAI, rng=rng).title
        for _ in range(40)
        for slug in LEAVES
    ]
    assert len(set(titles)) > 0.7 * len(titles)


def test_notes_have_drawn_covers_and_videos_have_clips_of_different_lengths(channels):
    seed(posts=120)
    notes = Post.objects.filter(kind=Post.Kind.NOTE)
    firsts = PostImage.objects.filter(post__in=notes, position=0)
    covers_drawn = [i for i in firsts if i.image.name.startswith("demo/covers/")]
    # Most notes open on their own 大字封面; two notes share one only when their titles
    # (and the cover's colours) happen to be the same.
    assert len(covers_drawn) > 0.5 * notes.count()
    assert len({i.image.name for i in covers_drawn}) > 0.9 * len(covers_drawn)
    for image in PostImage.objects.all()[:40]:
        with Image.open(image.image.path) as img:
            assert img.size == (image.width, image.height)
            assert img.width / img.height in (3 / 4, 1, 4 / 3)
    videos_ = Post.objects.filter(kind=Post.Kind.VIDEO)
    assert videos_.exists()
    assert {p.video.name for p in videos_} <= {
        f"demo/clips/{c.look}-{c.seconds}s.mp4" for c in videos.CLIPS
    }
    assert len({c.seconds for c in videos.CLIPS}) == len(videos.CLIPS)


def test_a_text_cover_shows_the_title_big_on_a_colour_block():
    img = covers.text_cover_draw(
        text="滨江大道附近这家烤鸭我愿意排队😋", top="food", label="探店", variant=1
    )
    blank = covers.text_cover_draw(text="　", top="food", label="探店", variant=1)
    assert img.size == (540, 720)
    # Text darkens (or lightens) a good share of the block's upper half.
    upper = (0, 100, 540, 400)
    diff = ImageChops.difference(img.crop(upper), blank.crop(upper)).convert("L")
    changed = diff.point(lambda v: 255 if v > 20 else 0).histogram()[255]
    assert changed > 0.05 * 540 * 300


def test_without_a_cjk_font_notes_get_illustrations(channels, monkeypatch):
    monkeypatch.setattr(covers, "font_path", lambda: None)
    seed(posts=40)
    names = list(PostImage.objects.values_list("image", flat=True))
    assert names and all(n.startswith("demo/art/") for n in names)
    assert all(
        p.cover.name.startswith("demo/art/") for p in Post.objects.filter(kind=Post.Kind.VIDEO)
    )


@pytest.mark.parametrize("ffmpeg", ["", "/bin/false"], ids=["absent", "failing"])
def test_without_ffmpeg_videos_fall_back_to_the_bundled_sample(channels, demo_media, ffmpeg):
    import shutil

    shutil.rmtree(demo_media / "clips", ignore_errors=True)
    clips = videos.clips_make(ffmpeg=ffmpeg)
    assert [(c.name, c.seconds) for c in clips] == [("demo/sample.mp4", 8.0)]
    assert (demo_media / "sample.mp4").stat().st_size == videos.SAMPLE.stat().st_size


def test_every_feed_has_posts_right_after_seeding(channels, redis_conn, client_for, api):
    """nearby (Shanghai), hot, follow (alice), discover and every channel are non-empty."""
    redis_conn.flushdb()
    seed(users=60, posts=400)
    alice = client_for(User.objects.get(username="alice"))

    nearby = api.get(f"/api/v1/feeds/nearby/?lat={SHANGHAI.lat}&lng={SHANGHAI.lng}&size=20").json()
    assert nearby["fallback"] is False and len(nearby["results"]) == 20
    shanghai = Post.objects.filter(pk__in=[r["post"]["id"] for r in nearby["results"]])
    # The page widens its radius until full: a small world's page reaches 杭州, but most
    # of it is in 上海, where the demo's places say it is.
    in_shanghai = [p for p in shanghai if p.place_name.startswith("上海·")]
    assert len(in_shanghai) >= 10, [p.place_name for p in shanghai]

    assert api.get("/api/v1/feeds/hot/?size=10").json()["results"]
    assert alice.get("/api/v1/feeds/follow/?size=10").json()["results"]
    assert alice.get("/api/v1/feeds/discover/?size=10").json()["results"]
    for channel in Channel.objects.all():
        body = api.get(f"/api/v1/feeds/channels/{channel.slug}/?size=5").json()
        assert body["results"], channel.slug
