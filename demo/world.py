"""The demo world: people in real cities, posts across channels, follows, interactions.

Built with bulk inserts (one password hash shared by every demo account, pictures drawn
once and reused by name) so ``seed_demo`` takes seconds, not minutes. Deterministic for a
given seed. Used by ``manage.py seed_demo`` and by ``make run``. The words come from
``demo.note_templates`` (via ``demo.notes``), the places from ``demo.places``, the
pictures from ``demo.covers`` and the clips from ``demo.videos``; see docs/demo-world.md.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

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
from demo.covers import illustration_pool, text_cover
from demo.names import nickname_make
from demo.note_templates import LEAVES
from demo.notes import Note, leaves_of, note_compose
from demo.places import CITIES, CITY_BY_NAME, place_name, spot_point
from demo.videos import clip_for, clips_make
from feeds.services.pools import pool_enter

DEMO_PASSWORD = "demo-pass-123"
NAMED_ACCOUNTS = [
    ("alice", "Alice 爱丽丝", "上海"),
    ("bob", "Bob 小波", "北京"),
    ("chen", "陈晨", "杭州"),
]
VIDEO_SHARE = 0.15
TEXT_COVER_SHARE = 0.65  # notes whose first picture is a 大字封面; the rest open on a drawing
COMMENTS = {
    "food": ["看饿了😋", "人均多少呀？", "周末就去", "收藏了下次试试", "这家我也爱"],
    "travel": ["好美！", "求具体路线", "已收藏，下个月去", "住哪里方便呀？"],
    "fashion": ["求链接🙏", "好显高", "身高体重多少呀", "同款已下单"],
    "beauty": ["黄皮能用吗", "求色号", "敏感肌友好吗？", "学到了"],
    "pets": ["好可爱🥹", "想rua", "它叫什么名字", "猫猫狗狗治愈一切"],
}
COMMENTS_ANY = ["学到了", "收藏了", "写得好清楚", "谢谢分享", "有同感", "支持！", "蹲一个后续"]


@dataclass
class DemoReport:
    users: int = 0
    posts: int = 0
    follows: int = 0
    likes: int = 0
    comments: int = 0
    skipped: bool = False


def build_demo_world(
    *, users: int = 200, posts: int = 2000, seed: int = 42, progress=None
) -> DemoReport:
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
        existing = set(
            User.objects.filter(username__in=[w[0] for w in wanted]).values_list(
                "username", flat=True
            )
        )
        taken = set(User.objects.values_list("display_name", flat=True))
        new_users = []
        for username, display, region in wanted:
            if username in existing:
                continue
            city = CITY_BY_NAME[region] if region else rng.choice(CITIES)
            spot = rng.choice(city.spots)
            lat, lng = spot_point(spot=spot, rng=rng)
            new_users.append(
                User(
                    username=username,
                    username_key=username_key(username),  # bulk_create skips save()
                    password=password,
                    display_name=display or nickname_make(rng=rng, taken=taken),
                    language="en" if rng.random() < 0.2 else "zh",
                    region=city.name,
                    home_place=place_name(city=city, spot=spot),
                    home_lat=lat,
                    home_lng=lng,
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
        art = illustration_pool(tops=[c.slug for c in top]) if missing else {}
        clips = clips_make() if missing else []
        # A few prolific, popular creators; most people post a little (a realistic skew).
        weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(people))]
        new_posts: list[Post] = []
        notes: list[Note] = []
        images: list[tuple[Post, list[tuple[str, int, int]]]] = []
        for n in range(missing):
            author = rng.choices(people, weights=weights)[0]
            top_channel = rng.choice(tastes[author.pk])
            channel = rng.choice(by_top[top_channel.pk])
            leaf = (
                channel.slug if channel.slug in LEAVES else rng.choice(leaves_of(top_channel.slug))
            )
            home = CITY_BY_NAME.get(author.region) or rng.choice(CITIES)
            note = note_compose(leaf_slug=leaf, home=home, rng=rng)
            lat, lng = spot_point(spot=note.spot, rng=rng) if note.spot else (None, None)
            created = now - timedelta(minutes=rng.randint(5, 14 * 24 * 60))
            kind = Post.Kind.VIDEO if rng.random() < VIDEO_SHARE else Post.Kind.NOTE
            pictures = rng.sample(
                art[top_channel.slug], 1 if kind == Post.Kind.VIDEO else rng.randint(1, 3)
            )
            if kind == Post.Kind.VIDEO or rng.random() < TEXT_COVER_SHARE:
                cover = text_cover(
                    text=note.cover_text, top=top_channel.slug, label=channel.name_zh, variant=n % 7,
                    aspect="3:4" if kind == Post.Kind.VIDEO or rng.random() < 0.75 else "1:1",
                )  # fmt: skip
                if cover is not None:
                    pictures = [cover, *pictures[:-1]] if len(pictures) > 1 else [cover]
            clip = (
                clip_for(clips=clips, top=top_channel.slug, rng=rng)
                if kind == Post.Kind.VIDEO
                else None
            )
            post = Post(
                author=author,
                kind=kind,
                title=note.title,
                body=note.body,
                channel=channel,
                place_name=place_name(city=note.city, spot=note.spot) if note.spot else "",
                lat=lat,
                lng=lng,
                video=clip.name if clip else "",
                video_seconds=clip.seconds if clip else None,
                cover=pictures[0][0] if clip else "",
                status=Post.Status.PUBLISHED,
                created_at=created,
                published_at=created,
            )
            new_posts.append(post)
            notes.append(note)
            if kind == Post.Kind.NOTE:
                images.append((post, pictures))
            tick()
        Post.objects.bulk_create(new_posts, batch_size=500)
        report.posts = len(new_posts)

        PostImage.objects.bulk_create(
            [
                PostImage(post=post, image=name, width=w, height=h, position=position)
                for post, pictures in images
                for position, (name, w, h) in enumerate(pictures)
            ],
            batch_size=1000,
        )
        # A demo note's tags are the hashtags its author wrote (its channel's words), not
        # keywords extracted from its text: ``tests/demo`` holds every tag to the channel.
        tag_rows = [(post, note.tags) for post, note in zip(new_posts, notes, strict=True)]
        all_names = {n for _, names in tag_rows for n in names}
        Tag.objects.bulk_create([Tag(name=n) for n in all_names], ignore_conflicts=True)
        tag_ids = dict(Tag.objects.filter(name__in=all_names).values_list("name", "pk"))
        PostTag.objects.bulk_create(
            [
                PostTag(post=p, tag_id=tag_ids[n], source=PostTag.Source.AUTHOR)
                for p, names in tag_rows
                for n in names
            ],
            batch_size=1000,
            ignore_conflicts=True,
        )

        # Follows: each new person follows a handful of people, popular creators most often.
        created_names = {u.username for u in new_users}
        follows = []
        for u in (p for p in people if p.username in created_names):
            for v in set(rng.choices(people, weights=weights, k=rng.randint(5, 25))):
                if v.pk != u.pk:
                    follows.append(
                        Follow(
                            follower=u,
                            followee=v,
                            created_at=now - timedelta(days=rng.randint(1, 60)),
                        )
                    )
        Follow.objects.bulk_create(follows, batch_size=1000, ignore_conflicts=True)
        report.follows = len(follows)

        # Interactions on the new posts, by people whose tastes match the channel.
        fans: dict[int, list[User]] = {c.pk: [] for c in top}
        top_slugs = {c.pk: c.slug for c in top}
        for u in people:
            for c in tastes[u.pk]:
                fans[c.pk].append(u)
        likes, favs, comments, events, views = [], [], [], [], []
        for post in new_posts:
            top_id = post.channel.parent_id or post.channel_id
            audience = [
                u
                for u in rng.sample(fans[top_id], min(len(fans[top_id]), 30))
                if u.pk != post.author_id
            ]
            quality = rng.random()
            for u in audience:
                seen_at = post.created_at + timedelta(minutes=rng.randint(1, 600))
                # Shown in their feed first: the impression the post's base pool counts.
                events.append(
                    Event(
                        user=u,
                        post=post,
                        kind=Event.Kind.IMPRESSION,
                        source="seed",
                        created_at=seen_at,
                    )
                )
                events.append(
                    Event(
                        user=u,
                        post=post,
                        kind=Event.Kind.VIEW,
                        seconds=rng.uniform(2, 40),
                        completed=rng.random() < quality,
                        source="seed",
                        created_at=seen_at,
                    )
                )
                views.append(
                    PostView(user=u, post=post, created_at=seen_at)
                )  # the view counter's row
                if rng.random() < 0.1 + 0.4 * quality:
                    likes.append(Like(user=u, post=post, created_at=seen_at))
                    events.append(
                        Event(
                            user=u,
                            post=post,
                            kind=Event.Kind.LIKE,
                            source="seed",
                            created_at=seen_at,
                        )
                    )
                if rng.random() < 0.05 + 0.15 * quality:
                    favs.append(Favourite(user=u, post=post, created_at=seen_at))
                    events.append(
                        Event(
                            user=u,
                            post=post,
                            kind=Event.Kind.FAVOURITE,
                            source="seed",
                            created_at=seen_at,
                        )
                    )
                if rng.random() < 0.04:
                    said = rng.choice(
                        COMMENTS.get(top_slugs[top_id], COMMENTS_ANY) + COMMENTS_ANY[:2]
                    )
                    comments.append(Comment(post=post, author=u, body=said, created_at=seen_at))
                    events.append(
                        Event(
                            user=u,
                            post=post,
                            kind=Event.Kind.COMMENT,
                            source="seed",
                            created_at=seen_at,
                        )
                    )
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
            User.objects.create_superuser(
                "admin", "admin@example.com", DEMO_PASSWORD, onboarded_at=now, display_name="Admin"
            )
        _demo_moderation_and_boost(now)
        _demo_shop()
    return report


def _demo_moderation_and_boost(now) -> None:
    """A moderator account, and alice's credits with a day-long boost of her newest post,
    so the moderation panel and the 推广 label have something to show."""
    from django.contrib.auth.models import Group

    from boosts import services as boosts
    from boosts.models import Boost
    from feeds.services.serving import recommendable

    if not User.objects.filter(username="moderator").exists():
        mod = User.objects.create_user(
            "moderator",
            "mod@example.com",
            DEMO_PASSWORD,
            is_staff=True,
            onboarded_at=now,
            display_name="审核员 Moderator",
        )
        mod.groups.add(*Group.objects.filter(name="moderator"))
    alice = User.objects.filter(username="alice").first()
    if alice is None or Boost.objects.filter(buyer=alice).exists():
        return
    post = (
        Post.objects.filter(recommendable(), author=alice)
        .order_by("-published_at")
        .select_related("channel")
        .first()
    )
    if post is None:
        return
    boosts.topup(user=alice, amount=20_000, key="demo-alice-first-topup")
    top = post.channel.parent.slug if post.channel.parent_id else post.channel.slug
    boosts.boost_create(
        buyer=alice,
        post=post,
        budget=2000,
        hours=24,
        targeting=boosts.Targeting(Boost.Targeting.INTERESTS, channels=[top]),
    )


def _demo_shop() -> None:
    """alice's shop: a product on her newest post, opened and ordered once by chen, so the
    product cards, the 🛒 marker and the creator center's 店铺 have something to show."""
    from boosts import services as boosts
    from commerce import services as commerce
    from commerce.models import Shop
    from feeds.services.serving import recommendable

    alice = User.objects.filter(username="alice").first()
    chen = User.objects.filter(username="chen").first()
    if alice is None or Shop.objects.filter(user=alice).exists():
        return
    post = Post.objects.filter(recommendable(), author=alice).order_by("-published_at").first()
    if post is None:
        return
    commerce.shop_grant(user=alice, name="爱丽丝的小店")
    product = commerce.product_create(
        seller=alice, post=post, title=f"{(post.title or '好物')[:20]} 同款", price=5900, stock=50
    )
    if chen is not None:
        commerce.product_seen(user=chen, products=[product])
        commerce.product_opened(user=chen, product=product)
        boosts.topup(user=chen, amount=10_000, key="demo-chen-first-topup")
        commerce.order_create(buyer=chen, product_id=product.pk, quantity=1, key="demo-chen-order")


def _count(model, field: str):
    rows = (
        model.objects.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _recount_people(ids: list[int]) -> None:
    User.objects.filter(pk__in=ids).update(
        follower_count=_count(Follow, "followee"),
        following_count=_count(Follow, "follower"),
        post_count=_count(Post, "author"),
    )


def _recount_tags(ids: list[int]) -> None:
    Tag.objects.filter(pk__in=ids).update(post_count=_count(PostTag, "tag"))
