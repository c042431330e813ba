"""The demo world: people in real cities, posts across channels, follows, interactions.

Built with bulk inserts (one password hash shared by every demo account, a few dozen
generated images shared by many posts) so ``seed_demo`` takes seconds, not minutes.
Deterministic for a given seed. Used by ``manage.py seed_demo`` and by ``make run``.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts.models import Follow, InterestPick, User
from accounts.usernames import username_key
from content.models import (
    Channel,
    Comment,
    Event,
    Favourite,
    Like,
    Post,
    PostImage,
    PostTag,
    PostView,
    Tag,
)
from content.services import counters_reconcile
from content.tagging import extract_tags
from feeds.services.pools import pool_enter

DEMO_PASSWORD = "demo-pass-123"
NAMED_ACCOUNTS = [
    ("alice", "Alice 爱丽丝", "Shanghai 上海"),
    ("bob", "Bob 小波", "Beijing 北京"),
    ("chen", "陈晨", "Hangzhou 杭州"),
]
CITIES = [
    ("上海 Shanghai", 31.2304, 121.4737),
    ("北京 Beijing", 39.9042, 116.4074),
    ("杭州 Hangzhou", 30.2741, 120.1551),
    ("成都 Chengdu", 30.5728, 104.0668),
    ("广州 Guangzhou", 23.1291, 113.2644),
    ("深圳 Shenzhen", 22.5431, 114.0579),
]
SPOTS = ["武康路", "西湖", "三里屯", "太古里", "天河", "南山", "外滩", "宽窄巷子", "鼓楼", "前门"]
TOPICS = {
    "fashion": (["通勤穿搭", "秋冬大衣", "小个子穿搭", "复古风"], ["outfit", "ootd"]),
    "beauty": (["平价护肤", "敏感肌", "口红试色", "底妆"], ["skincare", "makeup"]),
    "food": (["咖啡", "火锅", "探店", "家常菜", "烘焙"], ["coffee", "brunch"]),
    "travel": (["周末游", "露营", "古镇", "海边"], ["travel", "roadtrip"]),
    "fitness": (["跑步", "瑜伽", "减脂餐", "健身房"], ["running", "workout"]),
    "tech": (["手机摄影", "数码好物", "键盘", "相机"], ["gadgets", "photography"]),
    "home": (["租房改造", "收纳", "小户型", "北欧风"], ["homedecor", "diy"]),
    "pets": (["猫咪日常", "柯基", "铲屎官", "宠物用品"], ["cats", "dogs"]),
    "study": (["考研", "英语学习", "时间管理", "职场干货"], ["study", "productivity"]),
    "parenting": (["辅食", "亲子游", "绘本"], ["parenting"]),
    "music": (["吉他", "歌单", "live现场"], ["music", "playlist"]),
    "film": (["电影推荐", "追剧", "纪录片"], ["movies", "tvshows"]),
    "games": (["原神", "switch", "独立游戏"], ["gaming", "indiegames"]),
}
OPENERS = ["今天分享一下", "终于找到了", "强烈推荐", "记录一下", "第一次尝试", "周末去了", "私藏的", "挖到宝了"]
CLOSERS = ["真的很喜欢！", "大家有什么推荐吗？", "下次还会再来。", "建议收藏。", "欢迎交流～", "冲就完了", "已经回购三次"]
SENTENCES = [
    "早上八点出门人还不多", "价格比想象中便宜不少", "朋友推荐了好久终于来了", "细节做得很用心",
    "拍照光线特别好", "性价比很高适合学生党", "排队大概二十分钟", "店员小姐姐很热情",
    "整体体验打九分", "唯一缺点是有点远", "适合一个人安静待着", "周末人会比较多建议工作日去",
    "这次换了新的方法效果明显", "坚持了一个月变化很大", "新手也能很快上手", "用了之后再也回不去了",
    "颜色比图片上更好看", "分量很足两个人吃刚好", "步骤很简单跟着做就行", "记得提前预约",
]
COLOURS = [(255, 205, 210), (200, 230, 201), (187, 222, 251), (255, 236, 179), (225, 190, 231), (178, 235, 242)]


@dataclass
class DemoReport:
    users: int = 0
    posts: int = 0
    follows: int = 0
    likes: int = 0
    comments: int = 0
    skipped: bool = False


def _image_bytes(colour, label: str, size=(480, 640)) -> bytes:
    img = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(img)
    for i in range(0, size[1], 40):
        draw.line([(0, i), (size[0], i + 80)], fill=tuple(max(c - 25, 0) for c in colour), width=6)
    draw.rectangle([20, size[1] - 90, size[0] - 20, size[1] - 20], fill=(255, 255, 255))
    draw.text((36, size[1] - 68), label, fill=(60, 60, 60))
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", quality=70)
    return buffer.getvalue()


def _image_pool(slugs: list[str]) -> dict[str, list[tuple[str, int, int]]]:
    """Write three images per channel once; return storage names with their sizes."""
    pool: dict[str, list[tuple[str, int, int]]] = {}
    for n, slug in enumerate(slugs):
        pool[slug] = []
        for k, size in enumerate([(480, 640), (480, 480), (640, 480)]):
            name = f"demo/{slug}-{k}.jpg"
            if not default_storage.exists(name):
                colour = COLOURS[(n + k) % len(COLOURS)]
                default_storage.save(name, io.BytesIO(_image_bytes(colour, f"{slug} #{k + 1}", size)))
            pool[slug].append((name, *size))
    return pool


def _demo_video() -> str:
    name = "demo/sample.mp4"
    if not default_storage.exists(name):
        source = Path(__file__).resolve().parent / "assets" / "sample.mp4"
        with source.open("rb") as fh:
            default_storage.save(name, fh)
    return name


def build_demo_world(*, users: int = 200, posts: int = 2000, seed: int = 42, progress=None) -> DemoReport:
    """Create the demo world up to the given sizes; a second run adds nothing."""
    rng = random.Random(seed)
    report = DemoReport()
    tick = progress or (lambda n=1: None)
    channels = list(Channel.objects.select_related("parent"))
    top = [c for c in channels if c.parent_id is None]
    by_top = {c.pk: [c] + [s for s in channels if s.parent_id == c.pk] for c in top}
    now = timezone.now()

    with transaction.atomic():
        password = make_password(DEMO_PASSWORD)
        wanted = [(u, d, r) for u, d, r in NAMED_ACCOUNTS]
        wanted += [(f"demo{i:03d}", "", "") for i in range(1, users - len(NAMED_ACCOUNTS) + 1)]
        existing = set(User.objects.filter(username__in=[w[0] for w in wanted]).values_list("username", flat=True))
        new_users = []
        for username, display, region in wanted:
            if username in existing:
                continue
            city, lat, lng = rng.choice(CITIES) if not region else next(
                c for c in CITIES if c[0].split()[1] == region.split()[0]
            )
            new_users.append(
                User(
                    username=username,
                    username_key=username_key(username),  # bulk_create skips save()
                    password=password,
                    display_name=display or f"{rng.choice(['小', '阿', '大'])}{rng.choice('明红刚丽华伟芳静')}{username[-3:]}",
                    language="en" if rng.random() < 0.2 else "zh",
                    region=city,
                    home_place=f"{city} {rng.choice(SPOTS)}",
                    home_lat=round(lat + rng.uniform(-0.08, 0.08), 5),
                    home_lng=round(lng + rng.uniform(-0.08, 0.08), 5),
                    onboarded_at=now,
                    date_joined=now - timedelta(days=rng.randint(15, 400)),
                )
            )
        User.objects.bulk_create(new_users, batch_size=500)
        report.users = len(new_users)
        tick(len(new_users))
        people = list(User.objects.filter(username__in=[w[0] for w in wanted]).order_by("pk"))
        # Each person's tastes come from their own generator, so a second run (which
        # creates nobody) draws exactly the same picks.
        tastes = {}
        for u in people:
            own = random.Random(f"{seed}:{u.username}")
            tastes[u.pk] = own.sample(top, 3 + own.randint(0, 2))
        InterestPick.objects.bulk_create(
            [InterestPick(user=u, channel=c) for u in people for c in tastes[u.pk]],
            ignore_conflicts=True,
        )

        demo_posts = Post.objects.filter(author__in=people).count()
        missing = max(0, posts - demo_posts)
        pool = _image_pool([c.slug for c in top])
        video_name = _demo_video()
        # A few prolific, popular creators; most people post a little (a realistic skew).
        weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(people))]
        new_posts: list[Post] = []
        texts: list[tuple[list[str], str, str, str]] = []
        for _ in range(missing):
            author = rng.choices(people, weights=weights)[0]
            top_channel = rng.choice(tastes[author.pk])
            channel = rng.choice(by_top[top_channel.pk])
            zh_topics, en_topics = TOPICS.get(top_channel.slug, (["生活"], ["life"]))
            topic = rng.choice(zh_topics)
            english = author.language == "en"
            if english:
                word = rng.choice(en_topics)
                title = f"My {word} notes: {rng.choice(['week one', 'favourites', 'honest review', 'tips', 'budget picks'])}"
                extra = rng.sample(["It took a while to get right", "Cheaper than I expected", "Would do it again",
                                    "Beginners can follow along", "Friends asked me to write this up",
                                    f"Day {rng.randint(2, 90)} of trying this", "Saved me a lot of time"], 2)
                body = f"Sharing my {word} routine and what worked. {extra[0]}. {extra[1]}. #{word}"
            else:
                title = f"{rng.choice(OPENERS)}{topic}｜{rng.choice(SPOTS)}"[:30]
                middle = "，".join(rng.sample(SENTENCES, 3))
                body = f"{rng.choice(OPENERS)}{topic}，在{rng.choice(SPOTS)}附近。{middle}。{rng.choice(CLOSERS)} #{topic}"
            created = now - timedelta(minutes=rng.randint(5, 14 * 24 * 60))
            city, lat, lng = rng.choice(CITIES)
            has_place = rng.random() < 0.6
            kind = Post.Kind.VIDEO if rng.random() < 0.15 else Post.Kind.NOTE
            cover = rng.choice(pool[top_channel.slug])[0]
            new_posts.append(
                Post(
                    author=author,
                    kind=kind,
                    title=title,
                    body=body,
                    channel=channel,
                    place_name=f"{city} {rng.choice(SPOTS)}" if has_place else "",
                    lat=round(lat + rng.uniform(-0.1, 0.1), 5) if has_place else None,
                    lng=round(lng + rng.uniform(-0.1, 0.1), 5) if has_place else None,
                    video=video_name if kind == Post.Kind.VIDEO else "",
                    video_seconds=8.0 if kind == Post.Kind.VIDEO else None,
                    cover=cover if kind == Post.Kind.VIDEO else "",
                    status=Post.Status.PUBLISHED,
                    created_at=created,
                    published_at=created,
                )
            )
            texts.append(([topic] if not english else [word], title, body, top_channel.slug))
            tick()
        Post.objects.bulk_create(new_posts, batch_size=500)
        report.posts = len(new_posts)

        images, tag_rows = [], []
        for post, (author_tags, title, body, top_slug) in zip(new_posts, texts, strict=True):
            if post.kind == Post.Kind.NOTE:
                for position, (name, w, h) in enumerate(rng.sample(pool[top_slug], rng.randint(1, 3))):
                    images.append(PostImage(post=post, image=name, width=w, height=h, position=position))
            names = {t.lower(): PostTag.Source.AUTHOR for t in author_tags}
            for t in extract_tags(title, body, limit=settings.EXTRACTED_TAGS_PER_POST):
                names.setdefault(t, PostTag.Source.EXTRACTED)
            tag_rows.append((post, names))
        PostImage.objects.bulk_create(images, batch_size=1000)
        all_names = {n for _, names in tag_rows for n in names}
        Tag.objects.bulk_create([Tag(name=n) for n in all_names], ignore_conflicts=True)
        tag_ids = dict(Tag.objects.filter(name__in=all_names).values_list("name", "pk"))
        PostTag.objects.bulk_create(
            [PostTag(post=p, tag_id=tag_ids[n], source=s) for p, names in tag_rows for n, s in names.items()],
            batch_size=1000,
            ignore_conflicts=True,
        )

        # Follows: each new person follows a handful of people, popular creators most often.
        created_names = {u.username for u in new_users}
        follows = []
        for u in (p for p in people if p.username in created_names):
            for v in set(rng.choices(people, weights=weights, k=rng.randint(5, 25))):
                if v.pk != u.pk:
                    follows.append(Follow(follower=u, followee=v, created_at=now - timedelta(days=rng.randint(1, 60))))
        Follow.objects.bulk_create(follows, batch_size=1000, ignore_conflicts=True)
        report.follows = len(follows)

        # Interactions on the new posts, by people whose tastes match the channel.
        fans: dict[int, list[User]] = {c.pk: [] for c in top}
        for u in people:
            for c in tastes[u.pk]:
                fans[c.pk].append(u)
        likes, favs, comments, events, views = [], [], [], [], []
        for post in new_posts:
            top_id = post.channel.parent_id or post.channel_id
            audience = [u for u in rng.sample(fans[top_id], min(len(fans[top_id]), 30)) if u.pk != post.author_id]
            quality = rng.random()
            for u in audience:
                seen_at = post.created_at + timedelta(minutes=rng.randint(1, 600))
                # Shown in their feed first: the impression the post's base pool counts.
                events.append(Event(user=u, post=post, kind=Event.Kind.IMPRESSION, source="seed", created_at=seen_at))
                events.append(Event(user=u, post=post, kind=Event.Kind.VIEW, seconds=rng.uniform(2, 40), completed=rng.random() < quality, source="seed", created_at=seen_at))
                views.append(PostView(user=u, post=post, created_at=seen_at))  # the view counter's row
                if rng.random() < 0.1 + 0.4 * quality:
                    likes.append(Like(user=u, post=post, created_at=seen_at))
                    events.append(Event(user=u, post=post, kind=Event.Kind.LIKE, source="seed", created_at=seen_at))
                if rng.random() < 0.05 + 0.15 * quality:
                    favs.append(Favourite(user=u, post=post, created_at=seen_at))
                    events.append(Event(user=u, post=post, kind=Event.Kind.FAVOURITE, source="seed", created_at=seen_at))
                if rng.random() < 0.04:
                    comments.append(Comment(post=post, author=u, body=rng.choice(["好看！", "求链接", "收藏了", "Love this!", "学到了", "在哪里呀？"]), created_at=seen_at))
                    events.append(Event(user=u, post=post, kind=Event.Kind.COMMENT, source="seed", created_at=seen_at))
        Like.objects.bulk_create(likes, batch_size=2000, ignore_conflicts=True)
        Favourite.objects.bulk_create(favs, batch_size=2000, ignore_conflicts=True)
        Comment.objects.bulk_create(comments, batch_size=2000)
        Event.objects.bulk_create(events, batch_size=2000)
        PostView.objects.bulk_create(views, batch_size=2000, ignore_conflicts=True)
        report.likes, report.comments = len(likes), len(comments)

        counters_reconcile(post_ids=[p.pk for p in new_posts])
        # Score every new post and enter it into the traffic pools, as publishing did when
        # it was published: its base pool's window runs from then, so the pools' first
        # evaluation (seed_demo runs it) judges the posts older than the window on the
        # audience above, and a demo feed mixes proven posts with new ones under test.
        for post in Post.objects.filter(pk__in=[p.pk for p in new_posts]).select_related("channel"):
            pool_enter(post=post, now=post.published_at)
        _recount_people([u.pk for u in people])
        _recount_tags(list(tag_ids.values()))
        if not User.objects.filter(username="admin").exists():
            User.objects.create_superuser("admin", "admin@example.com", DEMO_PASSWORD, onboarded_at=now, display_name="Admin")
        _demo_moderation_and_boost(now)
    return report


def _demo_moderation_and_boost(now) -> None:
    """A moderator account, and alice's credits with a day-long boost of her newest post,
    so the moderation panel and the 推广 label have something to show."""
    from django.contrib.auth.models import Group

    from boosts import services as boosts
    from boosts.models import Boost
    from feeds.services.serving import recommendable

    if not User.objects.filter(username="moderator").exists():
        mod = User.objects.create_user("moderator", "mod@example.com", DEMO_PASSWORD, is_staff=True,
                                       onboarded_at=now, display_name="审核员 Moderator")
        mod.groups.add(*Group.objects.filter(name="moderator"))
    alice = User.objects.filter(username="alice").first()
    if alice is None or Boost.objects.filter(buyer=alice).exists():
        return
    post = Post.objects.filter(recommendable(), author=alice).order_by("-published_at").select_related("channel").first()
    if post is None:
        return
    boosts.topup(user=alice, amount=20_000, key="demo-alice-first-topup")
    top = post.channel.parent.slug if post.channel.parent_id else post.channel.slug
    boosts.boost_create(buyer=alice, post=post, budget=2000, hours=24,
                        targeting=boosts.Targeting(Boost.Targeting.INTERESTS, channels=[top]))


def _count(model, field: str):
    rows = model.objects.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _recount_people(ids: list[int]) -> None:
    User.objects.filter(pk__in=ids).update(
        follower_count=_count(Follow, "followee"),
        following_count=_count(Follow, "follower"),
        post_count=_count(Post, "author"),
    )


def _recount_tags(ids: list[int]) -> None:
    Tag.objects.filter(pk__in=ids).update(post_count=_count(PostTag, "tag"))
