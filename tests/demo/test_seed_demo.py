"""``manage.py seed_demo``: a small, consistent demo world, safe to run twice."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F

from accounts.models import Follow, InterestPick, User
from content.models import Comment, Event, Favourite, Like, Post, PostImage, PostTag, Tag
from demo.videos import CLIPS
from demo.world import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

USERS, POSTS = 20, 60


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", users=USERS, posts=POSTS, verbosity=0, stdout=out, **options)
    return out.getvalue()


def world_counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "posts": Post.objects.count(),
        "images": PostImage.objects.count(),
        "post_tags": PostTag.objects.count(),
        "tags": Tag.objects.count(),
        "follows": Follow.objects.count(),
        "likes": Like.objects.count(),
        "favourites": Favourite.objects.count(),
        "comments": Comment.objects.count(),
        "events": Event.objects.count(),
    }


@pytest.fixture
def seeded(channels):
    return seed()


def test_seeding_creates_people_posts_and_interactions(seeded):
    assert "Demo world: +20 users, +60 posts" in seeded
    assert DEMO_PASSWORD in seeded

    assert User.objects.count() == USERS + 2  # and the admin and a moderator
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert admin.check_password(DEMO_PASSWORD)
    moderator = User.objects.get(username="moderator")
    assert moderator.is_staff and not moderator.is_superuser
    assert moderator.groups.filter(name="moderator").exists()
    # alice's boost shows the 推广 label in the demo; her ledger adds up.
    from boosts.models import Boost, LedgerEntry

    boost = Boost.objects.get(buyer__username="alice")
    assert boost.status == Boost.Status.ACTIVE and boost.post.author.username == "alice"
    assert (
        sum(LedgerEntry.objects.filter(user__username="alice").values_list("amount", flat=True))
        == 20_000 - boost.cost
    )
    # alice's shop sells on her newest post, and chen has bought once.
    from commerce.models import Order, Product

    product = Product.objects.get(seller__username="alice")
    assert product.post.author.username == "alice" and product.status == Product.Status.LIVE
    assert list(Order.objects.values_list("buyer__username", "status")) == [("chen", "paid")]
    for name in ("alice", "bob", "chen"):
        assert User.objects.get(username=name).check_password(DEMO_PASSWORD)
    # Everyone is onboarded, so the demo logins land on the home page.
    assert not User.objects.filter(onboarded_at__isnull=True).exists()

    assert Post.objects.count() == POSTS
    assert not Post.objects.exclude(status=Post.Status.PUBLISHED).exists()
    assert Follow.objects.exists()
    assert Like.objects.exists()
    assert InterestPick.objects.values("user").distinct().count() == USERS


def test_every_post_has_tags_and_media(seeded):
    untagged = Post.objects.annotate(n=Count("post_tags")).filter(n=0)
    assert not untagged.exists()
    for post in Post.objects.prefetch_related("images"):
        if post.kind == Post.Kind.NOTE:
            assert 1 <= len(post.images.all()) <= 9, post.pk
            for image in post.images.all():
                assert image.image.storage.exists(image.image.name)
                assert image.width > 0 and image.height > 0
        else:
            assert post.video and post.video.storage.exists(post.video.name), post.pk
            assert post.cover, post.pk
            assert post.video_seconds in {float(c.seconds) for c in CLIPS}, post.video_seconds


def test_seeded_media_is_served_on_the_pages(seeded, client):
    alice = User.objects.get(username="alice")
    client.force_login(alice)
    home = client.get("/")
    assert home.status_code == 200
    page = home.content.decode()
    assert 'data-testid="grid"' in page
    assert "/media/demo/" in page
    post = Post.objects.filter(kind=Post.Kind.NOTE).first()
    image = post.images.first()
    response = client.get(image.image.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"


def test_counters_match_the_rows(seeded):
    posts = Post.objects.annotate(
        n_likes=Count("likes", distinct=True),
        n_favourites=Count("favourites", distinct=True),
        n_comments=Count("comments", distinct=True),
    )
    for post in posts:
        assert post.like_count == post.n_likes, post.pk
        assert post.favourite_count == post.n_favourites, post.pk
        assert post.comment_count == post.n_comments, post.pk
        assert post.view_count == Event.objects.filter(post=post, kind=Event.Kind.VIEW).count()
    assert sum(p.like_count for p in Post.objects.all()) == Like.objects.count()

    for user in User.objects.all():
        assert user.follower_count == Follow.objects.filter(followee=user).count(), user.username
        assert user.following_count == Follow.objects.filter(follower=user).count(), user.username
        assert user.post_count == Post.objects.filter(author=user).count(), user.username

    for tag in Tag.objects.all():
        assert tag.post_count == PostTag.objects.filter(tag=tag).count(), tag.name


def test_no_one_follows_themselves_or_likes_their_own_post(seeded):
    assert not Follow.objects.filter(follower=F("followee")).exists()
    assert not Like.objects.filter(user=F("post__author")).exists()


def test_running_it_twice_creates_nothing_new(seeded):
    before = world_counts()
    output = seed()
    assert "+0 users, +0 posts, 0 follows, 0 likes, 0 comments" in output
    assert world_counts() == before


def test_a_second_run_keeps_everyones_interests(seeded):
    """Re-running must not change (or grow) the interests people picked."""
    picks_before = InterestPick.objects.count()
    before = {
        u: set(InterestPick.objects.filter(user__username=u).values_list("channel_id", flat=True))
        for u in ("alice", "bob", "demo001")
    }
    seed()
    after = {
        u: set(InterestPick.objects.filter(user__username=u).values_list("channel_id", flat=True))
        for u in ("alice", "bob", "demo001")
    }
    assert after == before
    assert InterestPick.objects.count() == picks_before


def test_the_same_seed_builds_the_same_world(channels):
    seed(seed=7)
    first = sorted(Post.objects.values_list("title", flat=True))
    Post.objects.all().delete()
    User.objects.all().delete()
    seed(seed=7)
    assert sorted(Post.objects.values_list("title", flat=True)) == first


def test_if_empty_does_nothing_when_there_are_posts(make_post):
    make_post(title="已经有内容了")
    before = world_counts()
    out = StringIO()
    call_command("seed_demo", users=USERS, posts=POSTS, if_empty=True, stdout=out)
    assert "The database has posts already; not seeding." in out.getvalue()
    assert world_counts() == before
    assert not User.objects.filter(username="alice").exists()


def test_if_empty_seeds_an_empty_database(channels):
    out = StringIO()
    call_command("seed_demo", users=USERS, posts=POSTS, if_empty=True, verbosity=0, stdout=out)
    assert Post.objects.count() == POSTS
    # The demo opens with a hot list and account weights, before the beat's first run.
    from feeds.models import AccountWeight, HotEntry

    assert HotEntry.objects.filter(list_key="global").exists()
    assert AccountWeight.objects.exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"users": 1}, "--users must be between 5 and 100000."),
        ({"users": 4}, "--users must be between 5 and 100000."),
        ({"users": 200_000}, "--users must be between 5 and 100000."),
        ({"posts": -1}, "--posts must be between 0 and 1000000."),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_message(channels, options, message):
    options = {"users": USERS, "posts": POSTS, **options}
    with pytest.raises(CommandError) as excinfo:
        call_command("seed_demo", verbosity=0, **options)
    assert str(excinfo.value) == message
    assert not User.objects.exists()
    assert not Post.objects.exists()


def test_bad_arguments_from_the_command_line(channels):
    with pytest.raises(CommandError, match="--users must be between 5 and 100000"):
        call_command("seed_demo", "--users", "1", "--posts", "10", verbosity=0)


def test_a_demo_feed_mixes_proven_posts_with_new_ones_under_test(channels, client_for, settings):
    """The demo's posts span a fortnight: those older than a base pool's last window have
    had their test, as on a platform that ran meanwhile (a world of twenty people cannot
    show a post to enough of them for a verdict: those tests expired), and only the
    newest are still being tested, so a demo login's discover is not all new posts."""
    from django.utils import timezone

    from feeds.models import PoolEntry

    call_command("seed_demo", users=USERS, posts=200, verbosity=0, stdout=StringIO())
    k = settings.ENGINE
    window = timezone.now() - timezone.timedelta(hours=k["POOL_WINDOW_HOURS"])
    tested = timezone.now() - timezone.timedelta(
        hours=k["POOL_WINDOW_HOURS"] * (k["POOL_EVIDENCE_MAX_WINDOWS"] + 1)
    )
    old = PoolEntry.objects.filter(post__published_at__lt=tested)
    assert old.exists() and not old.filter(tier=0, state=PoolEntry.State.ACTIVE).exists()
    assert old.filter(state=PoolEntry.State.EXPIRED).exists()
    assert PoolEntry.objects.filter(
        post__published_at__gte=window, tier=0, state=PoolEntry.State.ACTIVE
    ).exists()

    body = (
        client_for(User.objects.get(username="bob")).get("/api/v1/feeds/discover/?size=20").json()
    )
    lanes = [item["source"] for item in body["results"]]
    assert len(lanes) == 20 and "pool" in lanes and "main" in lanes, lanes


def test_a_freshly_seeded_demo_shows_posts_in_the_nearby_feed_from_redis(redis_conn, api):
    redis_conn.flushdb()  # a fresh `make run`: nothing in Redis yet
    seed()
    lat, lng = Post.objects.filter(lat__isnull=False).values_list("lat", "lng").first()

    body = api.get(f"/api/v1/feeds/nearby/?lat={lat}&lng={lng}&size=20").json()

    assert body["fallback"] is False
    assert len(body["results"]) == 20
